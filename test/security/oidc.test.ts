// OIDC login (authorization code + PKCE) against a real identity provider (`oidc-provider` in a child
// process) that requires PKCE: its login and consent pages are walked through over HTTP. Proves a full
// login ends in a working session on the page the user wanted, the token request carried the
// code_verifier (and that the IdP refuses one without), state is single-use and bound to the
// browser, unknown / inactive / unverified users get the generic failure page (audited with a reason
// code, no personal data), password login still works, and with OIDC off the routes 404.
import { FormClient } from '../support/form-client';
import { startTestIdp, type TestIdp } from '../support/oidc-idp';
import { freePort } from '../support/ports';
import { RedirectBrowser, type Page } from '../support/redirect-browser';
import { startStack, type Stack } from '../support/stack';

const CLIENT_ID = 'kim-flow-test';
const ACCOUNTS = {
  'sub-cw': { email: 'Fallmanagement@KIM.example', email_verified: true, name: 'Fallmanagement (IdP)' }, // case differs from the user's
  'sub-unknown': { email: 'niemand@kim.example', email_verified: true },
  'sub-inactive': { email: 'jobcenter@kim.example', email_verified: true },
  'sub-unverified': { email: 'leitung@kim.example', email_verified: false },
  'sub-takeover': { email: 'soziale-foerderung@kim.example', email_verified: true },
};

let stack: Stack;
let idp: TestIdp;
let issuer: string;
const callbackPrefix = () => `${stack.url}/anmelden/oidc/callback`;

beforeAll(async () => {
  const idpPort = await freePort();
  issuer = `http://127.0.0.1:${idpPort}`;
  // the app discovers the IdP lazily (first login), so the IdP can start once the app's redirect URI is known
  stack = await startStack({
    worker: false,
    outbox: false,
    oidc: {
      issuer,
      clientId: CLIENT_ID,
      scopes: 'openid email profile',
      buttonLabel: 'Mit Dienst-Konto anmelden',
      requireEmailVerified: true,
    },
  });
  idp = await startTestIdp({
    port: idpPort,
    accounts: ACCOUNTS,
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [callbackPrefix()],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
  });
});
afterAll(async () => {
  await idp?.stop();
  await stack?.stop();
});

/** From `startPath` in the app through the IdP's login (as `account`) and consent pages; stops before
 *  the app's callback when `stopAtCallback` (the callback URL is then `stoppedAt`). */
async function loginAtIdp(
  browser: RedirectBrowser,
  startPath: string,
  account: string,
  stopAtCallback = false,
): Promise<Page & { stoppedAt?: string }> {
  const stopAt = stopAtCallback ? (u: string) => u.startsWith(callbackPrefix()) : undefined;
  let page: Page & { stoppedAt?: string } = await browser.follow('GET', stack.url + startPath, undefined, stopAt);
  for (let i = 0; i < 4 && !page.stoppedAt && page.url.startsWith(issuer); i++) {
    page = await browser.submit(page, page.text.includes('name="login"') ? { login: account, password: 'beliebig' } : {}, stopAt);
  }
  return page;
}

const failures = async () =>
  (await stack.db.auditEvent.findMany({ where: { action: 'login.oidc.failed' }, orderBy: { at: 'asc' } })).map(
    (e) => (e.details as { reason: string }).reason,
  );

function expectFailurePage(page: Page, browser: RedirectBrowser) {
  expect(page.url).toMatch(/\/anmelden\/oidc\/callback/);
  expect(page.status).toBe(401);
  expect(page.text).toContain('<h1>Anmeldung fehlgeschlagen</h1>');
  expect(page.text).not.toMatch(/@kim\.example|sub-|invalid|state|nonce/i); // nothing about who or why
  expect(browser.cookie(stack.url, 'kim_session')).toBeUndefined();
}

