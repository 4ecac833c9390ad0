// Authentication: argon2id passwords, server-side sessions in PostgreSQL (browser cookie or API
// bearer token; only the token's SHA-256 is stored), login limits per address and per (address, account), CSRF.
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { sql, type Db } from '../core/db/client';
import { Prisma, type Role } from '../core/db/generated/client';
import { audit, type Actor } from '../core/audit';
import { hashPassword, PasswordCheckBusy, verifyPassword } from '../core/passwords';
import { forbidden, HttpError, unauthorized } from './errors';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  departmentId: string | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
    sessionId?: string;
    csrfToken?: string;
    /** how the user was authenticated: the API's bearer token or the browser's session cookie */
    authVia?: 'bearer' | 'cookie';
    log: import('pino').Logger;
    requestId: string;
  }
}

/** the session and its user as authenticate() reads them */
interface SessionRow {
  id: string;
  kind: string;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
  revokedAt: Date | null;
  user: AuthUser & { active: boolean };
}

export const SESSION_COOKIE = 'kim_session';
/** with secure cookies (production, https): bound to this host, Secure and path / — no subdomain can set or shadow it */
export const SECURE_SESSION_COOKIE = '__Host-kim_session';
export const CSRF_HEADER = 'x-csrf-token';
export const LOGIN_CSRF_COOKIE = 'kim_login_csrf';
const DUMMY_HASH = hashPassword('timing-equaliser');

export const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString('base64url');
export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export function actorOf(req: Request): Actor {
  return { id: req.user?.id ?? null, role: req.user?.role ?? 'anonymous', ip: req.ip, requestId: req.requestId };
}

/** A small in-memory sliding window per IP (per API instance; account lockout is global in the DB). */
export function createRateLimiter(limit: number, windowMs: number) {
  const hits = new Map<string, number[]>();
  return (key: string): boolean => {
    const now = Date.now();
    const recent = (hits.get(key) ?? []).filter((t) => now - t < windowMs);
    recent.push(now);
    hits.set(key, recent);
    if (hits.size > 10_000) for (const [k, v] of hits) if (v.every((t) => now - t >= windowMs)) hits.delete(k);
    return recent.length <= limit;
  };
}

export const LOGIN_FAILURES_PER_IP = 30;
/** failed attempts per (address, account) before that pair is backed off for the rest of the window */
export const LOGIN_FAILURES_PER_ACCOUNT = 5;
const LOGIN_WINDOW_SECONDS = 15 * 60;
const TOO_MANY = 'Zu viele Anmeldeversuche. Bitte in einigen Minuten erneut versuchen.';

/** default of KIM_SESSION_IDLE_MINUTES: a browser session ends after 30 idle minutes (BSI IT-Grundschutz) */
export const SESSION_IDLE_MINUTES = 30;

