// The chain engine: a chain definition (data) interpreted as a step graph — outcomes and where they
// lead, handoffs to departments, automatic rules, waits, deadlines, reminders, escalations, reviews,
// the consent gate. Pure and deterministic: no Temporal, no I/O, no clock of its own. Each transition
// is a generator that changes the state at once (so a second action arriving meanwhile sees it) and
// then yields the effects to run in order (effects.ts); the chain workflow runs them, unit tests
// answer them with plain values (test/unit/chain-engine.test.ts).
import type { ChainDefinition, StepDefinition } from './schema';
import { checkStepData } from './step-data';
import { nextTimer, type DueTimer } from './timers';
import { checkCancel, checkCompleteStep, checkEndCode, checkHold, checkReassign, checkResume } from './action-checks';
import { openSteps, type ChainActor, type ChainInput, type ChainState, type CompleteStepArgs, type CurrentStep } from './state';
import { perform, type Run } from './effects';
import type { HandoffResult } from '../handoff';
import type { Rejection } from '../rejection';
import { endOfBerlinDate, scaledDeadline } from '../working-days';

/** The step's data as checked (text trimmed); the update's validator refused anything else before. */
function parsedStepData(step: StepDefinition, data: Record<string, unknown>): Record<string, unknown> {
  const r = checkStepData(step, data);
  if (!r.ok) throw new Error(`Ungültige Daten: ${r.issues.map((i) => i.message).join('; ')}`);
  return r.data;
}

/** Handoff steps wait for a consent covering their department (added after the first recorded histories). */
export const CONSENT_GATE = 'consent-gate';

export const SYSTEM: ChainActor = { kind: 'system' };
const DEPARTMENT: ChainActor = { kind: 'system', role: 'department' };

export interface EngineOptions {
  /** the workflow clock (deterministic in Temporal), ms since the epoch */
  now: () => number;
  /** >0: one (working) day lasts this many seconds — tests and demos */
  daySeconds: number;
  /** where handoffs signal their result */
  workflowId: string;
}

const DONE_KEPT = 200;

export function initialChainState(input: ChainInput): ChainState {
  return {
    processId: input.processId,
    caseId: input.caseId,
    type: input.definition.type,
    version: input.definition.version,
    status: 'running',
    done: [],
    facts: {},
    seq: 0,
    stepSeq: 0,
    runs: 0,
    assigneeId: input.assigneeId,
  };
}

/**
 * The first step as the start transaction writes it with the process row (read your own write): the
 * step the engine enters first, with the phase and deadline it starts in. The workflow's first record
 * then overwrites it with what really happened (a handoff sent or waiting for a consent, a rule decided).
 */
export function plannedFirstStep(def: ChainDefinition, now: number, daySeconds: number) {
  const step = def.steps[def.start];
  const dayMs = daySeconds > 0 ? daySeconds * 1000 : 86_400_000;
  if (step.waitDays) return { key: def.start, title: step.title, phase: 'waiting' as const, dueAt: new Date(now + step.waitDays * dayMs) };
  const dueAt =
    step.actor.kind === 'caseworker' && step.deadlineDays !== undefined
      ? scaledDeadline(new Date(now), step.deadlineDays, daySeconds || undefined)
      : undefined;
  return { key: def.start, title: step.title, phase: 'active' as const, dueAt };
}

export class ChainEngine {
  /** bumped on every change the host's wait loop must notice (a new step, a new phase, a status) */
  changes = 0;
  private gateBusy = false;
  private gateAgain = false;
  private readonly dayMs: number;

  constructor(
    readonly state: ChainState,
    readonly def: ChainDefinition,
    private readonly opts: EngineOptions,
  ) {
    this.dayMs = opts.daySeconds > 0 ? opts.daySeconds * 1000 : 86_400_000;
  }

  get ended(): boolean {
    return this.state.status === 'completed' || this.state.status === 'cancelled';
  }

  // ── transitions ────────────────────────────────────────────────────────────────────────────────

  *start(): Run {
    yield* this.record('chain.started', SYSTEM, { type: this.def.type, version: this.def.version });
    yield* this.enter(this.def.start);
  }

