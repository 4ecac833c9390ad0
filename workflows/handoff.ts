// A handoff (Übergabe) to a department as its own workflow (handoff-<taskId>):
// created → notified → accepted | declined → completed, plus forwarded and cancelled.
// Every action is an update with a validator (rejected actions leave no trace in the history).
// Deadlines in working days: a missed one sends a reminder, the second miss an escalation.
// When it ends, the result is signalled to the waiting workflow (a chain, or the case).
import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, defineQuery, defineSignal, defineUpdate,
  getExternalWorkflowHandle, proxyLocalActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import {
  checkCompletion, HANDOFF_STEPS, type HandoffAction, type HandoffInput, type HandoffResult, type HandoffState,
} from '../core/domain/handoff';
import { scaledDeadline } from '../core/domain/working-days';
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

const TERMINAL = ['completed', 'declined', 'cancelled'];
const fail = (type: 'WrongState' | 'InvalidInput' | 'Forbidden', message: string, details?: unknown) => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : undefined });
};

/** Validator: may this actor do this action now? Throws WrongState (409), InvalidInput (400), Forbidden (403). */
export function validateAction(state: HandoffState, a: HandoffAction): void {
  if (!a || typeof a !== 'object' || !a.actor) fail('InvalidInput', 'Aktion fehlt.');
  if (a.action !== 'cancel' && a.actor.kind !== 'system' && a.actor.departmentId !== state.departmentId) {
    fail('Forbidden', 'Diese Aufgabe liegt bei einer anderen Stelle.');
  }
  if (TERMINAL.includes(state.status)) fail('WrongState', `Die Aufgabe ist bereits ${state.status === 'completed' ? 'erledigt' : state.status === 'declined' ? 'abgelehnt' : 'abgebrochen'}.`);
  switch (a.action) {
    case 'accept':
      if (state.status !== 'notified') fail('WrongState', state.status === 'accepted' ? 'Die Aufgabe wurde bereits angenommen.' : 'Die Aufgabe kann jetzt nicht angenommen werden.');
      return;
    case 'decline':
    case 'cancel':
      if (!a.reason || a.reason.trim().length < 3) fail('InvalidInput', 'Begründung fehlt.', [{ field: 'reason', message: 'Begründung fehlt' }]);
      if (a.action === 'decline' && state.status === 'created') fail('WrongState', 'Die Aufgabe ist noch nicht zugestellt.');
      return;
    case 'forward':
      if (!a.reason || a.reason.trim().length < 3) fail('InvalidInput', 'Begründung fehlt.', [{ field: 'reason', message: 'Begründung fehlt' }]);
      if (a.departmentId === state.departmentId) fail('InvalidInput', 'Die Aufgabe liegt bereits bei dieser Stelle.', [{ field: 'department', message: 'gleiche Stelle' }]);
      if (state.status === 'created') fail('WrongState', 'Die Aufgabe ist noch nicht zugestellt.');
      return;
    case 'complete': {
      if (state.status !== 'accepted' && state.status !== 'notified') fail('WrongState', 'Die Aufgabe kann jetzt nicht erledigt werden.');
      const r = checkCompletion(state.stepKey, a.outcome, a.data);
      if (!r.ok) fail('InvalidInput', r.message, r.details);
      return;
    }
    default:
      fail('InvalidInput', 'Unbekannte Aktion.');
  }
}

