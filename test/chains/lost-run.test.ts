// Issue 17, found by the fault run on the dev-server shape: after a Temporal server restart a chain went on
// differently from a workflow task whose local activities had already written the read model (the server
// had lost the task's result). The new run's record came under a seq the lost run had used — it was taken
// for a retried activity and skipped, so a step stayed open in the read model that the workflow had done.
// Here the lost run's record is written as it was (another event under the next seq); then the workflow
// goes on: its records count, the read model equals the workflow's state.
import { chainStateQuery } from '../../workflows/chain';
import { openSteps } from '../../core/domain/chains/state';
import { chainDriver } from '../support/chain-helpers';
import { eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let caseworker: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack();
  caseworker = await stack.token('fallmanagement@kim.example');
  d = chainDriver(stack, caseworker);
});
afterAll(() => stack?.stop());

it("a record under a seq a lost run used replaces the lost run's records; the read model follows the workflow", async () => {
  const c = await d.newCase();
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  const id = r.body.id as string;
  await d.at(id, 'readiness', 'active');
  const events = await stack.db.processEvent.findMany({ where: { processId: id }, orderBy: { seq: 'asc' } });
  expect(events.map((e) => e.event)).toEqual(['chain.started', 'step.started']);
  // the lost run: it had recorded something else under the next seq (and one more after it)
  await stack.db.processEvent.createMany({
    data: [
      { processId: id, seq: 3, event: 'step.reminder', actor: 'system', step: 'readiness' },
      { processId: id, seq: 4, event: 'step.escalation', actor: 'system', step: 'readiness' },
    ],
  });

  await d.complete(id, 'readiness', 'ready');
  const p = await d.at(id, 'residence-check', 'handoff');
  const row = await stack.db.process.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { seq: 'asc' } } } });
  const state = await eventually(async () => {
    const s = await stack.client.workflow.getHandle(row.workflowId).query(chainStateQuery);
    return s.current?.key === 'residence-check' ? s : undefined;
  });
  expect(row.steps.filter((s) => s.completedAt === null).map((s) => `${s.seq}:${s.key}`)).toEqual(
    openSteps(state).map((s) => `${s.seq}:${s.key}`),
  );
  expect(row.steps.find((s) => s.key === 'readiness')).toMatchObject({ status: 'done', outcome: 'ready' });
  expect(p.history.map((h: { event: string; step: string | null }) => `${h.event}:${h.step}`)).toEqual([
    'chain.started:null',
    'step.started:readiness',
    'step.completed:readiness',
    'step.handoff:residence-check',
  ]);
});