export function createAuth(db: Db, opts: { sessionHours: number; secureCookies: boolean; sessionIdleMinutes?: number }) {
  const idleMs = (opts.sessionIdleMinutes ?? SESSION_IDLE_MINUTES) * 60_000;
  const sessionCookie = opts.secureCookies ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  /** Counts one attempt atomically (one statement, also across API instances) and returns the count in the window. */
  async function count(key: string): Promise<number> {
    const rows = await db.$queryRaw<{ count: number }[]>`
      INSERT INTO "LoginThrottle" ("key", "count", "windowStart") VALUES (${key}, 1, now())
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN "LoginThrottle"."windowStart" < now() - make_interval(secs => ${LOGIN_WINDOW_SECONDS}::float8) THEN 1 ELSE "LoginThrottle"."count" + 1 END,
        "windowStart" = CASE WHEN "LoginThrottle"."windowStart" < now() - make_interval(secs => ${LOGIN_WINDOW_SECONDS}::float8) THEN now() ELSE "LoginThrottle"."windowStart" END
      RETURNING "count"`;
    return Number(rows[0].count);
  }

  /** A password check in the worker thread; too many waiting → 503 instead of an ever longer queue. */
  async function check(hash: string, password: string): Promise<boolean> {
    try {
      return await verifyPassword(hash, password);
    } catch (e) {
      if (e instanceof PasswordCheckBusy)
        throw new HttpError(503, 'busy', 'Der Dienst ist gerade ausgelastet. Bitte in einigen Sekunden erneut versuchen.');
      throw e;
    }
  }

  // Every attempt is counted BEFORE its password is checked, per address and per (address, account), so a
  // burst of parallel requests gets no more checks than the limits allow. A success takes its attempt back.
  // The account key is the submitted e-mail (hashed), whether or not the account exists: the back-off
  // answer (429) is the same for both and costs a password check, so it reveals nothing.
  async function login(email: string, password: string, req: Request): Promise<AuthUser> {
    const ip = req.ip ?? 'unknown';
    const ipKey = `ip:${ip}`;
    const pairKey = `acct:${ip}:${sha256(email.trim().toLowerCase())}`;
    // now and then: forget counters whose window is over (the table holds only recent attempts)
    if (Math.random() < 0.01) {
      await db.$executeRaw`DELETE FROM "LoginThrottle" WHERE "windowStart" < now() - make_interval(secs => ${LOGIN_WINDOW_SECONDS}::float8)`;
    }
    if ((await count(ipKey)) > LOGIN_FAILURES_PER_IP) throw new HttpError(429, 'too_many_attempts', TOO_MANY);
    const backedOff = (await count(pairKey)) > LOGIN_FAILURES_PER_ACCOUNT;
    const user = await db.user.findUnique({ where: { email } });
    const usable = user && user.passwordHash && user.active ? user : undefined;
    const actor: Actor = { id: usable?.id ?? null, role: usable?.role ?? 'anonymous', ip: req.ip, requestId: req.requestId };
    const ok = await check(usable && !backedOff ? usable.passwordHash! : await DUMMY_HASH, password);
    if (backedOff) {
      await audit(db, actor, 'login.throttled', { type: 'User', id: usable?.id });
      throw new HttpError(429, 'too_many_attempts', TOO_MANY);
    }
    if (!usable || !ok) {
      await audit(db, actor, 'login.failed', { type: 'User', id: usable?.id });
      throw new HttpError(401, 'invalid_credentials', 'E-Mail oder Passwort ist falsch.');
    }
    await db.$executeRaw`UPDATE "LoginThrottle" SET "count" = GREATEST("count" - 1, 0) WHERE "key" = ${ipKey}`;
    await db.loginThrottle.deleteMany({ where: { key: pairKey } });
    await audit(db, actor, 'login.ok', { type: 'User', id: usable.id });
    return { id: usable.id, email: usable.email, name: usable.name, role: usable.role, departmentId: usable.departmentId };
  }

  /** req: its browser and address are kept for the user's session list (/sitzungen) */
  async function createSession(
    userId: string,
    kind: 'browser' | 'api',
    req?: Request,
  ): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const token = randomToken();
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + opts.sessionHours * 3_600_000);
    const userAgent = req?.get('user-agent')?.slice(0, 300) ?? null;
    await db.session.create({ data: { id: sha256(token), userId, kind, csrfToken, expiresAt, userAgent, ip: req?.ip ?? null } });
    return { token, csrfToken, expiresAt };
  }

  async function revoke(sessionId: string) {
    await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  /** "Überall abmelden": ends every session and API token of the user; returns how many */
  async function revokeAll(userId: string): Promise<number> {
    return (await db.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } })).count;
  }

  /** The user's sessions still in force (not revoked, not expired, web sessions not idle), newest activity first. */
  async function activeSessions(userId: string) {
    const now = Date.now();
    const sessions = await db.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: new Date(now) } },
      orderBy: { lastSeenAt: 'desc' },
      select: { id: true, kind: true, createdAt: true, lastSeenAt: true, expiresAt: true, userAgent: true, ip: true },
    });
    return sessions.filter((x) => x.kind !== 'browser' || now - x.lastSeenAt.getTime() <= idleMs);
  }

  /** Resolves the user from `Authorization: Bearer` or the session cookie; never rejects by itself. */
  async function authenticate(req: Request, _res: Response, next: NextFunction) {
    const header = req.get('authorization');
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const token = bearer ?? (req.cookies?.[sessionCookie] as string | undefined);
    if (!token || token.length > 200) return next();
    // every signed-in request reads its session: one statement without Prisma's query compiler (core/db/client.ts)
    const [session] = await sql<SessionRow>(
      db,
      Prisma.sql`SELECT s."id", s."kind", s."csrfToken", s."expiresAt", s."lastSeenAt", s."revokedAt",
          json_build_object('id', u."id", 'email', u."email", 'name', u."name", 'role', u."role", 'departmentId', u."departmentId", 'active', u."active") AS "user"
        FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = ${sha256(token)}`,
    );
    if (!session || session.revokedAt || session.expiresAt < new Date() || !session.user.active) return next();
    if (bearer ? session.kind !== 'api' : session.kind !== 'browser') return next();
    // idle timeout of the web session: ended for good, not just refused (lastSeenAt is kept to the minute)
    if (session.kind === 'browser' && Date.now() - session.lastSeenAt.getTime() > idleMs) {
      await revoke(session.id);
      return next();
    }
    req.user = {
      id: session.user.id,
      email: session.user.email,
      name: session.user.name,
      role: session.user.role,
      departmentId: session.user.departmentId,
    };
    req.sessionId = session.id;
    req.csrfToken = session.csrfToken;
    req.authVia = bearer ? 'bearer' : 'cookie';
    if (Date.now() - session.lastSeenAt.getTime() > 60_000) {
      db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } }).catch(() => {});
    }
    next();
  }

  function setSessionCookie(res: Response, token: string, expiresAt: Date) {
    res.cookie(sessionCookie, token, { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, path: '/', expires: expiresAt });
  }

  function clearSessionCookie(res: Response) {
    res.clearCookie(sessionCookie, { path: '/', secure: opts.secureCookies });
  }

  return {
    login,
    createSession,
    revoke,
    revokeAll,
    activeSessions,
    idleMinutes: idleMs / 60_000,
    authenticate,
    setSessionCookie,
    clearSessionCookie,
    sessionCookie,
  };
}
export type Auth = ReturnType<typeof createAuth>;