  /** A handoff started by this chain has ended (completed, declined or cancelled). */
  *handoffEnded(r: HandoffResult): Run {
    const cur = this.open().find((c) => c.taskId === r.taskId);
    if (!cur || this.ended) return;
    if (r.status === 'completed' && r.outcome) {
      // the typed result fields the definition declares become facts of the chain (nothing else of the data)
      const results = this.resultsOf(this.def.steps[cur.key], r.data);
      this.finish(cur, r.outcome, results);
      yield* this.afterFinish(cur, r.outcome, results, DEPARTMENT);
    } else if (r.status === 'declined') {
      yield* this.returnStep(cur, r.taskId, r.reason);
    } else if (r.status === 'cancelled' && cur.phase === 'handoff') {
      // cancelled from outside the chain: the consent was withdrawn (the step waits for a new one) or the
      // caseworker cancelled the task (the step returns to them)
      const step = this.def.steps[cur.key];
      const gate = step.actor.kind === 'handoff' ? yield* perform({ kind: 'checkConsent', target: this.target(cur, step) }) : undefined;
      if (!this.isOpen(cur) || cur.taskId !== r.taskId) return;
      if (gate && !gate.covered) yield* this.waitForConsent(cur, gate.departmentId, r.taskId);
      else yield* this.returnStep(cur, r.taskId, r.reason);
    }
  }

  /** A consent of the case was given or withdrawn. One check at a time; a change arriving meanwhile checks once more. */
  *consentChanged(): Run {
    if (this.gateBusy) {
      this.gateAgain = true;
      return;
    }
    this.gateBusy = true;
    try {
      do {
        this.gateAgain = false;
        for (const cur of this.open()) {
          if (cur.phase !== 'consent' || this.state.status !== 'running' || !this.isOpen(cur) || cur.heldAt) continue;
          yield* this.activate(cur, this.def.steps[cur.key]);
        }
      } while (this.gateAgain);
    } finally {
      this.gateBusy = false;
    }
  }

  *completeStep(a: CompleteStepArgs): Run {
    const cur = this.open().find((c) => c.key === a.stepKey)!;
    const step = this.def.steps[cur.key];
    if (a.outcome === 'retry') {
      cur.phase = 'active';
      this.changed();
      yield* this.record('step.retry', a.actor, { step: cur.key });
      if (cur.branch) {
        // the retried instance keeps its number (sequence numbers are per chain, so set it back explicitly)
        yield* this.enter(cur.key, cur.branch, cur.seq);
        return;
      }
      this.state.stepSeq--; // the retried instance keeps its number
      this.state.current = undefined;
      yield* this.enter(cur.key);
      return;
    }
    if (a.outcome === 'skip') {
      const outcome = Object.keys(step.outcomes)[0];
      const taskId = cur.phase === 'handoff' ? cur.taskId : undefined;
      this.finish(cur, outcome, undefined, true);
      if (taskId) yield* this.cancelHandoff(taskId, 'Schritt übersprungen');
      yield* this.afterFinish(cur, outcome, undefined, a.actor, true);
      return;
    }
    const data = a.data ? parsedStepData(step, a.data) : undefined;
    this.finish(cur, a.outcome, data);
    yield* this.afterFinish(cur, a.outcome, data, a.actor);
  }

  /** `stepKey`: only that open step (one branch of a fork) is held — its timers rest, the other branches run on. */
  *hold(reason: string, actor: ChainActor, stepKey?: string): Run {
    if (stepKey !== undefined) {
      const cur = this.open().find((c) => c.key === stepKey)!;
      cur.heldAt = this.iso();
      cur.heldReason = reason;
      this.changed();
      yield* this.record('step.held', actor, { step: cur.key, reason, ...(cur.branch ? { branch: cur.branch } : {}) });
      return;
    }
    this.state.status = 'on_hold';
    this.state.reason = reason;
    this.changed();
    yield* this.record('chain.held', actor, { reason });
  }

  *resume(actor: ChainActor, stepKey?: string): Run {
    if (stepKey !== undefined) {
      const cur = this.open().find((c) => c.key === stepKey)!;
      delete cur.heldAt;
      delete cur.heldReason;
      this.changed();
      yield* this.record('step.resumed', actor, { step: cur.key, ...(cur.branch ? { branch: cur.branch } : {}) });
      if (cur.phase === 'consent' && this.state.status === 'running') yield* this.consentChanged();
      return;
    }
    this.state.status = 'running';
    this.state.reason = undefined;
    this.changed();
    yield* this.record('chain.resumed', actor);
    if (this.open().some((c) => c.phase === 'consent')) yield* this.consentChanged();
  }

