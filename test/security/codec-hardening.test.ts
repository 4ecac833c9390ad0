// Issue 12, point 4: the codec endpoint decodes (and encodes) for supervisors only — admins see no case
// content — and audits the workflow id where the request names one (the Temporal UI sends only
// X-Namespace: then key id and ciphertext fingerprint per payload); the worker's codec refuses plaintext
// payloads unless KIM_PAYLOAD_REQUIRE_ENCRYPTION=false.
import crypto from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createPayloadCodec } from '../../core/codec';
import { loadConfig } from '../../core/config';
import { caseWorkflowId } from '../../core/domain/case-state';
import { createKimWorker } from '../../worker/worker';
import { chainDriver } from '../support/chain-helpers';
import { encryptedPayloads } from '../support/history-text';
import { LINK_KEYS, PAYLOAD_CODEC, PAYLOAD_KEYS, eventually, startStack, testEnv, type Stack } from '../support/stack';

const json = (v: unknown) => defaultPayloadConverter.toPayload(v) as Payload;
const wire = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

test('strict codec: plaintext payloads are refused on decode; the switch is on by default and can be turned off', async () => {
  const strict = createPayloadCodec(PAYLOAD_KEYS, { requireEncrypted: true });
  await expect(strict.decode([json({ step: 'eingeschleust' })])).rejects.toThrow(/Unverschlüsselte Temporal-Daten abgelehnt/);
  const [enc] = await strict.encode([json(1)]);
  expect(defaultPayloadConverter.fromPayload((await strict.decode([enc]))[0])).toBe(1);
  expect(defaultPayloadConverter.fromPayload((await createPayloadCodec(PAYLOAD_KEYS).decode([json(2)]))[0])).toBe(2);
  expect(loadConfig({}).KIM_PAYLOAD_REQUIRE_ENCRYPTION).toBe(true);
  expect(loadConfig({ KIM_PAYLOAD_REQUIRE_ENCRYPTION: 'false' }).KIM_PAYLOAD_REQUIRE_ENCRYPTION).toBe(false);
});

