// A caseworker's first case in a real browser (Debian's Chromium via playwright-core) against the full
// stack: keyboard login, a person form with a validation error, the new case, the case detail with a
// follow-up, the case list — and axe-core (WCAG 2.0 A/AA, 2.1 AA) on every page on the way.
// The tests run in order and share one browser and one stack (one journey, ~10 s).
import { berlinLocalToIso, formatDateTime } from '../../core/format/dates';
import {
  expectNoSeriousAxeViolations as expectAxeClean,
  startStackAndBrowser,
  type TestBrowser,
  SCREENSHOT_DIR,
  UUID,
} from '../support/browser';
import { DEMO_PASSWORD, type Stack } from '../support/stack';

const CASEWORKER = 'fallmanagement@kim.example';
const SHOTS = SCREENSHOT_DIR;

let stack: Stack;
let b: TestBrowser;
let personId: string;
let caseId: string;
let reference: string;

beforeAll(async () => {
  ({ stack, browser: b } = await startStackAndBrowser());
});
afterAll(async () => {
  await b?.close();
  await stack?.stop();
});

const page = () => b.page;
const url = (path: string) => stack.url + path;
const active = () =>
  page().evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    return { id: e?.id ?? '', tag: e?.tagName.toLowerCase() ?? '', cls: e?.className ?? '', text: (e?.textContent ?? '').trim() };
  });
const text = (selector: string) => page().locator(selector).innerText();