test('the login page shows the OIDC button; a full login ends in a session on the page the user wanted', async () => {
  const browser = new RedirectBrowser();
  const login = await browser.follow('GET', `${stack.url}/faelle/neu`); // not logged in → /login?next=/faelle/neu
  expect(login.url).toBe(`${stack.url}/login?next=%2Ffaelle%2Fneu`);
  expect(login.text).toContain('href="/anmelden/oidc?next=%2Ffaelle%2Fneu">Mit Dienst-Konto anmelden</a>');
  const grantsBefore = (await idp.grants()).length;
  const userinfoBefore = await idp.userinfoCalls();

  const page = await loginAtIdp(browser, '/anmelden/oidc?next=%2Ffaelle%2Fneu', 'sub-cw');
  expect(page.status).toBe(200);
  expect(page.url).toBe(`${stack.url}/faelle/neu`);
  expect(page.text).toContain('Fallmanagement KIM (Fallmanagement)'); // the logged-in user in the header
  expect(browser.cookie(stack.url, 'kim_session')).toBeDefined();

  // the token request carried the PKCE code_verifier (the IdP requires it)
  expect((await idp.grants()).slice(grantsBefore)).toEqual([{ ok: true, codeVerifier: true }]);
  // this IdP (spec default) puts scope claims such as email only into userinfo: fetched from there
  expect(await idp.userinfoCalls()).toBe(userinfoBefore + 1);
  const user = await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } });
  expect(user).toMatchObject({ oidcIssuer: issuer, oidcSubject: 'sub-cw' });
  const ok = await stack.db.auditEvent.findMany({ where: { action: 'login.oidc' } });
  expect(ok).toEqual([expect.objectContaining({ actorId: user.id, entityId: user.id, details: { linked: true } })]);
  const session = await stack.db.session.findMany({ where: { userId: user.id, kind: 'browser', revokedAt: null } });
  expect(session).toHaveLength(1);

  // logout is unchanged: the session ends
  const logout = await browser.submit(await browser.follow('GET', `${stack.url}/faelle`), {});
  expect(logout.url).toMatch(/\/login$/);
  expect((await browser.follow('GET', `${stack.url}/faelle`)).url).toMatch(/\/login\?next=/);
});

test('a later login matches by issuer + subject, even after the e-mail changed', async () => {
  await stack.db.user.update({ where: { email: 'fallmanagement@kim.example' }, data: { email: 'fm-neu@kim.example' } });
  try {
    const browser = new RedirectBrowser();
    const page = await loginAtIdp(browser, '/anmelden/oidc', 'sub-cw');
    expect(page.url).toBe(`${stack.url}/faelle`);
    expect(page.text).toContain('Fallmanagement KIM (Fallmanagement)');
  } finally {
    await stack.db.user.update({ where: { email: 'fm-neu@kim.example' }, data: { email: 'fallmanagement@kim.example' } });
  }
});

test('PKCE is enforced by the IdP: the same kind of code without the code_verifier is refused', async () => {
  const browser = new RedirectBrowser();
  const stopped = await loginAtIdp(browser, '/anmelden/oidc', 'sub-cw', true);
  const code = new URL(stopped.stoppedAt!).searchParams.get('code')!;
  expect(code).toBeTruthy();
  const grantsBefore = (await idp.grants()).length;
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: callbackPrefix(), client_id: CLIENT_ID }),
  });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  expect((await idp.grants()).slice(grantsBefore)).toEqual([{ ok: false, codeVerifier: false, error: 'invalid_grant' }]);
});

test('state: another browser, a reused and a forged state are refused; the right browser gets in once', async () => {
  const a = new RedirectBrowser();
  const stopped = await loginAtIdp(a, '/anmelden/oidc', 'sub-cw', true);
  const callback = stopped.stoppedAt!;
  const before = (await failures()).length;

  const b = new RedirectBrowser(); // the callback URL in a browser that did not start the login
  expectFailurePage(await b.follow('GET', callback), b);

  const first = await a.follow('GET', callback);
  expect(first.url).toBe(`${stack.url}/faelle`);
  expect(first.status).toBe(200);
  // a replay even with the binding cookie of the browser that started the login

  const replay = await a.request('GET', callback);
  expect(replay.status).toBe(401);
  expect(replay.text).toContain('Anmeldung fehlgeschlagen');

  const forged = new RedirectBrowser();
  expectFailurePage(await forged.follow('GET', `${stack.url}/anmelden/oidc/callback?state=erfunden&code=abc`), forged);

  expect((await failures()).slice(before)).toEqual(['browser_mismatch', 'state_used', 'state_unknown']);
});

