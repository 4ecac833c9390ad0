// The partner pages in a real browser (Debian's Chromium via playwright-core) against the full stack
// (issue 15): „Neuer Partner“ (a field error first: summary focused, input kept), the partner's page,
// a contact log entry, „Meldelink senden“ and „Widerrufen“ by keyboard, „Wohnung erfassen“ — axe-core
// (WCAG 2.0 A/AA, 2.1 AA) on every page on the way: no serious or critical violations.
import {
  expectNoSeriousAxeViolations,
  focusedId,
  loginInBrowser,
  startStackAndBrowser,
  tabTo,
  UUID,
  type TestBrowser,
} from '../support/browser';
import { eventually, type Stack } from '../support/stack';

let stack: Stack;
let b: TestBrowser;

beforeAll(async () => {
  ({ stack, browser: b } = await startStackAndBrowser());
});
afterAll(async () => {
  await b?.close();
  await stack?.stop();
});

/** Tabs from the top of the page until `target` has the focus (fails if it is not reachable by keyboard). */
it('partner → contact → landlord link sent and revoked → flat recorded, axe on every page', async () => {
  const p = b.page;
  await loginInBrowser(p, stack.url, 'fallmanagement@kim.example');
  await p.goto(`${stack.url}/bestand/partner`);
  await expectNoSeriousAxeViolations(p, '/bestand/partner');
  await Promise.all([p.waitForURL('**/bestand/partner/neu'), p.getByRole('link', { name: 'Neuer Partner' }).click()]);
  await expectNoSeriousAxeViolations(p, '/bestand/partner/neu');
  await p.locator('#f-kind').selectOption('housing_company');
  await p.locator('#f-name').fill('Bergische Wohnbau');
  await p.locator('#f-email').fill('angebote@bergische.example');
  await p.locator('#f-areas').fill('Refrath, Bensberg');
  await p.locator('#f-contactPersons').fill('Frau Adler; Vermietung');
  await p.locator('#f-agreements').fill('Kooperationsvereinbarung; 01.01.2026');
  await p.locator('#f-contactWeeks').fill('sechs');
  await p.getByRole('button', { name: 'Partner anlegen' }).click();
  await p.locator('#f-contactWeeks-error').waitFor();
  expect(await focusedId(p)).toBe('fehler');
  expect(await p.locator('#f-name').inputValue()).toBe('Bergische Wohnbau');
  await expectNoSeriousAxeViolations(p, '/bestand/partner/neu (Fehler)');
  expect(await stack.db.partner.count()).toBe(0);
  await p.locator('#f-contactWeeks').fill('6');
  await Promise.all([
    p.waitForURL(new RegExp(`/bestand/partner/${UUID}\\?ok=angelegt$`)),
    p.getByRole('button', { name: 'Partner anlegen' }).click(),
  ]);
  const partnerUrl = p.url().replace(/\?.*$/, '');
  await expectNoSeriousAxeViolations(p, '/bestand/partner/:id');

  // a contact log entry, sent by keyboard
  await p.locator('#f-at').fill('2026-11-20');
  await p.locator('#f-kind').selectOption('visit');
  await p.locator('#f-topic').fill('Belegungsrechte');
  const save = p.getByRole('button', { name: 'Kontakt festhalten' });
  await tabTo(p, save);
  await Promise.all([p.waitForURL(/\?ok=kontakt$/), p.keyboard.press('Enter')]);
  expect(await p.getByRole('main').innerText()).toContain('Belegungsrechte');
  await expectNoSeriousAxeViolations(p, '/bestand/partner/:id (Kontakt)');

  // the landlord link, sent and revoked by keyboard
  await tabTo(p, p.getByRole('button', { name: 'Meldelink senden' }));
  await Promise.all([p.waitForURL(/\?ok=gesendet$/), p.keyboard.press('Enter')]);
  await eventually(() => stack.capture.list({ to: 'angebote@bergische.example' }).find((m) => m.text.includes('/vermieter/')));
  await expectNoSeriousAxeViolations(p, '/bestand/partner/:id (Link)');
  await tabTo(p, p.getByRole('button', { name: /^Link an angebote@bergische.example vom .* widerrufen$/ }));
  await Promise.all([p.waitForURL(/\?ok=widerrufen$/), p.keyboard.press('Enter')]);
  expect(await p.getByRole('main').innerText()).toContain('widerrufen');
  expect((await stack.db.offerLink.findFirstOrThrow()).revokedAt).not.toBeNull();
  await expectNoSeriousAxeViolations(p, '/bestand/partner/:id (widerrufen)');

  // „Wohnung erfassen“ from the partner's page
  await Promise.all([
    p.waitForURL('**/bestand/wohnungen/neu?partner=*'),
    p.getByRole('link', { name: 'Wohnung dieses Partners selbst erfassen' }).click(),
  ]);
  await expectNoSeriousAxeViolations(p, '/bestand/wohnungen/neu');
  await p.getByLabel('Stadtteil').fill('Refrath');
  await p.getByLabel('Anschrift (Straße, Hausnummer, Lage)').fill('Dolmanstraße 3');
  await p.getByLabel('Zimmer').fill('3');
  await p.getByLabel('Wohnfläche (m²)').fill('72');
  await p.getByLabel('Kaltmiete (EUR im Monat)').fill('610');
  await p.getByLabel('Nebenkosten ohne Heizung (EUR im Monat)').fill('150');
  await p.getByLabel('Frei ab').fill('2027-02-01');
  await Promise.all([
    p.waitForURL(new RegExp(`/bestand/wohnungen/${UUID}\\?ok=erfasst$`)),
    p.getByRole('button', { name: 'Wohnung erfassen' }).click(),
  ]);
  expect(await p.getByRole('status').innerText()).toContain('Wohnung erfasst');
  await expectNoSeriousAxeViolations(p, '/bestand/wohnungen/:id (erfasst)');
  expect(partnerUrl).toContain('/bestand/partner/');
}, 240_000);
