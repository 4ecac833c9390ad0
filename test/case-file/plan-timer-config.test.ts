// The help plan's timer offsets are the installation's (KIM_PLAN_*_DAYS → AppDeps.planTimerDays),
// carried to the case workflow in the plan signal, so a replay decides the same: with a review
// reminder 10 days ahead, a plan reviewed in 5 days reminds at once (the default 3 days would not).
import { caseWorkflowId } from '../../core/domain/case-state';
import { caseStateQuery } from '../../workflows/case';
import { eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string;

beforeAll(async () => {
  stack = await startStack({ planTimerDays: { reviewReminder: 10, actionReminder: 2, escalation: 1 } });
  caseworker = await stack.token('fallmanagement@kim.example');
});
afterAll(() => stack?.stop());

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

it('a review reminder configured 10 days ahead fires for a review in 5 days', async () => {
  const p = await stack.api('POST', '/api/persons', { token: caseworker, body: { firstName: 'Omar', lastName: 'Said' } });
  const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic: 'housing' } });
  const plan = await stack.api('POST', `/api/cases/${c.body.id}/plans`, {
    token: caseworker,
    body: {
      goals: [{ area: 'housing', text: 'Eigene Wohnung', targetDate: isoDay(90) }],
      actions: [{ text: 'Wohnberechtigungsschein beantragen', owner: 'person', dueDate: isoDay(30) }],
      reviewDate: isoDay(5),
    },
  });
  expect(plan.status).toBe(201);
  const handle = stack.client.workflow.getHandle(caseWorkflowId(c.body.id));
  const state = await eventually(async () => {
    const s = await handle.query(caseStateQuery);
    return s.planFired?.includes(`review-reminder:${plan.body.id}`) ? s : undefined;
  });
  expect(state.plan?.offsets).toEqual({ reviewReminder: 10 * 86_400_000, actionReminder: 2 * 86_400_000, escalation: 86_400_000 });
  // the action (due in 30 days, reminder 2 days before) has not fired
  expect(state.planFired).toEqual([`review-reminder:${plan.body.id}`]);
  const mail = await stack.db.mail.findFirst({ where: { idempotencyKey: `plan:review-reminder:${plan.body.id}` } });
  expect(mail?.to).toEqual(['fallmanagement@kim.example']);
});
