// Verification of an OIDC ID token (a JWS in compact form) with node:crypto: signature against the
// provider's JWKS (RS*, PS*, ES*, EdDSA — never `none`, never HMAC), then iss, aud/azp, exp/iat/nbf
// with a small clock skew, and the nonce of this login.
import crypto from 'node:crypto';
import type { Jwk } from './discovery';

export const CLOCK_SKEW_SECONDS = 60;

export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  azp?: string;
  email?: string;
  email_verified?: boolean;
  [claim: string]: unknown;
}

export class IdTokenError extends Error {
  constructor(readonly code: string) {
    super(`ID-Token ungültig: ${code}`);
  }
}

type VerifyParams = {
  algorithm: string | null;
  dsaEncoding?: 'ieee-p1363';
  padding?: number;
  saltLength?: number;
  kty: string;
  crv?: string[];
};
const ALGORITHMS: Record<string, VerifyParams> = {
  RS256: { algorithm: 'sha256', kty: 'RSA' },
  RS384: { algorithm: 'sha384', kty: 'RSA' },
  RS512: { algorithm: 'sha512', kty: 'RSA' },
  PS256: {
    algorithm: 'sha256',
    kty: 'RSA',
    padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
    saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST,
  },
  PS384: {
    algorithm: 'sha384',
    kty: 'RSA',
    padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
    saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST,
  },
  PS512: {
    algorithm: 'sha512',
    kty: 'RSA',
    padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
    saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST,
  },
  ES256: { algorithm: 'sha256', kty: 'EC', crv: ['P-256'], dsaEncoding: 'ieee-p1363' },
  ES384: { algorithm: 'sha384', kty: 'EC', crv: ['P-384'], dsaEncoding: 'ieee-p1363' },
  ES512: { algorithm: 'sha512', kty: 'EC', crv: ['P-521'], dsaEncoding: 'ieee-p1363' },
  EdDSA: { algorithm: null, kty: 'OKP', crv: ['Ed25519', 'Ed448'] },
};

function decodeJson(part: string, code: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* below */
  }
  throw new IdTokenError(code);
}

function pickKey(keys: Jwk[], kid: string | undefined, alg: string, params: VerifyParams): Jwk | undefined {
  const usable = keys.filter(
    (k) =>
      k.kty === params.kty &&
      (k.use === undefined || k.use === 'sig') &&
      (k.alg === undefined || k.alg === alg) &&
      (!params.crv || params.crv.includes(String(k.crv))),
  );
  if (kid !== undefined) return usable.find((k) => k.kid === kid);
  return usable.length === 1 ? usable[0] : undefined; // without a kid only an unambiguous key
}

export interface VerifyOptions {
  issuer: string;
  clientId: string;
  nonce: string;
  /** the provider's keys; called again with the token's kid when that kid is not among them */
  keys: (unknownKid?: string) => Promise<Jwk[]>;
  /** seconds since the epoch (tests) */
  now?: number;
}

export async function verifyIdToken(token: string, o: VerifyOptions): Promise<IdTokenClaims> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[\w-]*$/.test(p))) throw new IdTokenError('format');
  const header = decodeJson(parts[0], 'header');
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const params = ALGORITHMS[alg];
  if (!params) throw new IdTokenError('alg'); // `none`, HMAC and anything unknown
  if (header.crit !== undefined) throw new IdTokenError('crit');
  const kid = typeof header.kid === 'string' ? header.kid : undefined;

  let jwk = pickKey(await o.keys(), kid, alg, params);
  if (!jwk && kid !== undefined) jwk = pickKey(await o.keys(kid), kid, alg, params);
  if (!jwk) throw new IdTokenError('key');
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey({ key: jwk as crypto.JsonWebKey, format: 'jwk' });
  } catch {
    throw new IdTokenError('key');
  }
  const signature = Buffer.from(parts[2], 'base64url');
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const valid = crypto.verify(
    params.algorithm,
    signed,
    {
      key,
      ...(params.dsaEncoding ? { dsaEncoding: params.dsaEncoding } : {}),
      ...(params.padding ? { padding: params.padding, saltLength: params.saltLength } : {}),
    },
    signature,
  );
  if (!valid) throw new IdTokenError('signature');

  const c = decodeJson(parts[1], 'payload') as Partial<IdTokenClaims>;
  const now = o.now ?? Math.floor(Date.now() / 1000);
  if (c.iss !== o.issuer) throw new IdTokenError('iss');
  const aud = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (!aud.includes(o.clientId)) throw new IdTokenError('aud');
  if (aud.length > 1 && c.azp !== o.clientId) throw new IdTokenError('azp');
  if (c.azp !== undefined && c.azp !== o.clientId) throw new IdTokenError('azp');
  if (typeof c.exp !== 'number' || c.exp + CLOCK_SKEW_SECONDS < now) throw new IdTokenError('exp');
  if (typeof c.iat !== 'number' || c.iat - CLOCK_SKEW_SECONDS > now) throw new IdTokenError('iat');
  if (c.nbf !== undefined && (typeof c.nbf !== 'number' || c.nbf - CLOCK_SKEW_SECONDS > now)) throw new IdTokenError('nbf');
  const sentNonce = Buffer.from(typeof c.nonce === 'string' ? c.nonce : '');
  const ourNonce = Buffer.from(o.nonce);
  if (sentNonce.length !== ourNonce.length || !crypto.timingSafeEqual(sentNonce, ourNonce)) throw new IdTokenError('nonce');
  if (typeof c.sub !== 'string' || !c.sub || c.sub.length > 255) throw new IdTokenError('sub');
  return c as IdTokenClaims;
}
