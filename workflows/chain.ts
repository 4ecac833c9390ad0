// The chain workflow: runs the chain engine (core/domain/chains/engine.ts) on Temporal. It feeds the
// engine signals, updates and timers and runs the effects the engine yields — the read model and
// handoff preparation as local activities, handoffs as child workflows, cancellations as signals.
// Caseworker actions are updates whose validators ask the engine; live state is a query. Months-long
// chains continue-as-new, carrying their state.
import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  patched,
  proxyLocalActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { ChainActivities } from '../activities/chain';
import type { Effect, ProcessRecord, Run } from '../core/domain/chains/effects';
import { ChainEngine, initialChainState } from '../core/domain/chains/engine';
import type { ChainActor, ChainInput, ChainState, CompleteStepArgs } from '../core/domain/chains/state';
import { handoffWorkflowId } from '../core/domain/handoff-core';
import type { Rejection } from '../core/domain/rejection';
import { cancelHandoffSignal, handoffResultSignal, handoffWorkflow } from './handoff';

export const chainStateQuery = defineQuery<ChainState>('chainState');
export const completeStepUpdate = defineUpdate<ChainState, [CompleteStepArgs]>('completeStep');
/** `step`: hold / resume only that open step (one branch of a fork); none: the whole chain */
export const holdUpdate = defineUpdate<ChainState, [{ reason: string; actor: ChainActor; step?: string }]>('hold');
export const resumeUpdate = defineUpdate<ChainState, [{ actor: ChainActor; step?: string }]>('resume');
export const cancelUpdate = defineUpdate<ChainState, [{ reason: string; actor: ChainActor; endCode?: string }]>('cancel');
export const reassignUpdate = defineUpdate<ChainState, [{ assigneeId: string; reason?: string; actor: ChainActor }]>('reassign');
/** from the API: a consent of the case was given (or withdrawn) — a step waiting for one checks again */
export const consentChangedSignal = defineSignal('consentChanged');

const { recordProcess, recordProcesses, prepareHandoff, checkConsent, evaluateRule } = proxyLocalActivities<ChainActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** A validator's answer: a rejection becomes a non-retryable failure the API maps to 409/400. */
function refuse(r: Rejection | undefined): void {
  if (r)
    throw ApplicationFailure.create({ type: r.type, message: r.message, nonRetryable: true, details: r.details ? [r.details] : undefined });
}

async function runEffect(e: Exclude<Effect, { kind: 'patched' }>): Promise<unknown> {
  switch (e.kind) {
    case 'record':
      return recordProcess(e.record);
    case 'evaluateRule':
      return evaluateRule({ caseId: e.caseId, rule: e.rule });
    case 'checkConsent':
      return checkConsent(e.target);
    case 'prepareHandoff':
      return prepareHandoff(e.request);
    case 'startHandoff':
      await startChild(handoffWorkflow, {
        workflowId: handoffWorkflowId(e.input.taskId),
        parentClosePolicy: ParentClosePolicy.ABANDON, // a handoff is cancelled explicitly (with a mail), never silently
        args: [e.input],
      });
      return undefined;
    case 'cancelHandoff':
      try {
        await getExternalWorkflowHandle(handoffWorkflowId(e.taskId)).signal(cancelHandoffSignal, { reason: e.reason });
      } catch {
        // already finished
      }
      return undefined;
  }
}

/**
 * From this version on, the records of one piece of engine work are written together, as one local
 * activity when the work ends (or before a handoff is prepared, started or cancelled, which reads or
 * writes the same rows). A rule or consent check in between does not wait for them. A chain start was
 * four local activities (record, rule, record, record), now two; a step change one instead of two.
 * Older histories replay as before (no marker).
 */
export const BATCHED_RECORDS = 'chain-batched-records';
const FLUSH_BEFORE: ReadonlySet<Effect['kind']> = new Set(['prepareHandoff', 'startHandoff', 'cancelHandoff']);

