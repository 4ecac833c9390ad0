// Issue 12, point 6: the audit log counts one case.read per view (not per 5-second status poll), records
// list reads that show names (case list, task lists) and refused attempts on others' records
// (access.refused), and never takes a client's X-Request-Id.
import crypto from 'node:crypto';
import { CASE_STATUS_LABELS } from '../../core/format/labels';
import { hashPassword } from '../../core/passwords';
import { giveConsent } from '../support/consent';
import { FormClient } from '../support/form-client';
import { DEMO_PASSWORD, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let caseworker: string;
let caseId: string;
let taskId: string;
let page: FormClient;

beforeAll(async () => {
  stack = await startStack();
  caseworker = await stack.token('fallmanagement@kim.example');
  const p = await stack.api('POST', '/api/persons', { token: caseworker, body: { firstName: 'Ilka', lastName: 'Protokollnah' } });
  const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } });
  caseId = c.body.id;
  await giveConsent(stack, caseworker, caseId);
  taskId = (
    await stack.api('POST', `/api/cases/${caseId}/handoffs`, { token: caseworker, body: { step: 'cost-approval', department: '5-50' } })
  ).body.id;
  page = new FormClient(stack.url);
  await page.login('fallmanagement@kim.example');
});
afterAll(() => stack?.stop());

const count = (where: object) => stack.db.auditEvent.count({ where });

it('one case.read per view: the page’s status poll adds none', async () => {
  const before = await count({ action: 'case.read', caseId });
  expect((await page.get(`/faelle/${caseId}`)).status).toBe(200);
  for (let i = 0; i < 3; i++) expect((await page.get(`/faelle/${caseId}/status`)).status).toBe(200);
  expect(await count({ action: 'case.read', caseId })).toBe(before + 1);
});

it('the case page and its status poll answer from the stored status (the workflow is not asked), only for cases the user may read', async () => {
  // the stored status differs from the workflow's here on purpose: page and poll show the stored one
  await stack.db.case.update({ where: { id: caseId }, data: { status: 'on_hold' } });
  try {
    const r = await page.get(`/faelle/${caseId}/status`);
    expect(JSON.parse(r.text)).toEqual({ status: 'on_hold', label: CASE_STATUS_LABELS.on_hold });
    const view = await page.get(`/faelle/${caseId}`);
    expect(view.status).toBe(200);
    expect(view.text).toMatch(new RegExp(`data-live-status="/faelle/${caseId}/status"[^>]*>${CASE_STATUS_LABELS.on_hold}<`));
    // the JSON API still asks the workflow (its `live` flag)
    const api = await stack.api('GET', `/api/cases/${caseId}`, { token: caseworker });
    expect(api.body).toEqual(expect.objectContaining({ status: 'open', live: true }));
  } finally {
    await stack.db.case.update({ where: { id: caseId }, data: { status: 'open' } });
  }
  const other = new FormClient(stack.url);
  await other.login('soziale-foerderung@kim.example');
  const before = await count({ action: 'access.refused', entityId: caseId });
  expect((await other.get(`/faelle/${caseId}/status`)).status).toBe(403);
  expect(await count({ action: 'access.refused', entityId: caseId })).toBe(before + 1);
  expect((await page.get(`/faelle/${crypto.randomUUID()}/status`)).status).toBe(404);
});

it('list reads that show names are audited: the case list and the task lists', async () => {
  const before = await count({ action: 'case.list' });
  expect((await page.get('/faelle')).status).toBe(200);
  const row = await stack.db.auditEvent.findFirstOrThrow({ where: { action: 'case.list' }, orderBy: { id: 'desc' } });
  expect(await count({ action: 'case.list' })).toBe(before + 1);
  expect((row.details as { caseIds: string[] }).caseIds).toContain(caseId);

  const member = new FormClient(stack.url);
  await member.login('soziale-foerderung@kim.example');
  expect((await member.get('/aufgaben')).status).toBe(200);
  const t = await stack.db.auditEvent.findFirstOrThrow({ where: { action: 'task.list' }, orderBy: { id: 'desc' } });
  expect(t.actorRole).toBe('department_member');
  expect((t.details as { taskIds: string[] }).taskIds).toContain(taskId);
  expect((await stack.api('GET', '/api/tasks', { token: caseworker })).status).toBe(200);
  expect(await count({ action: 'task.list', actorRole: 'caseworker' })).toBeGreaterThanOrEqual(1);
});

