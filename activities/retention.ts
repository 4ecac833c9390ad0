// Side effects of the retention workflow: find closed cases past their retention period and
// anonymise each in ONE transaction. What statistics need stays (topic, dates, statuses, step
// outcomes, departments, durations, benefit type, household size, birth year); names and free text go.
// Idempotent: a case is locked and checked again inside its transaction, so a retried activity (or a
// second run) finds it anonymised and changes nothing — no second audit entry either.
import { anonymizePersonFile } from './retention-person-file';
import { anonymizeCaseEducation, anonymizePersonEducation } from './retention-education';
import { audit, SYSTEM } from '../core/audit';
import type { Db } from '../core/db/client';
import { Prisma } from '../core/db/generated/client';
import { chainDefinitionFor } from '../core/domain/chains';
import { OPEN_TASK_STATUSES } from '../core/domain/handoff';
import type { RetentionResult } from '../core/domain/retention';
import { anonymizeCaseCycle } from './case-cycle-retention';
import { IDEMPOTENT_RESPONSE_HOURS } from '../core/domain/retention';

export interface RetentionActivityDeps {
  db: Db;
}

/** what an anonymised person's names become */
export const ANONYMIZED_NAME = 'Anonymisiert';
/** reasons in event details that are enums, not free text (step reminders) */
const ENUM_REASONS = ['deadline', 'periodic'];

type Tx = Prisma.TransactionClient;

/**
 * Due: closed, closed before the cut-off, not yet anonymised, no running chain, no open handoff,
 * no e-mail of the case still waiting in the outbox (it would go out empty).
 */
function dueCases(cutoff: Date, only?: string): Prisma.Sql {
  return Prisma.sql`
    SELECT c."id" FROM "Case" c
    WHERE c."status" = 'closed' AND c."anonymizedAt" IS NULL AND c."closedAt" IS NOT NULL AND c."closedAt" < ${cutoff}
      ${only ? Prisma.sql`AND c."id" = ${only}` : Prisma.empty}
      AND NOT EXISTS (SELECT 1 FROM "Process" p WHERE p."caseId" = c."id" AND p."status" IN ('running', 'on_hold'))
      AND NOT EXISTS (SELECT 1 FROM "Task" t WHERE t."caseId" = c."id" AND t."status"::text IN (${Prisma.join(OPEN_TASK_STATUSES)}))
      AND NOT EXISTS (SELECT 1 FROM "Mail" m WHERE m."caseId" = c."id" AND m."status" = 'pending')
    ORDER BY c."closedAt", c."id"`;
}

const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(v);

/** Step data of a chain: keeps the fields its definition types as number, date or select; drops text and unknown keys. */
function statisticalStepData(data: Record<string, unknown>, types: Map<string, string>) {
  return Object.fromEntries(
    Object.entries(data).filter(([k, v]) => {
      const t = types.get(k);
      return (t === 'number' && typeof v === 'number') || (t === 'date' && isDate(v)) || (t === 'select' && typeof v === 'string');
    }),
  );
}

/** Data a department returned with a handoff: numbers, booleans and dates stay; any other text goes. */
function statisticalTaskData(data: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'number' || typeof v === 'boolean' || isDate(v)));
}

const asObject = (v: Prisma.JsonValue | null): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

async function anonymizeCaseData(tx: Tx, caseId: string) {
  await tx.followUp.updateMany({ where: { caseId }, data: { note: null } });
  await tx.consent.updateMany({ where: { caseId }, data: { purpose: '' } });
  // the reasons given for status changes are free text; the statuses and closure codes stay (statistics)
  await tx.caseStatusChange.updateMany({ where: { caseId }, data: { reason: null } });
  await anonymizeCaseCycle(tx, caseId); // assessments, plans, journal, documents (issue 13)
  await anonymizeCaseEducation(tx, caseId); // meeting to-dos about the case (issue 15)
  await tx.handoffMessage.deleteMany({ where: { caseId } }); // the caseworker's messages to departments: free text (issue 14)

  const processes = await tx.process.findMany({ where: { caseId }, select: { id: true, type: true, version: true } });
  const processIds = processes.map((p) => p.id);
  await tx.process.updateMany({ where: { caseId }, data: { reason: null } });
  for (const p of processes) {
    const def = chainDefinitionFor(p.type, p.version);
    const steps = await tx.processStep.findMany({ where: { processId: p.id }, select: { id: true, key: true, data: true } });
    for (const s of steps) {
      if (s.data === null) continue;
      const data = asObject(s.data);
      const types = new Map((def?.steps[s.key]?.fields ?? []).map((f) => [f.key, f.type] as [string, string]));
      await tx.processStep.update({
        where: { id: s.id },
        data: { data: data ? (statisticalStepData(data, types) as Prisma.InputJsonValue) : Prisma.DbNull },
      });
    }
  }
  if (processIds.length) {
    await tx.$executeRaw`UPDATE "ProcessEvent" SET "details" = "details" - 'reason'
      WHERE "processId" IN (${Prisma.join(processIds)}) AND "details" ? 'reason' AND NOT ("details"->>'reason' IN (${Prisma.join(ENUM_REASONS)}))`;
  }

  const tasks = await tx.task.findMany({ where: { caseId }, select: { id: true, data: true } });
  const taskIds = tasks.map((t) => t.id);
  for (const t of tasks) {
    const data = asObject(t.data);
    await tx.task.update({
      where: { id: t.id },
      data: {
        reason: null,
        ...(t.data !== null ? { data: data ? (statisticalTaskData(data) as Prisma.InputJsonValue) : Prisma.DbNull } : {}),
      },
    });
  }
  if (taskIds.length) {
    await tx.$executeRaw`UPDATE "TaskEvent" SET "details" = "details" - 'reason' WHERE "taskId" IN (${Prisma.join(taskIds)}) AND "details" ? 'reason'`;
    // "link:<recipient address>" → "link"
    await tx.$executeRaw`UPDATE "TaskEvent" SET "actor" = 'link' WHERE "taskId" IN (${Prisma.join(taskIds)}) AND "actor" LIKE 'link:%'`;
    await tx.actionToken.deleteMany({ where: { taskId: { in: taskIds } } });
  }
  // the outbox rows of this case: recipients and bodies go; subject (step title, case reference), status and dates stay
  await tx.mail.updateMany({ where: { caseId }, data: { to: [], text: '', html: null, lastError: null } });
  // stored first answers of repeated requests on this case (api/idempotency.ts) may hold its text
  await tx.idempotentResponse.deleteMany({ where: { scope: { contains: `/api/cases/${caseId}/` } } });
}

