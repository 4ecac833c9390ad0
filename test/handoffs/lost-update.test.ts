// Issue 17, the chain left stuck by the cluster fault run (Temporal server restarted): a link action's
// transaction — the handoff's local activity, run inside the update's workflow task — can commit while
// the server loses the update itself (restarted before the update was accepted; the link POST got a
// 503). The read model then says "completed", the workflow still waits. Before the fix the retried link
// was refused as "task ended" (410) and the waiting chain never moved on. The test reproduces that state
// exactly: the activity's transaction is run with the workflow's next seq, the update never happened.
import { createHandoffActivities } from '../../activities/handoff';
import { caseWorkflowId } from '../../core/domain/case-state';
import { handoffWorkflowId, type HandoffInput } from '../../core/domain/handoff';
import { HandoffEngine } from '../../core/domain/handoff-engine';
import { caseStateQuery } from '../../workflows/case';
import { handoffStateQuery } from '../../workflows/handoff';
import { giveConsent } from '../support/consent';
import { eventually, LINK_KEYS, startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string;

beforeAll(async () => {
  stack = await startStack();
  caseworker = await stack.token('fallmanagement@kim.example');
});
afterAll(() => stack?.stop());

const page = async (path: string, form: Record<string, string>) => {
  const res = await fetch(stack.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, text: await res.text() };
};

async function newHandoff() {
  const p = await stack.api('POST', '/api/persons', {
    token: caseworker,
    body: { firstName: 'L', lastName: 'Ost', benefitType: 'asylblg' },
  });
  const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } });
  await giveConsent(stack, caseworker, c.body.id, ['5-50']);
  const t = await stack.api('POST', `/api/cases/${c.body.id}/handoffs`, {
    token: caseworker,
    body: { step: 'cost-approval', department: '5-50' },
  });
  expect(t.status).toBe(201);
  const taskId = t.body.id as string;
  const reference = c.body.reference as string;
  const mail = await eventually(() =>
    stack.capture
      .list({ to: 'soziale-foerderung@kim.example' })
      .find((m) => m.subject.includes(reference) && m.subject.startsWith('[KIM] Bitte bestätigen')),
  );
  const handle = stack.client.workflow.getHandle(handoffWorkflowId(taskId));
  await eventually(() => handle.query(handoffStateQuery).then((s) => s.status === 'notified'));
  const rows = await stack.db.actionToken.findMany({ where: { taskId, action: 'complete' } });
  const link = mail.links.map((l) => new URL(l).pathname).find((l) => rows.some((r) => l.includes(`.${r.id}.`)))!;
  return { caseId: c.body.id as string, reference, taskId, handle, link };
}

it('a link whose action was committed but lost by the server acts again and the waiting workflow moves on, once', async () => {
  const { caseId, reference, taskId, handle, link } = await newHandoff();
  const form = { outcome: 'approved', 'data.approvedRent': '500' };

  // what the worker's local activity committed for the lost update: the workflow's next record
  const state = await handle.query(handoffStateQuery);
  const engine = new HandoffEngine(structuredClone(state), {} as HandoffInput, () => Date.now()); // 'complete' needs no input
  const rec = engine.act({
    action: 'complete',
    outcome: 'approved',
    data: { approvedRent: 500 },
    actor: { kind: 'link', recipient: 'soziale-foerderung@kim.example', departmentId: '5-50' },
  });
  engine.state.seq++;
  const { recordTask } = createHandoffActivities({ db: stack.db, publicUrl: stack.url, linkKeys: LINK_KEYS, linkTtlDays: 14 });
  expect(await recordTask({ taskId, seq: engine.state.seq, ...rec, state: engine.state })).toBe('recorded');
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe('completed'); // read model ahead
  expect((await handle.query(handoffStateQuery)).status).toBe('notified'); // the workflow never saw the update

  // the retried link (same link, same update id) carries the action to the workflow
  const again = await page(link, form);
  expect(again.status).toBe(200);
  expect((await handle.query(handoffStateQuery)).status).toBe('completed');
  const caseState = await eventually(async () => {
    const s = await stack.client.workflow.getHandle(caseWorkflowId(caseId)).query(caseStateQuery);
    return s.handoffs?.some((h) => h.taskId === taskId) ? s : undefined;
  });
  expect(caseState.handoffs).toContainEqual({ taskId, stepKey: 'cost-approval', status: 'completed', outcome: 'approved' });
  // nothing twice: one "completed" event, one mail to the caseworker
  expect(await stack.db.taskEvent.count({ where: { taskId, event: 'completed' } })).toBe(1);
  await eventually(() =>
    stack.capture
      .list({ to: 'fallmanagement@kim.example' })
      .some((m) => m.subject.includes(reference) && m.subject.startsWith('[KIM] Erledigt')),
  );
  expect(
    stack.capture
      .list({ to: 'fallmanagement@kim.example' })
      .filter((m) => m.subject.includes(reference) && m.subject.startsWith('[KIM] Erledigt')),
  ).toHaveLength(1);
  // and now the link is spent; the ended task refuses it (410) as before
  expect((await page(link, form)).status).toBe(410);
});

it('a link of a task that really ended stays refused (410): the workflow agrees with the read model', async () => {
  const { taskId, handle, link } = await newHandoff();
  const rows = await stack.db.actionToken.findMany({ where: { taskId, action: 'decline' } });
  const mail = stack.capture
    .list({ to: 'soziale-foerderung@kim.example' })
    .find((m) => m.links.some((l) => l.includes(`.${rows[0].id}.`)))!;
  const decline = new URL(mail.links.find((l) => l.includes(`.${rows[0].id}.`))!).pathname;
  expect((await page(decline, { reason: 'nicht zuständig' })).status).toBe(200);
  await eventually(() => handle.describe().then((d) => d.status.name === 'COMPLETED'));
  expect((await page(link, { outcome: 'approved', 'data.approvedRent': '500' })).status).toBe(410);
  expect(await stack.db.taskEvent.count({ where: { taskId, event: 'completed' } })).toBe(0);
});