test('an error from the IdP (e.g. the user cancelled) shows the failure page and consumes the state', async () => {
  const browser = new RedirectBrowser();
  const toIdp = await browser.request('GET', `${stack.url}/anmelden/oidc`);
  expect(toIdp.status).toBe(303);
  const authorize = new URL(toIdp.location!);
  expect(authorize.origin).toBe(issuer);
  expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: callbackPrefix(),
    scope: 'openid email profile',
    code_challenge_method: 'S256',
  });
  expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  const state = authorize.searchParams.get('state')!;
  const before = (await failures()).length;
  const page = await browser.follow(
    'GET',
    `${callbackPrefix()}?error=access_denied&error_description=${encodeURIComponent('Max Mustermann hat abgebrochen')}&state=${state}`,
  );
  expectFailurePage(page, browser);
  const events = await stack.db.auditEvent.findMany({ where: { action: 'login.oidc.failed' }, orderBy: { at: 'asc' }, skip: before });
  expect(events.map((e) => e.details)).toEqual([{ reason: 'idp_error', idpError: 'access_denied' }]);
  expect((await browser.follow('GET', `${callbackPrefix()}?code=x&state=${state}`)).status).toBe(401); // state gone
});

test('a response naming another issuer (RFC 9207 mix-up) and odd callback queries: refused, never a 500', async () => {
  const browser = new RedirectBrowser();
  const state = new URL((await browser.request('GET', `${stack.url}/anmelden/oidc`)).location!).searchParams.get('state')!;
  const before = (await failures()).length;
  expectFailurePage(
    await browser.follow('GET', `${callbackPrefix()}?code=abc&state=${state}&iss=${encodeURIComponent('https://evil.example')}`),
    browser,
  );
  expect((await failures()).slice(before)).toEqual(['iss_mismatch']);

  const sessions = await stack.db.session.count();
  for (const q of [
    '',
    '?state=',
    `?state=${state}&state=x&code=c`,
    '?state[a]=1&code=c',
    `?state=${'x'.repeat(5000)}&code=c`,
    '?code=abc',
    '?state=%00&code=c',
    `?error=${encodeURIComponent('<script>')}&state=x`,
    '?state=%F0%9F&code=%ZZ',
  ]) {
    const r = await browser.request('GET', `${callbackPrefix()}${q}`);
    if (r.status !== 400 && r.status !== 401) throw new Error(`callback${q}: ${r.status}`); // 400: NUL/invalid text, else the failure page
    expect(r.text).not.toContain('<script>');
  }
  expect(await stack.db.session.count()).toBe(sessions);
});

test.each([
  ['sub-unknown', 'user_unknown', 'no local user has that e-mail (no auto-provisioning)'],
  ['sub-inactive', 'user_inactive', 'the matching user is inactive'],
  ['sub-unverified', 'email_unverified', 'the e-mail is not verified by the IdP'],
])('%s is refused with the generic page: %s (%s)', async (account, reason) => {
  if (account === 'sub-inactive') await stack.db.user.update({ where: { email: 'jobcenter@kim.example' }, data: { active: false } });
  const before = await stack.db.auditEvent.count({ where: { action: 'login.oidc.failed' } });
  const browser = new RedirectBrowser();
  const page = await loginAtIdp(browser, '/anmelden/oidc', account);
  expectFailurePage(page, browser);
  const events = await stack.db.auditEvent.findMany({ where: { action: 'login.oidc.failed' }, orderBy: { at: 'asc' }, skip: before });
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ actorId: null, actorRole: 'anonymous', details: { reason } });
  expect(JSON.stringify([events[0].details, events[0].entityId, events[0].caseId])).not.toMatch(/@|sub-/); // no e-mail, no subject
  // nobody got linked to that subject
  expect(await stack.db.user.count({ where: { oidcSubject: account } })).toBe(0);
});

