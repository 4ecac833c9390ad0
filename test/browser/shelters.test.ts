// Shelters in a real browser (issue 13): the supervisor creates and edits shelters on /unterkuenfte
// (German messages at the field, input kept, never fewer places than occupied), the caseworker picks
// a shelter with a free place on the person page; axe finds no serious violations on any of them.
import { expectNoSeriousAxeViolations, loginInBrowser, startStackAndBrowser, type TestBrowser } from '../support/browser';
import { FormClient, hidden } from '../support/form-client';
import type { Stack } from '../support/stack';

let stack: Stack;
let b: TestBrowser;
let personId: string;

beforeAll(async () => {
  ({ stack, browser: b } = await startStackAndBrowser());
  const caseworker = await stack.token('fallmanagement@kim.example');
  const p = await stack.api('POST', '/api/persons', { token: caseworker, body: { firstName: 'Samira', lastName: 'Nasser' } });
  personId = p.body.id;
  await stack.api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'housing' } });
}, 60_000);
afterAll(async () => {
  await b?.close();
  await stack?.stop();
});

it('the supervisor creates and edits shelters; the caseworker gives the person a free place', async () => {
  const p = b.page;
  await loginInBrowser(p, stack.url, 'leitung@kim.example');
  await p.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Unterkünfte' }).click();
  await p.waitForURL(`${stack.url}/unterkuenfte`);
  expect(await p.locator('h1').innerText()).toBe('Notunterkünfte verwalten');
  await expectNoSeriousAxeViolations(p, '/unterkuenfte');

  // bad input: the message at the field, the name kept, nothing stored
  const form = p.locator('form[action="/unterkuenfte"]');
  await form.getByLabel('Name').fill('NU Nord');
  await form.getByLabel('Plätze').fill('0');
  await Promise.all([p.waitForLoadState('load'), form.getByRole('button', { name: 'Anlegen' }).click()]);
  expect(await p.locator('#f-capacity-error').innerText()).toBe('Plätze: mindestens 1');
  expect(await p.getByLabel('Name').inputValue()).toBe('NU Nord');
  expect(await p.title()).toMatch(/^Fehler: /);
  await expectNoSeriousAxeViolations(p, '/unterkuenfte (Fehler)');
  expect(await stack.db.shelter.count()).toBe(0);

  await p.getByLabel('Plätze').fill('2');
  await Promise.all([p.waitForURL(`${stack.url}/unterkuenfte?ok=angelegt`), p.getByRole('button', { name: 'Anlegen' }).click()]);
  expect(
    await p
      .getByRole('row', { name: /NU Nord/ })
      .locator('td')
      .allInnerTexts(),
  ).toEqual(['–', '2', '0', '2', 'NU Nord bearbeiten']);

  // edit: more places and an address
  await p.getByRole('link', { name: 'NU Nord bearbeiten' }).click();
  await p.waitForURL(new RegExp(`${stack.url}/unterkuenfte/[0-9a-f-]{36}$`));
  await expectNoSeriousAxeViolations(p, '/unterkuenfte/:id');
  await p.getByLabel('Adresse (optional)').fill('Nordstraße 1');
  await p.getByLabel('Plätze').fill('3');
  await Promise.all([
    p.waitForURL(`${stack.url}/unterkuenfte?ok=gespeichert`),
    p.getByRole('button', { name: 'Änderungen speichern' }).click(),
  ]);
  expect(
    await p
      .getByRole('row', { name: /NU Nord/ })
      .locator('td')
      .allInnerTexts(),
  ).toEqual(['Nordstraße 1', '3', '0', '3', 'NU Nord bearbeiten']);

  // the caseworker: the picker offers shelters with a free place
  await p.getByRole('button', { name: 'Abmelden' }).click();
  await loginInBrowser(p, stack.url, 'fallmanagement@kim.example');
  await p.goto(`${stack.url}/personen/${personId}`);
  const section = p.getByRole('region', { name: 'Notunterkunft' });
  expect(await section.getByText('Kein Platz in einer Notunterkunft erfasst.').count()).toBe(1);
  await expectNoSeriousAxeViolations(p, '/personen/:id (Unterkunft)');
  // nothing chosen: the message at the select
  await Promise.all([p.waitForLoadState('load'), section.getByRole('button', { name: 'Platz speichern' }).click()]);
  expect(await p.locator('#f-shelterId-error').innerText()).toBe('Unterkunft fehlt oder ist ungültig');
  await expectNoSeriousAxeViolations(p, '/personen/:id (Unterkunft, Fehler)');
  await section.getByLabel('Unterkunft').selectOption({ label: 'NU Nord (3 Plätze frei)' });
  await section.getByLabel('Platz (Zimmer/Bett, optional)').fill('Zimmer 4');
  await Promise.all([
    p.waitForURL(`${stack.url}/personen/${personId}?ok=unterkunft#h-unterkunft`),
    section.getByRole('button', { name: 'Platz speichern' }).click(),
  ]);
  expect(await section.locator('p').first().innerText()).toMatch(/^Platz in NU Nord \(Zimmer 4\) seit \d\d\.\d\d\.\d{4}\.$/);
  expect(await stack.db.shelterStay.count({ where: { personId, releasedAt: null } })).toBe(1);
});

