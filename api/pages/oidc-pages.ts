// OIDC login (authorization code + PKCE S256) next to the password login. GET /anmelden/oidc starts it
// and redirects to the identity provider; GET /anmelden/oidc/callback finishes it: state (one use,
// this browser), code exchange with the code_verifier, ID token verification, local user by
// issuer+subject or verified e-mail, then the same server-side session as the password login.
// Every failure shows one generic German page and is audited with a reason code only.
// With OIDC off (no KIM_OIDC_ISSUER) both routes answer 404.
import { Router, type Request, type Response } from 'express';
import { audit } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { Logger } from '../../core/log';
import { createRateLimiter, type Auth } from '../auth';
import { notFound } from '../errors';
import { html, page } from '../html';
import { createOidcDiscovery, OidcFetchError } from '../oidc/discovery';
import { IdTokenError, verifyIdToken } from '../oidc/id-token';
import { consumeLogin, LOGIN_TTL_MS, OIDC_COOKIE, OIDC_COOKIE_PATH, startLogin } from '../oidc/login-state';
import { oidcRedirectUri, type OidcSettings } from '../../core/config';
import { exchangeCode, TokenError } from '../oidc/token';
import { matchUser } from '../oidc/user-match';
import { UserinfoError, withUserinfoEmail } from '../oidc/userinfo';
import { safeNext } from './auth-pages';

const BINDING = /^[\w-]{43}$/;

export function oidcPages(deps: { db: Db; log: Logger; publicUrl: string; secureCookies: boolean; oidc?: OidcSettings }, auth: Auth) {
  const router = Router();
  const settings = deps.oidc;
  if (!settings) {
    router.get(['/anmelden/oidc', '/anmelden/oidc/callback'], (_req, _res, next) => next(notFound('Seite')));
    return router;
  }
  const discovery = createOidcDiscovery(settings.issuer);
  const redirectUri = oidcRedirectUri(deps.publicUrl);
  const startLimiter = createRateLimiter(60, 15 * 60_000);
  const actorOf = (req: Request, user?: { id: string; role: string }) => ({
    id: user?.id ?? null,
    role: user?.role ?? 'anonymous',
    ip: req.ip,
    requestId: req.requestId,
  });

  async function fail(req: Request, res: Response, reason: string, opts: { status?: number; userId?: string; idpError?: string } = {}) {
    deps.log.warn({ reason, idpError: opts.idpError }, 'OIDC-Anmeldung fehlgeschlagen');
    await audit(
      deps.db,
      actorOf(req),
      'login.oidc.failed',
      { type: 'User', id: opts.userId },
      { reason, ...(opts.idpError ? { idpError: opts.idpError } : {}) },
    );
    res.status(opts.status ?? 401).send(
      page({
        title: 'Anmeldung fehlgeschlagen',
        body: html`<p role="alert">Die Anmeldung mit dem Dienst-Konto ist fehlgeschlagen. Bitte erneut versuchen;
        besteht das Problem weiter, wenden Sie sich an die Administration.</p>
        <p class="hint">Vorgangsnummer: ${req.requestId}</p>
        <p><a href="/login">Zur Anmeldung</a></p>`,
      }),
    );
  }

  router.get('/anmelden/oidc', async (req: Request, res: Response) => {
    const next = safeNext(req.query.next);
    if (req.user) return res.redirect(303, next);
    if (!startLimiter(req.ip ?? 'unknown')) return fail(req, res, 'rate_limited', { status: 429 });
    let metadata;
    try {
      metadata = await discovery.getMetadata();
    } catch (err) {
      if (!(err instanceof OidcFetchError)) throw err;
      deps.log.warn({ err: err.message }, 'OIDC: Discovery fehlgeschlagen');
      return fail(req, res, 'discovery_failed', { status: 502 });
    }
    // one binding per browser (kept while valid): a login started in a second tab does not break the first
    const existing = String(req.cookies?.[OIDC_COOKIE] ?? '');
    const s = await startLogin(deps.db, next, BINDING.test(existing) ? existing : undefined);
    res.cookie(OIDC_COOKIE, s.binding, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      path: OIDC_COOKIE_PATH,
      maxAge: LOGIN_TTL_MS,
    });
    const url = new URL(metadata.authorization_endpoint);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: settings.clientId,
      redirect_uri: redirectUri,
      scope: settings.scopes,
      state: s.state,
      nonce: s.nonce,
      code_challenge: s.codeChallenge,
      code_challenge_method: 'S256',
    }))
      url.searchParams.set(k, v);
    res.redirect(303, url.toString());
  });

  router.get('/anmelden/oidc/callback', async (req: Request, res: Response) => {
    const q = req.query as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const taken = await consumeLogin(deps.db, str(q.state), String(req.cookies?.[OIDC_COOKIE] ?? ''));
    if (!taken.ok) return fail(req, res, taken.reason);
    if (q.error !== undefined) {
      // the provider's error code (e.g. access_denied) is a fixed word; its description is not logged
      const code = /^[a-z_]{1,64}$/.test(str(q.error)) ? str(q.error) : 'other';
      return fail(req, res, 'idp_error', { idpError: code });
    }
    const code = str(q.code);
    if (!code || code.length > 2048) return fail(req, res, 'code_missing');
    try {
      const metadata = await discovery.getMetadata();
      // RFC 9207: a provider that names itself in the response must be ours (mix-up defence)
      if (q.iss !== undefined && q.iss !== metadata.issuer) return fail(req, res, 'iss_mismatch');
      const tokens = await exchangeCode({ metadata, settings, code, codeVerifier: taken.codeVerifier, redirectUri });
      const verified = await verifyIdToken(tokens.idToken, {
        issuer: metadata.issuer,
        clientId: settings.clientId,
        nonce: taken.nonce,
        keys: discovery.getKeys,
      });
      const claims = await withUserinfoEmail(verified, metadata, tokens.accessToken);
      const match = await matchUser(deps.db, metadata.issuer, claims, settings.requireEmailVerified);
      if (!match.ok) return fail(req, res, match.reason, { userId: match.userId });
      const { user } = match;
      const session = await auth.createSession(user.id, 'browser', req);
      auth.setSessionCookie(res, session.token, session.expiresAt);
      res.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
      await audit(deps.db, actorOf(req, user), 'login.oidc', { type: 'User', id: user.id }, { linked: match.linked });
      res.redirect(303, taken.next);
    } catch (err) {
      if (err instanceof TokenError || err instanceof UserinfoError) return fail(req, res, err.code);
      if (err instanceof IdTokenError) return fail(req, res, `id_token_${err.code}`);
      if (err instanceof OidcFetchError) {
        deps.log.warn({ err: err.message }, 'OIDC: Identity Provider nicht erreichbar');
        return fail(req, res, 'idp_unreachable', { status: 502 });
      }
      deps.log.error({ err }, 'OIDC: unerwarteter Fehler');
      return fail(req, res, 'internal', { status: 500 });
    }
  });

  return router;
}
