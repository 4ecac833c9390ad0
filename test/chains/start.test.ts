// Issue 17, P1: a chain start writes its rows in one statement and then starts the workflow — no
// transaction held open around the gRPC call — and keeps its guarantees: a double submit never makes a
// second process, a start that does not happen leaves no process row behind, and the first read after
// the 201 shows the first step (test/chains/read-your-write.test.ts).
import { Client, WorkflowIdReusePolicy, type WorkflowClientInterceptor } from '@temporalio/client';
import { startChain } from '../../api/services/chains';
import { createDb } from '../../core/db/client';
import { chainWorkflowId } from '../../core/domain/chains/state';
import { chainDriver } from '../support/chain-helpers';
import { startStack, PAYLOAD_CODEC, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack();
  caseworker = await stack.token('fallmanagement@kim.example');
  d = chainDriver(stack, caseworker);
});
afterAll(() => stack?.stop());

it('holds no database connection while the workflow starts (a pool of one connection is enough)', async () => {
  const c = await d.newCase();
  const db = createDb(stack.databaseUrl, 1);
  // the start call itself needs the one connection: with a transaction held around it, it would wait
  // for the transaction, the transaction for the start — until the pool's timeout
  const interceptor: WorkflowClientInterceptor = {
    async start(input, next) {
      await db.$queryRaw`SELECT 1`;
      return next(input);
    },
  };
  const temporal = new Client({
    connection: stack.client.connection,
    namespace: 'default',
    dataConverter: { payloadCodecs: [PAYLOAD_CODEC] },
    interceptors: { workflow: [interceptor] },
  });
  try {
    const user = await stack.db.user.findFirstOrThrow({ where: { email: 'fallmanagement@kim.example' } });
    const t = Date.now();
    const { id } = await startChain(
      { db, temporal, taskQueue: stack.taskQueue, workingDaySeconds: 0 },
      { id: user.id, email: user.email, name: user.name, role: user.role, departmentId: user.departmentId },
      { id: user.id, role: user.role },
      c.id,
      'move-out',
    );
    expect(Date.now() - t).toBeLessThan(5_000); // the pool's connection timeout is 10 s
    const p = await d.at(id, 'readiness', 'active');
    expect(p.stepRuns).toHaveLength(1);
    expect(await stack.db.auditEvent.count({ where: { action: 'process.start', entityId: id, actorId: user.id } })).toBe(1);
  } finally {
    await db.$disconnect();
  }
});

it('a double submit (eight at once) makes one process: one 201, the others 409 with its id', async () => {
  const c = await d.newCase();
  const answers = await Promise.all(
    Array.from({ length: 8 }, () => stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } })),
  );
  const created = answers.filter((a) => a.status === 201);
  expect(created).toHaveLength(1);
  const id = created[0].body.id as string;
  for (const a of answers.filter((x) => x.status !== 201)) {
    expect(a.status).toBe(409);
    expect(a.body.error.id).toBe(id);
  }
  expect(await stack.db.process.count({ where: { caseId: c.id } })).toBe(1);
  expect(await stack.db.processStep.count({ where: { process: { caseId: c.id } } })).toBeGreaterThanOrEqual(1);
  expect(await stack.db.auditEvent.count({ where: { action: 'process.start', caseId: c.id } })).toBe(1);
  const p = await d.process(id); // read your write: the first step at once
  expect(p.currentStep).toMatchObject({ key: 'readiness', status: 'active' });
  expect(p.currentStep.dueAt).not.toBeNull();
});

it('a start the Temporal server refuses leaves no process row: 409, the attempt audited', async () => {
  const c = await d.newCase();
  // another workflow holds the chain's id (as a previous chain whose workflow does not close)
  const blocker = await stack.client.workflow.start('nobodyRunsThis', {
    taskQueue: `${stack.taskQueue}-nobody`,
    workflowId: chainWorkflowId(c.id, 'move-out'),
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  try {
    const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
    expect(r.status).toBe(409);
    expect(await stack.db.process.count({ where: { caseId: c.id } })).toBe(0);
    expect(await stack.db.processStep.count({ where: { process: { caseId: c.id } } })).toBe(0);
    const audited = await stack.db.auditEvent.findMany({ where: { caseId: c.id, action: { startsWith: 'process.start' } } });
    expect(audited.filter((a) => a.action === 'process.start.failed').length).toBe(
      audited.filter((a) => a.action === 'process.start').length,
    );
  } finally {
    await blocker.terminate();
  }
  // and once it is gone, the chain starts
  const again = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(again.status).toBe(201);
});
