// Login and logout pages. The login form is CSRF-protected with a double-submit cookie
// (there is no session yet); every later form uses the session's token.
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { sessionInput } from '../../core/domain/records';
import { LOGIN_CSRF_COOKIE, randomToken, type Auth } from '../auth';
import { HttpError } from '../errors';
import { errorSummary, field, html, page } from '../html';
import { validateForm } from './forms';

// The token is reused while the browser still holds one: every unauthenticated GET (a second tab, the
// browser's own /favicon.ico request redirected here) would otherwise rotate the cookie and make the
// form already on screen fail with 403.
const LOGIN_TOKEN = /^[\w-]{32}$/;

function loginPage(
  req: Request,
  res: Response,
  opts: { email?: string; errors?: Record<string, string>; message?: string; secure: boolean; next?: string; oidcLabel?: string },
) {
  const existing = String(req.cookies?.[LOGIN_CSRF_COOKIE] ?? '');
  const token = LOGIN_TOKEN.test(existing) ? existing : randomToken(24);
  res.cookie(LOGIN_CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: opts.secure, path: '/login' });
  return page({
    title: 'Anmelden',
    body: html`
      ${opts.message ? html`<p class="notice warn" role="alert">${opts.message}</p>` : ''}
      ${errorSummary(opts.errors ?? {})}
      <form method="post" action="/login" novalidate>
        <input type="hidden" name="_csrf" value="${token}">
        <input type="hidden" name="next" value="${opts.next ?? ''}">
        ${field({ name: 'email', label: 'E-Mail', type: 'email', value: opts.email, required: true, error: opts.errors?.email, attrs: 'autocomplete="username"' })}
        ${field({ name: 'password', label: 'Passwort', type: 'password', required: true, error: opts.errors?.password, attrs: 'autocomplete="current-password"' })}
        <button type="submit">Anmelden</button>
      </form>
      ${opts.oidcLabel ? html`<p class="oidc-login">oder <a class="button secondary" href="/anmelden/oidc${opts.next ? `?next=${encodeURIComponent(opts.next)}` : ''}">${opts.oidcLabel}</a></p>` : ''}`,
  });
}

export const safeNext = (n: unknown) => (typeof n === 'string' && /^\/[\w\-/?=&.%]*$/.test(n) && !n.startsWith('//') ? n : '/faelle');

/** oidcLabel: the OIDC button's label, when OIDC login is configured */
export function authPages(auth: Auth, secure: boolean, oidcLabel?: string) {
  const router = Router();

  router.get('/login', (req: Request, res: Response) => {
    if (req.user) return res.redirect(303, '/faelle');
    res.send(loginPage(req, res, { secure, oidcLabel, next: typeof req.query.next === 'string' ? req.query.next : undefined }));
  });

  router.post('/login', async (req: Request, res: Response) => {
    const sent = String(req.body?._csrf ?? '');
    const cookie = String(req.cookies?.[LOGIN_CSRF_COOKIE] ?? '');
    if (!sent || sent.length !== cookie.length || !crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(cookie))) {
      return res.status(403).send(
        loginPage(req, res, {
          secure,
          oidcLabel,
          message: 'Das Formular ist abgelaufen. Bitte erneut anmelden.',
          next: safeNext(req.body?.next),
        }),
      );
    }
    const next = safeNext(req.body?.next);
    const v = validateForm(sessionInput, { email: req.body?.email ?? '', password: req.body?.password ?? '' });
    if (!v.ok)
      return res.status(400).send(loginPage(req, res, { secure, oidcLabel, email: String(req.body?.email ?? ''), errors: v.errors, next }));
    try {
      const user = await auth.login(v.data.email, v.data.password, req);
      const s = await auth.createSession(user.id, 'browser', req);
      auth.setSessionCookie(res, s.token, s.expiresAt);
      res.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
      res.redirect(303, next);
    } catch (err) {
      if (err instanceof HttpError && (err.status === 401 || err.status === 429)) {
        return res.status(err.status).send(loginPage(req, res, { secure, oidcLabel, email: v.data.email, message: err.message, next }));
      }
      throw err;
    }
  });

  router.post('/logout', async (req: Request, res: Response) => {
    if (req.sessionId) await auth.revoke(req.sessionId);
    auth.clearSessionCookie(res);
    res.redirect(303, '/login');
  });

  return router;
}
