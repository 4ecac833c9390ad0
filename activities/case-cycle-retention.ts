// Retention of the case-management cycle's records (called from activities/retention.ts inside the
// case's anonymisation transaction): free text goes, what statistics need stays — life areas and need
// levels of assessments; goal areas, dates and ratings and action owners and dates of plans; kind
// and time of journal entries. Earlier journal versions and every document (row and content) are deleted.
import type { Prisma } from '../core/db/generated/client';

type Tx = Prisma.TransactionClient;

export async function anonymizeCaseCycle(tx: Tx, caseId: string) {
  for (const a of await tx.assessment.findMany({ where: { caseId }, select: { id: true, areas: true } })) {
    const areas = Array.isArray(a.areas) ? (a.areas as Array<{ area?: unknown; need?: unknown }>) : [];
    await tx.assessment.update({
      where: { id: a.id },
      data: { areas: areas.map((x) => ({ area: String(x?.area ?? ''), need: String(x?.need ?? '') })) },
    });
  }
  const plans = await tx.plan.findMany({ where: { caseId }, select: { id: true } });
  const planIds = plans.map((p) => p.id);
  if (planIds.length) {
    await tx.planGoal.updateMany({ where: { planId: { in: planIds } }, data: { text: '', ratingNote: null } });
    await tx.planAction.updateMany({ where: { planId: { in: planIds } }, data: { text: '' } });
  }
  await tx.journalRevision.deleteMany({ where: { entry: { caseId } } });
  await tx.journalEntry.updateMany({ where: { caseId }, data: { text: '' } });
  const docs = await tx.caseDocument.findMany({ where: { caseId }, select: { id: true } });
  if (docs.length) {
    await tx.caseDocumentBlob.deleteMany({ where: { documentId: { in: docs.map((d) => d.id) } } });
    await tx.caseDocument.deleteMany({ where: { caseId } });
  }
}
