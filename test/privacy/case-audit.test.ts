// The audit log of one case for supervisors on the real stack: reads and changes with actor and IP,
// the events of the case's handoff (task) and of its person, newest first, keyset paging, the CSV for
// German Excel, access (caseworkers, admins, department members 403; anonymous 401), and that reading
// and exporting the log are audited themselves. The page /faelle/:id/protokoll with a form client.
import { giveConsent } from '../support/consent';
import { FormClient } from '../support/form-client';
import { eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string, supervisor: string, admin: string, member: string;
let personId: string;
let c: { id: string; reference: string };
let taskId: string;

const scope = () => ({ OR: [{ caseId: c.id }, { entityType: 'Person', entityId: personId }] });

beforeAll(async () => {
  stack = await startStack();
  caseworker = await stack.token('fallmanagement@kim.example');
  supervisor = await stack.token('leitung@kim.example');
  admin = await stack.token('admin@kim.example');
  member = await stack.token('soziale-foerderung@kim.example');
  personId = (await stack.api('POST', '/api/persons', { token: caseworker, body: { firstName: 'Ana', lastName: 'Müller' } })).body.id;
  c = (await stack.api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'housing' } })).body;
  expect((await stack.api('GET', `/api/cases/${c.id}`, { token: caseworker })).status).toBe(200); // a read
  expect((await stack.api('POST', `/api/cases/${c.id}/status`, { token: caseworker, body: { status: 'in_progress' } })).status).toBe(200); // a change
  expect((await stack.api('GET', `/api/persons/${personId}`, { token: caseworker })).status).toBe(200);
  await giveConsent(stack, caseworker, c.id, ['wohnungsamt']); // a change too
  const h = await stack.api('POST', `/api/cases/${c.id}/handoffs`, { token: caseworker, body: { step: 'wbs', department: 'wohnungsamt' } });
  expect(h.status).toBe(201);
  taskId = h.body.id;
  await eventually(() => stack.db.auditEvent.findFirst({ where: { action: 'task.notified', entityId: taskId } }));
  // an event of another case must not show up
  const other = (
    await stack.api('POST', '/api/cases', {
      token: caseworker,
      body: {
        personId: (await stack.api('POST', '/api/persons', { token: caseworker, body: { firstName: 'X', lastName: 'Y' } })).body.id,
        topic: 'health',
      },
    })
  ).body;
  expect((await stack.api('GET', `/api/cases/${other.id}`, { token: caseworker })).status).toBe(200);
}, 60_000);
afterAll(() => stack?.stop());

it('lists reads and changes of the case, its task and its person, newest first, with actor, IP and German labels', async () => {
  const r = await stack.api('GET', `/api/cases/${c.id}/audit?limit=200`, { token: supervisor });
  expect(r.status).toBe(200);
  const items = r.body.items as Array<{
    at: string;
    action: string;
    label: string;
    actor: { id: string | null; email: string | null; role: string };
    ip: string | null;
    entityType: string;
    entityId: string | null;
    requestId: string | null;
    details: unknown;
  }>;
  expect(r.body.nextCursor).toBeNull();
  // the supervisor's own read comes first
  expect(items[0]).toMatchObject({
    action: 'case.audit.read',
    label: 'Protokoll angesehen',
    actor: { email: 'leitung@kim.example', role: 'supervisor' },
    ip: expect.stringMatching(/127\.0\.0\.1/),
  });
  const at = items.map((i) => Date.parse(i.at));
  expect(at).toEqual([...at].sort((a, b) => b - a));

  const read = items.find((i) => i.action === 'case.read');
  expect(read).toMatchObject({
    label: 'Fall gelesen',
    entityType: 'Case',
    entityId: c.id,
    actor: { email: 'fallmanagement@kim.example', role: 'caseworker' },
    ip: expect.stringMatching(/127\.0\.0\.1/),
    requestId: expect.any(String),
  });
  const change = items.find((i) => i.action === 'case.status');
  expect(change).toMatchObject({
    label: 'Status geändert',
    details: { from: 'open', to: 'in_progress' },
    actor: { email: 'fallmanagement@kim.example' },
    ip: expect.stringMatching(/127\.0\.0\.1/),
  });
  expect(
    items
      .filter((i) => i.entityType === 'Person')
      .map((i) => i.action)
      .sort(),
  ).toEqual(['person.create', 'person.read']);
  expect(items.find((i) => i.action === 'task.create')).toMatchObject({ entityId: taskId, label: 'Übergabe angelegt' });
  expect(items.find((i) => i.action === 'task.notified')).toMatchObject({
    entityId: taskId,
    actor: { id: null, email: null, role: 'system' },
  });
  expect(items).toHaveLength(await stack.db.auditEvent.count({ where: scope() }));
});

