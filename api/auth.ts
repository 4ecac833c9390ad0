// Authentication: argon2id passwords, server-side sessions in PostgreSQL (browser cookie or API
// bearer token; only the token's SHA-256 is stored), account lockout, per-IP login rate limit, CSRF.
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../core/db/client';
import type { Role } from '../core/db/generated/client';
import { audit, type Actor } from '../core/audit';
import { hashPassword, verifyPassword } from '../core/passwords';
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
    log: import('pino').Logger;
    requestId: string;
  }
}

export const SESSION_COOKIE = 'kim_session';
export const LOGIN_CSRF_COOKIE = 'kim_login_csrf';
const MAX_FAILED = 5;
const LOCK_MINUTES = 15;
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

/** Failed attempts per key in a sliding window: only failures count, so an office behind one address can log in all day. */
export function createFailureWindow(limit: number, windowMs: number) {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) => (failures.get(key) ?? []).filter((t) => now - t < windowMs);
  return {
    blocked: (key: string) => recent(key, Date.now()).length >= limit,
    fail(key: string) {
      const now = Date.now();
      failures.set(key, [...recent(key, now), now]);
      if (failures.size > 10_000) for (const [k, v] of failures) if (v.every((t) => now - t >= windowMs)) failures.delete(k);
    },
  };
}

export const LOGIN_FAILURES_PER_IP = 30;

export function createAuth(db: Db, opts: { sessionHours: number; secureCookies: boolean }) {
  const ipFailures = createFailureWindow(LOGIN_FAILURES_PER_IP, 15 * 60_000);

  async function login(email: string, password: string, req: Request): Promise<AuthUser> {
    const ip = req.ip ?? 'unknown';
    if (ipFailures.blocked(ip)) {
      throw new HttpError(429, 'too_many_attempts', 'Zu viele Anmeldeversuche. Bitte in einigen Minuten erneut versuchen.');
    }
    const generic = new HttpError(401, 'invalid_credentials', 'E-Mail oder Passwort ist falsch.');
    const failed = () => {
      ipFailures.fail(ip);
      return generic;
    };
    const user = await db.user.findUnique({ where: { email } });
    if (!user || !user.passwordHash || !user.active) {
      await verifyPassword(await DUMMY_HASH, password);
      await audit(db, { id: null, role: 'anonymous', ip: req.ip, requestId: req.requestId }, 'login.failed', { type: 'User' });
      throw failed();
    }
    if (user.lockedUntil && user.lockedUntil > new Date()) {
      await audit(db, { id: user.id, role: user.role, ip: req.ip, requestId: req.requestId }, 'login.locked', {
        type: 'User',
        id: user.id,
      });
      throw failed(); // no hint that the account exists or is locked
    }
    const ok = await verifyPassword(user.passwordHash, password);
    if (!ok) {
      const count = user.failedLogins + 1;
      await db.user.update({
        where: { id: user.id },
        data: {
          failedLogins: count >= MAX_FAILED ? 0 : count,
          lockedUntil: count >= MAX_FAILED ? new Date(Date.now() + LOCK_MINUTES * 60_000) : undefined,
        },
      });
      await audit(db, { id: user.id, role: user.role, ip: req.ip, requestId: req.requestId }, 'login.failed', {
        type: 'User',
        id: user.id,
      });
      throw failed();
    }
    await db.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
    await audit(db, { id: user.id, role: user.role, ip: req.ip, requestId: req.requestId }, 'login.ok', { type: 'User', id: user.id });
    return { id: user.id, email: user.email, name: user.name, role: user.role, departmentId: user.departmentId };
  }

  async function createSession(userId: string, kind: 'browser' | 'api'): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const token = randomToken();
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + opts.sessionHours * 3_600_000);
    await db.session.create({ data: { id: sha256(token), userId, kind, csrfToken, expiresAt } });
    return { token, csrfToken, expiresAt };
  }

  async function revoke(sessionId: string) {
    await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  /** Resolves the user from `Authorization: Bearer` or the session cookie; never rejects by itself. */
  async function authenticate(req: Request, _res: Response, next: NextFunction) {
    const header = req.get('authorization');
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const token = bearer ?? (req.cookies?.[SESSION_COOKIE] as string | undefined);
    if (!token || token.length > 200) return next();
    const session = await db.session.findUnique({ where: { id: sha256(token) }, include: { user: true } });
    if (!session || session.revokedAt || session.expiresAt < new Date() || !session.user.active) return next();
    if (bearer ? session.kind !== 'api' : session.kind !== 'browser') return next();
    req.user = {
      id: session.user.id,
      email: session.user.email,
      name: session.user.name,
      role: session.user.role,
      departmentId: session.user.departmentId,
    };
    req.sessionId = session.id;
    req.csrfToken = session.csrfToken;
    if (Date.now() - session.lastSeenAt.getTime() > 60_000) {
      db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } }).catch(() => {});
    }
    next();
  }

  function setSessionCookie(res: Response, token: string, expiresAt: Date) {
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, path: '/', expires: expiresAt });
  }

  return { login, createSession, revoke, authenticate, setSessionCookie };
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

/** Form posts: the hidden _csrf field must match the session's token (constant-time). */
export function csrfValid(req: Request): boolean {
  const sent = typeof req.body?._csrf === 'string' ? req.body._csrf : '';
  const expected = req.csrfToken ?? '';
  return sent.length > 0 && sent.length === expected.length && crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}
