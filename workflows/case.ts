// One workflow per case: holds the case's status and its follow-up (Wiedervorlage) timer, which
// reminds the caseworker by e-mail. IDs only — names and notes stay in PostgreSQL.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseState, CaseWorkflowInput, FollowUpRef } from '../core/domain/case-state';
import type { CaseStatus } from '../core/domain/records';
import { KimStatus } from '../core/domain/search-attributes';
import type { CaseActivities } from '../activities/case';
import { handoffResultSignal } from './handoff';

export const caseStateQuery = defineQuery<CaseState>('caseState');
/** A signal, not an update: the server takes it durably even while no worker runs (the API checks
 *  the case is open first; the follow-up row is written in the same transaction). */
export const setFollowUpSignal = defineSignal<[FollowUpRef]>('setFollowUp');
export const setStatusUpdate = defineUpdate<CaseState, [{ status: CaseStatus }]>('setStatus');

const { recordCaseStatus, remindFollowUp } = proxyActivities<CaseActivities>({
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
    const seen = changes;
    const woken = () => changes !== seen || state.status === 'closed';
    let changed = true;
    if (pending) changed = await condition(woken, Math.max(1, Date.parse(pending.dueAt) - Date.now()));
    else await condition(woken);
    if (!changed && pending && state.followUp === pending) {
      await remindFollowUp({ caseId: state.caseId, followUpId: pending.followUpId });
      pending.remindedAt = new Date().toISOString();
      state.updatedAt = pending.remindedAt;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof caseWorkflow>({
        caseId: state.caseId,
        topic: state.topic,
        status: state.status,
        followUp: state.followUp,
        handoffs: state.handoffs,
      });
    }
  }
  await condition(allHandlersFinished);
  return state;
}