  /** `endCode`: one of the definition's end codes (e.g. `withdrawn`); default `cancelled` where the definition has end codes */
  *cancel(reason: string, actor: ChainActor, endCode?: string): Run {
    const open = this.open();
    this.state.status = 'cancelled';
    this.state.reason = reason;
    if (endCode || this.def.endCodes) this.state.endCode = endCode ?? 'cancelled';
    this.changed();
    for (const cur of open)
      if (cur.phase === 'handoff' && cur.taskId) yield* this.cancelHandoff(cur.taskId, `Kette abgebrochen: ${reason}`);
    yield* this.record('chain.cancelled', actor, { reason, ...(this.state.endCode ? { endCode: this.state.endCode } : {}) });
  }

  *reassign(assigneeId: string, reason: string | undefined, actor: ChainActor): Run {
    const from = this.state.assigneeId;
    this.state.assigneeId = assigneeId;
    this.changed();
    yield* this.record('chain.reassigned', actor, { from, to: assigneeId, reason });
  }

  // ── validation: may this action happen now? (validation.ts) ──────────────────────────────────

  checkCompleteStep(a: CompleteStepArgs): Rejection | undefined {
    return checkCompleteStep(this.state, this.def, a);
  }

  checkHold(reason: string | undefined, stepKey?: string): Rejection | undefined {
    return checkHold(this.state, reason, stepKey);
  }

  checkResume(stepKey?: string): Rejection | undefined {
    return checkResume(this.state, stepKey);
  }

  checkCancel(reason: string | undefined, endCode?: string): Rejection | undefined {
    return checkCancel(this.state, reason) ?? checkEndCode(this.def, endCode);
  }

  checkReassign(assigneeId: string | undefined): Rejection | undefined {
    return checkReassign(this.state, assigneeId);
  }

  // ── timers ─────────────────────────────────────────────────────────────────────────────────────

  /** The next thing due for the current step (timers.ts). */
  nextTimer(): DueTimer | undefined {
    return nextTimer(this.state, this.def, this.dayMs);
  }

  /** The timer from nextTimer() ran out. */
  *fire(timer: DueTimer): Run {
    const cur = this.open().find((c) => c.seq === timer.stepSeq);
    if (!cur) return;
    switch (timer.kind) {
      case 'activate':
        yield* this.activate(cur, this.def.steps[cur.key]);
        return;
      case 'deadline':
        cur.overdue = true;
        cur.reminders++;
        yield* this.record('step.reminder', SYSTEM, { step: cur.key, reason: 'deadline' });
        return;
      case 'escalation':
        cur.overdue = true;
        cur.escalated = true;
        yield* this.record('step.escalation', SYSTEM, { step: cur.key });
        return;
      case 'periodic':
        cur.pings++;
        yield* this.record('step.reminder', SYSTEM, { step: cur.key, reason: 'periodic' });
        return;
      case 'review':
        cur.reviewed = true;
        yield* this.record('step.review', SYSTEM, { step: cur.key });
        return;
    }
  }

  // ── the step graph ─────────────────────────────────────────────────────────────────────────────

  private *enter(key: string, branch?: string, seq?: number): Run {
    const step = this.def.steps[key];
    if (step.actor.kind === 'fork') {
      yield* this.fork(key, step.actor.branches);
      return;
    }
    const cur: CurrentStep = {
      key,
      ...(branch ? { branch } : {}),
      seq: seq ?? ++this.state.stepSeq,
      phase: 'active',
      startedAt: this.iso(),
      reminders: 0,
      pings: 0,
      escalated: false,
      reviewed: false,
      overdue: false,
    };
    if (branch && this.state.fork) {
      const bs = this.state.fork.branches;
      const i = bs.findIndex((b) => b.branch === branch);
      if (i >= 0) bs[i] = cur;
      else bs.push(cur);
    } else this.state.current = cur;
    this.changed();
    if (step.waitDays) {
      const from = this.waitFrom(step);
      if (from !== undefined && from <= this.opts.now()) {
        yield* this.activate(cur, step); // counted from a date already far enough back: due now
        return;
      }
      cur.phase = 'waiting';
      cur.activeFrom = new Date(from ?? this.opts.now() + step.waitDays * this.dayMs).toISOString();
      yield* this.record('step.waiting', SYSTEM, { activeFrom: cur.activeFrom, ...this.branchOf(cur) });
      return;
    }
    yield* this.activate(cur, step);
  }

