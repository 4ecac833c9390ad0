// A caseworker's first move-out chain in a real browser (Debian's Chromium via playwright-core)
// against the full stack: person and case through the forms, the chain started from the case page,
// the first step completed on the process page (diagram, form, history), the next step waiting for a
// consent that is then recorded on the case page, the admin's deadline page,
// and axe-core (WCAG 2.0 A/AA, 2.1 AA) on the case page, the process page and the deadline page. Screenshots go to KIM_SCREENSHOT_DIR (default /tmp).
// The tests run in order and share one browser and one stack.
import {
  expectNoSeriousAxeViolations as expectAxeClean,
  startStackAndBrowser,
  type TestBrowser,
  loginInBrowser,
  SCREENSHOT_DIR,
  UUID,
} from '../support/browser';
import type { Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

const CASEWORKER = 'fallmanagement@kim.example';
const SHOTS = SCREENSHOT_DIR;

let stack: Stack;
let b: TestBrowser;
let caseId: string;
let processId: string;

beforeAll(async () => {
  ({ stack, browser: b } = await startStackAndBrowser());
});
afterAll(async () => {
  await b?.close();
  await stack?.stop();
});

const page = () => b.page;
const url = (path: string) => stack.url + path;
const currentBox = () => page().locator('svg.chain-diagram g.cd-current');

const expectNoSeriousAxeViolations = (label: string) => expectAxeClean(page(), label);

it('logs in and creates a person and a housing case through the forms', async () => {
  const p = page();
  await loginInBrowser(p, stack.url, CASEWORKER);
  const nav = p.getByRole('navigation', { name: 'Hauptnavigation' });
  expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Fälle', 'Neuer Fall', 'Aufgaben', 'Bestand', 'Dev-Postfach']);

  await p.goto(url('/personen/neu'));
  await p.getByLabel('Vorname').fill('Samir');
  await p.getByLabel('Nachname').fill('Haddad');
  await p.getByLabel('Leistungsart').selectOption({ label: 'SGB II (Jobcenter)' });
  await Promise.all([
    p.waitForURL(new RegExp(`/faelle/neu\\?personId=${UUID}$`)),
    p.getByRole('button', { name: 'Person anlegen' }).click(),
  ]);
  await p.getByLabel('Thema').selectOption({ label: 'Wohnen' });
  await Promise.all([p.waitForURL(new RegExp(`/faelle/${UUID}$`)), p.getByRole('button', { name: 'Fall anlegen' }).click()]);
  caseId = p.url().split('/').pop()!;
  expect(await p.locator('#h-ketten').innerText()).toBe('Ketten');
  expect(await p.locator('section[aria-labelledby="h-ketten"]').innerText()).toContain('Für diesen Fall läuft noch keine Kette.');
  await expectNoSeriousAxeViolations('/faelle/:id (ohne Kette)');
});

it('starts a move-out chain from the case page; the process page highlights „Wohnfähigkeit einschätzen“ in the diagram', async () => {
  const p = page();
  await p.getByLabel('Art der Kette').selectOption({ label: 'Auszug aus der Notunterkunft' });
  await Promise.all([p.waitForURL(new RegExp(`/prozesse/${UUID}$`)), p.getByRole('button', { name: 'Kette starten' }).click()]);
  processId = p.url().split('/').pop()!;
  expect(await p.locator('h1').innerText()).toMatch(/^Auszug aus der Notunterkunft – KIM-\d{4}-\d{4}$/);

  // the start waits until the workflow has recorded its first step: the page shows it at once
  expect(await p.locator('section[aria-labelledby="h-verlauf"] tbody tr td:nth-child(3)').allInnerTexts()).toEqual([
    'Kette gestartet',
    'Schritt begonnen',
  ]);
  const svg = p.getByRole('img', { name: 'Ablauf der Kette: Auszug aus der Notunterkunft' });
  expect(await svg.count()).toBe(1);
  expect(await currentBox().locator('text').allTextContents()).toEqual([
    '1. Wohnfähigkeit einschätzen',
    expect.stringMatching(/^▶ aktuell bei Fallmanagement · fällig bis \d\d\.\d\d\.\d{4}$/),
  ]);
  expect(await currentBox().locator('rect').getAttribute('stroke-width')).toBe('4');
  expect(await p.locator('svg.chain-diagram g.cd-upcoming').count()).toBe(17);
  // the current box is visibly highlighted (the stylesheet's colours apply inside the SVG)
  const colours = await currentBox()
    .locator('rect')
    .evaluate((r) => {
      const s = getComputedStyle(r);
      return [s.fill, s.stroke];
    });
  expect(colours).toEqual(['rgb(255, 244, 204)', 'rgb(11, 79, 138)']);
  // the text alternative below the SVG
  expect(await p.locator('ol.visually-hidden li[aria-current="step"]').innerText()).toMatch(
    /^Wohnfähigkeit einschätzen: aktuell bei Fallmanagement/,
  );
  expect(await p.locator('section[aria-labelledby="h-aktuell"] dl').innerText()).toMatch(/Schritt\s+Wohnfähigkeit einschätzen/);

  await expectNoSeriousAxeViolations('/prozesse/:id (erster Schritt)');
  await p.screenshot({ path: `${SHOTS}/kim-chain-start.png`, fullPage: true });
});

it('the step form: without an outcome it comes back with a German error that has the focus; with „wohnfähig“ the chain moves on to the Ausländerbehörde', async () => {
  const p = page();
  await p.getByLabel('Einschätzung').fill('Haushaltsführung sicher, Mietzahlungen zuverlässig.');
  const posted = p.waitForResponse((r) => r.url() === url(`/prozesse/${processId}/schritte/readiness`) && r.request().method() === 'POST');
  await p.getByRole('button', { name: 'Ergebnis speichern' }).click();
  expect((await posted).status()).toBe(400);
  await p.waitForFunction(() => document.activeElement?.id === 'fehler');
  expect(await p.locator('#fehler').innerText()).toContain('Ergebnis: bitte auswählen');
  expect(await p.getByLabel('Einschätzung').inputValue()).toBe('Haushaltsführung sicher, Mietzahlungen zuverlässig.');
  expect(b.problems).toEqual([expect.stringMatching(/status of 400 \(Bad Request\)/)]);
  b.problems.length = 0;
  await expectNoSeriousAxeViolations('/prozesse/:id (mit Fehler)');

  // from the summary to the radio group with the keyboard, choose „wohnfähig“, submit
  await p.keyboard.press('Tab');
  await p.keyboard.press('Enter');
  expect(await p.evaluate(() => document.activeElement?.id)).toBe('f-outcome');
  await p.keyboard.press('Space');
  expect(await p.getByLabel('wohnfähig', { exact: true }).isChecked()).toBe(true);
  await Promise.all([
    p.waitForURL(url(`/prozesse/${processId}?ok=schritt`)),
    p.getByRole('button', { name: 'Ergebnis speichern' }).click(),
  ]);
  expect(await p.locator('p.notice.ok').innerText()).toBe('Ergebnis gespeichert.');

  // no consent covers the Ausländerbehörde yet: the step waits and says so
  expect(await currentBox().locator('text').allTextContents()).toEqual([
    '3. Aufenthaltsstatus / Wohnsitzauflage (§ 12a AufenthG)',
    '▶ wartet: Einwilligung für Ausländerbehörde fehlt',
  ]);
  expect(await p.locator('section[aria-labelledby="h-aktuell"] p.notice.warn').innerText()).toMatch(
    /^Einwilligung für Ausländerbehörde fehlt\./,
  );
  expect(await stack.db.task.count({ where: { caseId } })).toBe(0);
  await expectNoSeriousAxeViolations('/prozesse/:id (Einwilligung fehlt)');
  await p.screenshot({ path: `${SHOTS}/kim-chain-consent-missing.png`, fullPage: true });
});

it('the caseworker records the consent on the case page (keyboard and check boxes); the chain then hands the step to the Ausländerbehörde', async () => {
  const p = page();
  await Promise.all([p.waitForURL(url(`/faelle/${caseId}#h-ew`)), p.getByRole('link', { name: 'Einwilligung im Fall erfassen' }).click()]);
  const form = p.locator('form[action$="/einwilligungen"]');
  // without a department and purpose: German errors naming the fields, nothing stored
  await form.getByLabel('Erteilt am').fill('2026-11-02');
  await form.getByRole('button', { name: 'Einwilligung speichern' }).click();
  await p.waitForFunction(() => document.activeElement?.id === 'fehler');
  expect(await p.locator('#fehler').innerText()).toContain('Stellen: bitte mindestens eine Stelle auswählen');
  expect(await stack.db.consent.count({ where: { caseId } })).toBe(0);
  expect(b.problems).toEqual([expect.stringMatching(/status of 400 \(Bad Request\)/)]);
  b.problems.length = 0;
  await expectNoSeriousAxeViolations('/faelle/:id (Einwilligung mit Fehler)');

  await form.getByLabel('Ausländerbehörde').focus();
  await p.keyboard.press('Space');
  await form.getByLabel('Wohnungsamt').check();
  await form.getByLabel('Zweck').fill('Auszug aus der Notunterkunft');
  expect(await form.getByLabel('Erteilt am').inputValue()).toBe('2026-11-02');
  await Promise.all([
    p.waitForURL(url(`/faelle/${caseId}?ok=einwilligung#h-ew`)),
    form.getByRole('button', { name: 'Einwilligung speichern' }).click(),
  ]);
  expect(await p.locator('p.notice.ok').innerText()).toMatch(/^Einwilligung gespeichert\./);
  expect(await p.locator('ul.consents li').innerText()).toMatch(
    /^Ausländerbehörde, Wohnungsamt – Auszug aus der Notunterkunft \(erteilt 02\.11\.2026\)/,
  );
  await expectNoSeriousAxeViolations('/faelle/:id (mit Einwilligung)');
  await Promise.all([
    p.waitForURL(url(`/prozesse/${processId}`)),
    p.getByRole('link', { name: 'Prozess öffnen: Auszug aus der Notunterkunft' }).click(),
  ]);

  // the consent signal made the chain start the handoff (the page may be a moment early: reload until it shows)
  for (
    let i = 0;
    i < 50 && !(await p.locator('section[aria-labelledby="h-aktuell"] dl').innerText()).match(/Liegt bei\s+Ausländerbehörde/);
    i++
  ) {
    await new Promise((r) => setTimeout(r, 200));
    await p.reload();
  }
  expect(await currentBox().locator('text').allTextContents()).toEqual([
    '3. Aufenthaltsstatus / Wohnsitzauflage (§ 12a AufenthG)',
    expect.stringMatching(/^▶ bei Ausländerbehörde · fällig bis \d\d\.\d\d\.\d{4}$/),
  ]);
  expect(await p.locator('svg.chain-diagram g.cd-done text').allTextContents()).toEqual([
    '1. Wohnfähigkeit einschätzen',
    '✓ erledigt: wohnfähig',
  ]);
  expect(await p.locator('svg.chain-diagram g.cd-bypassed text.cd-title').allTextContents()).toEqual([
    '2. Trainingsphase, danach neu einschätzen',
  ]);
  expect(await p.locator('section[aria-labelledby="h-aktuell"] dl').innerText()).toMatch(/Liegt bei\s+Ausländerbehörde/);
  expect(await p.getByRole('button', { name: 'Ergebnis speichern' }).count()).toBe(0);

  const rows = await p
    .locator('section[aria-labelledby="h-verlauf"] tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent)));
  expect(rows).toEqual([
    ['System', 'Kette gestartet', '', 'Version 1'],
    ['System', 'Schritt begonnen', 'Wohnfähigkeit einschätzen', expect.stringMatching(/^fällig bis /)],
    [
      'Fallmanagement KIM',
      'Ergebnis erfasst',
      'Wohnfähigkeit einschätzen',
      'Ergebnis: wohnfähig; Einschätzung: Haushaltsführung sicher, Mietzahlungen zuverlässig.',
    ],
    [
      'System',
      'wartet auf Einwilligung',
      'Aufenthaltsstatus / Wohnsitzauflage (§ 12a AufenthG)',
      'Einwilligung für Ausländerbehörde fehlt',
    ],
    ['System', 'an Stelle übergeben', 'Aufenthaltsstatus / Wohnsitzauflage (§ 12a AufenthG)', 'an Ausländerbehörde'],
  ]);
  await expectNoSeriousAxeViolations('/prozesse/:id (Übergabe an die Ausländerbehörde)');
  await p.screenshot({ path: `${SHOTS}/kim-chain-handoff.png`, fullPage: true });
  await p.locator('figure.chain-figure').screenshot({ path: `${SHOTS}/kim-chain-diagram.png` });
});

it('the case page shows the chain card with its diagram and the handoff in „Übergaben“', async () => {
  const p = page();
  await Promise.all([p.waitForURL(url(`/faelle/${caseId}`)), p.locator('dl.facts').getByRole('link', { name: /^KIM-/ }).click()]);
  const card = p.locator('section.card');
  expect(await card.locator('h3').innerText()).toBe('Auszug aus der Notunterkunft');
  expect(await card.locator('g.cd-current text.cd-title').textContent()).toBe('3. Aufenthaltsstatus / Wohnsitzauflage (§ 12a AufenthG)');
  const handoffs = p.locator('section[aria-labelledby="h-uebergaben"] tbody tr');
  expect(await handoffs.count()).toBe(1);
  expect(await handoffs.locator('td').allInnerTexts()).toEqual([
    'Aufenthaltsstatus / Wohnsitzauflage prüfen',
    'Ausländerbehörde',
    expect.stringMatching(/^(angelegt|benachrichtigt)$/),
    expect.stringMatching(/^bestätigen bis \d\d\.\d\d\.\d{4}, \d\d:\d\d$|^–$/),
  ]);
  await expectNoSeriousAxeViolations('/faelle/:id (mit Kette)');
  await p.screenshot({ path: `${SHOTS}/kim-case-with-chain.png`, fullPage: true });
  await Promise.all([
    p.waitForURL(url(`/prozesse/${processId}`)),
    card.getByRole('link', { name: 'Prozess öffnen: Auszug aus der Notunterkunft' }).click(),
  ]);
});

it('the admin sets a deadline rule on /admin/fristen (no serious axe violations)', async () => {
  const p = page();
  await Promise.all([p.waitForURL(/\/login/), p.getByRole('button', { name: 'Abmelden' }).click()]);
  await loginInBrowser(p, stack.url, 'admin@kim.example');
  await Promise.all([
    p.waitForURL(url('/admin/fristen')),
    p.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Fristen' }).click(),
  ]);
  await expectNoSeriousAxeViolations('/admin/fristen');
  await p.getByLabel('Stelle', { exact: true }).selectOption({ label: 'Jobcenter' });
  await p.getByLabel('Schritt', { exact: true }).selectOption({ label: 'Mietübernahme' });
  await p.getByLabel('Eingang bestätigen (Arbeitstage)').fill('1');
  await p.getByLabel('Erledigen (Arbeitstage)').fill('4');
  await Promise.all([p.waitForURL(url('/admin/fristen?ok=1')), p.getByRole('button', { name: 'Regel speichern' }).click()]);
  expect(await p.locator('section[aria-labelledby="h-regeln"] tbody tr td').allInnerTexts()).toEqual([
    'Jobcenter',
    'Mietübernahme',
    '1 Arbeitstag',
    '4 Arbeitstage',
    expect.stringMatching(/ von Administration$/),
  ]);
  await expectNoSeriousAxeViolations('/admin/fristen (mit Regel)');
});

it('saw no console errors, page errors or failed requests (e.g. blocked by the CSP)', () => {
  expect(b.problems).toEqual([]);
});
