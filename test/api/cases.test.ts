// JSON API for persons and cases on the real stack: valid, invalid, unauthenticated, double submit,
// the case workflow and its follow-up reminder e-mail, and the audit log.
import crypto from 'node:crypto';
import { caseWorkflowId } from '../../core/domain/case-state';
import { caseStateQuery } from '../../workflows/case';
import { recordHistory } from '../support/histories';
import { eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string;
let supervisor: string;
let admin: string;

beforeAll(async () => {
  stack = await startStack();
  [caseworker, supervisor, admin] = await Promise.all([
    stack.token('fallmanagement@kim.example'),
    stack.token('leitung@kim.example'),
    stack.token('admin@kim.example'),
  ]);
});
afterAll(() => stack?.stop());

const counts = async () => ({
  persons: await stack.db.person.count(),
  cases: await stack.db.case.count(),
  followUps: await stack.db.followUp.count(),
});

async function newPerson(body: Record<string, unknown> = {}) {
  const r = await stack.api('POST', '/api/persons', {
    token: caseworker,
    body: { firstName: 'Amina', lastName: 'Yilmaz', benefitType: 'sgb2', ...body },
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

describe('POST /api/persons', () => {
  it('creates a person and audits it', async () => {
    const id = await newPerson({ birthDate: '1990-04-01', householdSize: 3, shelterId: 'NU-1' });
    const p = await stack.db.person.findUniqueOrThrow({ where: { id } });
    expect(p).toMatchObject({ firstName: 'Amina', lastName: 'Yilmaz', householdSize: 3, benefitType: 'sgb2' });
    expect(await stack.db.auditEvent.count({ where: { action: 'person.create', entityId: id } })).toBe(1);
  });

  it.each([
    [{ firstName: '', lastName: 'X' }, 'firstName', 'Vorname'],
    [{ firstName: 'A', lastName: 5 }, 'lastName', 'Nachname'],
    [{ firstName: 'A', lastName: 'B', birthDate: '1990-02-30' }, 'birthDate', 'Geburtsdatum'],
    [{ firstName: 'A', lastName: 'B', householdSize: 0 }, 'householdSize', 'Haushaltsgröße'],
    [{ firstName: 'A', lastName: 'B', benefitType: 'hartz4' }, 'benefitType', 'Leistungsart'],
    [{ firstName: 'A', lastName: 'B', admin: true }, 'admin', 'Unbekanntes Feld'],
    [{ firstName: 'x'.repeat(101), lastName: 'B' }, 'firstName', 'Vorname'],
  ])('rejects %j with 400 naming %s, writing nothing', async (body, field, word) => {
    const before = await counts();
    const r = await stack.api('POST', '/api/persons', { token: caseworker, body });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_input');
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(r.body.error.message).toContain(word);
    expect(await counts()).toEqual(before);
  });

  it('answers invalid JSON with 400 in the error format', async () => {
    const before = await counts();
    const r = await stack.api('POST', '/api/persons', {
      token: caseworker,
      body: '{"firstName": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('JSON') });
    expect(r.body.error.requestId).toBe(r.headers.get('x-request-id'));
    expect(await counts()).toEqual(before);
  });

  it('needs a login (401) and the caseworker role (403)', async () => {
    expect((await stack.api('POST', '/api/persons', { body: { firstName: 'A', lastName: 'B' } })).status).toBe(401);
    expect((await stack.api('POST', '/api/persons', { token: 'forged-token', body: { firstName: 'A', lastName: 'B' } })).status).toBe(401);
    expect((await stack.api('POST', '/api/persons', { token: admin, body: { firstName: 'A', lastName: 'B' } })).status).toBe(403);
  });
});

describe('POST /api/session', () => {
  it('gives a generic 401 for a wrong password or unknown user, 400 for a malformed body', async () => {
    const wrong = await stack.api('POST', '/api/session', { body: { email: 'fallmanagement@kim.example', password: 'nope' } });
    const unknown = await stack.api('POST', '/api/session', { body: { email: 'niemand@kim.example', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    expect((await stack.api('POST', '/api/session', { body: { email: 'kein-email' } })).status).toBe(400);
  });

  it('revokes a token with DELETE', async () => {
    const t = await stack.token('fallmanagement@kim.example');
    expect((await stack.api('GET', '/api/cases', { token: t })).status).toBe(200);
    expect((await stack.api('DELETE', '/api/session', { token: t })).status).toBe(200);
    expect((await stack.api('GET', '/api/cases', { token: t })).status).toBe(401);
  });
});

describe('cases', () => {
  it('creates a case with a reference and starts its workflow (ID from the case id only)', async () => {
    const personId = await newPerson();
    const r = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'housing' } });
    expect(r.status).toBe(201);
    expect(r.body.reference).toMatch(/^KIM-\d{4}-\d{4}$/);
    const handle = stack.client.workflow.getHandle(caseWorkflowId(r.body.id));
    const state = await handle.query(caseStateQuery);
    expect(state).toMatchObject({ caseId: r.body.id, status: 'open', topic: 'housing' });
    expect(handle.workflowId).toBe(`case-${r.body.id}`);

    const detail = await stack.api('GET', `/api/cases/${r.body.id}`, { token: caseworker });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      reference: r.body.reference,
      status: 'open',
      live: true,
      person: { lastName: 'Yilmaz' },
      chains: [],
    });
    expect(await stack.db.auditEvent.count({ where: { action: 'case.read', caseId: r.body.id } })).toBeGreaterThanOrEqual(1);
  });

  it('numbers references consecutively per year', async () => {
    const personId = await newPerson();
    const a = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'health' } });
    const b = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'education_work' } });
    const n = (ref: string) => Number(ref.split('-')[2]);
    expect(n(b.body.reference)).toBe(n(a.body.reference) + 1);
  });

  it('a double submit with the same Idempotency-Key creates one case and one workflow', async () => {
    const personId = await newPerson();
    const before = await stack.db.case.count();
    const send = () =>
      stack.api('POST', '/api/cases', {
        token: caseworker,
        body: { personId, topic: 'housing' },
        headers: { 'Idempotency-Key': 'form-123456789' },
      });
    const [a, b] = await Promise.all([send(), send()]);
    const ok = [a, b].filter((r) => r.status === 201 || r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    const c = await send();
    expect(c.status).toBe(200);
    expect(c.body.id).toBe(ok[0].body.id);
    expect(await stack.db.case.count()).toBe(before + 1);
  });

  it('rejects an unknown person (404, as one outside the scope) or topic (400) and writes nothing', async () => {
    const before = await counts();
    const r1 = await stack.api('POST', '/api/cases', {
      token: caseworker,
      body: { personId: '2b1e8f5e-7d4c-4b7a-9a51-3f0a2c1d9e88', topic: 'housing' },
    });
    expect(r1.status).toBe(404);
    const r2 = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: 'nope', topic: 'flat' } });
    expect(r2.status).toBe(400);
    expect(r2.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['personId', 'topic']);
    expect(await counts()).toEqual(before);
  });

  it('lets a supervisor read, not an admin; unknown case is 404', async () => {
    const personId = await newPerson();
    const { body } = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'housing' } });
    expect((await stack.api('GET', `/api/cases/${body.id}`, { token: supervisor })).status).toBe(200);
    expect((await stack.api('GET', `/api/cases/${body.id}`, { token: admin })).status).toBe(403);
    expect((await stack.api('GET', '/api/cases/00000000-0000-4000-8000-000000000000', { token: caseworker })).status).toBe(404);
    expect((await stack.api('GET', '/api/cases/not-a-uuid', { token: caseworker })).status).toBe(404);
  });

  it('follow-up timer reminds the caseworker by e-mail exactly once, without names', async () => {
    const personId = await newPerson({ firstName: 'Zeynep', lastName: 'Unverwechselbar' });
    const { body: c } = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'housing' } });
    const dueAt = new Date(Date.now() + 2_000).toISOString();
    const f = await stack.api('POST', `/api/cases/${c.id}/follow-ups`, { token: caseworker, body: { dueAt, note: 'Unterlagen prüfen' } });
    expect(f.status).toBe(201);
    const mails = await eventually(() => {
      const m = stack.capture.list({ to: 'fallmanagement@kim.example' }).filter((x) => x.subject.includes(c.reference));
      return m.length ? m : undefined;
    });
    expect(mails[0].subject).toBe(`[KIM] Wiedervorlage fällig – Fall ${c.reference}`);
    expect(mails[0].links).toContain(`${stack.url}/faelle/${c.id}`);
    expect(mails[0].text + mails[0].html).not.toMatch(/Zeynep|Unverwechselbar|Unterlagen/);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(stack.capture.list().filter((x) => x.subject.includes(c.reference))).toHaveLength(1);
    const state = await stack.client.workflow.getHandle(caseWorkflowId(c.id)).query(caseStateQuery);
    expect(state.followUp?.remindedAt).toBeDefined();
    const dev = await stack.api('GET', `/api/dev/mails?to=fallmanagement@kim.example`, { token: caseworker });
    expect(dev.body.items.some((m: { subject: string }) => m.subject.includes(c.reference))).toBe(true);
  });

  it('a follow-up in the past is 400; status change reaches workflow and read model; closed case is 409', async () => {
    const personId = await newPerson();
    const { body: c } = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId, topic: 'housing' } });
    const past = await stack.api('POST', `/api/cases/${c.id}/follow-ups`, { token: caseworker, body: { dueAt: '2020-01-01T10:00:00Z' } });
    expect(past.status).toBe(400);
    expect(past.body.error.details[0].field).toBe('dueAt');
    expect((await stack.api('POST', `/api/cases/${c.id}/status`, { token: caseworker, body: { status: 'in_progress' } })).status).toBe(200);
    expect((await stack.db.case.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('in_progress');
    expect((await stack.api('POST', `/api/cases/${c.id}/status`, { token: caseworker, body: { status: 'in_progress' } })).status).toBe(409);
    expect((await stack.api('POST', `/api/cases/${c.id}/status`, { token: caseworker, body: { status: 'closed' } })).status).toBe(200);
    const later = new Date(Date.now() + 3_600_000).toISOString();
    expect((await stack.api('POST', `/api/cases/${c.id}/follow-ups`, { token: caseworker, body: { dueAt: later } })).status).toBe(409);
    expect((await stack.db.case.findUniqueOrThrow({ where: { id: c.id } })).closedAt).not.toBeNull();
    await stack.client.workflow.getHandle(caseWorkflowId(c.id)).result();
    await recordHistory(stack, caseWorkflowId(c.id), 'case-closed');
  });

  it('records consent for known departments only', async () => {
    const personId = await newPerson();
    const { body: c } = await stack.api('POST', `/api/cases`, { token: caseworker, body: { personId, topic: 'housing' } });
    const ok = await stack.api('POST', `/api/cases/${c.id}/consents`, {
      token: caseworker,
      body: { departments: ['5-50', 'jobcenter'], purpose: 'Wohnungssuche', givenAt: '2026-11-01' },
    });
    expect(ok.status).toBe(201);
    const bad = await stack.api('POST', `/api/cases/${c.id}/consents`, {
      token: caseworker,
      body: { departments: ['mars'], purpose: 'x', givenAt: '2026-11-01' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('departments');
    expect(await stack.db.consent.count({ where: { caseId: c.id } })).toBe(1);
  });
});

describe('runtime routes', () => {
  it('healthz reports both checks', async () => {
    const r = await stack.api('GET', '/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', checks: { database: 'ok', temporal: 'ok' } });
  });

  it('openapi.json is OpenAPI 3.1 and covers the API.md routes with their schemas', async () => {
    const r = await stack.api('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining(['/api/session', '/api/persons', '/api/cases', '/api/cases/{id}', '/api/cases/{id}/consents']),
    );
    const person = r.body.paths['/api/persons'].post.requestBody.content['application/json'].schema;
    expect(person.required).toEqual(['firstName', 'lastName']);
    expect(person.properties.benefitType.enum).toEqual(['asylblg', 'sgb2', 'sgb12', 'none']);
  });

  it('every operation lists its statuses: 400 and 503 always, 401 unless public, 404 with path parameters, 413 with a body, never 500', async () => {
    const doc = (await stack.api('GET', '/api/openapi.json')).body as {
      paths: Record<string, Record<string, { security: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }>>;
    };
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const want = [
          '400',
          '503',
          ...(op.security.length ? ['401'] : []),
          ...(path.includes('{') ? ['404'] : []),
          ...(op.requestBody ? ['413'] : []),
        ];
        for (const s of want) if (!(s in op.responses)) missing.push(`${method.toUpperCase()} ${path} ${s}`);
        if ('500' in op.responses) missing.push(`${method.toUpperCase()} ${path} lists 500`);
      }
    }
    expect(missing).toEqual([]);
    expect(doc.paths['/api/cases/{id}/chains'].post.responses).toHaveProperty('409');
  });

  it('stack.api checks every answer against the document: an undeclared status fails naming route, method and status', async () => {
    const contract = await stack.contract();
    const conflict = { status: 409, contentType: 'application/json', body: { error: { code: 'conflict', message: 'x', details: [] } } };
    expect(contract.problems('GET', `/api/cases/${crypto.randomUUID()}`, conflict)).toEqual([
      expect.stringContaining('GET /api/cases/{id} answered 409, which the OpenAPI document does not list'),
    ]);
    expect(contract.problems('POST', `/api/cases/${crypto.randomUUID()}/chains`, conflict)).toEqual([]);
  });

  it('unknown API route is a JSON 404', async () => {
    const r = await stack.api('GET', '/api/nope', { token: caseworker });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});