export async function handoffWorkflow(input: HandoffInput, carried?: HandoffState): Promise<HandoffResult> {
  const state: HandoffState = carried ?? {
    taskId: input.taskId, caseId: input.caseId, stepKey: input.stepKey, departmentId: input.departmentId,
    status: 'created', overdue: false, reminders: 0, escalated: false, seq: 0,
  };
  const step = HANDOFF_STEPS[state.stepKey];
  const deadline = (days: number) => scaledDeadline(new Date(), days, input.workingDaySeconds).toISOString();
  let phaseStart = Date.now(); // the current deadline's interval starts here
  let phaseMisses = 0;
  let changes = 0;

  const record = (event: string, actor: HandoffAction['actor'] | { kind: 'system' }, details?: Record<string, unknown>) => {
    state.seq++;
    return recordTask({ taskId: state.taskId, seq: state.seq, event, actor, details, state: { ...state } });
  };
  const newPhase = (dueAt: string | undefined, which: 'ack' | 'complete') => {
    phaseStart = Date.now();
    phaseMisses = 0;
    state.overdue = false;
    if (which === 'ack') state.ackDueAt = dueAt; else state.dueAt = dueAt;
  };

  setHandler(handoffStateQuery, () => state);
  setHandler(handoffActionUpdate, async (a) => {
    // state changes synchronously, before the first await: a concurrent second action sees it
    changes++;
    switch (a.action) {
      case 'accept':
        state.status = 'accepted';
        newPhase(input.dueAt ?? deadline(input.completeDays), 'complete');
        await record('accepted', a.actor);
        break;
      case 'decline':
        state.status = 'declined';
        state.reason = a.reason.trim();
        await record('declined', a.actor, { reason: state.reason });
        break;
      case 'complete': {
        const r = checkCompletion(state.stepKey, a.outcome, a.data);
        state.status = 'completed';
        state.outcome = a.outcome;
        state.data = r.ok ? r.data : {};
        await record('completed', a.actor, { outcome: a.outcome });
        break;
      }
      case 'forward': {
        const from = state.departmentId;
        state.departmentId = a.departmentId;
        state.status = 'notified';
        state.reason = a.reason.trim();
        state.dueAt = undefined;
        newPhase(deadline(input.ackDays), 'ack');
        await record('forwarded', a.actor, { from, to: a.departmentId, reason: state.reason });
        break;
      }
      case 'cancel':
        state.status = 'cancelled';
        state.reason = a.reason.trim();
        await record('cancelled', a.actor, { reason: state.reason });
        break;
    }
    return state;
  }, { validator: (a) => validateAction(state, a) });

  setHandler(cancelHandoffSignal, async ({ reason }) => {
    if (TERMINAL.includes(state.status)) return;
    state.status = 'cancelled';
    state.reason = reason;
    changes++;
    await record('cancelled', { kind: 'system' }, { reason });
  });

  if (state.status === 'created') {
    state.status = 'notified';
    newPhase(deadline(input.ackDays), 'ack');
    await record('notified', { kind: 'system' }, { title: step?.title });
  }

  while (!TERMINAL.includes(state.status)) {
    const due = state.status === 'accepted' ? state.dueAt : state.ackDueAt;
    const seen = changes;
    const woken = () => changes !== seen;
    if (!due) {
      await condition(woken);
    } else {
      const interval = Math.max(1_000, Date.parse(due) - phaseStart);
      const next = Date.parse(due) + phaseMisses * interval; // first miss at the deadline, second one interval later
      const timedOut = phaseMisses < 2 && !(await condition(woken, Math.max(1, next - Date.now())));
      if (phaseMisses >= 2) await condition(woken);
      else if (timedOut) {
        phaseMisses++;
        state.overdue = true;
        if (phaseMisses === 1) {
          state.reminders++;
          await record('reminder', { kind: 'system' }, { phase: state.status === 'accepted' ? 'complete' : 'ack', due });
        } else {
          state.escalated = true;
          await record('escalation', { kind: 'system' }, { phase: state.status === 'accepted' ? 'complete' : 'ack', due });
        }
      }
    }
    if (workflowInfo().continueAsNewSuggested && !TERMINAL.includes(state.status)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof handoffWorkflow>(input, state);
    }
  }
  await condition(allHandlersFinished);

  const result: HandoffResult = {
    taskId: state.taskId, stepKey: state.stepKey, status: state.status as HandoffResult['status'],
    outcome: state.outcome, data: state.data, reason: state.reason,
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
