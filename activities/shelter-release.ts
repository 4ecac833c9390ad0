// The move-out chain's shelter release (handoff step `shelter-release`, completed as `released`) frees
// the person's place in the shelter — in the same transaction that records the completion, so a
// retried activity (idempotent per task event) never releases twice.
import { audit, SYSTEM } from '../core/audit';
import type { Prisma } from '../core/db/generated/client';

export async function releasePlaceOnShelterRelease(
  tx: Prisma.TransactionClient,
  task: { id: string; stepKey: string; caseId: string; case: { personId: string } },
  outcome: string | undefined,
) {
  if (task.stepKey !== 'shelter-release' || outcome !== 'released') return;
  const stay = await tx.shelterStay.findFirst({ where: { personId: task.case.personId, releasedAt: null } });
  if (!stay) return;
  await tx.shelterStay.update({ where: { id: stay.id }, data: { releasedAt: new Date(), releasedBy: `task:${task.id}` } });
  await audit(
    tx,
    SYSTEM,
    'person.shelter.release',
    { type: 'ShelterStay', id: stay.id, caseId: task.caseId },
    { by: 'task', taskId: task.id },
  );
}
