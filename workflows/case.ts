// One workflow per case: holds the case's status and its follow-up (Wiedervorlage) timer, which
// reminds the caseworker by e-mail, and the help plan's timers (reminders before the review and
// before agreed actions, escalation when the review is missed — core/domain/case-cycle.ts decides
// which fires next). IDs and dates only — names, notes, goals and actions stay in PostgreSQL.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseState, CaseWorkflowInput, FollowUpRef } from '../core/domain/case-state';
import { nextPlanTimer, validOffsets, type PlanTimerRef } from '../core/domain/plan-timers';
import type { CaseStatus } from '../core/domain/records';
import { KimStatus } from '../core/domain/search-attributes';
import type { CaseActivities } from '../activities/case';
import { handoffResultSignal } from './handoff';

export const caseStateQuery = defineQuery<CaseState>('caseState');
/** A signal, not an update: the server takes it durably even while no worker runs (the API checks
 *  the case is open first; the follow-up row is written in the same transaction). */
export const setFollowUpSignal = defineSignal<[FollowUpRef]>('setFollowUp');
/** The current help plan's ids and dates (saved, replaced or reviewed); a signal like setFollowUp. */
export const setPlanSignal = defineSignal<[PlanTimerRef]>('setPlan');
/** histories from before the plan timers never had a plan: the marker is written when one first runs */
export const PLAN_TIMERS_PATCH = 'case-plan-timers';
export const setStatusUpdate = defineUpdate<CaseState, [{ status: CaseStatus }]>('setStatus');

const { recordCaseStatus, remindFollowUp, firePlanTimer } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseState> {
  const state: CaseState = {
    caseId: input.caseId,
    topic: input.topic,
    status: input.status ?? 'open',
    followUp: input.followUp,
    handoffs: input.handoffs,
    ...(input.plan ? { plan: input.plan, planFired: input.planFired ?? [] } : {}),
    updatedAt: new Date().toISOString(),
  };
  let changes = 0;

  setHandler(caseStateQuery, () => state);
  // results of handoffs started for this case (chains will wait for their own)
  setHandler(handoffResultSignal, (r) => {
    state.handoffs = [
      ...(state.handoffs ?? []).filter((h) => h.taskId !== r.taskId),
      { taskId: r.taskId, stepKey: r.stepKey, status: r.status, outcome: r.outcome },
    ].slice(-20);
  });

  setHandler(setFollowUpSignal, (followUp) => {
    if (state.status === 'closed' || !followUp?.followUpId || Number.isNaN(Date.parse(followUp.dueAt))) return;
    state.followUp = { followUpId: followUp.followUpId, dueAt: followUp.dueAt };
    state.updatedAt = new Date().toISOString();
    changes++;
  });

  setHandler(setPlanSignal, (plan) => {
    if (state.status === 'closed' || !plan?.planId || Number.isNaN(Date.parse(plan.reviewAt))) return;
    if (state.plan?.planId !== plan.planId) state.planFired = [];
    state.plan = {
      planId: plan.planId,
      reviewAt: plan.reviewAt,
      actions: (plan.actions ?? []).slice(0, 50).map((a) => ({ actionId: a.actionId, dueAt: a.dueAt })),
      ...(plan.reviewed ? { reviewed: true } : {}),
      ...(validOffsets(plan.offsets) ? { offsets: validOffsets(plan.offsets) } : {}),
    };
    state.updatedAt = new Date().toISOString();
    changes++;
  });

  setHandler(
    setStatusUpdate,
    async ({ status }) => {
      state.status = status;
      state.updatedAt = new Date().toISOString();
      changes++;
      upsertSearchAttributes([{ key: KimStatus, value: status }]);
      await recordCaseStatus({ caseId: state.caseId, status });
      return state;
    },
    {
      validator: ({ status }) => {
        if (state.status === 'closed') throw ApplicationFailure.nonRetryable('Der Fall ist bereits abgeschlossen.', 'WrongState');
        if (status === state.status) throw ApplicationFailure.nonRetryable(`Der Fall hat bereits diesen Status.`, 'WrongState');
      },
    },
  );

  while (state.status !== 'closed') {
    const pending = state.followUp && !state.followUp.remindedAt ? state.followUp : undefined;
    const plan = state.plan && patched(PLAN_TIMERS_PATCH) ? state.plan : undefined;
    const planTimer = nextPlanTimer(plan, state.planFired ?? []);
    const seen = changes;
    const woken = () => changes !== seen || state.status === 'closed';
    const wakeAt = Math.min(pending ? Date.parse(pending.dueAt) : Infinity, planTimer?.at ?? Infinity);
    let changed = true;
    if (Number.isFinite(wakeAt)) changed = await condition(woken, Math.max(1, wakeAt - Date.now()));
    else await condition(woken);
    if (!changed && pending && state.followUp === pending && Date.parse(pending.dueAt) <= Date.now()) {
      await remindFollowUp({ caseId: state.caseId, followUpId: pending.followUpId });
      pending.remindedAt = new Date().toISOString();
      state.updatedAt = pending.remindedAt;
    }
    if (!changed && planTimer && state.plan?.planId === planTimer.planId && planTimer.at <= Date.now()) {
      const { key, kind, planId, actionId } = planTimer;
      await firePlanTimer({ caseId: state.caseId, timer: { key, kind, planId, ...(actionId ? { actionId } : {}) } });
      state.planFired = [...(state.planFired ?? []), key].slice(-60);
      state.updatedAt = new Date().toISOString();
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof caseWorkflow>({
        caseId: state.caseId,
        topic: state.topic,
        status: state.status,
        followUp: state.followUp,
        handoffs: state.handoffs,
        ...(state.plan ? { plan: state.plan, planFired: state.planFired } : {}),
      });
    }
  }
  await condition(allHandlersFinished);
  return state;
}
