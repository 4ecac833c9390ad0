// The handoff's life as pure rules: created → notified → accepted | declined → completed, plus
// forwarded and cancelled; who may act when; deadlines that remind at the first miss and escalate
// at the second. No Temporal, no clock of its own: workflows/handoff.ts feeds it actions and timers
// and records what each transition returns; test/unit/handoff-engine.test.ts runs it on plain values.
import { checkCompletion, type HandoffAction, type HandoffInput, type HandoffState } from './handoff-core';
import { forbidden, invalid, wrongState, type Rejection } from './rejection';
import { scaledDeadline } from './working-days';

export const TERMINAL_STATUSES: ReadonlyArray<HandoffState['status']> = ['completed', 'declined', 'cancelled'];

/** What a transition asks to be recorded (task events, read model, mails). */
export interface HandoffRecord {
  event: string;
  actor: HandoffAction['actor'] | { kind: 'system' };
  details?: Record<string, unknown>;
}

const SYSTEM = { kind: 'system' } as const;
const DONE_LABEL: Record<string, string> = { completed: 'erledigt', declined: 'abgelehnt', cancelled: 'abgebrochen' };

/** May this actor do this action now? */
export function checkHandoffAction(state: HandoffState, a: HandoffAction): Rejection | undefined {
  if (!a || typeof a !== 'object' || !a.actor) return { type: 'InvalidInput', message: 'Aktion fehlt.' };
  if (a.action !== 'cancel' && a.actor.kind !== 'system' && a.actor.departmentId !== state.departmentId) {
    return forbidden('Diese Aufgabe liegt bei einer anderen Stelle.');
  }
  if (TERMINAL_STATUSES.includes(state.status)) return wrongState(`Die Aufgabe ist bereits ${DONE_LABEL[state.status]}.`);
  const noReason = (r: string | undefined) =>
    !r || r.trim().length < 3 ? invalid('Begründung fehlt.', 'reason', 'Begründung fehlt') : undefined;
  const notDelivered = state.status === 'created' ? wrongState('Die Aufgabe ist noch nicht zugestellt.') : undefined;
  switch (a.action) {
    case 'accept':
      if (state.status === 'notified') return undefined;
      return wrongState(
        state.status === 'accepted' ? 'Die Aufgabe wurde bereits angenommen.' : 'Die Aufgabe kann jetzt nicht angenommen werden.',
      );
    case 'decline':
      return noReason(a.reason) ?? notDelivered;
    case 'cancel':
      return noReason(a.reason);
    case 'forward':
      return (
        noReason(a.reason) ??
        (a.departmentId === state.departmentId
          ? invalid('Die Aufgabe liegt bereits bei dieser Stelle.', 'department', 'gleiche Stelle')
          : undefined) ??
        notDelivered
      );
    case 'complete': {
      if (state.status !== 'accepted' && state.status !== 'notified') return wrongState('Die Aufgabe kann jetzt nicht erledigt werden.');
      const r = checkCompletion(state.stepKey, a.outcome, a.data, state.resultFields);
      return r.ok ? undefined : { type: 'InvalidInput', message: r.message, details: r.details };
    }
    default:
      return { type: 'InvalidInput', message: 'Unbekannte Aktion.' };
  }
}

export class HandoffEngine {
  /** bumped on every action: the host's wait loop wakes on it */
  changes = 0;
  /** the current deadline's interval starts here; misses of it so far (1 = reminded, 2 = escalated) */
  private phaseStart: number;
  private phaseMisses = 0;

  constructor(
    readonly state: HandoffState,
    private readonly input: HandoffInput,
    private readonly now: () => number,
  ) {
    this.phaseStart = now();
  }

  static initialState(input: HandoffInput): HandoffState {
    return {
      taskId: input.taskId,
      caseId: input.caseId,
      stepKey: input.stepKey,
      departmentId: input.departmentId,
      status: 'created',
      overdue: false,
      reminders: 0,
      escalated: false,
      seq: 0,
      ...(input.resultFields?.length ? { resultFields: input.resultFields } : {}),
    };
  }

