// The reconcile job on its own: a corrupted read-model row is repaired on the next run, without a request.
import { startReconcileJob } from '../../api/services/reconcile';
import { createLogger } from '../../core/log';
import { chainDriver } from '../support/chain-helpers';
import { eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

it('repairs drift between the read model and the workflows periodically', async () => {
  const token = await stack.token('fallmanagement@kim.example');
  const d = chainDriver(stack, token);
  const c = await d.newCase();
  const id = (await stack.api('POST', `/api/cases/${c.id}/chains`, { token, body: { type: 'move-out' } })).body.id as string;
  await d.at(id, 'readiness');
  await stack.db.$executeRaw`UPDATE "Process" SET "currentStep" = 'lease', "status" = 'on_hold' WHERE id = ${id}`;
  const stop = startReconcileJob({ db: stack.db, temporal: stack.client, intervalMs: 200, log: createLogger('silent') });
  try {
    const p = await eventually(async () => {
      const row = await stack.db.process.findUniqueOrThrow({ where: { id } });
      return row.currentStep === 'readiness' && row.status === 'running' ? row : undefined;
    }, 20_000);
    expect(p.currentStep).toBe('readiness');
    expect(await stack.db.auditEvent.count({ where: { action: 'process.reconcile', entityId: id } })).toBe(1);
  } finally {
    await stop();
  }
});
