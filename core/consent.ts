// Consent (Einwilligung / Schweigepflichtentbindung): a department may receive a case's data only while
// a consent of that case covers it — given (givenAt not in the future) and not withdrawn. The one place
// that rule lives: handoffs (chain steps, ad-hoc handoffs, forwards) ask here before data leaves.
import type { Db } from './db/client';
import { OPEN_TASK_STATUSES } from './domain/handoff';
import type { Prisma } from './db/generated/client';

type Reader = Pick<Db, 'consent' | 'department'>;

/** The reason of a handoff cancelled because its consent was withdrawn (the department's mail explains it). */
export const CONSENT_WITHDRAWN_REASON = 'Einwilligung widerrufen';

/** Prisma filter: the case's consents valid now that name the department. */
export function validConsentWhere(caseId: string, departmentId: string, at = new Date()): Prisma.ConsentWhereInput {
  return { caseId, departments: { has: departmentId }, withdrawnAt: null, givenAt: { lte: at } };
}

export async function consentCovers(db: Reader, caseId: string, departmentId: string): Promise<boolean> {
  return (await db.consent.count({ where: validConsentWhere(caseId, departmentId) })) > 0;
}

/** The German message shown to the caseworker while a consent is missing. */
export async function missingConsentMessage(db: Reader, departmentId: string): Promise<string> {
  const d = await db.department.findUnique({ where: { id: departmentId }, select: { name: true } });
  return `Einwilligung für ${d?.name ?? departmentId} fehlt`;
}

/** Of these departments, the ones no valid consent of the case covers. */
export async function uncoveredDepartments(db: Reader, caseId: string, departmentIds: string[]): Promise<string[]> {
  const consents = await db.consent.findMany({
    where: { caseId, withdrawnAt: null, givenAt: { lte: new Date() } },
    select: { departments: true },
  });
  const covered = new Set(consents.flatMap((c) => c.departments));
  return [...new Set(departmentIds)].filter((d) => !covered.has(d));
}

/** Cases with an open handoff to a department no valid consent covers (validConsentWhere's rule, in one query). */
export async function casesWithUncoveredOpenHandoffs(db: Pick<Db, '$queryRaw'>): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ caseId: string }>>`
    SELECT DISTINCT t."caseId" FROM "Task" t
    WHERE t."status"::text = ANY(${OPEN_TASK_STATUSES}::text[])
      AND NOT EXISTS (
        SELECT 1 FROM "Consent" k
        WHERE k."caseId" = t."caseId" AND k."withdrawnAt" IS NULL AND k."givenAt" <= now() AND t."departmentId" = ANY(k."departments"))`;
  return rows.map((r) => r.caseId);
}
