// A handoff (Übergabe) to a department as its own workflow (handoff-<taskId>), running the rules of
// core/domain/handoff-engine.ts: every action is an update whose validator asks the engine (rejected
// actions leave no trace in the history); missed deadlines are timers; each transition is recorded by
// a local activity. When it ends, the result is signalled to the waiting workflow (a chain, or the case).
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  HANDOFF_STEP_SPECS,
  type HandoffAction,
  type HandoffInput,
  type HandoffResult,
  type HandoffState,
} from '../core/domain/handoff-core';
import { HandoffEngine, checkHandoffAction, type HandoffRecord } from '../core/domain/handoff-engine';
import type { HandoffActivities } from '../activities/handoff';

export const handoffStateQuery = defineQuery<HandoffState>('handoffState');
export const handoffActionUpdate = defineUpdate<HandoffState, [HandoffAction]>('handoffAction');
/** sent to input.parentWorkflowId when the handoff ends */
export const handoffResultSignal = defineSignal<[HandoffResult]>('handoffResult');
/** from the waiting chain: it was cancelled or the step skipped — the department is told */
export const cancelHandoffSignal = defineSignal<[{ reason: string }]>('cancelHandoff');

// A local activity: one database transaction, idempotent per (task, seq), so the worker may retry it
// itself — that saves the server round-trips of a scheduled activity on every action (bench:handoffs).
const { recordTask } = proxyLocalActivities<HandoffActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function handoffWorkflow(input: HandoffInput, carried?: HandoffState): Promise<HandoffResult> {
  const state = carried ?? HandoffEngine.initialState(input);
  const engine = new HandoffEngine(state, input, () => Date.now());

  const record = ({ event, actor, details }: HandoffRecord) => {
    state.seq++;
    return recordTask({ taskId: state.taskId, seq: state.seq, event, actor, details, state: { ...state } });
  };

  setHandler(handoffStateQuery, () => state);
  setHandler(
    handoffActionUpdate,
    async (a) => {
      await record(engine.act(a)); // the state changed before the first await: a concurrent second action sees it
      return state;
    },
    {
      validator: (a) => {
        const r = checkHandoffAction(state, a);
        if (r)
          throw ApplicationFailure.create({
            type: r.type,
            message: r.message,
            nonRetryable: true,
            details: r.details ? [r.details] : undefined,
          });
      },
    },
  );
  setHandler(cancelHandoffSignal, async ({ reason }) => {
    const r = engine.cancelledByChain(reason);
    if (r) await record(r);
  });

  if (state.status === 'created') await record(engine.notify(HANDOFF_STEP_SPECS[state.stepKey]?.title));

  while (!engine.ended) {
    const seen = engine.changes;
    const woken = () => engine.changes !== seen;
    const miss = engine.nextMiss();
    if (miss === undefined) await condition(woken);
    else if (!(await condition(woken, Math.max(1, miss - Date.now())))) await record(engine.missed());
    if (workflowInfo().continueAsNewSuggested && !engine.ended) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof handoffWorkflow>(input, state);
    }
  }
  await condition(allHandlersFinished);

  const result: HandoffResult = {
    taskId: state.taskId,
    stepKey: state.stepKey,
    status: state.status as HandoffResult['status'],
    outcome: state.outcome,
    data: state.data,
    reason: state.reason,
  };
  if (input.parentWorkflowId) {
    try {
      await getExternalWorkflowHandle(input.parentWorkflowId).signal(handoffResultSignal, result);
    } catch {
      // the waiting workflow is gone (case closed): the result stays in the read model
    }
  }
  return result;
}
