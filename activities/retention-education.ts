// Retention of the education and group-offer records (issue 15), inside the anonymisation runs:
// per case, the to-dos agreed for it in working meetings lose their text (dates and owners stay for the
// statistics); seat proposals and education needs carry only ids and enums and stay, an education
// need's district (where the person lives or wants the course) goes. Per person, the
// enrolments' notes go (participation, completion and attendance stay as figures of an anonymous
// person) and the household's barrier-free need is removed.
import type { Prisma } from '../core/db/generated/client';

export const ANONYMIZED_TODO = 'anonymisiert';

export async function anonymizeCaseEducation(tx: Prisma.TransactionClient, caseId: string) {
  await tx.meetingTodo.updateMany({ where: { caseId }, data: { text: ANONYMIZED_TODO } });
  await tx.educationNeed.updateMany({ where: { caseId }, data: { district: null } });
}

export async function anonymizePersonEducation(tx: Prisma.TransactionClient, personId: string) {
  await tx.groupEnrolment.updateMany({ where: { personId }, data: { note: null } });
  await tx.housingNeed.deleteMany({ where: { personId } });
}