  private *activate(cur: CurrentStep, step: StepDefinition): Run {
    const actor = step.actor;
    if (actor.kind === 'rule') {
      const answer = yield* perform({ kind: 'evaluateRule', caseId: this.state.caseId, rule: actor.rule });
      yield* this.record('step.started', SYSTEM, this.branchOf(cur));
      const outcome = answer in step.outcomes ? answer : Object.keys(step.outcomes)[0];
      this.finish(cur, outcome, undefined);
      yield* this.afterFinish(cur, outcome, undefined, SYSTEM);
      return;
    }
    if (actor.kind === 'compare') {
      // decided from the chain's own facts: no effect, nothing asked outside (deterministic)
      yield* this.record('step.started', SYSTEM, this.branchOf(cur));
      const outcome = this.compare(actor) ? 'yes' : 'no';
      this.finish(cur, outcome, undefined);
      yield* this.afterFinish(cur, outcome, undefined, SYSTEM);
      return;
    }
    if (actor.kind === 'handoff') {
      if (yield* perform({ kind: 'patched', patchId: CONSENT_GATE })) {
        const gate = yield* perform({ kind: 'checkConsent', target: this.target(cur, step) });
        if (!this.isOpen(cur) || this.state.status === 'cancelled') return; // superseded while checking
        if (!gate.covered) {
          yield* this.waitForConsent(cur, gate.departmentId);
          return;
        }
      }
      const h = yield* perform({
        kind: 'prepareHandoff',
        request: {
          ...this.target(cur, step),
          processId: this.state.processId,
          handoffStep: actor.handoffStep,
          createdById: this.state.assigneeId,
          instance: `${cur.seq}:${this.state.seq}`,
        },
      });
      cur.phase = 'handoff';
      cur.taskId = h.taskId;
      cur.department = h.departmentId;
      cur.dueAt = this.dueFromField(actor.dueFromField);
      yield* perform({
        kind: 'startHandoff',
        input: {
          taskId: h.taskId,
          caseId: this.state.caseId,
          stepKey: actor.handoffStep,
          departmentId: h.departmentId,
          ackDays: h.ackDays,
          completeDays: h.completeDays,
          workingDaySeconds: this.opts.daySeconds,
          parentWorkflowId: this.opts.workflowId,
          dueAt: cur.dueAt,
          ...(step.results?.length ? { resultFields: step.results } : {}),
        },
      });
      yield* this.record('step.handoff', SYSTEM, { taskId: h.taskId, department: h.departmentId, ...this.branchOf(cur) });
      this.changed();
      return;
    }
    cur.phase = 'active';
    cur.dueAt =
      step.deadlineDays !== undefined
        ? scaledDeadline(new Date(this.opts.now()), step.deadlineDays, this.opts.daySeconds || undefined).toISOString()
        : undefined;
    yield* this.record('step.started', SYSTEM, { dueAt: cur.dueAt, ...this.branchOf(cur) });
    this.changed();
  }

  /** A fork step: its branches start one after the other, each with its own first step. */
  private *fork(key: string, branches: string[]): Run {
    const seq = ++this.state.stepSeq;
    this.state.current = undefined;
    this.state.fork = { key, seq, startedAt: this.iso(), branches: [], joined: [] };
    this.changed();
    yield* this.record('step.forked', SYSTEM, { step: key, branches });
    for (const b of branches) {
      if (this.state.fork?.seq !== seq || this.ended) return; // joined early or cancelled meanwhile
      yield* this.enter(b, b);
    }
  }

  /** The fork ends with `result`: branches still open are cancelled (their handoffs too), the chain goes on. */
  private *join(result: string): Run {
    const fork = this.state.fork!;
    const rest = fork.branches;
    fork.branches = [];
    this.state.fork = undefined;
    this.state.done.push({ key: fork.key, seq: fork.seq, outcome: result, completedAt: this.iso() });
    this.changed();
    for (const cur of rest) {
      if (cur.phase === 'handoff' && cur.taskId) yield* this.cancelHandoff(cur.taskId, 'Paralleler Zweig beendet');
      yield* this.record('step.cancelled', SYSTEM, { step: cur.key, seq: cur.seq, branch: cur.branch });
    }
    yield* this.afterFinish({ key: fork.key, seq: fork.seq } as CurrentStep, result, undefined, SYSTEM);
  }

