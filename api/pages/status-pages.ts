// The person's status page (/s/<token>, no login: the signed link is the credential; every view
// audited as status-page.view) and, for the caseworker, the one-page letter with a new link
// (POST /personen/:id/statuslink) and its revocation (POST /personen/:id/statuslink/widerrufen).
import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import type { Actor } from '../../core/audit';
import { audit } from '../../core/audit';
import { isStatusLang, type StatusLang } from '../../core/i18n/status-page';
import { ROLES } from '../access';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { html, page } from '../html';
import { SafeHtml } from '../../core/html';
import { checkStatusLink, createStatusLink, personStatus, revokeStatusLinks } from '../services/status-links';
import { statusLetterView, statusPageView, statusRejectedView } from '../views/status-page';
import { pageRouter } from './page-route';

const CASEWORK = { roles: ROLES.caseWork, denied: 'Nur Fallmanagerinnen und Fallmanager können Statuslinks vergeben.' };

const langOf = (q: unknown, fallback?: string): StatusLang => (isStatusLang(q) ? q : isStatusLang(fallback) ? fallback : 'de');

/** The public page behind the link (mounted before the login redirect). */
export function statusLinkPages(deps: AppDeps) {
  const router = Router();
  const personActor = (req: Request): Actor => ({ id: null, role: 'status-link', ip: req.ip, requestId: req.requestId });

  router.get('/s/:token', async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const checked = await checkStatusLink(deps, personActor(req), String(req.params.token));
    if (!checked.ok) return res.status(checked.status).send(statusRejectedView(langOf(req.query.lang), checked.status));
    const status = await personStatus(deps.db, checked.personId);
    const lang = langOf(req.query.lang, status.letterLanguage);
    await audit(deps.db, personActor(req), 'status-page.view', { type: 'Person', id: checked.personId }, { lang });
    res.send(statusPageView(lang, String(req.params.token), status));
  });
  return router;
}

/** The link as a QR code (SVG, printed 6 cm wide); the same URL stands under it in large type. */
export const statusLinkQr = (url: string) => QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });

/** The caseworker's side: a new link printed as a letter, or all links revoked. */
export function statusLinkStaffPages(deps: AppDeps) {
  const pages = pageRouter();

  pages.post('/personen/:id/statuslink', CASEWORK, async (req: Request, res: Response) => {
    const personId = String(req.params.id);
    const r = await createStatusLink(deps, req.user!, actorOf(req), personId);
    const status = await personStatus(deps.db, personId);
    res.setHeader('Cache-Control', 'no-store');
    const qr = new SafeHtml(await statusLinkQr(r.url));
    res.status(201).send(statusLetterView(langOf(req.body?.lang, status.letterLanguage), r.url, r.expiresAt, status.caseworker, qr));
  });

  pages.post('/personen/:id/statuslink/widerrufen', CASEWORK, async (req: Request, res: Response) => {
    const r = await revokeStatusLinks(deps, req.user!, actorOf(req), String(req.params.id));
    res.send(
      page({
        title: 'Statuslink widerrufen',
        user: req.user,
        csrf: req.csrfToken,
        body: html`<p role="status">${r.revoked ? 'Der Statuslink wurde widerrufen; er funktioniert nicht mehr.' : 'Es gab keinen gültigen Statuslink.'}</p>`,
      }),
    );
  });
  return pages.router;
}
