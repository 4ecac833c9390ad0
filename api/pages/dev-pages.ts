// Dev inbox: the mails the embedded SMTP capture received (only when no SMTP_URL is set, never in
// production: core/production.ts). Page and API need a login; a department member sees only the mails
// of its own department (its functional mailbox, lead and members), everyone else all of them.
import { formatDateTime } from '../../core/format/dates';
import { Router } from 'express';
import type { CapturedMail, SmtpCapture } from '../../core/runtime/smtp-capture';
import type { AuthUser } from '../auth';
import type { AppDeps } from '../deps';
import { html, page } from '../html';

/** The captured mails this user may read (newest last), optionally only those to one address. */
export async function visibleMails(deps: Pick<AppDeps, 'db'>, capture: SmtpCapture, user: AuthUser, to?: string): Promise<CapturedMail[]> {
  const mails = capture.list({ to });
  if (user.role !== 'department_member') return mails;
  const own = new Set([user.email.toLowerCase()]);
  if (user.departmentId) {
    const dept = await deps.db.department.findUnique({
      where: { id: user.departmentId },
      select: { email: true, leadEmail: true, users: { select: { email: true } } },
    });
    for (const a of [dept?.email, dept?.leadEmail, ...(dept?.users.map((u) => u.email) ?? [])]) if (a) own.add(a.toLowerCase());
  }
  return mails.filter((m) => m.to.some((a) => own.has(a.toLowerCase())));
}

export function devPages(capture: SmtpCapture, deps: AppDeps) {
  const router = Router();
  router.get('/dev/postfach', async (req, res) => {
    // the app redirects anonymous page requests to /login before this router; kept here as well
    if (!req.user) return res.redirect(303, '/login?next=%2Fdev%2Fpostfach');
    const mails = (await visibleMails(deps, capture, req.user)).slice(-100).reverse();
    res.send(
      page({
        title: 'Dev-Postfach',
        user: req.user,
        csrf: req.csrfToken,
        devInbox: true,
        body: html`<p class="notice">
            Nur in der Entwicklungsumgebung: E-Mails, die KIM Flow an die eingebettete SMTP-Capture geschickt hat.
            ${deps.temporalUiUrl ? html`Temporal Web UI: <a href="${deps.temporalUiUrl}">${deps.temporalUiUrl}</a>` : ''}
          </p>
          ${
            mails.length === 0
              ? html`<p>Noch keine E-Mails.</p>`
              : mails.map(
                  (m) =>
                    html` <article class="mail" aria-labelledby="m-${m.id}">
                      <h2 id="m-${m.id}">${m.subject}</h2>
                      <p class="hint">An ${m.to.join(', ')} · ${formatDateTime(m.receivedAt)}</p>
                      <pre>${m.text}</pre>
                    </article>`,
                )
          }`,
      }),
    );
  });
  return router;
}
