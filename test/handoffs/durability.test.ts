// Nothing lost, nothing twice: an SMTP outage and a worker killed between "mail queued" and
// "mail sent" (a real worker process, SIGKILL) — every mail arrives exactly once, the handoff goes on.
import { giveConsent } from '../support/consent';
import { eventually, startStack, type Stack } from '../support/stack';
import { killProcess as kill, startWorkerProcess as startWorker } from '../support/worker-process';

let stack: Stack;
let caseworker: string;
let member: string;

beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
  [caseworker, member] = await Promise.all([stack.token('fallmanagement@kim.example'), stack.token('soziale-foerderung@kim.example')]);
});
afterAll(() => stack?.stop());

async function newHandoff(step: string) {
  const p = await stack.api('POST', '/api/persons', { token: caseworker, body: { firstName: 'D', lastName: 'Urable', benefitType: 'asylblg' } });
  const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } });
  await giveConsent(stack, caseworker, c.body.id, ['5-50']);
  const t = await stack.api('POST', `/api/cases/${c.body.id}/handoffs`, { token: caseworker, body: { step, department: '5-50' } });
  expect(t.status).toBe(201);
  return { reference: c.body.reference as string, taskId: t.body.id as string };
}

const notifyMails = (reference: string) => stack.capture.list({ to: 'soziale-foerderung@kim.example' })
  .filter((m) => m.subject.includes(reference) && m.subject.startsWith('[KIM] Bitte bestätigen'));

it('worker killed after the mail was queued, before it was sent: after restart exactly one mail arrives', async () => {
  await stack.capture.stop(); // SMTP down: the mail stays in the outbox
  let worker = await startWorker(stack);
  const { reference, taskId } = await newHandoff('cost-approval');
  const queued = await eventually(async () => {
    const m = await stack.db.mail.findFirst({ where: { idempotencyKey: { startsWith: `task:${taskId}:` } } });
    return m && m.attempts >= 1 && m.status === 'pending' ? m : undefined;
  });
  expect(queued.sentAt).toBeNull();
  await kill(worker); // SIGKILL: no clean shutdown
  await stack.capture.start(stack.smtpPort);
  worker = await startWorker(stack);
  try {
    await eventually(() => notifyMails(reference).length >= 1, 30_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(notifyMails(reference)).toHaveLength(1);
    expect((await stack.db.mail.findUniqueOrThrow({ where: { id: queued.id } })).status).toBe('sent');
    // the handoff itself survived the kill: the restarted worker runs it on
    expect((await stack.api('POST', `/api/tasks/${taskId}/accept`, { token: member })).status).toBe(200);
    expect(await stack.db.taskEvent.count({ where: { taskId } })).toBe(2); // notified, accepted — none repeated
  } finally {
    await kill(worker);
  }
}, 120_000);

it('SMTP outage: handoffs created while it is down are each mailed exactly once when it is back', async () => {
  const worker = await startWorker(stack);
  try {
    await stack.capture.stop();
    const handoffs = await Promise.all(['wbs', 'deposit', 'furnishing'].map(newHandoff));
    await eventually(async () => {
      const pending = await stack.db.mail.findMany({ where: { status: 'pending', OR: handoffs.map((h) => ({ idempotencyKey: { startsWith: `task:${h.taskId}:` } })) } });
      return pending.length === 3 && pending.every((m) => m.attempts >= 2 && m.lastError) ? pending : undefined;
    }, 30_000);
    await stack.capture.start(stack.smtpPort);
    for (const h of handoffs) await eventually(() => notifyMails(h.reference).length >= 1, 30_000);
    await new Promise((r) => setTimeout(r, 2_000));
    for (const h of handoffs) expect(notifyMails(h.reference)).toHaveLength(1);
  } finally {
    await kill(worker);
  }
}, 120_000);