  get ended(): boolean {
    return TERMINAL_STATUSES.includes(this.state.status);
  }

  /** The department's mailbox is told: the acknowledgement deadline starts. */
  notify(title: string | undefined): HandoffRecord {
    this.state.status = 'notified';
    this.newPhase('ack', this.deadline(this.input.ackDays));
    return { event: 'notified', actor: SYSTEM, details: { title } };
  }

  /** Applies an action checked by checkHandoffAction; the state changes before anything is recorded. */
  act(a: HandoffAction): HandoffRecord {
    const s = this.state;
    this.changes++;
    switch (a.action) {
      case 'accept':
        s.status = 'accepted';
        this.newPhase('complete', this.input.dueAt ?? this.deadline(this.input.completeDays));
        return { event: 'accepted', actor: a.actor };
      case 'decline':
        s.status = 'declined';
        s.reason = a.reason.trim();
        return { event: 'declined', actor: a.actor, details: { reason: s.reason } };
      case 'complete': {
        const r = checkCompletion(s.stepKey, a.outcome, a.data, s.resultFields);
        s.status = 'completed';
        s.outcome = a.outcome;
        s.data = r.ok ? r.data : {};
        return { event: 'completed', actor: a.actor, details: { outcome: a.outcome } };
      }
      case 'forward': {
        const from = s.departmentId;
        s.departmentId = a.departmentId;
        s.status = 'notified';
        s.reason = a.reason.trim();
        s.dueAt = undefined;
        this.newPhase('ack', this.deadline(this.input.ackDays));
        return { event: 'forwarded', actor: a.actor, details: { from, to: a.departmentId, reason: s.reason } };
      }
      case 'cancel':
        s.status = 'cancelled';
        s.reason = a.reason.trim();
        return { event: 'cancelled', actor: a.actor, details: { reason: s.reason } };
    }
  }

  /** The waiting chain was cancelled or skipped the step; undefined when the handoff had already ended. */
  cancelledByChain(reason: string): HandoffRecord | undefined {
    if (this.ended) return undefined;
    this.state.status = 'cancelled';
    this.state.reason = reason;
    this.changes++;
    return { event: 'cancelled', actor: SYSTEM, details: { reason } };
  }

  /** When the current deadline is missed next: at the deadline (reminder), one interval later (escalation), then never. */
  nextMiss(): number | undefined {
    const due = this.currentDue();
    if (!due || this.phaseMisses >= 2) return undefined;
    const interval = Math.max(1_000, Date.parse(due) - this.phaseStart);
    return Date.parse(due) + this.phaseMisses * interval;
  }

  /** The deadline from nextMiss() passed without an action. */
  missed(): HandoffRecord {
    const s = this.state;
    const phase = s.status === 'accepted' ? 'complete' : 'ack';
    const due = this.currentDue();
    this.phaseMisses++;
    s.overdue = true;
    if (this.phaseMisses === 1) {
      s.reminders++;
      return { event: 'reminder', actor: SYSTEM, details: { phase, due } };
    }
    s.escalated = true;
    return { event: 'escalation', actor: SYSTEM, details: { phase, due } };
  }

  private currentDue() {
    return this.state.status === 'accepted' ? this.state.dueAt : this.state.ackDueAt;
  }

  private newPhase(which: 'ack' | 'complete', dueAt: string | undefined) {
    this.phaseStart = this.now();
    this.phaseMisses = 0;
    this.state.overdue = false;
    if (which === 'ack') this.state.ackDueAt = dueAt;
    else this.state.dueAt = dueAt;
  }

  private deadline(days: number) {
    return scaledDeadline(new Date(this.now()), days, this.input.workingDaySeconds).toISOString();
  }
}
