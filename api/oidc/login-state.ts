// A started OIDC login, kept server-side (PostgreSQL, so any API instance can finish it): state,
// nonce and PKCE verifier, bound to the browser by a short-lived HttpOnly cookie whose hash the row
// holds. Only hashes of the state and the cookie are stored; a row is consumed once, atomically.
import crypto from 'node:crypto';
import type { Db } from '../../core/db/client';
import { randomToken, sha256 } from '../auth';

export const OIDC_COOKIE = 'kim_oidc';
export const OIDC_COOKIE_PATH = '/anmelden/oidc';
export const LOGIN_TTL_MS = 10 * 60_000;

export interface StartedLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  codeChallenge: string;
  binding: string;
}

/** RFC 7636: S256 challenge of the verifier */
export const codeChallengeOf = (verifier: string) => crypto.createHash('sha256').update(verifier).digest('base64url');

export async function startLogin(db: Db, next: string, existingBinding?: string): Promise<StartedLogin> {
  const state = randomToken(32);
  const nonce = randomToken(32);
  const codeVerifier = randomToken(48); // 64 characters of [A-Za-z0-9_-] (43–128 allowed)
  const binding = existingBinding ?? randomToken(32);
  // started logins nobody finished: gone an hour after they expired
  await db.oidcLogin.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - 60 * 60_000) } } });
  await db.oidcLogin.create({
    data: { id: sha256(state), bindingHash: sha256(binding), nonce, codeVerifier, next, expiresAt: new Date(Date.now() + LOGIN_TTL_MS) },
  });
  return { state, nonce, codeVerifier, codeChallenge: codeChallengeOf(codeVerifier), binding };
}

export type ConsumeResult =
  | { ok: true; nonce: string; codeVerifier: string; next: string }
  | { ok: false; reason: 'state_unknown' | 'state_used' | 'state_expired' | 'browser_mismatch' };

/** Takes the login for `state` if this browser started it; a second call with the same state fails. */
export async function consumeLogin(db: Db, state: string, binding: string): Promise<ConsumeResult> {
  if (!state || state.length > 200) return { ok: false, reason: 'state_unknown' };
  const id = sha256(state);
  const row = await db.oidcLogin.findUnique({ where: { id } });
  if (!row) return { ok: false, reason: 'state_unknown' };
  if (row.usedAt) return { ok: false, reason: 'state_used' };
  if (row.expiresAt < new Date()) return { ok: false, reason: 'state_expired' };
  const sent = Buffer.from(sha256(binding));
  if (!binding || !crypto.timingSafeEqual(sent, Buffer.from(row.bindingHash))) return { ok: false, reason: 'browser_mismatch' };
  // one use: only the request that flips usedAt goes on (two parallel callbacks → one wins)
  const taken = await db.oidcLogin.updateMany({ where: { id, usedAt: null }, data: { usedAt: new Date() } });
  if (taken.count !== 1) return { ok: false, reason: 'state_used' };
  return { ok: true, nonce: row.nonce, codeVerifier: row.codeVerifier, next: row.next };
}
