// The ID token verifier (api/oidc/id-token.ts) with keys generated here: a correctly signed token
// passes; wrong nonce, audience, issuer, expiry, signature, key or algorithm (none, HMAC) are refused.
import crypto from 'node:crypto';
import { CLOCK_SKEW_SECONDS, IdTokenError, verifyIdToken, type VerifyOptions } from '../../api/oidc/id-token';
import type { Jwk } from '../../api/oidc/discovery';

const ISSUER = 'https://idp.stadt.example/realms/kim';
const CLIENT = 'kim-flow';
const NONCE = 'n-0S6_WzA2Mj';
const NOW = 1_795_000_000;

const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = crypto.generateKeyPairSync('ed25519');
const publicJwk = (k: crypto.KeyObject, kid: string, alg?: string): Jwk => ({
  ...(k.export({ format: 'jwk' }) as Jwk),
  kid,
  use: 'sig',
  ...(alg ? { alg } : {}),
});
const JWKS: Jwk[] = [publicJwk(rsa.publicKey, 'rsa-1', 'RS256'), publicJwk(ec.publicKey, 'ec-1'), publicJwk(ed.publicKey, 'ed-1')];

const b64 = (v: object | string) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function sign(
  claims: object,
  header: Record<string, unknown> = { alg: 'RS256', kid: 'rsa-1' },
  key: crypto.KeyObject = rsa.privateKey,
): string {
  const input = `${b64({ typ: 'JWT', ...header })}.${b64(claims)}`;
  const alg = String(header.alg);
  let sig: Buffer;
  if (alg.startsWith('HS')) sig = crypto.createHmac('sha256', 'client-secret').update(input).digest();
  else if (alg === 'none') sig = Buffer.alloc(0);
  else if (alg === 'ES256') sig = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'EdDSA') sig = crypto.sign(null, Buffer.from(input), key);
  else if (alg === 'PS256')
    sig = crypto.sign('sha256', Buffer.from(input), { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  else sig = crypto.sign('sha256', Buffer.from(input), key);
  return `${input}.${sig.toString('base64url')}`;
}

const claims = (over: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  sub: 'user-4711',
  aud: CLIENT,
  exp: NOW + 300,
  iat: NOW - 5,
  nonce: NONCE,
  email: 'fm@stadt.example',
  email_verified: true,
  ...over,
});

const keys = jest.fn(async (_kid?: string) => JWKS);
const opts = (over: Partial<VerifyOptions> = {}): VerifyOptions => ({
  issuer: ISSUER,
  clientId: CLIENT,
  nonce: NONCE,
  keys,
  now: NOW,
  ...over,
});

async function refusal(token: string, o: Partial<VerifyOptions> = {}): Promise<string> {
  try {
    await verifyIdToken(token, opts(o));
  } catch (err) {
    expect(err).toBeInstanceOf(IdTokenError);
    return (err as IdTokenError).code;
  }
  throw new Error('token was accepted');
}

beforeEach(() => keys.mockClear());

test('a correctly signed token passes (RS256, PS256, ES256, EdDSA) and yields its claims', async () => {
  await expect(verifyIdToken(sign(claims()), opts())).resolves.toMatchObject({
    sub: 'user-4711',
    email: 'fm@stadt.example',
    email_verified: true,
  });
  const rsaNoAlg: Jwk = { ...JWKS[0], alg: undefined };
  await expect(
    verifyIdToken(sign(claims(), { alg: 'PS256', kid: 'rsa-1' }), opts({ keys: async () => [rsaNoAlg] })),
  ).resolves.toMatchObject({ sub: 'user-4711' });
  await expect(verifyIdToken(sign(claims(), { alg: 'ES256', kid: 'ec-1' }, ec.privateKey), opts())).resolves.toMatchObject({
    sub: 'user-4711',
  });
  await expect(verifyIdToken(sign(claims(), { alg: 'EdDSA', kid: 'ed-1' }, ed.privateKey), opts())).resolves.toMatchObject({
    sub: 'user-4711',
  });
  // audience as an array with azp = us
  await expect(verifyIdToken(sign(claims({ aud: [CLIENT, 'other'], azp: CLIENT })), opts())).resolves.toMatchObject({ sub: 'user-4711' });
});

