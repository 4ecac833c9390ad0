// The help plan's timers as pure functions (no zod, no I/O: the case workflow imports this). The
// workflow holds a PlanTimerRef (ids and dates only) and asks nextPlanTimer() what fires next:
// reminder to the caseworker before the review and before each agreed action's due date, escalation
// to the supervisors when the review date passed without a review.

export interface PlanTimerRef {
  planId: string;
  /** ISO date-time the review is due (start of the review date, Europe/Berlin handled by the caller) */
  reviewAt: string;
  actions: Array<{ actionId: string; dueAt: string }>;
  /** set when the plan was reviewed: no more timers for it */
  reviewed?: boolean;
  /** the installation's offsets (ms) when the plan was sent; absent → PLAN_TIMER_OFFSETS (histories from before) */
  offsets?: PlanTimerOffsets;
}

export type PlanTimerKind = 'review-reminder' | 'action-reminder' | 'review-escalation';
export interface PlanTimer {
  key: string;
  kind: PlanTimerKind;
  at: number; // epoch ms
  planId: string;
  actionId?: string;
}

const DAY = 86_400_000;
/** how long before a review / an action's due date the caseworker is reminded, and when a missed review escalates */
export const PLAN_TIMER_OFFSETS = { reviewReminder: 3 * DAY, actionReminder: 2 * DAY, escalation: 1 * DAY };
export type PlanTimerOffsets = typeof PLAN_TIMER_OFFSETS;
/** The offsets in days (KIM_PLAN_REVIEW_REMINDER_DAYS, …) as the ms a PlanTimerRef carries. */
export const planTimerOffsets = (days: PlanTimerOffsets): PlanTimerOffsets => ({
  reviewReminder: days.reviewReminder * DAY,
  actionReminder: days.actionReminder * DAY,
  escalation: days.escalation * DAY,
});
/** Offsets a signal carried, if they are three finite numbers (anything else: the defaults). */
export function validOffsets(o: unknown): PlanTimerOffsets | undefined {
  const v = o as Partial<PlanTimerOffsets> | undefined;
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  return v && ok(v.reviewReminder) && ok(v.actionReminder) && ok(v.escalation)
    ? { reviewReminder: v.reviewReminder!, actionReminder: v.actionReminder!, escalation: v.escalation! }
    : undefined;
}

/** Every timer a plan has (fired or not), ordered by time. */
export function planTimers(plan: PlanTimerRef, defaults = PLAN_TIMER_OFFSETS): PlanTimer[] {
  if (plan.reviewed) return [];
  const offsets = plan.offsets ?? defaults;
  const review = Date.parse(plan.reviewAt);
  const timers: PlanTimer[] = [
    { key: `review-reminder:${plan.planId}`, kind: 'review-reminder', at: review - offsets.reviewReminder, planId: plan.planId },
    { key: `review-escalation:${plan.planId}`, kind: 'review-escalation', at: review + offsets.escalation, planId: plan.planId },
    ...plan.actions.map((a) => ({
      key: `action-reminder:${a.actionId}`,
      kind: 'action-reminder' as const,
      at: Date.parse(a.dueAt) - offsets.actionReminder,
      planId: plan.planId,
      actionId: a.actionId,
    })),
  ];
  return timers.filter((t) => Number.isFinite(t.at)).sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
}

/**
 * The next timer not yet fired. A reminder whose moment has already passed when the plan is saved
 * still fires once (at once); an escalation only if the review was missed.
 */
export function nextPlanTimer(
  plan: PlanTimerRef | undefined,
  fired: readonly string[],
  offsets = PLAN_TIMER_OFFSETS,
): PlanTimer | undefined {
  if (!plan) return undefined;
  const done = new Set(fired);
  return planTimers(plan, offsets).find((t) => !done.has(t.key));
}

/** A date (JJJJ-MM-TT) as the moment its day starts in Germany (08:00 local is when reminders make sense: 07:00Z). */
export const dayStart = (date: string) => new Date(date + 'T07:00:00Z');
