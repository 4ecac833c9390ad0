// E-mail action links /t/<token>: HMAC-SHA256 over (nonce, task, action, recipient, expiry) with a
// key id for rotation (sign with the first key, verify with any). The nonce names an ActionToken row
// that makes the link single-use. Forged → 403, expired or used → 410.
import crypto from 'node:crypto';

export interface LinkKey {
  id: string;
  secret: Buffer;
}
export interface LinkClaims {
  nonce: string;
  taskId: string;
  action: string;
  recipient: string;
  expiresAt: Date;
}

/** "kid1:secret1,kid2:secret2" (first signs). Secrets ≥ 32 characters. */
export function parseLinkKeys(spec: string): LinkKey[] {
  const keys = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf(':');
      if (i < 1) throw new Error('KIM_LINK_SECRETS: Format "kid:geheimnis,kid2:geheimnis2" erwartet');
      const id = pair.slice(0, i);
      const secret = pair.slice(i + 1);
      if (!/^[\w-]{1,20}$/.test(id)) throw new Error(`KIM_LINK_SECRETS: Schlüssel-ID "${id}" ungültig`);
      if (secret.length < 32) throw new Error(`KIM_LINK_SECRETS: Geheimnis für "${id}" zu kurz (mindestens 32 Zeichen)`);
      return { id, secret: Buffer.from(secret) };
    });
  if (!keys.length) throw new Error('KIM_LINK_SECRETS ist leer');
  return keys;
}

function mac(key: LinkKey, c: Omit<LinkClaims, 'expiresAt'> & { exp: number }): string {
  return crypto
    .createHmac('sha256', key.secret)
    .update([c.nonce, c.taskId, c.action, c.recipient.toLowerCase(), String(c.exp)].join('\n'))
    .digest('base64url');
}

export function signLink(keys: LinkKey[], c: LinkClaims): string {
  const exp = Math.floor(c.expiresAt.getTime() / 1000);
  return [keys[0].id, c.nonce, exp.toString(36), mac(keys[0], { ...c, exp })].join('.');
}

export interface ParsedToken {
  keyId: string;
  nonce: string;
  exp: number;
  sig: string;
}

export function parseToken(token: string): ParsedToken | undefined {
  if (token.length > 300) return undefined;
  const m = token.match(/^([\w-]{1,20})\.([\w-]{16,64})\.([0-9a-z]{1,12})\.([\w-]{43})$/);
  if (!m) return undefined;
  return { keyId: m[1], nonce: m[2], exp: parseInt(m[3], 36), sig: m[4] };
}

/** Constant-time check of a parsed token against the claims stored for its nonce. */
export function verifyLink(keys: LinkKey[], t: ParsedToken, stored: Omit<LinkClaims, 'nonce' | 'expiresAt'>): boolean {
  const key = keys.find((k) => k.id === t.keyId);
  if (!key) return false;
  const expected = Buffer.from(mac(key, { nonce: t.nonce, ...stored, exp: t.exp }));
  const got = Buffer.from(t.sig);
  return expected.length === got.length && crypto.timingSafeEqual(expected, got);
}

export const newNonce = () => crypto.randomBytes(18).toString('base64url');