it('refused attempts on others’ records are audited (403 and 404)', async () => {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await stack.db.user.create({
    data: { email: 'fremd@kim.example', name: 'Fremdes Team', role: 'caseworker', departmentId: 'wohnungsamt', passwordHash },
  });
  const other = await stack.token('fremd@kim.example');
  const { id: otherId } = await stack.db.user.findUniqueOrThrow({ where: { email: 'fremd@kim.example' } });

  expect((await stack.api('GET', `/api/cases/${caseId}`, { token: other })).status).toBe(403);
  expect(
    await stack.db.auditEvent.findFirst({ where: { action: 'access.refused', actorId: otherId, entityType: 'Case', entityId: caseId } }),
  ).toMatchObject({
    details: { attempted: 'case.read', status: 403 },
  });
  const personId = (await stack.db.case.findUniqueOrThrow({ where: { id: caseId } })).personId;
  expect((await stack.api('GET', `/api/persons/${personId}`, { token: other })).status).toBe(404);
  expect(await count({ action: 'access.refused', actorId: otherId, entityType: 'Person', entityId: personId })).toBe(1);
  const jc = await stack.token('jobcenter@kim.example');
  expect((await stack.api('GET', `/api/tasks/${taskId}`, { token: jc })).status).toBe(404);
  expect(await count({ action: 'access.refused', entityType: 'Task', entityId: taskId, actorRole: 'department_member' })).toBe(1);

  // a chain of the case: reading it (404) and changing it (403) from the other team
  const chain = await stack.api('POST', `/api/cases/${caseId}/chains`, { token: caseworker, body: { type: 'education-work' } });
  expect(chain.status).toBe(201);
  const processId = chain.body.id as string;
  expect((await stack.api('GET', `/api/processes/${processId}`, { token: other })).status).toBe(404);
  expect((await stack.api('POST', `/api/processes/${processId}/hold`, { token: other, body: { reason: 'fremd' } })).status).toBe(403);
  const refusedOnProcess = await stack.db.auditEvent.findMany({
    where: { action: 'access.refused', actorId: otherId, entityId: processId },
  });
  expect(refusedOnProcess.map((e) => (e.details as { attempted: string }).attempted).sort()).toEqual(['process.change', 'process.read']);
  // changing the case (status, a handoff) from the other team: 403, audited
  expect(
    (await stack.api('POST', `/api/cases/${caseId}/status`, { token: other, body: { status: 'on_hold', reason: 'fremd' } })).status,
  ).toBe(403);
  expect(
    (await stack.api('POST', `/api/cases/${caseId}/handoffs`, { token: other, body: { step: 'general', department: '5-50' } })).status,
  ).toBe(403);
  const refusedOnCase = await stack.db.auditEvent.findMany({ where: { action: 'access.refused', actorId: otherId, entityType: 'Case' } });
  expect(refusedOnCase.map((e) => (e.details as { attempted: string }).attempted).sort()).toEqual([
    'case.change',
    'case.read',
    'task.create',
  ]);
  // the Art. 15 export of a person outside the user's scope
  expect((await stack.api('GET', `/api/persons/${personId}/export`, { token: other })).status).toBe(404);
  expect(await count({ action: 'access.refused', actorId: otherId, entityType: 'Person', entityId: personId })).toBe(2);
});

it('a client’s X-Request-Id never reaches the audit log', async () => {
  const forged = `forged-${crypto.randomBytes(4).toString('hex')}`;
  const r = await stack.api('GET', `/api/cases/${caseId}`, { token: caseworker, headers: { 'x-request-id': forged } });
  expect(r.status).toBe(200);
  expect(r.headers.get('x-request-id')).not.toBe(forged);
  expect(await count({ requestId: forged })).toBe(0);
  const row = await stack.db.auditEvent.findFirstOrThrow({ where: { action: 'case.read', caseId }, orderBy: { id: 'desc' } });
  expect(row.requestId).toBe(r.headers.get('x-request-id'));
});