test('wrong nonce, missing nonce → refused', async () => {
  expect(await refusal(sign(claims({ nonce: 'a-different-nonce' })))).toBe('nonce');
  expect(await refusal(sign(claims({ nonce: undefined })))).toBe('nonce');
});

test('wrong audience, several audiences without azp, foreign azp → refused', async () => {
  expect(await refusal(sign(claims({ aud: 'another-client' })))).toBe('aud');
  expect(await refusal(sign(claims({ aud: [CLIENT, 'another-client'] })))).toBe('azp');
  expect(await refusal(sign(claims({ azp: 'another-client' })))).toBe('azp');
});

test('wrong issuer → refused', async () => {
  expect(await refusal(sign(claims({ iss: 'https://evil.example' })))).toBe('iss');
  expect(await refusal(sign(claims({ iss: `${ISSUER}/` })))).toBe('iss'); // exact match
});

test('exp / iat / nbf with a small clock skew', async () => {
  await expect(verifyIdToken(sign(claims({ exp: NOW - CLOCK_SKEW_SECONDS + 1 })), opts())).resolves.toBeTruthy();
  expect(await refusal(sign(claims({ exp: NOW - CLOCK_SKEW_SECONDS - 1 })))).toBe('exp');
  expect(await refusal(sign(claims({ exp: undefined })))).toBe('exp');
  expect(await refusal(sign(claims({ iat: NOW + CLOCK_SKEW_SECONDS + 10 })))).toBe('iat');
  expect(await refusal(sign(claims({ nbf: NOW + CLOCK_SKEW_SECONDS + 10 })))).toBe('nbf');
});

test('alg none and HMAC are refused whatever the signature', async () => {
  expect(await refusal(sign(claims(), { alg: 'none' }))).toBe('alg');
  expect(await refusal(sign(claims(), { alg: 'HS256', kid: 'rsa-1' }))).toBe('alg');
  expect(await refusal(`${b64({ alg: 'none' })}.${b64(claims())}.`)).toBe('alg');
});

test('a tampered payload, a foreign key or an unknown kid → refused; an unknown kid refetches the keys once', async () => {
  const [h, , s] = sign(claims()).split('.');
  expect(await refusal(`${h}.${b64(claims({ sub: 'admin' }))}.${s}`)).toBe('signature');
  expect(await refusal(sign(claims(), { alg: 'RS256', kid: 'rsa-1' }, other.privateKey))).toBe('signature');
  expect(await refusal(sign(claims(), { alg: 'RS256', kid: 'rotated' }, other.privateKey))).toBe('key');
  expect(keys.mock.calls).toEqual([[], [], [], ['rotated']]); // a refetch only for the unknown kid
  // the refetched set has the new key → accepted
  const rotated = jest.fn(async (kid?: string) => (kid === 'rotated' ? [...JWKS, publicJwk(other.publicKey, 'rotated')] : JWKS));
  await expect(
    verifyIdToken(sign(claims(), { alg: 'RS256', kid: 'rotated' }, other.privateKey), opts({ keys: rotated })),
  ).resolves.toBeTruthy();
  // a key of the wrong type for the algorithm is never used (ES256 header, RSA kid)
  expect(await refusal(sign(claims(), { alg: 'ES256', kid: 'rsa-1' }, ec.privateKey))).toBe('key');
});

test('malformed tokens → refused without throwing anything else', async () => {
  expect(await refusal('abc')).toBe('format');
  expect(await refusal('a.b.c.d')).toBe('format');
  expect(await refusal(`${b64('not json')}.${b64(claims())}.sig`)).toBe('header');
  expect(await refusal(`${b64({ alg: 'RS256', kid: 'rsa-1', crit: ['exp'] })}.${b64(claims())}.sig`)).toBe('crit');
});
