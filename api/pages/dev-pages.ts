// Dev inbox: the mails the embedded SMTP capture received (only when no SMTP_URL is set).
import { formatDateTime } from '../../core/format/dates';
import { Router } from 'express';
import type { SmtpCapture } from '../../core/runtime/smtp-capture';
import type { AppDeps } from '../deps';
import { html, page } from '../html';

export function devPages(capture: SmtpCapture, deps: AppDeps) {
  const router = Router();
  router.get('/dev/postfach', (req, res) => {
    const mails = capture.list().slice(-100).reverse();
    res.send(page({
      title: 'Dev-Postfach', user: req.user, csrf: req.csrfToken, devInbox: true,
      body: html`<p class="notice">Nur in der Entwicklungsumgebung: E-Mails, die KIM Flow an die eingebettete SMTP-Capture geschickt hat.
        ${deps.temporalUiUrl ? html`Temporal Web UI: <a href="${deps.temporalUiUrl}">${deps.temporalUiUrl}</a>` : ''}</p>
        ${mails.length === 0 ? html`<p>Noch keine E-Mails.</p>` : mails.map((m) => html`
        <article class="mail" aria-labelledby="m-${m.id}">
          <h2 id="m-${m.id}">${m.subject}</h2>
          <p class="hint">An ${m.to.join(', ')} · ${formatDateTime(m.receivedAt)}</p>
          <pre>${m.text}</pre>
        </article>`)}`,
    }));
  });
  return router;
}