  /** No valid consent covers the department: the step waits, the caseworker is told what is missing. */
  private *waitForConsent(cur: CurrentStep, departmentId: string, taskId?: string): Run {
    const branch = this.branchOf(cur);
    const again = cur.phase === 'consent' && cur.department === departmentId;
    cur.phase = 'consent';
    cur.department = departmentId;
    cur.taskId = undefined;
    cur.dueAt = undefined;
    this.changed();
    if (!again)
      yield* this.record('step.consent_missing', SYSTEM, {
        department: departmentId,
        ...(taskId ? { cancelledTask: taskId } : {}),
        ...branch,
      });
  }

  private *returnStep(cur: CurrentStep, taskId: string, reason: string | undefined): Run {
    cur.phase = 'returned';
    cur.declineReason = reason;
    this.changed();
    yield* this.record('step.returned', SYSTEM, { taskId, reason, ...this.branchOf(cur) });
  }

  /** The step is done: its facts kept, its outcome in the list, no current step until the next is entered. */
  private finish(cur: CurrentStep, outcome: string, data: Record<string, unknown> | undefined, skipped = false) {
    for (const f of this.def.steps[cur.key].fields) {
      const v = data?.[f.key];
      if ((f.type === 'date' || f.type === 'number') && (typeof v === 'string' || typeof v === 'number'))
        this.state.facts[`${cur.key}.${f.key}`] = v;
    }
    for (const f of this.def.steps[cur.key].results ?? []) {
      const v = data?.[f.key];
      if (typeof v === 'string' || typeof v === 'number') this.state.facts[`${cur.key}.${f.key}`] = v;
    }
    this.state.done.push({ key: cur.key, seq: cur.seq, outcome, completedAt: this.iso(), ...(skipped ? { skipped } : {}) });
    if (this.state.done.length > DONE_KEPT) this.state.done.splice(0, this.state.done.length - DONE_KEPT);
    if (cur.branch && this.state.fork) this.state.fork.branches = this.state.fork.branches.filter((b) => b !== cur);
    else this.state.current = undefined;
    this.changed();
  }

  /** Records the finished step and goes where its outcome leads: the next step, or the chain's end. */
  private *afterFinish(
    cur: CurrentStep,
    outcome: string,
    data: Record<string, unknown> | undefined,
    actor: ChainActor,
    skipped = false,
  ): Run {
    yield* this.record(skipped ? 'step.skipped' : 'step.completed', actor, { step: cur.key, outcome }, data);
    const o = this.def.steps[cur.key].outcomes[outcome];
    const next = o?.next ?? 'end';
    const fork = this.state.fork;
    // a branch whose fork another branch joined meanwhile (work interleaved in histories before the chain
    // workflow's 'chain-serial-work'): nothing is left to do — before, this entered a step named 'join'
    if (cur.branch && !fork && next === 'join') return;
    if (cur.branch && fork) {
      const forkStep = this.def.steps[fork.key];
      const early =
        forkStep.actor.kind === 'fork' ? forkStep.actor.joinWhen.find((j) => j.step === cur.key && j.outcome === outcome) : undefined;
      if (early) return yield* this.join(early.result);
      if (next === 'join') {
        fork.joined.push(cur.branch);
        this.changed();
        if (fork.branches.length === 0) yield* this.join('joined');
        return;
      }
      if (next !== 'end') return yield* this.enter(next, cur.branch);
      // a branch ends the chain: the other branches are cancelled first
      for (const b of fork.branches) {
        if (b.phase === 'handoff' && b.taskId) yield* this.cancelHandoff(b.taskId, 'Kette beendet');
      }
      fork.branches = [];
      this.state.fork = undefined;
    } else if (next !== 'end') {
      yield* this.enter(next);
      return;
    }
    this.state.status = 'completed';
    if (o?.endCode || this.def.endCodes) this.state.endCode = o?.endCode ?? 'completed';
    this.changed();
    yield* this.record('chain.completed', SYSTEM, this.state.endCode ? { endCode: this.state.endCode } : undefined);
  }

  private *cancelHandoff(taskId: string, reason: string): Run {
    yield* perform({ kind: 'cancelHandoff', taskId, reason });
  }

