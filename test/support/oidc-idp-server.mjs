// test/support/oidc-idp-server.mjs: a real OpenID Provider for the tests (`oidc-provider`, ESM-only, hence a child process).
// Env: IDP_PORT, IDP_CLIENTS (JSON array of client metadata), IDP_ACCOUNTS (JSON {id: claims}),
// IDP_CONFORM ("false" → scope claims such as email also in the ID token; default: only via userinfo).
// PKCE is required for every client. Its dev interactions (login and consent forms) accept any
// password for a known account id. GET /test/grants lists the token requests it saw (whether they
// carried a code_verifier, and the error of a rejected one); GET /test/userinfo-calls counts the
// requests to its userinfo endpoint. Prints "READY <issuer>" when listening.
import crypto from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.IDP_CLIENTS ?? '[]');
const accounts = JSON.parse(process.env.IDP_ACCOUNTS ?? '{}');
const grants = [];
let userinfoCalls = 0;

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rsa', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [jwk] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: process.env.IDP_CONFORM !== 'false',
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    if (!accounts[id]) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...accounts[id] };
      },
    };
  },
});
provider.on('grant.success', (ctx) => grants.push({ ok: true, codeVerifier: Boolean(ctx.oidc.params?.code_verifier) }));
provider.on('grant.error', (ctx, err) =>
  grants.push({ ok: false, codeVerifier: Boolean(ctx.oidc.params?.code_verifier), error: err.error ?? err.message }),
);
provider.on('server_error', (_ctx, err) => console.error('IdP server_error', err));

// the test process holds our stdin: when it goes away (even killed), so do we
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

const handler = provider.callback();
http
  .createServer((req, res) => {
    if (req.url === '/test/grants') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify(grants));
    }
    if (req.url === '/test/userinfo-calls') return res.end(String(userinfoCalls));
    if (req.url?.startsWith('/me')) userinfoCalls++;
    handler(req, res);
  })
  .listen(port, '127.0.0.1', () => console.log(`READY ${issuer}`));
