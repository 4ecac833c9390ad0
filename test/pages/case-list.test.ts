// The case list (/faelle) beyond 100 cases: server-side paging („Weiter“/„Zurück“, caption
// „x–y von N Fällen“), search by reference and by name (only the cases the user may see; an anonymised
// person is not found by name; LIKE wildcards are literal) — every search audited as a read of each case
// it shows, without the query.
import { hashPassword } from '../../core/passwords';
import { FormClient } from '../support/form-client';
import { DEMO_PASSWORD, startStack, type Stack } from '../support/stack';

let stack: Stack;
const CASEWORKER = 'fallmanagement@kim.example';
const OTHER = 'fallmanagement-5-50@kim.example';

async function seedCases(caseworkerEmail: string, departmentId: string, n: number, prefix: string, lastName: (i: number) => string) {
  const cw = await stack.db.user.findUniqueOrThrow({ where: { email: caseworkerEmail } });
  const base = Date.parse('2030-01-01T08:00:00Z');
  for (let i = 1; i <= n; i++) {
    const person = await stack.db.person.create({ data: { firstName: 'Vorname', lastName: lastName(i), createdById: cw.id } });
    const id = crypto.randomUUID();
    await stack.db.case.create({
      data: {
        id,
        reference: `${prefix}-${String(i).padStart(4, '0')}`,
        personId: person.id,
        topic: 'housing',
        caseworkerId: cw.id,
        departmentId,
        workflowId: `case-${id}`,
        createdById: cw.id,
        createdAt: new Date(base + i * 60_000),
      },
    });
  }
}

const rows = (page: string) => [...page.matchAll(/<tr>\s*<td><a href="\/faelle\/[^"]+">([^<]+)<\/a><\/td>/g)].map((m) => m[1]);
const caption = (page: string) => page.match(/<caption class="hint">([^<]*)<\/caption>/)?.[1];

let b: FormClient;
beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
  await stack.db.user.create({
    data: {
      email: OTHER,
      name: 'Fallmanagement 5-50',
      role: 'caseworker',
      departmentId: '5-50',
      passwordHash: await hashPassword(DEMO_PASSWORD),
    },
  });
  await seedCases(CASEWORKER, '5-53', 120, 'KIM-2030', (i) => (i === 7 ? 'Özdemir' : `Nachname${i}`));
  await seedCases(OTHER, '5-50', 3, 'KIM-2031', (i) => (i === 1 ? 'Özdemir-Fremd' : `Fremd${i}`));
  b = new FormClient(stack.url);
  await b.login(CASEWORKER);
}, 120_000);
afterAll(() => stack?.stop());

it('pages through 120 cases, 50 at a time, newest first, with „Weiter“ and „Zurück“; the caption says which part of how many', async () => {
  const first = await b.get('/faelle');
  expect(first.status).toBe(200);
  expect(caption(first.text)).toBe('1–50 von 120 Fällen, neueste zuerst');
  const r1 = rows(first.text);
  expect(r1).toHaveLength(50);
  expect(r1[0]).toBe('KIM-2030-0120');
  expect(r1[49]).toBe('KIM-2030-0071');
  expect(first.text).toContain('<a href="/faelle?seite=2" rel="next">Weiter</a>');
  expect(first.text).not.toContain('rel="prev"');
  expect(first.text).not.toContain('KIM-2031'); // another team's cases

  const second = await b.get('/faelle?seite=2');
  expect(caption(second.text)).toBe('51–100 von 120 Fällen, neueste zuerst');
  expect(rows(second.text)[0]).toBe('KIM-2030-0070');
  expect(second.text).toContain('<a href="/faelle" rel="prev">Zurück</a>');

  const last = await b.get('/faelle?seite=3');
  expect(caption(last.text)).toBe('101–120 von 120 Fällen, neueste zuerst');
  expect(rows(last.text)).toEqual(Array.from({ length: 20 }, (_, i) => `KIM-2030-${String(20 - i).padStart(4, '0')}`));
  expect(last.text).toContain('<a href="/faelle?seite=2" rel="prev">Zurück</a>');
  expect(last.text).not.toContain('rel="next"');
  expect(caption((await b.get('/faelle?seite=999')).text)).toBe('101–120 von 120 Fällen, neueste zuerst');
  // the plain list is not a search: nothing audited as one
  expect(await stack.db.auditEvent.count({ where: { action: 'case.search' } })).toBe(0);
});

