// Nothing lost, nothing twice, nothing late: an SMTP outage and a worker killed between "mail queued"
// and "mail sent" (a real worker process, SIGKILL) — every mail arrives exactly once, the handoff goes
// on, and after a restart a waiting mail goes out at once (not after a lease or a back-off of the
// killed worker has run out). "Exactly once" is checked after the mail is marked sent: the capture
// stores a mail before it answers 250, and the sender marks it sent only after that answer.
import net from 'node:net';
import { startOutboxSender } from '../../core/mail/outbox';
import { handoffWorkflowId } from '../../core/domain/handoff';
import { createLogger } from '../../core/log';
import { handoffStateQuery } from '../../workflows/handoff';
import { giveConsent } from '../support/consent';
import { eventually, startStack, type Stack } from '../support/stack';
import { killProcess as kill, startWorkerProcess as startWorker } from '../support/worker-process';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

/** How soon after the restarted worker is ready its mail must have gone out (normally < 1 s). */
const PROMPT_MS = 15_000;

let stack: Stack;
let caseworker: string;
let member: string;

beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
  [caseworker, member] = await Promise.all([stack.token('fallmanagement@kim.example'), stack.token('soziale-foerderung@kim.example')]);
});
afterAll(() => stack?.stop());

async function newHandoff(step: string) {
  const p = await stack.api('POST', '/api/persons', {
    token: caseworker,
    body: { firstName: 'D', lastName: 'Urable', benefitType: 'asylblg' },
  });
  const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } });
  await giveConsent(stack, caseworker, c.body.id, ['5-50']);
  const t = await stack.api('POST', `/api/cases/${c.body.id}/handoffs`, { token: caseworker, body: { step, department: '5-50' } });
  expect(t.status).toBe(201);
  return { reference: c.body.reference as string, taskId: t.body.id as string };
}

const notifyMails = (reference: string) =>
  stack.capture
    .list({ to: 'soziale-foerderung@kim.example' })
    .filter((m) => m.subject.includes(reference) && m.subject.startsWith('[KIM] Bitte bestätigen'));

const mailOf = (taskId: string) => stack.db.mail.findFirst({ where: { idempotencyKey: { startsWith: `task:${taskId}:` } } });

/** Waits until the task's mail is marked sent; it must be within `ms`. */
async function sentWithin(taskId: string, ms: number) {
  const t = Date.now();
  const mail = await eventually(async () => {
    const m = await mailOf(taskId);
    return m?.status === 'sent' ? m : undefined;
  }, ms);
  return { mail, ms: Date.now() - t };
}

/**
 * The handoff workflow has recorded the notification. A worker killed right after the mail was queued
 * may have died before its workflow task completed: the next worker runs it again after the task's
 * timeout (the mail's transaction is idempotent), and until then an action is answered with 409.
 */
const notified = (taskId: string) =>
  eventually(
    () =>
      stack.client.workflow
        .getHandle(handoffWorkflowId(taskId))
        .query(handoffStateQuery)
        .then(
          (s) => s.status === 'notified',
          () => false,
        ),
    30_000,
  );

/** A mail server that accepts connections and never answers (hung): a sender stays mid-delivery. */
async function hungSmtp(port: number) {
  const sockets = new Set<net.Socket>();
  let connected!: () => void;
  const firstConnection = new Promise<void>((r) => {
    connected = r;
  });
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    connected();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    firstConnection,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

it('worker killed while it was handing the mail to SMTP: after restart the mail goes out at once, exactly once', async () => {
  await stack.capture.stop();
  const hung = await hungSmtp(stack.smtpPort);
  let worker = await startWorker(stack);
  const { reference, taskId } = await newHandoff('cost-approval');
  await hung.firstConnection; // the worker has taken the mail and is connected to "SMTP"
  await kill(worker); // SIGKILL mid-delivery: no clean shutdown, no failure recorded
  await hung.close();
  await stack.capture.start(stack.smtpPort);
  worker = await startWorker(stack);
  // a second sender (as another worker would) races the restarted worker for the mail
  const other = startOutboxSender({
    db: stack.db,
    smtpUrl: `smtp://127.0.0.1:${stack.smtpPort}`,
    from: 'KIM Flow <kim@test.example>',
    log: createLogger('silent'),
    pollMs: 100,
    requireTls: false, // the capture offers no STARTTLS (like the workers of the test stack)
  });
  try {
    const { ms } = await sentWithin(taskId, PROMPT_MS);
    console.log(`mail sent ${ms} ms after the restarted worker was ready`);
    expect(notifyMails(reference)).toHaveLength(1);
    // the handoff itself survived the kill: the restarted worker runs it on
    await notified(taskId);
    expect((await stack.api('POST', `/api/tasks/${taskId}/accept`, { token: member })).status).toBe(200);
    expect(await stack.db.taskEvent.count({ where: { taskId } })).toBe(2); // notified, accepted — none repeated
  } finally {
    await other.stop();
    await kill(worker);
  }
}, 120_000);

it('worker killed after the mail was queued and sending failed (back-off at its cap after a long outage): after restart exactly one mail arrives, at once', async () => {
  await stack.capture.stop(); // SMTP down: the mail stays in the outbox
  let worker = await startWorker(stack);
  const { reference, taskId } = await newHandoff('wbs');
  const queued = await eventually(async () => {
    const m = await mailOf(taskId);
    return m && m.attempts >= 1 && m.status === 'pending' && m.lastError ? m : undefined;
  });
  expect(queued.sentAt).toBeNull();
  await kill(worker); // SIGKILL: no clean shutdown
  // as after hours of outage: the next attempt is 5 minutes away (the sender's cap)
  await stack.db.mail.update({ where: { id: queued.id }, data: { nextAttemptAt: new Date(Date.now() + 5 * 60_000) } });
  await stack.capture.start(stack.smtpPort);
  worker = await startWorker(stack);
  try {
    const { mail, ms } = await sentWithin(taskId, PROMPT_MS);
    console.log(`mail sent ${ms} ms after the restarted worker was ready`);
    expect(mail.id).toBe(queued.id);
    expect(notifyMails(reference)).toHaveLength(1);
    await notified(taskId);
    expect((await stack.api('POST', `/api/tasks/${taskId}/accept`, { token: member })).status).toBe(200);
    expect(await stack.db.taskEvent.count({ where: { taskId } })).toBe(2);
  } finally {
    await kill(worker);
  }
}, 120_000);

it('SMTP outage: handoffs created while it is down are each mailed exactly once when it is back', async () => {
  const worker = await startWorker(stack);
  try {
    await stack.capture.stop();
    const handoffs = await Promise.all(['deposit', 'furnishing', 'general'].map(newHandoff));
    await eventually(async () => {
      const pending = await stack.db.mail.findMany({
        where: { status: 'pending', OR: handoffs.map((h) => ({ idempotencyKey: { startsWith: `task:${h.taskId}:` } })) },
      });
      return pending.length === 3 && pending.every((m) => m.attempts >= 2 && m.lastError) ? pending : undefined;
    }, 30_000);
    await stack.capture.start(stack.smtpPort);
    for (const h of handoffs) await sentWithin(h.taskId, 30_000);
    for (const h of handoffs) expect(notifyMails(h.reference)).toHaveLength(1);
  } finally {
    await kill(worker);
  }
}, 120_000);