  private *record(event: string, actor: ChainActor, details?: Record<string, unknown>, stepData?: Record<string, unknown>): Run {
    const s = this.state;
    s.seq++;
    const stepKey = typeof details?.step === 'string' ? details.step : undefined;
    yield* perform({
      kind: 'record',
      record: {
        processId: s.processId,
        seq: s.seq,
        event,
        actor,
        details,
        stepData,
        state: {
          ...s,
          current: s.current && { ...s.current },
          ...(s.fork ? { fork: { ...s.fork, branches: s.fork.branches.map((b) => ({ ...b })), joined: [...s.fork.joined] } } : {}),
        },
        titles: {
          current: s.current && this.def.steps[s.current.key].title,
          step: stepKey && this.def.steps[stepKey]?.title,
          ...(s.fork ? { open: this.openTitles() } : {}),
        },
      },
    });
  }

  private target(cur: CurrentStep, step: StepDefinition) {
    const a = step.actor.kind === 'handoff' ? step.actor : undefined;
    return { caseId: this.state.caseId, stepKey: cur.key, department: a?.department, byBenefit: a?.byBenefit };
  }

  /** A handoff due on a date recorded by an earlier step (the move-in date): the end of that day in Berlin. */
  private dueFromField(field: { step: string; field: string } | undefined): string | undefined {
    const v = field ? this.state.facts[`${field.step}.${field.field}`] : undefined;
    if (typeof v !== 'string') return undefined;
    try {
      return endOfBerlinDate(v).toISOString();
    } catch {
      return undefined; // not a calendar date: the department's own deadline applies
    }
  }

  /**
   * A wait counted from a date of an earlier step (`waitFromField`, e.g. after-care from the move-in
   * date): the start (Berlin) of the calendar day `waitDays` days after that date. With scaled days (tests, demos)
   * the real days still to wait are scaled like every other wait. Undefined without such a date.
   */
  private waitFrom(step: StepDefinition): number | undefined {
    const w = step.waitFromField;
    const v = w ? this.state.facts[`${w.step}.${w.field}`] : undefined;
    if (typeof v !== 'string' || !step.waitDays) return undefined;
    let target: number;
    try {
      endOfBerlinDate(v); // a calendar date?
      // the start of the Berlin day `waitDays` calendar days later = the end of the day before it
      const dayBefore = new Date(Date.parse(`${v}T00:00:00Z`) + (Math.ceil(step.waitDays) - 1) * 86_400_000).toISOString().slice(0, 10);
      target = endOfBerlinDate(dayBefore).getTime() + 1;
    } catch {
      return undefined; // not a calendar date: counted from now
    }
    const now = this.opts.now();
    if (this.opts.daySeconds <= 0) return target;
    return now + ((target - now) / 86_400_000) * this.dayMs;
  }

  /** Of a department's data, the declared result fields (amounts, numbers, dates); undefined when none. */
  private resultsOf(step: StepDefinition, data: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (!step.results?.length || !data) return undefined;
    const out: Record<string, unknown> = {};
    for (const f of step.results) {
      const v = data[f.key];
      if ((f.type === 'date' && typeof v === 'string') || (f.type !== 'date' && typeof v === 'number')) out[f.key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }

  /** A compare step: `fact op than` on the chain's facts; a missing fact answers no. */
  private compare(a: Extract<StepDefinition['actor'], { kind: 'compare' }>): boolean {
    const left = this.state.facts[a.fact];
    const right = typeof a.than === 'number' ? a.than : this.state.facts[a.than];
    if (left === undefined || right === undefined || typeof left !== typeof right) return false;
    switch (a.op) {
      case 'lt':
        return left < right;
      case 'lte':
        return left <= right;
      case 'eq':
        return left === right;
      case 'gte':
        return left >= right;
      case 'gt':
        return left > right;
    }
  }

  /** the steps open now (the current step, or each parallel branch's) */
  private open(): CurrentStep[] {
    return openSteps(this.state);
  }

  private isOpen(cur: CurrentStep): boolean {
    return this.open().includes(cur);
  }

  /** names the step in a record when it runs in a branch (the read model then knows which one) */
  private branchOf(cur: CurrentStep): Record<string, string> {
    return cur.branch ? { step: cur.key, branch: cur.branch } : {};
  }

  private openTitles(): Record<string, string> {
    const t: Record<string, string> = {};
    for (const c of this.open()) t[c.key] = this.def.steps[c.key].title;
    if (this.state.fork) t[this.state.fork.key] = this.def.steps[this.state.fork.key].title;
    return t;
  }

  private changed() {
    this.changes++;
  }

  private iso() {
    return new Date(this.opts.now()).toISOString();
  }
}
