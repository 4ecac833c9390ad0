// Report → match → propose in a real browser (Debian's Chromium via playwright-core) against the full
// stack (issue 15): a landlord reports a flat through the signed link form, the caseworker opens the
// flat's matching page, proposes it to a waiting household, and that household's move-out chain moves
// on to the viewing step — axe-core (WCAG 2.0 A/AA, 2.1 AA) on every page on the way.
import { chainDriver } from '../support/chain-helpers';
import { expectNoSeriousAxeViolations, loginInBrowser, startStackAndBrowser, type TestBrowser } from '../support/browser';
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

it('a landlord reports a flat, the caseworker proposes it to a waiting household, the chain moves on', async () => {
  const cw = await stack.token('fallmanagement@kim.example');
  const d = chainDriver(stack, cw);
  // a household waiting at the offer step
  const c = await d.newCase({ householdSize: 2, benefitType: 'none' });
  const start = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: cw, body: { type: 'move-out' } });
  const processId = start.body.id as string;
  await d.complete(processId, 'readiness', 'ready');
  await d.departmentActs(processId, 'residence-check', 'complete', { outcome: 'clear' });
  await d.departmentActs(processId, 'wbs', 'complete', { outcome: 'issued' });
  await d.complete(processId, 'search-profile', 'done', { rooms: 2, rentCap: 900 });
  await d.at(processId, 'offer');
  const partner = await stack.api('POST', '/api/partners', {
    token: cw,
    body: { kind: 'housing_company', name: 'Rheinisch-Bergische Wohnbau', email: 'angebote@rbw.example' },
  });
  const link = await stack.api('POST', `/api/partners/${partner.body.id}/offer-links`, { token: cw, body: {} });
  expect(link.status).toBe(201);

  // the landlord: the signed link form, a field error first, then the flat
  const p = b.page;
  await p.goto(link.body.url);
  await expectNoSeriousAxeViolations(p, '/vermieter/:token');
  await p.getByLabel('Stadtteil').fill('Refrath');
  await p.getByLabel('Anschrift (Straße, Hausnummer, Lage)').fill('Dolmanstraße 12, EG rechts');
  await p.getByLabel('Zimmer').fill('zwei');
  await p.getByLabel('Wohnfläche (m²)').fill('58');
  await p.getByLabel('Kaltmiete (EUR im Monat)').fill('450');
  await p.getByLabel('Nebenkosten ohne Heizung (EUR im Monat)').fill('120');
  await p.getByLabel('Frei ab').fill('2027-03-01');
  await p.getByRole('button', { name: 'Wohnung melden' }).click();
  await p.getByText('Zimmer: Zahl erwartet').first().waitFor();
  await expectNoSeriousAxeViolations(p, '/vermieter/:token (Fehler)');
  expect(await p.getByLabel('Anschrift (Straße, Hausnummer, Lage)').inputValue()).toBe('Dolmanstraße 12, EG rechts');
  await p.getByLabel('Zimmer').fill('2');
  await p.getByRole('button', { name: 'Wohnung melden' }).click();
  const reference = /W-\d{4}-[0-9A-F]{6}/.exec(await p.locator('main').innerText())?.[0];
  expect(reference).toBeDefined();
  await expectNoSeriousAxeViolations(p, '/vermieter/:token (gemeldet)');
  const offer = await stack.db.housingOffer.findUniqueOrThrow({ where: { reference: reference! } });

  // the caseworker: the offers, the flat's matching page, the proposal
  await p.context().clearCookies();
  await loginInBrowser(p, stack.url, 'fallmanagement@kim.example');
  await p.goto(stack.url + '/bestand/wohnungen');
  await expectNoSeriousAxeViolations(p, '/bestand/wohnungen');
  await p.getByRole('link', { name: reference! }).click();
  await p.waitForURL(`**/bestand/wohnungen/${offer.id}`);
  await expectNoSeriousAxeViolations(p, '/bestand/wohnungen/:id');
  const propose = p.getByRole('button', { name: `Wohnung ${reference} dem Haushalt ${c.reference} vorschlagen` });
  await Promise.all([p.waitForURL(/\?ok=vorgeschlagen$/), propose.click()]);
  expect(await p.getByRole('status').innerText()).toContain('Wohnung vorgeschlagen');
  await expectNoSeriousAxeViolations(p, '/bestand/wohnungen/:id (vorgeschlagen)');

  // the chain moved on: the offer step completed with the flat, the viewing is due
  await d.at(processId, 'viewing');
  expect(await stack.db.housingOffer.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({ status: 'proposed', processId });
  await p.goto(`${stack.url}/prozesse/${processId}`);
  await eventually(async () => (await p.locator('main').innerText()).includes('Besichtigung'));
  await expectNoSeriousAxeViolations(p, '/prozesse/:id (Besichtigung)');
});
