// One generic workflow interprets a chain definition (data): a step graph with outcomes, handoffs to
// departments (child workflows), automatic rules, waits, deadlines and reminders. Caseworker actions
// are updates with validators; live state is a query; the read model is written on every transition.
// Months-long chains continue-as-new, carrying their state.
import {
  ApplicationFailure, ParentClosePolicy, allHandlersFinished, condition, continueAsNew, defineQuery, defineSignal, defineUpdate,
  getExternalWorkflowHandle, patched, proxyLocalActivities, setHandler, startChild, workflowInfo,
} from '@temporalio/workflow';
import type { ChainActivities } from '../activities/chain';
import { stepDataSchema, type StepDefinition } from '../core/domain/chains/schema';
import type { ChainActor, ChainInput, ChainState, CompleteStepArgs, CurrentStep } from '../core/domain/chains/state';
import { handoffWorkflowId } from '../core/domain/handoff';
import { scaledDeadline } from '../core/domain/working-days';
import { cancelHandoffSignal, handoffResultSignal, handoffWorkflow } from './handoff';

export const chainStateQuery = defineQuery<ChainState>('chainState');
export const completeStepUpdate = defineUpdate<ChainState, [CompleteStepArgs]>('completeStep');
export const holdUpdate = defineUpdate<ChainState, [{ reason: string; actor: ChainActor }]>('hold');
export const resumeUpdate = defineUpdate<ChainState, [{ actor: ChainActor }]>('resume');
export const cancelUpdate = defineUpdate<ChainState, [{ reason: string; actor: ChainActor }]>('cancel');
export const reassignUpdate = defineUpdate<ChainState, [{ assigneeId: string; reason?: string; actor: ChainActor }]>('reassign');
/** from the API: a consent of the case was given (or withdrawn) — a step waiting for one checks again */
export const consentChangedSignal = defineSignal('consentChanged');

/** Handoff steps wait for a consent covering their department (added after the first recorded histories). */
const CONSENT_GATE = 'consent-gate';

const { recordProcess, prepareHandoff, checkConsent, evaluateRule } = proxyLocalActivities<ChainActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const SYSTEM: ChainActor = { kind: 'system' };
const fail = (type: 'WrongState' | 'InvalidInput', message: string, details?: unknown) => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : undefined });
};

