// The supervisor's dashboard (/leitung) in a real browser against the full stack with 0.05 s working
// days: key figures, the overdue filter, the CSV link with the browser session, a process opened from
// the list (diagram and history), axe-core on both pages, and the live update (a chain started via the
// API appears without a reload). The tests run in order and share one browser and one stack.
import { expectNoSeriousAxeViolations as expectAxeClean, startStackAndBrowser, type TestBrowser, loginInBrowser } from '../support/browser';
import { chainDriver } from '../support/chain-helpers';
import { eventually, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

const SUPERVISOR = 'leitung@kim.example';

let stack: Stack;
let b: TestBrowser;
let caseworker: string;
let d: ReturnType<typeof chainDriver>;
/** name → process id and case reference */
const chains: Record<string, { id: string; reference: string }> = {};

async function startChain(name: string, type: 'move-out' | 'education-work') {
  const c = await d.newCase();
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type } });
  if (r.status !== 201) throw new Error(`start chain ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  chains[name] = { id: r.body.id, reference: c.reference };
  return chains[name];
}

beforeAll(async () => {
  ({ stack, browser: b } = await startStackAndBrowser({ workingDaySeconds: 0.05 }));
  caseworker = await stack.token('fallmanagement@kim.example');
  d = chainDriver(stack, caseworker);
  // "handoff": readiness done → handed to the Ausländerbehörde; its ack deadline (2 days = 0.1 s) passes
  const handoff = await startChain('handoff', 'move-out');
  await d.complete(handoff.id, 'readiness', 'ready');
  await d.at(handoff.id, 'residence-check', 'handoff');
  await startChain('readiness', 'move-out');
  await startChain('edu', 'education-work');
  await eventually(() => stack.db.task.findFirst({ where: { processId: chains.handoff.id, overdue: true } }), 20_000, 100);
  // the caseworker steps miss their deadlines (10 days = 0.5 s)
  await eventually(
    async () => (await stack.db.process.count({ where: { id: { in: [chains.readiness.id, chains.edu.id] }, overdue: true } })) === 2,
    20_000,
    100,
  );
}, 120_000);
afterAll(async () => {
  await b?.close();
  await stack?.stop();
});

const page = () => b.page;
const url = (path: string) => stack.url + path;
const listRows = () => page().locator('#live-liste tbody tr');
const listReferences = () => page().locator('#live-liste tbody tr td:first-child').allInnerTexts();

const expectNoSeriousAxeViolations = (label: string) => expectAxeClean(page(), label);

it('the supervisor opens „Leitung“ from the navigation: key figures, the overdue handoff, workload', async () => {
  const p = page();
  await loginInBrowser(p, stack.url, SUPERVISOR);
  const nav = p.getByRole('navigation', { name: 'Hauptnavigation' });
  await Promise.all([p.waitForURL(url('/leitung')), nav.getByRole('link', { name: 'Leitung' }).click()]);
  expect(await p.locator('h1').innerText()).toBe('Leitung: Übersicht');

  const running = await p
    .locator('section[aria-labelledby="h-laufend"] tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  expect(running).toEqual(
    expect.arrayContaining([
      ['Auszug aus der Notunterkunft', '2', '0'],
      ['Bildung und Arbeit', '1', '0'],
    ]),
  );
  expect(await p.locator('section[aria-labelledby="h-ueberfaellig"] tbody tr').allInnerTexts()).toEqual([
    expect.stringMatching(/^Ausländerbehörde\s+1$/),
  ]);
  expect(await p.locator('section[aria-labelledby="h-monat"] dl').innerText()).toMatch(/Gestartet\s+3\s+Abgeschlossen\s+0/);
  expect(await p.locator('section[aria-labelledby="h-aelteste"] tbody tr').count()).toBe(3);
  expect(await p.locator('section[aria-labelledby="h-last-stellen"] tbody tr').filter({ hasText: 'Ausländerbehörde' }).innerText()).toMatch(
    /Ausländerbehörde\s+1\s+1\s+–/,
  );
  expect(await p.locator('section[aria-labelledby="h-last-personen"] tbody tr').allInnerTexts()).toEqual([
    expect.stringMatching(/\s3\s+3$/),
  ]); // all three overdue, the handoff one included

  expect((await listReferences()).sort()).toEqual(
    Object.values(chains)
      .map((c) => c.reference)
      .sort(),
  );
  const handoffRow = listRows().filter({ hasText: chains.handoff.reference });
  expect(await handoffRow.locator('td').allInnerTexts()).toEqual([
    chains.handoff.reference,
    'Auszug aus der Notunterkunft',
    'läuft',
    'Aufenthaltsstatus / Wohnsitzauflage (§ 12a AufenthG)',
    'Ausländerbehörde',
    expect.stringMatching(/\d\d\.\d\d\.\d{4}, \d\d:\d\d$/),
    expect.stringMatching(/überfällig/),
  ]);
  expect(await listRows().filter({ hasText: chains.readiness.reference }).locator('td').nth(4).innerText()).toMatch(
    /^Fallmanagement \(.+\)$/,
  );
  await expectNoSeriousAxeViolations('/leitung');
});

it('filters „nur überfällige“ through the GET form: only overdue rows, marked in text; the CSV link carries the filter and works with the browser session', async () => {
  const p = page();
  await p.getByLabel('Überfällig', { exact: true }).selectOption({ label: 'nur überfällige' });
  await Promise.all([p.waitForURL(/\/leitung\?/), p.getByRole('button', { name: 'Filtern' }).click()]);
  expect(new URL(p.url()).searchParams.get('overdue')).toBe('true');
  // Process.overdue covers caseworker steps and, through the task, a late handoff
  expect((await listReferences()).sort()).toEqual([chains.readiness.reference, chains.edu.reference, chains.handoff.reference].sort());
  expect((await p.locator('#live-liste tbody tr td:last-child').allInnerTexts()).every((t) => /überfällig/.test(t))).toBe(true);
  expect(await p.locator('#liste-summary').innerText()).toBe('3 Prozesse gefunden; davon auf dieser Seite 3 überfällig.');
  expect(await p.getByLabel('Überfällig', { exact: true }).inputValue()).toBe('true');

  const csv = p.getByRole('link', { name: 'Als CSV (Excel)', exact: true });
  const href = (await csv.getAttribute('href'))!;
  expect(href).toBe('/api/processes.csv?overdue=true');
  const res = await p.request.get(url(href)); // the context's cookies: the browser session
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
  const text = await res.text();
  expect(text).toContain(chains.readiness.reference);
  expect(text).toContain(chains.edu.reference);
  expect(text).toContain(chains.handoff.reference);
  await expectNoSeriousAxeViolations('/leitung?overdue=true');
});

it('opens a process from the list: diagram and history', async () => {
  const p = page();
  await Promise.all([
    p.waitForURL(url(`/prozesse/${chains.readiness.id}`)),
    p.locator('#live-liste').getByRole('link', { name: chains.readiness.reference, exact: true }).click(),
  ]);
  expect(await p.locator('h1').innerText()).toBe(`Auszug aus der Notunterkunft – ${chains.readiness.reference}`);
  expect(await p.getByRole('img', { name: 'Ablauf der Kette: Auszug aus der Notunterkunft' }).count()).toBe(1);
  expect(await p.locator('svg.chain-diagram g.cd-current text.cd-title').textContent()).toBe('1. Wohnfähigkeit einschätzen');
  const events = await p.locator('section[aria-labelledby="h-verlauf"] tbody tr td:nth-child(3)').allInnerTexts();
  expect(events.slice(0, 3)).toEqual(['Kette gestartet', 'Schritt begonnen', 'Erinnerung versandt']);
  await expectNoSeriousAxeViolations('/prozesse/:id (überfällig)');
});

it('updates within seconds without a reload: a chain started via the API appears in the list and the figures', async () => {
  const p = page();
  await p.goto(url('/leitung'));
  await p.evaluate(() => {
    (window as unknown as { kimMarker: number }).kimMarker = 42;
  });
  expect(await listRows().count()).toBe(3);
  const fresh = await startChain('live', 'education-work');
  const t0 = Date.now();
  await p.locator('#live-liste tbody tr', { hasText: fresh.reference }).waitFor({ timeout: 15_000 });
  const seconds = (Date.now() - t0) / 1000;
  expect(seconds).toBeLessThan(12);
  expect(await p.evaluate(() => (window as unknown as { kimMarker?: number }).kimMarker)).toBe(42); // no reload
  expect(await p.locator('#live-status').innerText()).toMatch(/^Aktualisiert um \d\d:\d\d:\d\d: 4 Prozesse gefunden/);
  expect(await p.locator('section[aria-labelledby="h-laufend"] tbody tr').filter({ hasText: 'Bildung und Arbeit' }).innerText()).toMatch(
    /Bildung und Arbeit\s+2\s+0/,
  );
  await expectNoSeriousAxeViolations('/leitung (nach Aktualisierung)');
});

it('access: caseworkers see their own scope, department members get 403; JSON for the same URL', async () => {
  const [member, supervisorToken] = await Promise.all([stack.token('jobcenter@kim.example'), stack.token(SUPERVISOR)]);
  expect((await stack.api('GET', '/leitung', { token: member })).status).toBe(403);
  const own = await stack.api('GET', '/leitung', { token: caseworker });
  expect(own.status).toBe(200);
  expect(own.body).toContain('Sie sehen die Zahlen Ihrer eigenen Fälle und Ihres Teams.');
  const json = await stack.api('GET', '/leitung?overdue=true', { token: supervisorToken, headers: { accept: 'application/json' } });
  expect(json.status).toBe(200);
  expect(json.body.figures.scope).toBe('all');
  expect(json.body.processes.items.every((i: { currentStep: { overdue: boolean } }) => i.currentStep.overdue)).toBe(true);
  const bad = await stack.api('GET', '/leitung?overdue=vielleicht&olderThanDays=x', { token: supervisorToken });
  expect(bad.status).toBe(400);
  expect(bad.body).toContain('overdue muss true oder false sein');
});

it('saw no console errors, page errors or failed requests (e.g. blocked by the CSP)', () => {
  expect(b.problems).toEqual([]);
});