it('searches by reference and by name within what the user may see; every search is audited per case shown, without the query', async () => {
  const cw = await stack.db.user.findUniqueOrThrow({ where: { email: CASEWORKER } });
  const byRef = await b.get('/faelle?q=kim-2030-011');
  expect(caption(byRef.text)).toBe('10 Fälle zur Suche, neueste zuerst');
  expect(rows(byRef.text)).toEqual(Array.from({ length: 10 }, (_, i) => `KIM-2030-${String(119 - i).padStart(4, '0')}`));
  expect(byRef.text).toContain('value="kim-2030-011"');
  const audited = await stack.db.auditEvent.findMany({ where: { action: 'case.search', actorId: cw.id } });
  expect(audited).toHaveLength(10);
  expect(audited[0].details).toEqual({ fields: ['reference', 'name'], results: 10 });
  expect(JSON.stringify(audited.map((a) => a.details))).not.toContain('kim-2030');
  const caseIds = new Set(audited.map((a) => a.caseId));
  expect(caseIds.size).toBe(10);

  const byName = await b.get(`/faelle?q=${encodeURIComponent('özdemir')}`);
  expect(rows(byName.text)).toEqual(['KIM-2030-0007']); // not the other team's Özdemir-Fremd
  expect(byName.text).toContain('Özdemir, Vorname');

  const supervisor = new FormClient(stack.url);
  await supervisor.login('leitung@kim.example');
  expect(rows((await supervisor.get(`/faelle?q=${encodeURIComponent('Özdemir')}`)).text)).toEqual(['KIM-2030-0007', 'KIM-2031-0001']);

  expect((await b.get('/faelle?q=100%25')).text).toContain('Keine Fälle zu dieser Suche.');
  expect(rows((await b.get('/faelle?q=2030-000_')).text)).toEqual([]); // _ is no wildcard
  const paged = await b.get('/faelle?q=Nachname');
  expect(caption(paged.text)).toBe('1–50 von 119 Fällen zur Suche, neueste zuerst');
  expect(paged.text).toContain('<a href="/faelle?q=Nachname&amp;seite=2" rel="next">Weiter</a>');
});

it('an anonymised person is not found by name (only by reference)', async () => {
  const c = await stack.db.case.findUniqueOrThrow({ where: { reference: 'KIM-2030-0042' } });
  await stack.db.person.update({
    where: { id: c.personId },
    data: { firstName: 'Anonymisiert', lastName: 'Anonymisiert', anonymizedAt: new Date() },
  });
  await stack.db.case.update({ where: { id: c.id }, data: { anonymizedAt: new Date(), status: 'closed' } });
  expect((await b.get('/faelle?q=Anonymisiert')).text).toContain('Keine Fälle zu dieser Suche.');
  const byRef = await b.get('/faelle?q=KIM-2030-0042');
  expect(rows(byRef.text)).toEqual(['KIM-2030-0042']);
  expect(byRef.text).toContain('<span class="hint">anonymisiert</span>');
});

it('roles without case files get the notice, not a list', async () => {
  const member = new FormClient(stack.url);
  await member.login('soziale-foerderung@kim.example');
  const page = await member.get('/faelle?q=Özdemir');
  expect(page.status).toBe(200);
  expect(page.text).toContain('Ihre Rolle sieht keine Fallakten.');
  expect(page.text).not.toContain('KIM-2030');
});