export async function chainWorkflow(input: ChainInput): Promise<ChainState> {
  const def = input.definition;
  const state: ChainState = input.carried ?? {
    processId: input.processId, caseId: input.caseId, type: def.type, version: def.version,
    status: 'running', done: [], facts: {}, seq: 0, stepSeq: 0, runs: 0, assigneeId: input.assigneeId,
  };
  const DAY = input.daySeconds > 0 ? input.daySeconds * 1000 : 86_400_000;
  const now = () => new Date().toISOString();
  let changes = 0;
  const bump = () => { changes++; };

  const record = (event: string, actor: ChainActor, details?: Record<string, unknown>, stepData?: Record<string, unknown>) => {
    state.seq++;
    const stepKey = typeof details?.step === 'string' ? details.step : undefined;
    return recordProcess({
      processId: state.processId, seq: state.seq, event, actor, details, stepData,
      state: { ...state, current: state.current && { ...state.current } },
      titles: { current: state.current && def.steps[state.current.key].title, step: stepKey && def.steps[stepKey]?.title },
    });
  };

  async function enter(key: string) {
    const step = def.steps[key];
    const cur: CurrentStep = { key, seq: ++state.stepSeq, phase: 'active', startedAt: now(), reminders: 0, pings: 0, escalated: false, reviewed: false, overdue: false };
    state.current = cur;
    bump();
    if (step.waitDays) {
      cur.phase = 'waiting';
      cur.activeFrom = new Date(Date.now() + step.waitDays * DAY).toISOString();
      await record('step.waiting', SYSTEM, { activeFrom: cur.activeFrom });
      return;
    }
    await activate(cur, step);
  }

  async function activate(cur: CurrentStep, step: StepDefinition) {
    if (step.actor.kind === 'rule') {
      const outcome = await evaluateRule({ caseId: state.caseId, rule: step.actor.rule });
      await record('step.started', SYSTEM);
      await advance(cur, outcome in step.outcomes ? outcome : Object.keys(step.outcomes)[0], undefined, SYSTEM);
      return;
    }
    if (step.actor.kind === 'handoff') {
      if (patched(CONSENT_GATE)) {
        const gate = await checkConsent({ caseId: state.caseId, stepKey: cur.key, department: step.actor.department, byBenefit: step.actor.byBenefit });
        if (state.current !== cur || state.status === 'cancelled') return; // superseded while checking
        if (!gate.covered) {
          await waitForConsent(cur, gate.departmentId);
          return;
        }
      }
      const dueField = step.actor.dueFromField;
      const dueDate = dueField ? state.facts[`${dueField.step}.${dueField.field}`] : undefined;
      const h = await prepareHandoff({
        processId: state.processId, caseId: state.caseId, stepKey: cur.key, handoffStep: step.actor.handoffStep,
        department: step.actor.department, byBenefit: step.actor.byBenefit, createdById: state.assigneeId,
        instance: `${cur.seq}:${state.seq}`,
      });
      cur.phase = 'handoff';
      cur.taskId = h.taskId;
      cur.department = h.departmentId;
      cur.dueAt = typeof dueDate === 'string' ? `${dueDate}T23:59:59.999+01:00` : undefined;
      await startChild(handoffWorkflow, {
        workflowId: handoffWorkflowId(h.taskId),
        parentClosePolicy: ParentClosePolicy.ABANDON, // a handoff is cancelled explicitly (with a mail), never silently
        args: [{
          taskId: h.taskId, caseId: state.caseId, stepKey: step.actor.handoffStep, departmentId: h.departmentId,
          ackDays: h.ackDays, completeDays: h.completeDays, workingDaySeconds: input.daySeconds,
          parentWorkflowId: workflowInfo().workflowId, dueAt: cur.dueAt,
        }],
      });
      await record('step.handoff', SYSTEM, { taskId: h.taskId, department: h.departmentId });
      bump();
      return;
    }
    cur.phase = 'active';
    cur.dueAt = step.deadlineDays !== undefined ? scaledDeadline(new Date(), step.deadlineDays, input.daySeconds || undefined).toISOString() : undefined;
    await record('step.started', SYSTEM, { dueAt: cur.dueAt });
    bump();
  }

  /** No valid consent covers the department: the step waits, the caseworker is told what is missing. */
  async function waitForConsent(cur: CurrentStep, departmentId: string, taskId?: string) {
    const again = cur.phase === 'consent' && cur.department === departmentId;
    cur.phase = 'consent';
    cur.department = departmentId;
    cur.taskId = undefined;
    cur.dueAt = undefined;
    bump();
    if (!again) await record('step.consent_missing', SYSTEM, { department: departmentId, ...(taskId ? { cancelledTask: taskId } : {}) });
  }

  // One consent check at a time; a signal arriving meanwhile makes it check once more.
  let gateBusy = false;
  let gateAgain = false;
  async function recheckConsent() {
    if (gateBusy) { gateAgain = true; return; }
    gateBusy = true;
    try {
      do {
        gateAgain = false;
        const cur = state.current;
        if (!cur || cur.phase !== 'consent' || state.status !== 'running') return;
        await activate(cur, def.steps[cur.key]);
      } while (gateAgain);
    } finally {
      gateBusy = false;
    }
  }

  async function advance(cur: CurrentStep, outcome: string, data: Record<string, unknown> | undefined, actor: ChainActor, skipped = false) {
    const step = def.steps[cur.key];
    for (const f of step.fields) {
      const v = data?.[f.key];
      if ((f.type === 'date' || f.type === 'number') && (typeof v === 'string' || typeof v === 'number')) state.facts[`${cur.key}.${f.key}`] = v;
    }
    state.done.push({ key: cur.key, seq: cur.seq, outcome, completedAt: now(), ...(skipped ? { skipped } : {}) });
    if (state.done.length > 200) state.done.splice(0, state.done.length - 200);
    state.current = undefined;
    bump();
    await record(skipped ? 'step.skipped' : 'step.completed', actor, { step: cur.key, outcome }, data);
    const next = step.outcomes[outcome]?.next ?? 'end';
    if (next === 'end') {
      state.status = 'completed';
      bump();
      await record('chain.completed', SYSTEM);
      return;
    }
    await enter(next);
  }

  setHandler(chainStateQuery, () => state);

  // a handoff started by this chain has ended
  setHandler(handoffResultSignal, async (r) => {
    const cur = state.current;
    if (!cur || cur.taskId !== r.taskId || state.status === 'completed' || state.status === 'cancelled') return;
    if (r.status === 'completed' && r.outcome) {
      await advance(cur, r.outcome, undefined, { kind: 'system', role: 'department' });
    } else if (r.status === 'declined') {
      cur.phase = 'returned';
      cur.declineReason = r.reason;
      bump();
      await record('step.returned', SYSTEM, { taskId: r.taskId, reason: r.reason });
    } else if (r.status === 'cancelled' && cur.phase === 'handoff') {
      // cancelled from outside the chain: the consent was withdrawn (the step waits for a new one) or the
      // caseworker cancelled the task (the step returns to them)
      const step = def.steps[cur.key];
      const gate = step.actor.kind === 'handoff'
        ? await checkConsent({ caseId: state.caseId, stepKey: cur.key, department: step.actor.department, byBenefit: step.actor.byBenefit })
        : undefined;
      if (state.current !== cur || cur.taskId !== r.taskId) return;
      if (gate && !gate.covered) {
        await waitForConsent(cur, gate.departmentId, r.taskId);
      } else {
        cur.phase = 'returned';
        cur.declineReason = r.reason;
        bump();
        await record('step.returned', SYSTEM, { taskId: r.taskId, reason: r.reason });
      }
    }
  });

  setHandler(consentChangedSignal, () => recheckConsent());

  setHandler(completeStepUpdate, async (a) => {
    const cur = state.current!;
    const step = def.steps[cur.key];
    if (a.outcome === 'retry') {
      cur.phase = 'active';
      bump();
      await record('step.retry', a.actor, { step: cur.key });
      state.stepSeq--; // the retried instance keeps its number
      state.current = undefined;
      await enter(cur.key);
      return state;
    }
    if (a.outcome === 'skip') {
      if (cur.phase === 'handoff' && cur.taskId) await cancelChildHandoff(cur.taskId, 'Schritt übersprungen');
      await advance(cur, Object.keys(step.outcomes)[0], undefined, a.actor, true);
      return state;
    }
    if (cur.phase === 'handoff' && cur.taskId) await cancelChildHandoff(cur.taskId, 'Ergebnis vom Fallmanagement erfasst');
    await advance(cur, a.outcome, a.data ? (stepDataSchema(step).parse(a.data) as Record<string, unknown>) : undefined, a.actor);
    return state;
  }, {
    validator: (a) => {
      if (state.status !== 'running') fail('WrongState', state.status === 'on_hold' ? 'Die Kette ist angehalten.' : 'Die Kette ist beendet.');
      const cur = state.current;
      if (!cur || cur.key !== a.stepKey) fail('WrongState', `Der Schritt „${a.stepKey}“ ist nicht der aktuelle Schritt.`);
      const step = def.steps[cur!.key];
      if (cur!.phase === 'waiting') fail('WrongState', `Der Schritt „${step.title}“ beginnt erst am ${cur!.activeFrom?.slice(0, 10)}.`);
      if (a.outcome === 'skip') {
        if (!step.optional) fail('InvalidInput', `„${step.title}“ ist kein optionaler Schritt.`, [{ field: 'outcome', message: 'nicht optional' }]);
        return;
      }
      if (a.outcome === 'retry') {
        if (cur!.phase !== 'returned' && cur!.phase !== 'consent') fail('WrongState', 'Nur eine abgelehnte Übergabe kann erneut übergeben werden.');
        return;
      }
      if (cur!.phase === 'handoff') fail('WrongState', `„${step.title}“ liegt bei ${cur!.department}; das Ergebnis kommt von dort.`);
      if (cur!.phase === 'consent') fail('WrongState', `„${step.title}“ wartet auf eine Einwilligung für die zuständige Stelle; erst danach wird übergeben.`);
      if (!(a.outcome in step.outcomes)) {
        fail('InvalidInput', `Ergebnis „${a.outcome}“ ist für „${step.title}“ nicht erlaubt (erlaubt: ${Object.keys(step.outcomes).join(', ')}).`, [{ field: 'outcome', message: 'Ergebnis nicht erlaubt' }]);
      }
      const r = stepDataSchema(step).safeParse(a.data ?? {});
      if (!r.success) {
        const details = r.error.issues.map((i) => ({ field: ['data', ...i.path.map(String)].join('.'), message: i.message }));
        fail('InvalidInput', `Ungültige Daten: ${details.map((d) => d.message).join('; ')}`, details);
      }
    },
  });

  async function cancelChildHandoff(taskId: string, reason: string) {
    try {
      await getExternalWorkflowHandle(handoffWorkflowId(taskId)).signal(cancelHandoffSignal, { reason });
    } catch {
      // already finished
    }
  }

  const mustRun = (what: string) => {
    if (state.status === 'completed' || state.status === 'cancelled') fail('WrongState', `Die Kette ist beendet; ${what} ist nicht möglich.`);
  };
  setHandler(holdUpdate, async ({ reason, actor }) => {
    state.status = 'on_hold';
    state.reason = reason;
    bump();
    await record('chain.held', actor, { reason });
    return state;
  }, { validator: ({ reason }) => { mustRun('Anhalten'); if (state.status === 'on_hold') fail('WrongState', 'Die Kette ist bereits angehalten.'); if (!reason?.trim()) fail('InvalidInput', 'Begründung fehlt.', [{ field: 'reason', message: 'Begründung fehlt' }]); } });

  setHandler(resumeUpdate, async ({ actor }) => {
    state.status = 'running';
    state.reason = undefined;
    bump();
    await record('chain.resumed', actor);
    if (state.current?.phase === 'consent') await recheckConsent();
    return state;
  }, { validator: (_args: { actor: ChainActor }) => { mustRun('Fortsetzen'); if (state.status !== 'on_hold') fail('WrongState', 'Die Kette ist nicht angehalten.'); } });

  setHandler(cancelUpdate, async ({ reason, actor }) => {
    const cur = state.current;
    state.status = 'cancelled';
    state.reason = reason;
    bump();
    if (cur?.phase === 'handoff' && cur.taskId) await cancelChildHandoff(cur.taskId, `Kette abgebrochen: ${reason}`);
    await record('chain.cancelled', actor, { reason });
    return state;
  }, { validator: ({ reason }) => { mustRun('Abbrechen'); if (!reason?.trim()) fail('InvalidInput', 'Begründung fehlt.', [{ field: 'reason', message: 'Begründung fehlt' }]); } });

  setHandler(reassignUpdate, async ({ assigneeId, reason, actor }) => {
    const from = state.assigneeId;
    state.assigneeId = assigneeId;
    bump();
    await record('chain.reassigned', actor, { from, to: assigneeId, reason });
    return state;
  }, { validator: ({ assigneeId }) => { mustRun('Übertragen'); if (!assigneeId) fail('InvalidInput', 'Fallmanager/in fehlt.', [{ field: 'caseworkerId', message: 'fehlt' }]); } });

  if (!input.carried) {
    await record('chain.started', SYSTEM, { type: def.type, version: def.version });
    await enter(def.start);
  }

  while (state.status !== 'completed' && state.status !== 'cancelled') {
    const seen = changes;
    const woken = () => changes !== seen || state.status === 'completed' || state.status === 'cancelled';
    const cur = state.current;
    const timer = state.status === 'running' && cur ? nextTimer(cur, def.steps[cur.key]) : undefined;
    if (!timer) {
      await condition(woken);
    } else if (!(await condition(woken, Math.max(1, timer.at - Date.now())))) {
      await timer.fire();
    }
    const limit = input.continueAfterEvents;
    const ended = () => state.status === 'completed' || state.status === 'cancelled';
    if ((workflowInfo().continueAsNewSuggested || (limit && workflowInfo().historyLength > limit)) && !ended()) {
      await condition(allHandlersFinished);
      state.runs++;
      await continueAsNew<typeof chainWorkflow>({ ...input, carried: state });
    }
  }
  await condition(allHandlersFinished);
  return state;

  /** The next thing due for the current step: activation of a waiting step, reminder, escalation, review. */
  function nextTimer(cur: CurrentStep, step: StepDefinition): { at: number; fire: () => Promise<void> } | undefined {
    const candidates: Array<{ at: number; fire: () => Promise<void> }> = [];
    if (cur.phase === 'waiting' && cur.activeFrom) {
      candidates.push({ at: Date.parse(cur.activeFrom), fire: () => activate(cur, step) });
    }
    if (cur.phase === 'active' || cur.phase === 'returned') {
      const started = Date.parse(cur.activeFrom ?? cur.startedAt);
      if (cur.dueAt && !cur.escalated) {
        const due = Date.parse(cur.dueAt);
        const interval = Math.max(1_000, due - started);
        const at = cur.overdue ? due + interval : due;
        candidates.push({
          at, fire: async () => {
            cur.overdue = true;
            if (at === due) { cur.reminders++; await record('step.reminder', SYSTEM, { step: cur.key, reason: 'deadline' }); }
            else { cur.escalated = true; await record('step.escalation', SYSTEM, { step: cur.key }); }
          },
        });
      }
      if (step.remindEveryDays) {
        const at = started + (cur.pings + 1) * step.remindEveryDays * DAY;
        candidates.push({ at, fire: async () => { cur.pings++; await record('step.reminder', SYSTEM, { step: cur.key, reason: 'periodic' }); } });
      }
      if (step.reviewAfterDays && !cur.reviewed) {
        candidates.push({ at: started + step.reviewAfterDays * DAY, fire: async () => { cur.reviewed = true; await record('step.review', SYSTEM, { step: cur.key }); } });
      }
    }
    return candidates.sort((a, b) => a.at - b.at)[0];
  }
}