/** Runs engine work to its end: each yielded effect is carried out and its result handed back. */
async function drive(run: Run): Promise<void> {
  const batched = patched(BATCHED_RECORDS);
  const pending: ProcessRecord[] = [];
  const flush = async () => {
    if (pending.length) await recordProcesses(pending.splice(0));
  };
  try {
    let next = run.next();
    while (!next.done) {
      const e = next.value;
      if (e.kind === 'patched') {
        // patched() is synchronous and must stay at its place in the command sequence: no await around it
        next = run.next(patched(e.patchId));
      } else if (batched && e.kind === 'record') {
        // a copy as of now: the engine goes on changing the state the record points into
        pending.push(JSON.parse(JSON.stringify(e.record)) as ProcessRecord);
        next = run.next(undefined);
      } else {
        if (FLUSH_BEFORE.has(e.kind)) await flush();
        next = run.next(await runEffect(e));
      }
    }
  } finally {
    await flush(); // what the work changed is recorded even if it failed part-way, as before
  }
}

/** Engine work runs one piece at a time from this version on (a marker in new histories; older ones replay as before). */
export const SERIAL_WORK = 'chain-serial-work';

export async function chainWorkflow(input: ChainInput): Promise<ChainState> {
  const state = input.carried ?? initialChainState(input);
  const engine = new ChainEngine(state, input.definition, {
    now: () => Date.now(),
    daySeconds: input.daySeconds,
    workflowId: workflowInfo().workflowId,
  });

  // Signals, updates and timers each start engine work that awaits its effects. Interleaved, a second
  // piece of work continues on state the first changed under it (two branch results in one activation:
  // the second found the fork already joined and the workflow task failed on every retry). So each piece
  // runs to its end before the next starts; work that is idle starts at once (its state change is
  // visible to the next update's validator), queued work checks its action again when its turn comes.
  const serial = patched(SERIAL_WORK);
  let tail: Promise<void> | undefined;
  const work = (transition: () => Run, check?: () => Rejection | undefined): Promise<void> => {
    if (!serial) return drive(transition());
    const run = () => {
      refuse(check?.());
      return drive(transition());
    };
    const done = tail ? tail.then(run) : (async () => run())();
    const settled = done.catch(() => undefined);
    tail = settled;
    void settled.then(() => {
      if (tail === settled) tail = undefined;
    });
    return done;
  };

  setHandler(chainStateQuery, () => state);
  setHandler(handoffResultSignal, (r) => work(() => engine.handoffEnded(r)));
  setHandler(consentChangedSignal, () => work(() => engine.consentChanged()));
  setHandler(
    completeStepUpdate,
    async (a) => {
      await work(
        () => engine.completeStep(a),
        () => engine.checkCompleteStep(a),
      );
      return state;
    },
    { validator: (a) => refuse(engine.checkCompleteStep(a)) },
  );
  setHandler(
    holdUpdate,
    async ({ reason, actor, step }) => {
      await work(
        () => engine.hold(reason, actor, step),
        () => engine.checkHold(reason, step),
      );
      return state;
    },
    { validator: ({ reason, step }) => refuse(engine.checkHold(reason, step)) },
  );
  setHandler(
    resumeUpdate,
    async ({ actor, step }) => {
      await work(
        () => engine.resume(actor, step),
        () => engine.checkResume(step),
      );
      return state;
    },
    { validator: ({ step }: { actor: ChainActor; step?: string }) => refuse(engine.checkResume(step)) },
  );
  setHandler(
    cancelUpdate,
    async ({ reason, actor, endCode }) => {
      await work(
        () => engine.cancel(reason, actor, endCode),
        () => engine.checkCancel(reason, endCode),
      );
      return state;
    },
    { validator: ({ reason, endCode }) => refuse(engine.checkCancel(reason, endCode)) },
  );
  setHandler(
    reassignUpdate,
    async ({ assigneeId, reason, actor }) => {
      await work(
        () => engine.reassign(assigneeId, reason, actor),
        () => engine.checkReassign(assigneeId),
      );
      return state;
    },
    {
      validator: ({ assigneeId }) => refuse(engine.checkReassign(assigneeId)),
    },
  );

  if (!input.carried) await work(() => engine.start());

  while (!engine.ended) {
    const seen = engine.changes;
    const woken = () => engine.changes !== seen || engine.ended;
    const timer = engine.nextTimer();
    if (!timer) {
      await condition(woken);
    } else if (!(await condition(woken, Math.max(1, timer.at - Date.now())))) {
      await work(() => engine.fire(timer));
    }
    const limit = input.continueAfterEvents;
    if ((workflowInfo().continueAsNewSuggested || (limit && workflowInfo().historyLength > limit)) && !engine.ended) {
      await condition(allHandlersFinished);
      state.runs++;
      await continueAsNew<typeof chainWorkflow>({ ...input, carried: state });
    }
  }
  await condition(allHandlersFinished);
  return state;
}
