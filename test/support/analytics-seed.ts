// Known step timings inserted directly into the read model (Person, Case, Process, ProcessStep), so that
// every analytics and report figure can be checked exactly. Durations are working days, placed with the
// same arithmetic the deadlines use (addWorkingDays), completed at noon Berlin time on the n-th day.
import crypto from 'node:crypto';
import type { Db } from '../../core/db/client';
import { addWorkingDays, workingDaysBetween } from '../../core/domain/working-days';

export interface SeedStep {
  key: string;
  title: string;
  department: string; // holder
  handoff?: boolean;
  /** Berlin date-time the step became active, e.g. "2026-02-02T09:00:00+01:00" */
  activeAt: string;
  /** working days it took; undefined = still open */
  days?: number;
  deadlineDays?: number;
}

export interface SeedChain {
  type: string;
  caseworkerId: string;
  caseDepartment?: string | null;
  topic?: 'housing' | 'education_work' | 'health';
  birthDate?: string;
  householdSize?: number;
  status?: 'running' | 'completed' | 'cancelled';
  startedAt?: string;
  completedAt?: string;
  steps: SeedStep[];
  /** the step's outcome when done (default "done") */
  outcome?: string;
}

/** the instant at noon (Berlin) of the n-th working day after `start` */
export const workingDayNoon = (start: Date, n: number) => new Date(addWorkingDays(start, n).getTime() - 12 * 3_600_000);

export async function seedChain(db: Db, c: SeedChain) {
  const first = new Date(c.startedAt ?? c.steps[0]?.activeAt ?? Date.now());
  const person = await db.person.create({
    data: {
      firstName: 'Analyse',
      lastName: 'Zeile',
      createdById: c.caseworkerId,
      ...(c.birthDate ? { birthDate: new Date(`${c.birthDate}T00:00:00Z`) } : {}),
      ...(c.householdSize ? { householdSize: c.householdSize } : {}),
    },
  });
  const kase = await db.case.create({
    data: {
      reference: `AN-${crypto.randomBytes(5).toString('hex')}`,
      personId: person.id,
      topic: c.topic ?? (c.type === 'move-out' ? 'housing' : 'education_work'),
      caseworkerId: c.caseworkerId,
      departmentId: c.caseDepartment === undefined ? '5-53' : c.caseDepartment,
      workflowId: `case-seed-${crypto.randomUUID()}`,
      createdById: c.caseworkerId,
      createdAt: first,
    },
  });
  const process = await db.process.create({
    data: {
      caseId: kase.id,
      type: c.type,
      version: 1,
      workflowId: `chain-seed-${crypto.randomUUID()}`,
      status: c.status ?? 'running',
      assigneeId: c.caseworkerId,
      startedById: c.caseworkerId,
      startedAt: first,
      completedAt: c.completedAt ? new Date(c.completedAt) : null,
    },
  });
  let seq = 0;
  for (const s of c.steps) {
    const activeAt = new Date(s.activeAt);
    const completedAt = s.days === undefined ? null : workingDayNoon(activeAt, s.days);
    const deadlineAt = s.deadlineDays === undefined ? null : addWorkingDays(activeAt, s.deadlineDays);
    await db.processStep.create({
      data: {
        processId: process.id,
        seq: ++seq,
        key: s.key,
        title: s.title,
        status: completedAt ? 'done' : s.handoff ? 'handoff' : 'active',
        department: s.handoff ? s.department : null,
        startedAt: activeAt,
        dueAt: deadlineAt,
        completedAt,
        outcome: completedAt ? (c.outcome ?? 'done') : null,
        chainType: c.type,
        activeAt,
        holderDepartment: s.department,
        deadlineAt,
        deadlineDays: s.deadlineDays ?? null,
        workingDays: completedAt ? workingDaysBetween(activeAt, completedAt) : null,
      },
    });
  }
  return { caseId: kase.id, processId: process.id, personId: person.id, reference: kase.reference };
}
