// The timers of a chain's current step: a waiting step's activation, the deadline's reminder and (one
// interval later) escalation, the periodic reminder, the supervisor review. Pure: the workflow waits
// for the earliest and lets the engine fire it (ChainEngine.fire).
import type { ChainDefinition } from './schema';
import { openSteps, type ChainState } from './state';

export type TimerKind = 'activate' | 'deadline' | 'escalation' | 'periodic' | 'review';
/** The next thing due for the current step, at `at` (ms since the epoch). */
export interface DueTimer {
  at: number;
  kind: TimerKind;
  stepSeq: number;
}

/** The next thing due for any open step (parallel branches each have their own): activation of a waiting step, deadline reminder, escalation, periodic reminder, review. */
export function nextTimer(state: ChainState, def: ChainDefinition, dayMs: number): DueTimer | undefined {
  if (state.status !== 'running') return undefined;
  const candidates: DueTimer[] = [];
  for (const cur of openSteps(state)) {
    if (cur.heldAt) continue; // a held branch: its deadline and reminders rest until it is resumed
    const step = def.steps[cur.key];
    const add = (at: number, kind: TimerKind) => candidates.push({ at, kind, stepSeq: cur.seq });
    if (cur.phase === 'waiting' && cur.activeFrom) add(Date.parse(cur.activeFrom), 'activate');
    if (cur.phase === 'active' || cur.phase === 'returned') {
      const started = Date.parse(cur.activeFrom ?? cur.startedAt);
      if (cur.dueAt && !cur.escalated) {
        // first miss at the deadline (reminder), the second one interval later (escalation)
        const due = Date.parse(cur.dueAt);
        const interval = Math.max(1_000, due - started);
        if (cur.overdue) add(due + interval, 'escalation');
        else add(due, 'deadline');
      }
      if (step.remindEveryDays) add(started + (cur.pings + 1) * step.remindEveryDays * dayMs, 'periodic');
      if (step.reviewAfterDays && !cur.reviewed) add(started + step.reviewAfterDays * dayMs, 'review');
    }
  }
  return candidates.sort((a, b) => a.at - b.at)[0];
}
