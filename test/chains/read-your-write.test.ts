// What a caller sees right after an action (issue 14): the first GET after the 201 of a chain start
// shows the current step (it is written with the process row), and `steps` lists every step of the
// definition in order with its status, not only the steps reached so far.
import { chainDefinitionFor } from '../../core/domain/chains';
import { chainDriver } from '../support/chain-helpers';
import { startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let caseworker: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: 0.5 });
  caseworker = await stack.token('fallmanagement@kim.example');
  d = chainDriver(stack, caseworker);
});
afterAll(() => stack?.stop());

it('right after the 201 of the start, GET /api/processes/{id} shows the current step (no wait)', async () => {
  // the worker is stopped, so only the start transaction can have written the step
  await stack.stopWorker();
  try {
    const c = await d.newCase();
    const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
    expect(r.status).toBe(201);
    const p = await d.process(r.body.id);
    expect(p.status).toBe('running');
    expect(p.currentStep).toMatchObject({ key: 'readiness', title: 'Wohnfähigkeit einschätzen', status: 'active' });
    expect(p.currentStep.dueAt).not.toBeNull();
    expect(p.steps[0]).toMatchObject({ key: 'readiness', status: 'current' });
  } finally {
    await stack.startWorker();
  }
});

it('the first read after the start of a running worker shows the step too, and the workflow then keeps it', async () => {
  const c = await d.newCase();
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  const first = await d.process(r.body.id);
  expect(first.currentStep?.key).toBe('readiness');
  const later = await d.at(r.body.id, 'readiness', 'active');
  expect(later.history.map((h: { event: string }) => h.event)).toEqual(['chain.started', 'step.started']);
  expect(later.stepRuns).toHaveLength(1); // the workflow's first step is the row the start wrote
});

it('steps: every step of the definition in order with done / current / waiting / skipped / not_reached', async () => {
  const def = chainDefinitionFor('move-out')!;
  const c = await d.newCase();
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  const id = r.body.id as string;
  await d.complete(id, 'readiness', 'ready');
  await d.departmentActs(id, 'residence-check', 'complete', { outcome: 'clear' });
  await d.complete(id, 'wbs', 'skip');
  const p = await d.at(id, 'search-profile', 'active');
  expect(p.steps.map((s: { key: string }) => s.key)).toEqual(Object.keys(def.steps));
  const status = Object.fromEntries(p.steps.map((s: { key: string; status: string }) => [s.key, s.status]));
  expect(status).toMatchObject({
    readiness: 'done',
    training: 'not_reached',
    'residence-check': 'done',
    'residence-application': 'not_reached',
    wbs: 'skipped',
    'search-profile': 'current',
    offer: 'not_reached',
    'aftercare-12w': 'not_reached',
  });
  expect(p.steps.find((s: { key: string }) => s.key === 'readiness')).toMatchObject({ outcome: 'ready', runs: 1 });
  expect(p.stepRuns.map((s: { key: string }) => s.key)).toEqual(['readiness', 'residence-check', 'wbs', 'search-profile']);

  // a step waiting for its activation (training phase) is "waiting"
  const c2 = await d.newCase();
  const r2 = await stack.api('POST', `/api/cases/${c2.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  await d.complete(r2.body.id, 'readiness', 'support-needed');
  const w = await d.at(r2.body.id, 'training', 'waiting');
  expect(w.steps.find((s: { key: string }) => s.key === 'training')).toMatchObject({ status: 'waiting', phase: 'waiting' });
  expect(w.steps.find((s: { key: string }) => s.key === 'readiness')).toMatchObject({ status: 'done', outcome: 'support-needed' });
});