/** Anonymise one case if it is (still) due; the person too when none of their cases is left un-anonymised. */
async function anonymizeOne(db: Db, caseId: string, cutoff: Date): Promise<{ case: boolean; person: boolean }> {
  return db.$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<Array<{ personId: string }>>`SELECT "personId" FROM "Case" WHERE "id" = ${caseId} FOR UPDATE`;
      if (!locked.length) return { case: false, person: false };
      const due = await tx.$queryRaw<Array<{ id: string }>>(dueCases(cutoff, caseId));
      if (!due.length) return { case: false, person: false }; // already anonymised, reopened work, or not due: nothing
      const now = new Date();
      await anonymizeCaseData(tx, caseId);
      await tx.case.update({ where: { id: caseId }, data: { anonymizedAt: now, idempotencyKey: null } });
      await audit(tx, SYSTEM, 'case.anonymized', { type: 'Case', id: caseId, caseId });

      const { personId } = locked[0];
      const [person] = await tx.$queryRaw<Array<{ anonymizedAt: Date | null; birthDate: Date | null }>>`
      SELECT "anonymizedAt", "birthDate" FROM "Person" WHERE "id" = ${personId} FOR UPDATE`;
      const left = await tx.case.count({ where: { personId, anonymizedAt: null } });
      if (!person || person.anonymizedAt || left > 0) return { case: true, person: false };
      await tx.statusLink.deleteMany({ where: { personId } }); // the person's status page links end with the person
      await tx.person.update({
        where: { id: personId },
        data: {
          firstName: ANONYMIZED_NAME,
          lastName: ANONYMIZED_NAME,
          birthYear: person.birthDate ? person.birthDate.getUTCFullYear() : null,
          birthDate: null,
          shelterId: null,
          idempotencyKey: null,
          anonymizedAt: now,
        },
      });
      await anonymizePersonFile(tx, personId);
      await anonymizePersonEducation(tx, personId); // group enrolments' notes, housing need (issue 15)
      await audit(tx, SYSTEM, 'person.anonymized', { type: 'Person', id: personId });
      return { case: true, person: true };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

export function createRetentionActivities({ db }: RetentionActivityDeps) {
  return {
    async findDueCases({ cutoff, limit }: { cutoff: string; limit: number }): Promise<string[]> {
      // each run also drops the first answers kept for repeated requests (api/idempotency.ts) after 24 h
      await db.idempotentResponse.deleteMany({
        where: { createdAt: { lt: new Date(Date.now() - IDEMPOTENT_RESPONSE_HOURS * 3_600_000) } },
      });
      const rows = await db.$queryRaw<Array<{ id: string }>>(Prisma.sql`${dueCases(new Date(cutoff))} LIMIT ${limit}`);
      return rows.map((r) => r.id);
    },

    /** Each case in its own transaction: one failing case does not undo the others; a retry skips the done ones. */
    async anonymizeCases({ caseIds, cutoff }: { caseIds: string[]; cutoff: string }): Promise<RetentionResult> {
      const result: RetentionResult = { cases: 0, persons: 0 };
      for (const id of caseIds) {
        const r = await anonymizeOne(db, id, new Date(cutoff));
        if (r.case) result.cases++;
        if (r.person) result.persons++;
      }
      return result;
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
