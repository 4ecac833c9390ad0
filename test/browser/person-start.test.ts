// The caseworker's start page and the person edit form in a real browser (Debian's Chromium) with
// axe-core on every page: start page → person form with an error (message at the field, focus on the
// summary, input kept) → saved → household member added → the case page shows the household.
import { expectNoSeriousAxeViolations, loginInBrowser, startStackAndBrowser, type TestBrowser } from '../support/browser';
import type { Stack } from '../support/stack';

let stack: Stack;
let b: TestBrowser;

beforeAll(async () => {
  ({ stack, browser: b } = await startStackAndBrowser());
});
afterAll(async () => {
  await b?.close();
  await stack?.stop();
});

it('start page, person edit form with an error, household; axe clean on every page', async () => {
  const token = await stack.token('fallmanagement@kim.example');
  const p = await stack.api('POST', '/api/persons', { token, body: { firstName: 'Nadia', lastName: 'Browser', benefitType: 'asylblg' } });
  const c = await stack.api('POST', '/api/cases', { token, body: { personId: p.body.id, topic: 'housing' } });
  await stack.api('POST', `/api/cases/${c.body.id}/follow-ups`, {
    token,
    body: { dueAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  const page = b.page;

  await loginInBrowser(page, stack.url, 'fallmanagement@kim.example');
  await page.goto(stack.url + '/');
  await page.getByRole('heading', { name: 'Als Nächstes fällig' }).waitFor();
  expect(await page.locator('main').innerText()).toContain(c.body.reference);
  await expectNoSeriousAxeViolations(page, 'Startseite');

  await page.goto(`${stack.url}/personen/${p.body.id}`);
  await page.getByLabel('Gesprochene Sprachen').fill('arabisch');
  await page.getByLabel('Sprache für Briefe').fill('ar');
  await page.getByRole('button', { name: 'Änderungen speichern' }).click();
  await page.locator('.error-summary').waitFor();
  expect(await page.locator('#f-languages-error').innerText()).toContain('ISO-639-1');
  expect(await page.getByLabel('Gesprochene Sprachen').inputValue()).toBe('arabisch');
  expect(await page.getByLabel('Sprache für Briefe').inputValue()).toBe('ar');
  await expectNoSeriousAxeViolations(page, 'Person bearbeiten mit Fehler');

  await page.getByLabel('Gesprochene Sprachen').fill('ar, fr');
  await page.getByLabel('Dolmetschung nötig').check();
  await page.getByRole('button', { name: 'Änderungen speichern' }).click();
  await page.getByText('Änderungen gespeichert.').waitFor();
  await expectNoSeriousAxeViolations(page, 'Person gespeichert');

  await page.locator('#f-memberFirstName').fill('Sami');
  await page.locator('#f-memberBirthDate').fill('2019-03-04');
  await page.locator('#f-relationship').selectOption('child');
  await page.getByRole('button', { name: 'Hinzufügen' }).click();
  await page.getByText('Haushalt gespeichert.').waitFor();
  expect(await page.locator('#h-haushalt').innerText()).toContain('2 Personen');

  await page.goto(`${stack.url}/faelle/${c.body.id}`);
  expect(await page.locator('main').innerText()).toContain('Sami Browser – Kind');
  await expectNoSeriousAxeViolations(page, 'Fall mit Haushalt');
  const saved = await stack.db.person.findUniqueOrThrow({ where: { id: p.body.id } });
  expect(saved).toMatchObject({ languages: ['ar', 'fr'], letterLanguage: 'ar', interpreterNeeded: true, version: 2 });
});