it('pages with a cursor: every event once, in order; a bad cursor or limit is a 400 naming the field', async () => {
  const before = await stack.db.auditEvent.count({ where: scope() });
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r: {
      status: number;
      body: { items: Array<{ at: string; action: string; requestId: string | null; entityId: string | null }>; nextCursor: string | null };
    } = await stack.api('GET', `/api/cases/${c.id}/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: supervisor });
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeLessThanOrEqual(3);
    seen.push(...r.body.items.map((i) => `${i.at}|${i.action}|${i.requestId}|${i.entityId}`));
    cursor = r.body.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  expect(pages).toBeGreaterThan(2);
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen).toHaveLength(before + 1); // the first page's read is in the log; later pages' reads are newer than the cursor
  const times = seen.map((s) => Date.parse(s.split('|')[0]));
  expect(times).toEqual([...times].sort((a, b) => b - a));

  for (const [q, field] of [
    ['cursor=kaputt', 'cursor'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=abc', 'limit'],
    ['sort=at', 'sort'],
  ]) {
    const r = await stack.api('GET', `/api/cases/${c.id}/audit?${q}`, { token: supervisor });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { field: string }) => d.field).join(',')).toContain(field);
  }
});

it('CSV for German Excel: BOM, „;“, CRLF, German header and labels; the export is audited', async () => {
  const res = await fetch(`${stack.url}/api/cases/${c.id}/audit.csv`, { headers: { authorization: `Bearer ${supervisor}` } });
  await (await stack.contract()).checkResponse('GET', `/api/cases/${c.id}/audit.csv`, res);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('content-disposition')).toMatch(
    new RegExp(`^attachment; filename="protokoll-${c.reference}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
  );
  const bytes = Buffer.from(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  expect(lines.pop()).toBe('');
  expect(lines[0]).toBe('Zeitpunkt;Wer;Rolle;Aktion;Aktion (technisch);Objekt;Objekt-ID;Herkunft (IP);Anfrage-ID;Details');
  expect(lines[1]).toMatch(
    /^\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d;leitung@kim\.example;Leitung;Protokoll exportiert;case\.audit\.export;Fall;/,
  );
  const status = lines.find((l) => l.includes(';case.status;'))!;
  expect(status.split(';').slice(1, 7)).toEqual([
    'fallmanagement@kim.example',
    'Fallmanagement',
    'Status geändert',
    'case.status',
    'Fall',
    c.id,
  ]);
  expect(status).toMatch(/;"\{.*""from"":""open"".*\}"$/); // JSON in one quoted cell (jsonb orders the keys)
  expect(status).toContain('""to"":""in_progress""');
  expect(lines).toHaveLength(1 + (await stack.db.auditEvent.count({ where: scope() })));
  expect(await stack.db.auditEvent.findFirst({ where: { action: 'case.audit.export', caseId: c.id } })).toMatchObject({
    actorRole: 'supervisor',
    details: { format: 'csv' },
  });
});

it('caseworkers, admins and department members get 403, anonymous 401, an unknown case 404 — and nothing is logged for them', async () => {
  const reads = () => stack.db.auditEvent.count({ where: { action: { in: ['case.audit.read', 'case.audit.export'] } } });
  const before = await reads();
  for (const path of [`/api/cases/${c.id}/audit`, `/api/cases/${c.id}/audit.csv`]) {
    for (const token of [caseworker, admin, member]) expect((await stack.api('GET', path, { token })).status).toBe(403);
    expect((await stack.api('GET', path)).status).toBe(401);
  }
  expect((await stack.api('GET', '/api/cases/00000000-0000-4000-8000-000000000000/audit', { token: supervisor })).status).toBe(404);
  expect((await stack.api('GET', '/api/cases/kein-fall/audit.csv', { token: supervisor })).status).toBe(404);
  expect(await reads()).toBe(before);
});

it('page /faelle/:id/protokoll: the supervisor sees the German table with paging and the CSV link, linked from the case page; a caseworker gets 403', async () => {
  const sv = new FormClient(stack.url);
  await sv.login('leitung@kim.example');
  const casePage = await sv.get(`/faelle/${c.id}`);
  expect(casePage.status).toBe(200);
  expect(casePage.text).toContain(`href="/faelle/${c.id}/protokoll"`);
  expect(casePage.text).toContain(`href="/api/persons/${personId}/export.pdf"`);

  const first = await sv.get(`/faelle/${c.id}/protokoll?limit=2`);
  expect(first.status).toBe(200);
  expect(first.text).toContain(`<h1>Protokoll: Fall ${c.reference}</h1>`);
  expect(first.text).toMatch(
    /<th scope="col">Zeitpunkt<\/th><th scope="col">Wer<\/th><th scope="col">Rolle<\/th><th scope="col">Aktion<\/th><th scope="col">Objekt<\/th><th scope="col">Herkunft \(IP\)<\/th>/,
  );
  expect(first.text).toContain(`href="/api/cases/${c.id}/audit.csv"`);
  expect((first.text.match(/<tr>\s*<td>/g) ?? []).length).toBe(2);
  const next = first.text.match(/href="(\/faelle\/[^"]+\/protokoll\?limit=2&amp;cursor=[^"]+)" rel="next"/);
  expect(next).not.toBeNull();
  const second = await sv.get(next![1].replace(/&amp;/g, '&'));
  expect(second.status).toBe(200);
  expect(second.text).toContain('Ältere Einträge');
  expect(second.text).toContain(`href="/faelle/${c.id}/protokoll">Neueste Einträge</a>`);

  const cw = new FormClient(stack.url);
  await cw.login('fallmanagement@kim.example');
  const denied = await cw.get(`/faelle/${c.id}/protokoll`);
  expect(denied.status).toBe(403);
  const own = await cw.get(`/faelle/${c.id}`);
  expect(own.text).not.toContain('/protokoll');
  expect(own.text).toContain('Auskunft (Art. 15 DSGVO)');
  expect(own.text).toContain(`href="/api/persons/${personId}/export"`);
});
