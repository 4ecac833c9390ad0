// The pages of courses, group offers and working meetings in a real browser (Debian's Chromium via
// playwright-core) against the full stack (issue 15), axe-core (WCAG 2.0 A/AA, 2.1 AA) on every page
// visited: create a course (a field error first: summary focused, input kept) → the waiting chain
// matched → „Platz vorschlagen“ by keyboard → the chain moved on; create a group offer → session →
// enrolment by case reference → attendance → completion; create a meeting series → a meeting whose
// minutes name a person (refused at the field) → corrected, with a to-do for its owner.
import { chainDriver } from '../support/chain-helpers';
import { startNewChainsOnV1 } from '../support/chain-versions';
import {
  expectNoSeriousAxeViolations,
  focusedId,
  loginInBrowser,
  startStackAndBrowser,
  tabTo,
  UUID,
  type TestBrowser,
} from '../support/browser';
import type { Stack } from '../support/stack';

// the seat proposal completes education/work v1's language-course step
startNewChainsOnV1();

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
it('course → match → seat; group offer → session → enrolment → attendance; meeting series → meeting with minutes and to-do', async () => {
  const cw = await stack.token('fallmanagement@kim.example');
  const d = chainDriver(stack, cw);
  await stack.api('POST', '/api/partners', { token: cw, body: { kind: 'course_provider', name: 'VHS Refrath' } });
  const learnerCase = await d.newCase({ lastName: 'Kursweg' });
  const chain = await stack.api('POST', `/api/cases/${learnerCase.id}/chains`, { token: cw, body: { type: 'education-work' } });
  const processId = chain.body.id as string;
  await d.complete(processId, 'education-history', 'done');
  await d.at(processId, 'language-course');

  const p = b.page;
  await loginInBrowser(p, stack.url, 'fallmanagement@kim.example');
  await Promise.all([
    p.waitForURL('**/bestand'),
    p.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Bestand' }).click(),
  ]);
  await expectNoSeriousAxeViolations(p, '/bestand');

  // --- course ---------------------------------------------------------------------------------
  await Promise.all([p.waitForURL('**/bestand/kurse'), p.getByRole('main').getByRole('link', { name: 'Kurse', exact: true }).click()]);
  await expectNoSeriousAxeViolations(p, '/bestand/kurse');
  await Promise.all([p.waitForURL('**/bestand/kurse/neu'), p.getByRole('link', { name: 'Neuen Kurs anlegen' }).click()]);
  await expectNoSeriousAxeViolations(p, '/bestand/kurse/neu');
  await p.getByLabel('Träger').selectOption({ label: 'VHS Refrath' });
  await p.getByLabel('Art').selectOption({ label: 'Integrationskurs' });
  await p.getByLabel('Niveau').selectOption('B1');
  await p.getByLabel('Titel').fill('Integrationskurs B1 Refrath');
  await p.getByLabel('Beginn').fill('2027-03-01');
  await p.getByLabel('Ende').fill('2027-08-31');
  await p.locator('#f-seats').fill('zwei');
  await p.getByLabel('Ort').fill('VHS Refrath, Raum 3');
  await p.getByRole('button', { name: 'Kurs anlegen' }).click();
  await p.getByText('Plätze: Zahl erwartet').first().waitFor();
  expect(await focusedId(p)).toBe('fehler');
  expect(await p.getByLabel('Titel').inputValue()).toBe('Integrationskurs B1 Refrath');
  await expectNoSeriousAxeViolations(p, '/bestand/kurse/neu (Fehler)');
  expect(await stack.db.course.count()).toBe(0);
  await p.locator('#f-seats').fill('12');
  await Promise.all([
    p.waitForURL(new RegExp(`/bestand/kurse/${UUID}\\?ok=angelegt$`)),
    p.getByRole('button', { name: 'Kurs anlegen' }).click(),
  ]);
  const course = await stack.db.course.findFirstOrThrow();
  expect(await p.getByRole('main').innerText()).toContain('wartet im passenden Schritt');
  await expectNoSeriousAxeViolations(p, '/bestand/kurse/:id');
  // the seat proposal, by keyboard
  const propose = p.getByRole('button', { name: `Platz im Kurs ${course.reference} für ${learnerCase.reference} vorschlagen` });
  await tabTo(p, propose);
  await Promise.all([p.waitForURL(/\?ok=vorgeschlagen$/), p.keyboard.press('Enter')]);
  expect(await p.getByRole('status').innerText()).toContain('Platz vorgeschlagen');
  await expectNoSeriousAxeViolations(p, '/bestand/kurse/:id (vorgeschlagen)');
  await d.at(processId, 'counselling');
  await Promise.all([p.waitForURL(/bearbeiten$/), p.getByRole('link', { name: 'Kurs bearbeiten' }).click()]);
  await expectNoSeriousAxeViolations(p, '/bestand/kurse/:id/bearbeiten');

  // --- group offer ----------------------------------------------------------------------------
  const member = await d.newCase({ firstName: 'Gruppe', lastName: 'Browser' });
  await p.goto(`${stack.url}/bestand/gruppen`);
  await expectNoSeriousAxeViolations(p, '/bestand/gruppen');
  await Promise.all([p.waitForURL('**/bestand/gruppen/neu'), p.getByRole('link', { name: 'Neues Gruppenangebot anlegen' }).click()]);
  await expectNoSeriousAxeViolations(p, '/bestand/gruppen/neu');
  await p.getByLabel('Art').selectOption({ label: 'Wohnführerschein' });
  await p.getByLabel('Titel').fill('Wohnführerschein Frühjahr');
  await p.getByLabel('Ort').fill('Stadthaus');
  await Promise.all([p.waitForURL(/\?ok=angelegt$/), p.getByRole('button', { name: 'Gruppenangebot anlegen' }).click()]);
  await expectNoSeriousAxeViolations(p, '/bestand/gruppen/:id');
  await p.getByLabel('Neuer Termin (Datum und Uhrzeit)').fill('2027-04-13T17:00');
  await Promise.all([p.waitForURL(/\?ok=termin$/), p.getByRole('button', { name: 'Termin anlegen' }).click()]);
  await p.getByLabel('Person anmelden: Aktenzeichen des Falls').fill(member.reference);
  await Promise.all([p.waitForURL(/\?ok=angemeldet$/), p.getByRole('button', { name: 'Anmelden' }).click()]);
  await expectNoSeriousAxeViolations(p, '/bestand/gruppen/:id (angemeldet)');
  await p.getByLabel(`${member.reference} anwesend`).check();
  await Promise.all([p.waitForURL(/\?ok=anwesenheit$/), p.getByRole('button', { name: /^Anwesenheit am .* speichern$/ }).click()]);
  await Promise.all([
    p.waitForURL(/\?ok=abgeschlossen$/),
    p.getByRole('button', { name: `Teilnahme von ${member.reference} abschließen` }).click(),
  ]);
  expect(await p.getByRole('main').innerText()).toContain('abgeschlossen am');
  await expectNoSeriousAxeViolations(p, '/bestand/gruppen/:id (abgeschlossen)');
  expect((await stack.db.groupEnrolment.findFirstOrThrow()).completedAt).not.toBeNull();

  // --- working meeting ------------------------------------------------------------------------
  await p.goto(`${stack.url}/bestand/treffen`);
  await expectNoSeriousAxeViolations(p, '/bestand/treffen');
  await Promise.all([p.waitForURL('**/bestand/treffen/neu'), p.getByRole('link', { name: 'Neue Besprechungsreihe anlegen' }).click()]);
  await expectNoSeriousAxeViolations(p, '/bestand/treffen/neu');
  await p.getByLabel('Art').selectOption({ label: 'Arbeitstreffen des KI' });
  await p.getByLabel('Titel').fill('Arbeitstreffen Wohnen und Bildung');
  await Promise.all([p.waitForURL(/\?ok=angelegt$/), p.getByRole('button', { name: 'Besprechungsreihe anlegen' }).click()]);
  await expectNoSeriousAxeViolations(p, '/bestand/treffen/:id');
  await Promise.all([p.waitForURL(/\/neu$/), p.getByRole('link', { name: 'Neues Treffen festhalten' }).click()]);
  await expectNoSeriousAxeViolations(p, '/bestand/treffen/:id/neu');
  await p.getByLabel('Termin (Datum und Uhrzeit)').fill('2027-05-04T10:00');
  await p.getByLabel('Teilnehmende').fill('Fallmanagement\nSchulamt');
  await p.getByLabel('Tagesordnung').fill('Kursplätze\nWohnführerschein');
  await p.getByLabel('Protokoll').fill(`Herr Kursweg hat einen Kursplatz (${learnerCase.reference}).`);
  await p.getByLabel('Aufgabe 1: was').fill('Träger zur Warteliste anfragen');
  await p.getByLabel('Aufgabe 1: verantwortlich').selectOption({ label: 'Fallmanagement KIM' });
  await p.getByLabel('Aufgabe 1: fällig am').fill('2027-05-11');
  await p.getByRole('button', { name: 'Treffen festhalten' }).click();
  await p.locator('#f-minutes-error').waitFor();
  expect(await p.locator('#f-minutes-error').innerText()).toContain('nennt eine Person beim Namen');
  expect(await focusedId(p)).toBe('fehler');
  expect(await p.getByLabel('Aufgabe 1: was').inputValue()).toBe('Träger zur Warteliste anfragen');
  await expectNoSeriousAxeViolations(p, '/bestand/treffen/:id/neu (Fehler)');
  expect(await stack.db.meeting.count()).toBe(0);
  // the summary's link leads to the field
  await p.getByRole('link', { name: /nennt eine Person beim Namen/ }).click();
  await p.getByLabel('Protokoll').fill(`Der Fall ${learnerCase.reference} hat einen Kursplatz.`);
  await Promise.all([p.waitForURL(/\?ok=treffen$/), p.getByRole('button', { name: 'Treffen festhalten' }).click()]);
  const main = await p.getByRole('main').innerText();
  expect(main).toContain('Träger zur Warteliste anfragen');
  expect(main).toContain('Fallmanagement KIM');
  await expectNoSeriousAxeViolations(p, '/bestand/treffen/:id (Treffen)');
  expect(await stack.db.meetingTodo.count()).toBe(1);
  // no script errors, nothing blocked; the two forms answered with a field error have status 400 on purpose
  expect(b.problems.filter((x) => !x.includes('status of 400'))).toEqual([]);
}, 240_000);
