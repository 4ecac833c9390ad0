// The Express application: JSON API, HTML pages, health check. Built from its dependencies so that
// `npm start`, `npm run api` and the tests all run the same app.
import crypto from 'node:crypto';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { requestContext } from '../core/log';
import type { AppDeps } from './deps';
import { apiCsrfGuard, createAuth, csrfValid } from './auth';
import { HttpError, notFound, sendError, toHttpError } from './errors';
import { hostCheck } from './host-check';
import { html, page } from './html';
import { adminPages } from './pages/admin-pages';
import { chainDefinitionPages } from './pages/chain-definition-pages';
import { authPages } from './pages/auth-pages';
import { oidcPages } from './pages/oidc-pages';
import { casePages } from './pages/case-pages';
import { personPages } from './pages/person-pages';
import { caseCyclePages } from './pages/case-cycle-pages';
import { shelterPages } from './pages/shelter-pages';
import { shelterAdminPages } from './pages/shelter-admin-pages';
import { dashboardPages } from './pages/dashboard-pages';
import { devPages } from './pages/dev-pages';
import { linkPages } from './pages/link-pages';
import { landlordPages } from './pages/landlord-pages';
import { situationPages } from './pages/situation-pages';
import { partnerPages } from './pages/partner-pages';
import { offerMatchPages } from './pages/offer-match-pages';
import { coursePages } from './pages/course-pages';
import { groupOfferPages } from './pages/group-offer-pages';
import { meetingPages } from './pages/meeting-pages';
import { privacyPages } from './pages/privacy-pages';
import { processPages } from './pages/process-pages';
import { reportPages } from './pages/report-pages';
import { reportDefinitionPages } from './pages/report-definition-pages';
import { sessionPages } from './pages/session-pages';
import { statusLinkPages, statusLinkStaffPages } from './pages/status-pages';
import { taskPages } from './pages/task-pages';
import { apiRouter } from './routes/api';
import { codecRouter } from './routes/codec';
import { healthRouter } from './routes/health';

/** The path of the first string with a NUL or a lone surrogate (or of nesting deeper than any form), if any. */
function findInvalidText(v: unknown, path = '', depth = 0): string | undefined {
  if (typeof v === 'string') return v.includes('\u0000') || /\p{Surrogate}/u.test(v) ? path || '(Anfrage)' : undefined;
  if (v && typeof v === 'object') {
    if (depth > 32) return path || '(Anfrage)';
    for (const [k, x] of Object.entries(v)) {
      const bad = findInvalidText(k, path, depth + 1) ?? findInvalidText(x, path ? `${path}.${k}` : k, depth + 1);
      if (bad) return bad;
    }
  }
  return undefined;
}

const wantsJson = (req: Request) =>
  req.path.startsWith('/api/') || req.path === '/healthz' || (req.get('accept') ?? '').startsWith('application/json');

