// The help plan's timers as the case workflow decides them (core/domain/plan-timers.ts): order,
// reminders before review and actions, escalation after a missed review, nothing after the review.
import {
  nextPlanTimer,
  planTimerOffsets,
  planTimers,
  PLAN_TIMER_OFFSETS,
  validOffsets,
  type PlanTimerRef,
} from '../../core/domain/plan-timers';

const DAY = 86_400_000;
const plan: PlanTimerRef = {
  planId: 'p1',
  reviewAt: '2027-03-10T07:00:00.000Z',
  actions: [
    { actionId: 'a1', dueAt: '2027-03-01T07:00:00.000Z' },
    { actionId: 'a2', dueAt: '2027-03-20T07:00:00.000Z' },
  ],
};

it('orders reminders and the escalation by time, with the configured offsets', () => {
  const timers = planTimers(plan);
  expect(timers.map((t) => t.key)).toEqual(['action-reminder:a1', 'review-reminder:p1', 'review-escalation:p1', 'action-reminder:a2']);
  expect(timers[1].at).toBe(Date.parse(plan.reviewAt) - PLAN_TIMER_OFFSETS.reviewReminder);
  expect(timers[2].at).toBe(Date.parse(plan.reviewAt) + PLAN_TIMER_OFFSETS.escalation);
  expect(timers[0].at).toBe(Date.parse('2027-03-01T07:00:00.000Z') - 2 * DAY);
});

it('the next timer skips those that fired; none when reviewed or without a plan', () => {
  expect(nextPlanTimer(plan, [])?.key).toBe('action-reminder:a1');
  expect(nextPlanTimer(plan, ['action-reminder:a1'])?.key).toBe('review-reminder:p1');
  expect(nextPlanTimer(plan, ['action-reminder:a1', 'review-reminder:p1', 'review-escalation:p1'])?.key).toBe('action-reminder:a2');
  expect(nextPlanTimer({ ...plan, reviewed: true }, [])).toBeUndefined();
  expect(nextPlanTimer(undefined, [])).toBeUndefined();
  expect(
    nextPlanTimer(
      plan,
      planTimers(plan).map((t) => t.key),
    ),
  ).toBeUndefined();
});

it('ignores dates it cannot read', () => {
  expect(planTimers({ ...plan, actions: [{ actionId: 'x', dueAt: 'kaputt' }] }).map((t) => t.kind)).toEqual([
    'review-reminder',
    'review-escalation',
  ]);
});

it('a plan carrying the installation offsets (KIM_PLAN_*_DAYS) uses them instead of 3/2/1 days', () => {
  const offsets = planTimerOffsets({ reviewReminder: 7, actionReminder: 1, escalation: 4 });
  const timers = planTimers({ ...plan, offsets });
  expect(timers.find((t) => t.kind === 'review-reminder')!.at).toBe(Date.parse(plan.reviewAt) - 7 * DAY);
  expect(timers.find((t) => t.kind === 'review-escalation')!.at).toBe(Date.parse(plan.reviewAt) + 4 * DAY);
  expect(timers.find((t) => t.key === 'action-reminder:a1')!.at).toBe(Date.parse('2027-03-01T07:00:00.000Z') - 1 * DAY);
  expect(validOffsets(offsets)).toEqual(offsets);
  expect(validOffsets({ reviewReminder: 'x' })).toBeUndefined();
});
