// The chain workflow runs its engine work one piece at a time (workflows/chain.ts, 'chain-serial-work').
// Messages are made to arrive in one workflow activation by stopping the worker while they are sent:
// the restarted worker gets them in one workflow task.
// - Both branches of a fork answered together (the cluster run's stuck chain): interleaved, the second
//   branch found the fork already joined and the workflow task failed on every retry (the chain stayed
//   after `checks`, every query answered "Workflow Task in failed state").
// - An action accepted while other work runs is checked again when its turn comes: a hold accepted
//   while the last step's completion was still recording put the ended chain „on hold" for ever.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { chainStateQuery, completeStepUpdate, holdUpdate } from '../../workflows/chain';
import { handoffResultSignal } from '../../workflows/handoff';
import { chainWorkflowId, type ChainState } from '../../core/domain/chains/state';
import { chainDriver } from '../support/chain-helpers';
import { recordHistory } from '../support/histories';
import { eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: 60 });
  d = chainDriver(stack, await stack.token('fallmanagement@kim.example'));
});
afterAll(() => stack?.stop());

it('two branch results in one activation: the fork joins once and the chain goes on', async () => {
  const c = await d.newCase();
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, {
    token: await stack.token('fallmanagement@kim.example'),
    body: { type: 'move-out' },
  });
  expect(r.status).toBe(201);
  const id = r.body.id as string;
  await d.complete(id, 'readiness', 'ready');
  const chain = stack.client.workflow.getHandle(chainWorkflowId(c.id, 'move-out'));
  const state = await eventually(async () => {
    const s = await chain.query(chainStateQuery);
    return s.fork?.branches.length === 2 && s.fork.branches.every((b) => b.phase === 'handoff' && b.taskId) ? s : undefined;
  });
  const task = (key: string) => state.fork!.branches.find((b) => b.key === key)!.taskId!;

  await stack.stopWorker();
  // what the two handoff workflows signal when their departments complete (both before the worker is back)
  await chain.signal(handoffResultSignal, {
    taskId: task('residence-check'),
    stepKey: 'residence-check',
    status: 'completed',
    outcome: 'clear',
  });
  await chain.signal(handoffResultSignal, { taskId: task('wbs'), stepKey: 'wbs', status: 'completed', outcome: 'issued' });
  await stack.startWorker();

  // the read model shows the step after the join — or the history shows the workflow task failing
  const outcome = await eventually(async () => {
    const p = await d.process(id);
    if (p.currentSteps.some((s: { key: string }) => s.key === 'search-profile')) return { p };
    for (const e of (await chain.fetchHistory()).events ?? [])
      if (e.workflowTaskFailedEventAttributes) return { failed: e.workflowTaskFailedEventAttributes.failure?.message ?? 'failed' };
    return undefined;
  }, 60_000);
  expect(outcome).toEqual({ p: expect.anything() });
  const after: ChainState = await chain.query(chainStateQuery);
  expect(after.fork).toBeUndefined();
  expect(after.done.filter((s) => s.key === 'checks')).toEqual([expect.objectContaining({ outcome: 'joined' })]);
  expect(after.done.map((s) => s.key)).toEqual(expect.arrayContaining(['residence-check', 'wbs']));
  // the read model agrees: the join and the next step recorded once each
  const p = await d.at(id, 'search-profile', 'active');
  expect(p.currentSteps.map((s: { key: string }) => s.key)).toEqual(['search-profile']);
  const completed = await stack.db.processEvent.count({ where: { processId: id, step: 'checks', event: 'step.completed' } });
  expect(completed).toBe(1);
  await recordHistory(stack, chainWorkflowId(c.id, 'move-out'), 'move-out-v2-serial-fork-results-batched');
});

it('a hold accepted while the last step completes is refused when its turn comes; the chain ends', async () => {
  const token = await stack.token('fallmanagement@kim.example');
  const user = await stack.db.user.findFirstOrThrow({ where: { email: 'fallmanagement@kim.example' } });
  const actor = { kind: 'user' as const, userId: user.id, role: 'caseworker' };
  const c = await d.newCase();
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token, body: { type: 'health' } });
  expect(r.status).toBe(201);
  await d.at(r.body.id, 'insurance', 'active');
  const chain = stack.client.workflow.getHandle(chainWorkflowId(c.id, 'health'));

  await stack.stopWorker();
  const completing = chain
    .executeUpdate(completeStepUpdate, { args: [{ stepKey: 'insurance', outcome: 'withdrawn', data: { coverage: 'none' }, actor }] })
    .then(
      () => 'ok' as const,
      (e: unknown) => e,
    );
  // the completion reaches the server first (the order of the two in the activation), the hold after it
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const holding = chain.executeUpdate(holdUpdate, { args: [{ reason: 'Urlaub', actor }] }).then(
    () => 'ok' as const,
    (e: unknown) => e,
  );
  await stack.startWorker();

  const [completed, held] = await Promise.all([completing, holding]);
  expect(completed).toBe('ok');
  expect(held).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((held as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'WrongState' });
  const end = await chain.result();
  expect(end).toMatchObject({ status: 'completed', endCode: 'withdrawn' });
  expect(await stack.db.processEvent.count({ where: { processId: r.body.id, event: 'chain.held' } })).toBe(0);
  await recordHistory(stack, chainWorkflowId(c.id, 'health'), 'health-v1-serial-hold-refused-batched');
});
