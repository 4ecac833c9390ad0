// The audit log page of a case (/faelle/:id/protokoll) and the case page's data protection section in
// a real browser: the supervisor follows the link from the case page, reads the German table, pages to
// older entries by keyboard; the Art. 15 PDF link downloads a PDF with the browser session; axe-core
// finds no serious violations; nothing is blocked by the CSP.
import { expectNoSeriousAxeViolations, startStackAndBrowser, type TestBrowser, loginInBrowser } from '../support/browser';
import type { Stack } from '../support/stack';

let stack: Stack;
let b: TestBrowser;
let c: { id: string; reference: string };

beforeAll(async () => {
  ({ stack, browser: b } = await startStackAndBrowser());
  const caseworker = await stack.token('fallmanagement@kim.example');
  const p = await stack.api('POST', '/api/persons', { token: caseworker, body: { firstName: 'Zoë', lastName: 'Çelik' } });
  c = (await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } })).body;
  await stack.api('GET', `/api/cases/${c.id}`, { token: caseworker });
  await stack.api('POST', `/api/cases/${c.id}/status`, { token: caseworker, body: { status: 'in_progress' } });
}, 60_000);
afterAll(async () => {
  await b?.close();
  await stack?.stop();
});

it('the supervisor opens the log from the case page, reads it and pages back by keyboard; the Art. 15 PDF downloads', async () => {
  const p = b.page;
  await loginInBrowser(p, stack.url, 'leitung@kim.example');
  await p.goto(`${stack.url}/faelle/${c.id}`);
  const section = p.getByRole('region', { name: 'Datenschutz' });
  await expectNoSeriousAxeViolations(p, `/faelle/${c.id} (Leitung)`);

  const [download] = await Promise.all([
    p.waitForEvent('download'),
    section.getByRole('link', { name: 'Auskunft als PDF (lesbar)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^auskunft-[0-9a-f-]{36}-\d{4}-\d{2}-\d{2}\.pdf$/);
  const bytes = await new Promise<Buffer>((resolve, reject) => {
    download.createReadStream().then((s) => {
      const parts: Buffer[] = [];
      s.on('data', (x: Buffer) => parts.push(x));
      s.on('end', () => resolve(Buffer.concat(parts)));
      s.on('error', reject);
    }, reject);
  });
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  await Promise.all([
    p.waitForURL(`${stack.url}/faelle/${c.id}/protokoll`),
    section.getByRole('link', { name: 'Protokoll des Falls' }).click(),
  ]);
  expect(await p.locator('h1').innerText()).toBe(`Protokoll: Fall ${c.reference}`);
  expect(await p.locator('thead th').allInnerTexts()).toEqual(['Zeitpunkt', 'Wer', 'Rolle', 'Aktion', 'Objekt', 'Herkunft (IP)']);
  const rows = p.locator('tbody tr');
  expect(await rows.first().locator('td').allInnerTexts()).toEqual([
    expect.stringMatching(/^\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d$/),
    'leitung@kim.example',
    'Leitung',
    'Protokoll angesehen',
    expect.stringMatching(/^Fall /),
    '127.0.0.1',
  ]);
  expect(await rows.filter({ hasText: 'Status geändert' }).locator('td').nth(1).innerText()).toBe('fallmanagement@kim.example');
  expect(await p.getByRole('link', { name: 'Gesamtes Protokoll als CSV (Excel)' }).getAttribute('href')).toBe(
    `/api/cases/${c.id}/audit.csv`,
  );
  await expectNoSeriousAxeViolations(p, `/faelle/${c.id}/protokoll`);

  // paging, by keyboard: focus the "older" link and press Enter
  await p.goto(`${stack.url}/faelle/${c.id}/protokoll?limit=2`);
  expect(await rows.count()).toBe(2);
  const older = p.getByRole('navigation', { name: 'Seiten des Protokolls' }).getByRole('link', { name: 'Ältere Einträge' });
  await older.focus();
  await Promise.all([p.waitForURL(/cursor=/), p.keyboard.press('Enter')]);
  expect(await rows.count()).toBeGreaterThan(0);
  expect(await p.locator('caption').innerText()).toMatch(/^Ältere Einträge/);
  await expectNoSeriousAxeViolations(p, `/faelle/${c.id}/protokoll?cursor=…`);
  expect(b.problems).toEqual([]);
});