it('a double submit creates one shelter; fewer places than occupied is refused at the field and by the API', async () => {
  const f = new FormClient(stack.url);
  await f.login('leitung@kim.example');
  const page = await f.get('/unterkuenfte');
  const form = { _csrf: hidden(page.text, '_csrf'), _key: hidden(page.text, '_key'), name: 'NU Süd', address: '', capacity: '1' };
  const [r1, r2] = await Promise.all([f.post('/unterkuenfte', form), f.post('/unterkuenfte', form)]);
  expect([r1.status, r2.status]).toEqual([303, 303]);
  expect(await stack.db.shelter.count({ where: { name: 'NU Süd' } })).toBe(1);
  const shelter = await stack.db.shelter.findFirstOrThrow({ where: { name: 'NU Süd' } });

  const caseworker = await stack.token('fallmanagement@kim.example');
  const supervisor = await stack.token('leitung@kim.example');
  expect(
    (await stack.api('PUT', `/api/persons/${personId}/shelter-place`, { token: caseworker, body: { shelterId: shelter.id } })).status,
  ).toBe(200);
  // the full shelter is not offered on the person page any more
  const cw = new FormClient(stack.url);
  await cw.login('fallmanagement@kim.example');
  const other = await stack.api('POST', '/api/persons', { token: caseworker, body: { firstName: 'Karim', lastName: 'Nasser' } });
  await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: other.body.id, topic: 'housing' } });
  expect((await cw.get(`/personen/${other.body.id}`)).text).not.toContain('NU Süd');

  const edit = await f.get(`/unterkuenfte/${shelter.id}`);
  const shrink = await f.post(`/unterkuenfte/${shelter.id}`, {
    _csrf: hidden(edit.text, '_csrf'),
    _key: hidden(edit.text, '_key'),
    name: 'NU Süd',
    address: '',
    capacity: '0',
  });
  expect(shrink.status).toBe(400);
  expect(shrink.text).toContain('Plätze: mindestens 1');
  const api = await stack.api('PUT', `/api/shelters/${shelter.id}`, { token: supervisor, body: { name: 'NU Süd', capacity: 1 } });
  expect(api.status).toBe(200);
  expect(api.body).toMatchObject({ capacity: 1, occupied: 1, free: 0 });
  const taken = await stack.api('PUT', `/api/shelters/${shelter.id}`, { token: supervisor, body: { name: 'NU Nord', capacity: 1 } });
  expect(taken.status).toBe(409);
  expect(taken.body.error.message).toBe('Eine Unterkunft „NU Nord“ gibt es schon.');
  await stack.api('PUT', `/api/shelters/${shelter.id}`, { token: supervisor, body: { name: 'NU Süd', capacity: 1 } });
  // grow by form, then shrinking below the occupied place is refused at the field
  await stack.api('PUT', `/api/shelters/${shelter.id}`, { token: supervisor, body: { name: 'NU Süd', capacity: 5 } });
  await stack.api('PUT', `/api/persons/${other.body.id}/shelter-place`, { token: caseworker, body: { shelterId: shelter.id } });
  const again = await f.get(`/unterkuenfte/${shelter.id}`);
  const refused = await f.post(`/unterkuenfte/${shelter.id}`, {
    _csrf: hidden(again.text, '_csrf'),
    _key: hidden(again.text, '_key'),
    name: 'NU Süd',
    address: '',
    capacity: '1',
  });
  expect(refused.status).toBe(409);
  expect(refused.text).toContain(
    'id="f-capacity-error">Es sind 2 Plätze belegt: die Unterkunft kann nicht auf 1 Plätze verkleinert werden.',
  );
  expect((await stack.db.shelter.findUniqueOrThrow({ where: { id: shelter.id } })).capacity).toBe(5);
  // caseworkers and admins: admins manage shelters, caseworkers do not
  expect((await cw.get('/unterkuenfte')).status).toBe(403);
  const admin = new FormClient(stack.url);
  await admin.login('admin@kim.example');
  expect((await admin.get('/unterkuenfte')).status).toBe(200);
});