/** JSON API guard: 401 without a user, 403 with the wrong role. */
export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.user) return next(unauthorized());
    if (roles.length && !roles.includes(req.user.role)) return next(forbidden());
    next();
  };
}

const sameToken = (sent: string, expected: string) =>
  sent.length > 0 && sent.length === expected.length && crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected));

/**
 * JSON API writes authenticated by the browser's session cookie (not by a bearer token) need the session's
 * CSRF token in the X-CSRF-Token header or an Origin header of this app (publicUrl) — otherwise 403.
 * /api/codec/* checks the Origin itself (only the Temporal Web UI's origins may use the cookie, api/routes/codec.ts).
 */
export function apiCsrfGuard(publicUrl: string) {
  const ownOrigin = new URL(publicUrl).origin;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/api/') || req.path.startsWith('/api/codec/')) return next();
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) || req.authVia !== 'cookie') return next();
    if (sameToken(req.get(CSRF_HEADER) ?? '', req.csrfToken ?? '') || req.get('origin') === ownOrigin) return next();
    next(
      new HttpError(
        403,
        'csrf',
        'Anfrage abgelehnt: Schreibzugriffe mit dem Sitzungs-Cookie brauchen den CSRF-Token (Kopfzeile X-CSRF-Token) oder eine Anfrage von dieser Anwendung.',
      ),
    );
  };
}

/** Form posts: the hidden _csrf field must match the session's token (constant-time). */
export function csrfValid(req: Request): boolean {
  return sameToken(typeof req.body?._csrf === 'string' ? req.body._csrf : '', req.csrfToken ?? '');
}
