// The discovery document and JWKS (api/oidc/discovery.ts) from a small HTTP server in the test: cached,
// refused when it names another issuer, lacks endpoints or offers PKCE without S256, or when the IdP
// is unreachable; the JWKS is refetched for an unknown key id only after a pause.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOidcDiscovery, OidcFetchError } from '../../api/oidc/discovery';
import { freePort } from '../support/ports';

let server: http.Server;
let base: string;
let doc: Record<string, unknown>;
const hits: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url!);
    res.setHeader('content-type', 'application/json');
    if (req.url === '/realm/.well-known/openid-configuration') return res.end(JSON.stringify(doc));
    if (req.url === '/realm/jwks') return res.end(JSON.stringify({ keys: [{ kty: 'RSA', kid: 'k1', n: 'AQAB', e: 'AQAB' }] }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realm`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  hits.length = 0;
  doc = {
    issuer: base,
    authorization_endpoint: `${base}/auth`,
    token_endpoint: `${base}/token`,
    jwks_uri: `${base}/jwks`,
    code_challenge_methods_supported: ['S256'],
  };
});

test('reads and caches the document and the keys; an unknown kid right after a fetch does not refetch', async () => {
  const d = createOidcDiscovery(`${base}/`); // a trailing slash in the configuration is fine
  expect(await d.getMetadata()).toMatchObject({ issuer: base, token_endpoint: `${base}/token` });
  await d.getMetadata();
  expect((await d.getKeys()).map((k) => k.kid)).toEqual(['k1']);
  await d.getKeys('unknown-kid'); // fetched a moment ago: no refetch storm for made-up kids
  expect(hits).toEqual(['/realm/.well-known/openid-configuration', '/realm/jwks']);
});

test.each([
  [
    'another issuer',
    () => {
      doc.issuer = 'https://evil.example';
    },
    'anderen Issuer',
  ],
  [
    'no token endpoint',
    () => {
      delete doc.token_endpoint;
    },
    'unvollständig',
  ],
  [
    'PKCE without S256',
    () => {
      doc.code_challenge_methods_supported = ['plain'];
    },
    'S256',
  ],
])('refused: %s', async (_name, change, message) => {
  change();
  await expect(createOidcDiscovery(base).getMetadata()).rejects.toThrow(message);
});

test('an unreachable IdP → OidcFetchError (nothing cached)', async () => {
  const d = createOidcDiscovery(`http://127.0.0.1:${await freePort()}`);
  await expect(d.getMetadata()).rejects.toBeInstanceOf(OidcFetchError);
});