test('a user already linked to another subject of this IdP is not taken over by e-mail', async () => {
  await stack.db.user.update({
    where: { email: 'soziale-foerderung@kim.example' },
    data: { oidcIssuer: issuer, oidcSubject: 'sub-original' },
  });
  const before = (await failures()).length;
  const browser = new RedirectBrowser();
  expectFailurePage(await loginAtIdp(browser, '/anmelden/oidc', 'sub-takeover'), browser);
  expect((await failures()).slice(before)).toEqual(['subject_conflict']);
  expect(await stack.db.user.findUniqueOrThrow({ where: { email: 'soziale-foerderung@kim.example' } })).toMatchObject({
    oidcSubject: 'sub-original',
  });
});

test('an expired started login is refused', async () => {
  const browser = new RedirectBrowser();
  const stopped = await loginAtIdp(browser, '/anmelden/oidc', 'sub-cw', true);
  await stack.db.oidcLogin.updateMany({ where: { usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
  const before = (await failures()).length;
  expectFailurePage(await browser.follow('GET', stopped.stoppedAt!), browser);
  expect((await failures()).slice(before)).toEqual(['state_expired']);
});

test('password login still works with OIDC on', async () => {
  const client = new FormClient(stack.url);
  const res = await client.login('leitung@kim.example');
  expect(res.status).toBe(303);
  expect(res.location).toBe('/faelle');
  expect(client.cookies.get('kim_session')).toBeDefined();
  expect((await client.get('/faelle')).status).toBe(200);
});

describe('a confidential client (client secret) at an IdP that puts the e-mail into the ID token', () => {
  let conf: Stack;
  let idp2: TestIdp;
  beforeAll(async () => {
    const port = await freePort();
    conf = await startStack({
      worker: false,
      outbox: false,
      oidc: {
        issuer: `http://127.0.0.1:${port}`,
        clientId: 'kim-confidential',
        clientSecret: 'ein-langes-client-geheimnis',
        scopes: 'openid email',
        buttonLabel: 'Mit Stadt-Konto anmelden',
        requireEmailVerified: true,
      },
    });
    idp2 = await startTestIdp({
      port,
      accounts: { 'sub-sv': { email: 'leitung@kim.example', email_verified: true } },
      conformIdTokenClaims: false,
      clients: [
        {
          client_id: 'kim-confidential',
          client_secret: 'ein-langes-client-geheimnis',
          token_endpoint_auth_method: 'client_secret_basic',
          redirect_uris: [`${conf.url}/anmelden/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
    });
  });
  afterAll(async () => {
    await idp2?.stop();
    await conf?.stop();
  });

  test('logs in with client_secret_basic + PKCE, the e-mail taken from the ID token (no userinfo call)', async () => {
    const browser = new RedirectBrowser();
    expect((await browser.follow('GET', `${conf.url}/login`)).text).toContain('>Mit Stadt-Konto anmelden</a>');
    let page = await browser.follow('GET', `${conf.url}/anmelden/oidc?next=%2Fleitung`);
    for (let i = 0; i < 4 && page.url.startsWith(idp2.issuer); i++) {
      page = await browser.submit(page, page.text.includes('name="login"') ? { login: 'sub-sv', password: 'x' } : {});
    }
    expect(page.url).toBe(`${conf.url}/leitung`);
    expect(page.status).toBe(200);
    expect(await idp2.grants()).toEqual([{ ok: true, codeVerifier: true }]);
    expect(await idp2.userinfoCalls()).toBe(0);
    expect(await conf.db.user.findUniqueOrThrow({ where: { email: 'leitung@kim.example' } })).toMatchObject({
      oidcIssuer: idp2.issuer,
      oidcSubject: 'sub-sv',
    });
  });
});

describe('with OIDC off', () => {
  let plain: Stack;
  beforeAll(async () => {
    plain = await startStack({ worker: false, outbox: false });
  });
  afterAll(() => plain?.stop());

  test('the login page has no OIDC button and both routes answer 404', async () => {
    const client = new FormClient(plain.url);
    const login = await client.get('/login');
    expect(login.status).toBe(200);
    expect(login.text).toContain('action="/login"');
    expect(login.text).not.toContain('/anmelden/oidc');
    for (const path of ['/anmelden/oidc', '/anmelden/oidc/callback?state=x&code=y']) {
      const res = await client.get(path);
      expect(res.status).toBe(404);
    }
  });
});