/** "YYYY-MM-DDTHH:mm" in Europe/Berlin — what a datetime-local input holds. */
function berlinLocal(d: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

const expectNoSeriousAxeViolations = (label: string) => expectAxeClean(page(), label);

it('login page: the skip link comes first, login works with the keyboard only, no serious axe violations', async () => {
  const p = page();
  await p.goto(url('/faelle'));
  expect(new URL(p.url()).pathname).toBe('/login');
  await expect(p.title()).resolves.toBe('Anmelden – KIM Flow');
  await expectNoSeriousAxeViolations('/login');

  await p.keyboard.press('Tab');
  expect(await active()).toMatchObject({ tag: 'a', cls: 'skip', text: 'Zum Inhalt springen' });
  const box = await p.locator('a.skip').boundingBox();
  expect(box && box.x >= 0 && box.y >= 0).toBe(true); // visible while focused

  await p.keyboard.press('Enter');
  expect((await active()).id).toBe('inhalt');
  await p.keyboard.press('Tab');
  expect((await active()).id).toBe('f-email');
  await p.keyboard.type(CASEWORKER);
  await p.keyboard.press('Tab');
  expect((await active()).id).toBe('f-password');
  await p.keyboard.type(DEMO_PASSWORD);
  await Promise.all([p.waitForURL(url('/faelle')), p.keyboard.press('Enter')]);
  expect(await text('h1')).toBe('Fälle');
  expect(await text('header')).toContain('(Fallmanagement)');
});

it('person form: an empty Nachname comes back with a German error summary that has the focus; nothing is written', async () => {
  const p = page();
  await Promise.all([p.waitForURL(url('/faelle/neu')), p.getByRole('link', { name: 'Neuen Fall anlegen' }).click()]);
  await Promise.all([p.waitForURL(url('/personen/neu')), p.getByRole('link', { name: 'Neue Person anlegen' }).click()]);
  expect(await text('h1')).toBe('Neue Person');

  await p.getByLabel('Vorname').fill('Amina');
  await p.getByLabel('Leistungsart').selectOption({ label: 'SGB II (Jobcenter)' });
  const posted = p.waitForResponse((r) => r.url() === url('/personen/neu') && r.request().method() === 'POST');
  await p.getByRole('button', { name: 'Person anlegen' }).click();
  expect((await posted).status()).toBe(400);
  await p.locator('#fehler').waitFor();
  await p.waitForFunction(() => document.activeElement?.id === 'fehler');

  expect(await p.title()).toBe('Fehler: Neue Person – KIM Flow');
  expect(await text('#fehler')).toMatch(/Bitte korrigieren Sie die folgende Angabe:\s+Nachname fehlt/);
  expect(await text('#f-lastName-error')).toBe('Nachname fehlt');
  const lastName = p.locator('#f-lastName');
  expect(await lastName.getAttribute('aria-invalid')).toBe('true');
  expect((await lastName.getAttribute('aria-describedby'))?.split(' ')).toContain('f-lastName-error');
  expect(await p.locator('#f-firstName').inputValue()).toBe('Amina'); // kept
  expect(await p.locator('#f-benefitType').inputValue()).toBe('sgb2'); // kept
  expect(await stack.db.person.count()).toBe(0);
  // Chromium logs the intended 400 as a console error; nothing else may be there.
  expect(b.problems).toEqual([expect.stringMatching(/status of 400 \(Bad Request\)/)]);
  b.problems.length = 0;

  await expectNoSeriousAxeViolations('/personen/neu (mit Fehlern)');
  await p.screenshot({ path: `${SHOTS}/kim-person-form-errors.png`, fullPage: true });

  // Keyboard: from the summary to the field, fix it, submit with Enter.
  await p.keyboard.press('Tab');
  expect(await active()).toMatchObject({ tag: 'a', text: 'Nachname fehlt' });
  await p.keyboard.press('Enter');
  expect((await active()).id).toBe('f-lastName');
  await p.keyboard.type('Yilmaz');
  await Promise.all([p.waitForURL(new RegExp(`/faelle/neu\\?personId=${UUID}$`)), p.keyboard.press('Enter')]);
});

it('new case form: the new person is preselected; the case opens with its reference and status "offen"', async () => {
  const p = page();
  const person = await stack.db.person.findFirstOrThrow();
  personId = person.id;
  expect(person).toMatchObject({ firstName: 'Amina', lastName: 'Yilmaz', benefitType: 'sgb2' });
  expect(await stack.db.person.count()).toBe(1);
  expect(new URL(p.url()).searchParams.get('personId')).toBe(personId);
  expect(await text('h1')).toBe('Neuer Fall');
  expect(await p.getByLabel('Person').inputValue()).toBe(personId);
  expect(await p.locator('#f-personId option:checked').innerText()).toBe('Yilmaz, Amina');
  await expectNoSeriousAxeViolations('/faelle/neu');

  await p.getByLabel('Thema').selectOption({ label: 'Wohnen' });
  await Promise.all([p.waitForURL(new RegExp(`/faelle/${UUID}$`)), p.getByRole('button', { name: 'Fall anlegen' }).click()]);
  caseId = p.url().split('/').pop()!;
  const c = await stack.db.case.findUniqueOrThrow({ where: { id: caseId } });
  reference = c.reference;
  expect(reference).toMatch(new RegExp(`^KIM-${new Date().getFullYear()}-\\d{4}$`));
  expect(c).toMatchObject({ personId, topic: 'housing' });
  expect(await text('h1')).toBe(`Fall ${reference}`);
  expect(await text('dl.facts')).toMatch(/Person\s+Yilmaz, Amina/);
  expect(await text('[data-live-status]')).toBe('offen');
  expect(await text('dl.facts')).toMatch(/Thema\s+Wohnen/);
  await expectNoSeriousAxeViolations('/faelle/:id');
});

it('case detail: sets a follow-up (datetime-local, ~2 minutes ahead) and lists it', async () => {
  const p = page();
  const local = berlinLocal(new Date(Date.now() + 2 * 60_000));
  const dueAt = new Date(berlinLocalToIso(local)!);
  await p.getByLabel('Wiedervorlage am').fill(local);
  await p.getByLabel('Notiz (optional)').fill('Unterlagen nachfragen');
  await Promise.all([p.waitForURL(url(`/faelle/${caseId}?ok=wv`)), p.getByRole('button', { name: 'Wiedervorlage speichern' }).click()]);

  expect(await text('p.notice.ok')).toBe('Wiedervorlage gespeichert.');
  expect(await text('dl.facts')).toContain(`Wiedervorlage\n${formatDateTime(dueAt)}`);
  const items = await p.locator('section[aria-labelledby="h-wvl"] li').allInnerTexts();
  expect(items).toEqual([`${formatDateTime(dueAt)} – Unterlagen nachfragen: offen`]);
  const f = await stack.db.followUp.findFirstOrThrow({ where: { caseId } });
  expect(f.dueAt.toISOString()).toBe(dueAt.toISOString());
  await expectNoSeriousAxeViolations('/faelle/:id (mit Wiedervorlage)');
  await p.screenshot({ path: `${SHOTS}/kim-case-detail.png`, fullPage: true });
});

it('case list: shows the new case; the reference links to its page', async () => {
  const p = page();
  await Promise.all([
    p.waitForURL(url('/faelle')),
    p.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Fälle', exact: true }).click(),
  ]);
  const row = p.locator('tbody tr', { has: p.getByRole('link', { name: reference }) });
  expect(await row.locator('td').allInnerTexts()).toEqual([
    reference,
    'Yilmaz, Amina',
    'Wohnen',
    'offen',
    expect.any(String),
    expect.stringMatching(/^\d{2}\.\d{2}\.\d{4}$/),
  ]);
  expect(await text('caption')).toBe('1 Fall, neueste zuerst');
  await expectNoSeriousAxeViolations('/faelle');
  await p.screenshot({ path: `${SHOTS}/kim-case-list.png`, fullPage: true });
  await Promise.all([p.waitForURL(url(`/faelle/${caseId}`)), row.getByRole('link', { name: reference }).click()]);
});

it('saw no console errors, page errors or failed requests (e.g. blocked by the CSP)', () => {
  expect(b.problems).toEqual([]);
});