describe('on the real stack', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: false, outbox: false });
  });
  afterAll(() => stack?.stop());

  const decode = (token: string, payloads: Payload[], headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/api/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-namespace': 'default', ...headers },
      body: JSON.stringify({ payloads: payloads.map(wire) }),
    });

  test('admins may neither decode nor encode; a supervisor’s decode is audited with the workflow id the request names', async () => {
    const [encrypted] = await PAYLOAD_CODEC.encode([json({ name: 'Zxqwelda' })]);
    const admin = await stack.token('admin@kim.example');
    expect((await decode(admin, [encrypted])).status).toBe(403);
    const enc = await fetch(`${stack.url}/api/codec/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ payloads: [wire(json(1))] }),
    });
    expect(enc.status).toBe(403);

    const supervisor = await stack.token('leitung@kim.example');
    const caseId = crypto.randomUUID();
    expect((await decode(supervisor, [encrypted], { 'x-workflow-id': caseWorkflowId(caseId) })).status).toBe(200);
    const row = await stack.db.auditEvent.findFirstOrThrow({ where: { action: 'temporal.payloads.decoded' }, orderBy: { id: 'desc' } });
    expect(row).toMatchObject({ entityType: 'Workflow', entityId: caseWorkflowId(caseId), caseId, actorRole: 'supervisor' });
    const sha = crypto.createHash('sha256').update(encrypted.data!).digest('hex').slice(0, 32);
    expect(row.details).toMatchObject({
      namespace: 'default',
      workflowId: caseWorkflowId(caseId),
      payloads: [{ keyId: 'cur', sha256: sha }],
    });

    // what the Temporal UI sends (no workflow id): audited with namespace, key id and fingerprint; a Referer path is used
    expect(
      (await decode(supervisor, [encrypted], { referer: 'http://localhost:8233/namespaces/default/workflows/handoff-abc/run/history' }))
        .status,
    ).toBe(200);
    const viaReferer = await stack.db.auditEvent.findFirstOrThrow({
      where: { action: 'temporal.payloads.decoded' },
      orderBy: { id: 'desc' },
    });
    expect(viaReferer.entityId).toBe('handoff-abc');
    expect((await decode(supervisor, [encrypted])).status).toBe(200);
    const plain = await stack.db.auditEvent.findFirstOrThrow({ where: { action: 'temporal.payloads.decoded' }, orderBy: { id: 'desc' } });
    expect(plain).toMatchObject({
      entityType: 'TemporalPayload',
      entityId: null,
      details: { workflowId: null, payloads: [{ keyId: 'cur', sha256: sha }] },
    });
  });

  test('what the Temporal UI decodes is audited per workflow although its request names none (the id is bound into each payload)', async () => {
    const caseworker = await stack.token('fallmanagement@kim.example');
    const supervisor = await stack.token('leitung@kim.example');
    const d = chainDriver(stack, caseworker);
    const [a, b] = [await d.newCase(), await d.newCase()];
    const startInput = async (caseId: string) => {
      const history = await stack.rawClient.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
      return encryptedPayloads(history.events![0])[0];
    };
    const payloads = [await startInput(a.id), await startInput(b.id)];
    const before = await stack.db.auditEvent.count({ where: { action: 'temporal.payloads.decoded' } });
    // a forged X-Workflow-Id does not override the id the payload carries
    expect((await decode(supervisor, payloads, { 'x-workflow-id': 'case-00000000-0000-0000-0000-000000000000' })).status).toBe(200);
    const rows = await stack.db.auditEvent.findMany({
      where: { action: 'temporal.payloads.decoded' },
      orderBy: { id: 'asc' },
      skip: before,
    });
    expect(rows.map((r) => [r.entityType, r.entityId, r.caseId])).toEqual([
      ['Workflow', caseWorkflowId(a.id), a.id],
      ['Workflow', caseWorkflowId(b.id), b.id],
    ]);
    // a payload relabelled to another workflow is refused, and nothing is audited as decoded
    const relabelled = { ...payloads[0], metadata: { ...payloads[0].metadata, 'kim-workflow-id': Buffer.from(caseWorkflowId(b.id)) } };
    expect((await decode(supervisor, [relabelled])).status).toBe(400);
    expect(await stack.db.auditEvent.count({ where: { action: 'temporal.payloads.decoded' } })).toBe(before + 2);
  });

  async function runWorker(requireEncrypted: boolean, fn: (taskQueue: string) => Promise<void>) {
    const env = testEnv();
    const connection = await NativeConnection.connect({ address: env.temporalAddress });
    const taskQueue = `strict-${crypto.randomBytes(4).toString('hex')}`;
    const worker: Worker = await createKimWorker({
      connection,
      namespace: 'default',
      taskQueue,
      db: stack.db,
      publicUrl: stack.url,
      log: (await import('../../core/log')).createLogger('silent'),
      workflowBundle: { codePath: env.workflowBundle },
      linkKeys: LINK_KEYS,
      linkTtlDays: 14,
      dataConverter: { payloadCodecs: [createPayloadCodec(PAYLOAD_KEYS, { requireEncrypted })] },
    });
    const running = worker.run();
    try {
      await fn(taskQueue);
    } finally {
      worker.shutdown();
      await running.catch(() => {});
      await connection.close();
    }
  }

  const startPlain = (taskQueue: string) => {
    const workflowId = `plain-${crypto.randomUUID()}`;
    // a client WITHOUT the codec: plain arguments, as anyone with write access to Temporal could send them
    return stack.rawClient.workflow.start('caseWorkflow', {
      workflowId,
      taskQueue,
      args: [{ caseId: crypto.randomUUID(), topic: 'housing' }],
    });
  };
  const events = async (workflowId: string) =>
    (await stack.rawClient.workflow.getHandle(workflowId).fetchHistory()).events!.map((e) => String(e.eventType));

  test('the strict worker refuses a workflow started with plaintext arguments (its task fails, nothing runs)', async () => {
    await runWorker(true, async (taskQueue) => {
      const h = await startPlain(taskQueue);
      // 9 = WORKFLOW_TASK_FAILED, 7 = WORKFLOW_TASK_COMPLETED (numeric enum in the raw history)
      const types = await eventually(async () => {
        const t = await events(h.workflowId);
        return t.some((x) => x === '9' || x === 'EVENT_TYPE_WORKFLOW_TASK_FAILED') ? t : undefined;
      });
      expect(types.some((x) => x === '7' || x === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED')).toBe(false);
      await h.terminate('Test');
    });
  }, 40_000);

  test('with KIM_PAYLOAD_REQUIRE_ENCRYPTION=false (histories from before the codec) plaintext still runs', async () => {
    await runWorker(false, async (taskQueue) => {
      const h = await startPlain(taskQueue);
      await eventually(async () => (await events(h.workflowId)).some((x) => x === '7' || x === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED'));
      await h.terminate('Test');
    });
  }, 40_000);
});
