// The step history the analytics read (issue: reports): when a step became active, who held it, its
// deadline and, on leaving, the working days it took. Written with the read model in recordProcess's
// transaction (activities/chain.ts); durations count working days as deadlines do (working-days.ts).
import type { Prisma } from '../core/db/generated/client';
import type { CurrentStep } from '../core/domain/chains/state';
import { workingDaysBetween } from '../core/domain/working-days';

type Tx = Prisma.TransactionClient;
/** a step in one of these phases is active (not waiting for a date or a consent): activeAt is set */
export const ACTIVE_PHASES = new Set(['active', 'handoff', 'returned']);

/** The columns of an open step's row as the chain's state gives them (both record paths: chain.ts, chain-record.ts). */
export function openStepRow(c: CurrentStep, titleOf: (key: string) => string) {
  return {
    seq: c.seq,
    key: c.key,
    title: titleOf(c.key),
    status: c.phase,
    department: c.department ?? null,
    taskId: c.taskId ?? null,
    dueAt: c.dueAt ? new Date(c.dueAt) : null,
    heldAt: c.heldAt ? new Date(c.heldAt) : null,
  };
}

/** The history columns for the current step: activeAt is set once, when the step first is active. */
export async function stepHistory(
  tx: Tx,
  processId: string,
  cur: CurrentStep,
  taskDueAt: Date | null,
  chainType: string,
  caseDepartment: string | null,
  now: Date,
) {
  const prev = await tx.processStep.findUnique({
    where: { processId_seq: { processId, seq: cur.seq } },
    select: { activeAt: true },
  });
  const activeAt = prev?.activeAt ?? (ACTIVE_PHASES.has(cur.phase) ? now : null);
  const deadlineAt = cur.dueAt ? new Date(cur.dueAt) : taskDueAt;
  return {
    chainType,
    activeAt,
    holderDepartment: cur.department ?? caseDepartment,
    deadlineAt,
    deadlineDays: activeAt && deadlineAt ? workingDaysBetween(activeAt, deadlineAt) : null,
  };
}

/** The history columns of a step that is left (done or skipped): the working days from active to now. */
export async function leftStep(tx: Tx, processId: string, seq: number, chainType: string, caseDepartment: string | null, now: Date) {
  const prev = await tx.processStep.findUnique({
    where: { processId_seq: { processId, seq } },
    select: { activeAt: true, startedAt: true, department: true },
  });
  const activeAt = prev?.activeAt ?? prev?.startedAt ?? now;
  return {
    chainType,
    activeAt,
    holderDepartment: prev?.department ?? caseDepartment,
    workingDays: workingDaysBetween(activeAt, now),
  };
}