export function createApp(deps: AppDeps) {
  const app = express();
  const auth = createAuth(deps.db, {
    sessionHours: deps.sessionHours,
    secureCookies: deps.secureCookies,
    sessionIdleMinutes: deps.sessionIdleMinutes,
  });
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');

  app.use((req: Request, res: Response, next: NextFunction) => {
    // always our own id: the audit log (actorOf) and the answers never carry a client's value; a client's
    // X-Request-Id is only logged beside it (clientRequestId) for correlation
    req.requestId = crypto.randomUUID();
    const incoming = req.get('x-request-id');
    const clientRequestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : undefined;
    res.setHeader('X-Request-Id', req.requestId);
    req.log = deps.log;
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      requestContext.run({ requestId: req.requestId }, () =>
        deps.log.info(
          {
            method: req.method,
            path: req.route?.path ?? req.path.replace(/[0-9a-f-]{36}/g, ':id'),
            status: res.statusCode,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
            clientRequestId,
          },
          'Anfrage',
        ),
      );
    });
    requestContext.run({ requestId: req.requestId }, next);
  });

  app.use(hostCheck(deps.publicUrl)); // DNS rebinding: only the public URL's host and loopback names

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          upgradeInsecureRequests: deps.secureCookies ? [] : null,
        },
      },
      hsts: deps.secureCookies,
    }),
  );
  app.use('/static', express.static(path.join(__dirname, 'static'), { maxAge: '1h', index: false }));
  app.use(healthRouter(deps));
  app.use(express.json({ limit: '100kb', strict: true }));
  app.use('/api/admin/chain-definitions', express.text({ type: ['application/yaml', 'application/x-yaml', 'text/yaml'], limit: '100kb' }));
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 }));
  app.use(cookieParser());
  // PostgreSQL cannot store NUL, and a lone surrogate is not text: refuse both in every input up front
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const bad = findInvalidText(req.query) ?? findInvalidText(req.body);
    if (bad)
      return next(
        new HttpError(400, 'invalid_input', `Ungültige Zeichen im Feld ${bad} (Nullzeichen oder unvollständiges Unicode).`, [
          { field: bad, message: 'ungültige Zeichen' },
        ]),
      );
    next();
  });
  app.use((req, res, next) => {
    auth.authenticate(req, res, next).catch(next);
  });

  const caseCycle = caseCyclePages(deps); // issue 13: assessment, help plan, journal, documents
  app.use(caseCycle.uploadParser); // the document upload form's multipart body, before the CSRF check reads its _csrf
  app.use(apiCsrfGuard(deps.publicUrl));
  // CSRF: every browser form post except the login form (double-submit there) needs the session token.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    // /t/<token>: the signed single-use token in the URL is the credential (no session)
    if (
      req.method !== 'POST' ||
      req.path.startsWith('/api/') ||
      req.path === '/login' ||
      req.path.startsWith('/t/') ||
      req.path.startsWith('/vermieter/')
    )
      return next();
    if (!req.user) return next(new HttpError(401, 'unauthorized', 'Bitte anmelden.'));
    if (!csrfValid(req))
      return next(new HttpError(403, 'csrf', 'Das Formular ist abgelaufen oder ungültig. Bitte die Seite neu laden und erneut absenden.'));
    next();
  });

  app.use(codecRouter(deps)); // Temporal Web UI remote codec (supervisors/admins)
  app.use(apiRouter(deps, auth));
  app.use(authPages(auth, deps.secureCookies, deps.oidc?.buttonLabel));
  app.use(oidcPages(deps, auth));
  app.use(linkPages(deps));
  app.use(statusLinkPages(deps)); // /s/<token>: the person's status page, the signed link is the credential
  app.use(landlordPages(deps)); // /vermieter/<token>: the landlord's signed form link (no session)
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/api/')) return next();
    if (!req.user) return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    next();
  });
  app.use(sessionPages(deps, auth));
  if (deps.capture) app.use(devPages(deps.capture, deps));
  app.use(casePages(deps));
  app.use(personPages(deps));
  app.use(caseCycle.router);
  app.use(shelterPages(deps));
  app.use(shelterAdminPages(deps));
  app.use(privacyPages(deps));
  app.use(taskPages(deps));
  app.use(reportPages(deps));
  app.use(reportDefinitionPages(deps));
  app.use(processPages(deps));
  app.use(dashboardPages(deps));
  app.use(adminPages(deps));
  app.use(chainDefinitionPages(deps));
  app.use(statusLinkStaffPages(deps));
  app.use(partnerPages(deps)); // /bestand/partner…, /bestand/wohnungen/neu: partners, contacts, landlord links, „Wohnung erfassen“ (issue 15)
  app.use(situationPages(deps)); // /bestand/lage (issue 15)
  app.use(offerMatchPages(deps)); // /bestand/wohnungen: matching and proposing a flat (issue 15)
  app.use(coursePages(deps)); // /bestand, /bestand/kurse: courses, matching chains, proposing a seat (issue 15)
  app.use(groupOfferPages(deps)); // /bestand/gruppen: group offers, sessions, enrolment, attendance (issue 15)
  app.use(meetingPages(deps)); // /bestand/treffen: working meetings with minutes and to-dos (issue 15)

  app.use((req: Request, _res: Response, next: NextFunction) => next(notFound(req.path.startsWith('/api/') ? 'Route' : 'Seite')));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = toHttpError(err);
    if (e.status >= 500) deps.log.error({ err, path: req.path }, 'Fehler bei der Anfrage');
    if (res.headersSent) return;
    if (wantsJson(req)) return sendError(res, e);
    if (e.status === 401) return res.redirect(303, '/login');
    res.status(e.status).send(
      page({
        title:
          e.status === 404
            ? 'Nicht gefunden'
            : e.status === 403
              ? 'Kein Zugriff'
              : e.status === 503
                ? 'Vorübergehend nicht verfügbar'
                : 'Fehler',
        user: req.user,
        csrf: req.csrfToken,
        body: html`<p role="alert">${e.message}</p><p class="hint">Vorgangsnummer: ${req.requestId}</p><p><a href="/faelle">Zur Fallübersicht</a></p>`,
      }),
    );
  });
  return app;
}
