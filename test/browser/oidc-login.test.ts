// OIDC login in a real browser (Debian's Chromium): the login page with the OIDC button (axe-checked),
// through the identity provider's own login and consent pages (`oidc-provider` in a child process)
// back to the page the user wanted; then an unknown user's failure page (axe-checked).
import { expectNoSeriousAxeViolations, startStackAndBrowser, type TestBrowser } from '../support/browser';
import { startTestIdp, type TestIdp } from '../support/oidc-idp';
import { freePort } from '../support/ports';
import type { Stack } from '../support/stack';

let stack: Stack;
let b: TestBrowser;
let idp: TestIdp;

beforeAll(async () => {
  const port = await freePort();
  ({ stack, browser: b } = await startStackAndBrowser({
    worker: false,
    outbox: false,
    oidc: {
      issuer: `http://127.0.0.1:${port}`,
      clientId: 'kim-browser',
      scopes: 'openid email profile',
      buttonLabel: 'Mit Dienst-Konto anmelden',
      requireEmailVerified: true,
    },
  }));
  idp = await startTestIdp({
    port,
    accounts: {
      'sub-cw': { email: 'fallmanagement@kim.example', email_verified: true },
      'sub-x': { email: 'unbekannt@kim.example', email_verified: true },
    },
    clients: [
      {
        client_id: 'kim-browser',
        token_endpoint_auth_method: 'none',
        redirect_uris: [`${stack.url}/anmelden/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
  });
});
afterAll(async () => {
  await b?.close();
  await idp?.stop();
  await stack?.stop();
});

/** From the login page through the IdP's login and consent pages. */
async function throughIdp(account: string) {
  const page = b.page;
  await page.getByRole('link', { name: 'Mit Dienst-Konto anmelden' }).click();
  await page.waitForURL(`${idp.issuer}/interaction/**`);
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill('beliebig');
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(`${idp.issuer}/interaction/**`); // consent
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(`${stack.url}/**`);
}

test('login page with the OIDC button → IdP → the page the user wanted, logged in', async () => {
  const page = b.page;
  await page.goto(`${stack.url}/faelle/neu`);
  await page.waitForURL(`${stack.url}/login?next=%2Ffaelle%2Fneu`);
  await expect(page.getByRole('link', { name: 'Mit Dienst-Konto anmelden' }).isVisible()).resolves.toBe(true);
  await expectNoSeriousAxeViolations(page, 'Anmelden (mit OIDC)');
  await throughIdp('sub-cw');
  expect(page.url()).toBe(`${stack.url}/faelle/neu`);
  await expect(page.locator('header').innerText()).resolves.toContain('Fallmanagement KIM');
  await page.getByRole('button', { name: 'Abmelden' }).click();
  await page.waitForURL(`${stack.url}/login`);
});

test('an unknown user gets the generic failure page (axe-checked), no session', async () => {
  const page = b.page;
  await b.context.clearCookies(); // another person: without the IdP's session from the first test (single sign-on)
  await page.goto(`${stack.url}/login`);
  await throughIdp('sub-x');
  expect(page.url()).toMatch(/\/anmelden\/oidc\/callback\?/);
  await expect(page.locator('h1').innerText()).resolves.toBe('Anmeldung fehlgeschlagen');
  await expectNoSeriousAxeViolations(page, 'Anmeldung fehlgeschlagen');
  expect((await b.context.cookies(stack.url)).map((c) => c.name)).not.toContain('kim_session');
  // nothing on our pages was blocked (CSP) or failed
  expect(b.problems.filter((p) => p.includes(stack.url))).toEqual([]);
});
