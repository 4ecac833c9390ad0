// The supervisor's bulk reassignment form on /leitung (a caseworker leaves or is absent for long):
// a form post with the session's CSRF token moves every running chain of one caseworker to another;
// missing fields come back as German errors naming them, nothing changes; caseworkers get no form
// and a 403 on the post.
import { chainDriver } from '../support/chain-helpers';
import { FormClient, hidden } from '../support/form-client';
import { eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: true, outbox: false });
});
afterAll(() => stack?.stop());

it('moves all running chains of one caseworker to another; errors name the fields; caseworkers may not', async () => {
  const token = await stack.token('fallmanagement@kim.example');
  const from = await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } });
  const deputy = await stack.db.user.create({
    data: { email: 'vertretung@kim.example', name: 'Vertretung Fallmanagement', role: 'caseworker', departmentId: '5-53' },
  });
  const d = chainDriver(stack, token);
  const ids: string[] = [];
  for (const type of ['move-out', 'education-work']) {
    const c = await d.newCase();
    const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token, body: { type } });
    expect(r.status).toBe(201);
    ids.push(r.body.id);
  }
  await eventually(async () => (await stack.db.process.count({ where: { id: { in: ids }, currentStep: { not: null } } })) === 2);

  const supervisor = new FormClient(stack.url);
  await supervisor.login('leitung@kim.example');
  const page = await supervisor.get('/leitung');
  expect(page.status).toBe(200);
  expect(page.text).toContain('Ketten gesammelt übertragen');
  expect(page.text).toContain(`<option value="${from.id}">Fallmanagement KIM (2 laufend)</option>`);

  const bad = await supervisor.post('/leitung/uebertragen', {
    _csrf: hidden(page.text, '_csrf'),
    fromCaseworkerId: from.id,
    toCaseworkerId: '',
    reason: '',
  });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('An: bitte eine Fallmanagerin / einen Fallmanager wählen');
  expect(bad.text).toContain('Begründung fehlt');
  expect(await stack.db.process.count({ where: { id: { in: ids }, assigneeId: deputy.id } })).toBe(0);
  const noCsrf = await supervisor.post('/leitung/uebertragen', {
    fromCaseworkerId: from.id,
    toCaseworkerId: deputy.id,
    reason: 'Elternzeit',
  });
  expect(noCsrf.status).toBe(403);

  const ok = await supervisor.post('/leitung/uebertragen', {
    _csrf: hidden(page.text, '_csrf'),
    fromCaseworkerId: from.id,
    toCaseworkerId: deputy.id,
    reason: 'Elternzeit ab Dezember',
  });
  expect(ok.status).toBe(200);
  expect(ok.text).toContain('2 Ketten übertragen.');
  expect((await stack.db.process.findMany({ where: { id: { in: ids } } })).map((p) => p.assigneeId)).toEqual([deputy.id, deputy.id]);
  expect(
    await stack.db.auditEvent.count({
      where: {
        action: 'process.bulk_reassign',
        actorId: (await stack.db.user.findUniqueOrThrow({ where: { email: 'leitung@kim.example' } })).id,
      },
    }),
  ).toBe(1);

  const caseworker = new FormClient(stack.url);
  await caseworker.login('fallmanagement@kim.example');
  const cwPage = await caseworker.get('/leitung');
  expect(cwPage.status).toBe(200);
  expect(cwPage.text).not.toContain('Ketten gesammelt übertragen');
  const refused = await caseworker.post('/leitung/uebertragen', {
    _csrf: hidden(cwPage.text, '_csrf'),
    fromCaseworkerId: deputy.id,
    toCaseworkerId: from.id,
    reason: 'zurück',
  });
  expect(refused.status).toBe(403);
}, 120_000);
