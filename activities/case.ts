// Side effects of the case workflow: the read model in PostgreSQL and the follow-up reminder mail
// (written to the outbox in the same transaction as the follow-up's change).
import { audit, SYSTEM } from '../core/audit';
import type { Db } from '../core/db/client';
import { followUpReminderMail } from '../core/mail/templates';
import type { CaseStatus } from '../core/domain/records';

export interface CaseActivityDeps {
  db: Db;
  publicUrl: string;
}

export function createCaseActivities({ db, publicUrl }: CaseActivityDeps) {
  return {
    async recordCaseStatus({ caseId, status }: { caseId: string; status: CaseStatus }): Promise<void> {
      await db.case.update({
        where: { id: caseId },
        data: { status, closedAt: status === 'closed' ? new Date() : null },
      });
    },

    /** Idempotent: a retried or replayed activity finds the mail already queued. */
    async remindFollowUp({ caseId, followUpId }: { caseId: string; followUpId: string }): Promise<'queued' | 'skipped'> {
      return db.$transaction(async (tx) => {
        const followUp = await tx.followUp.findUnique({
          where: { id: followUpId },
          include: { case: { include: { caseworker: true } } },
        });
        if (!followUp || followUp.caseId !== caseId || followUp.cancelledAt || followUp.remindedAt) return 'skipped';
        const mail = followUpReminderMail({
          reference: followUp.case.reference,
          dueAt: followUp.dueAt,
          link: `${publicUrl}/faelle/${caseId}`,
        });
        await tx.mail.create({
          data: { idempotencyKey: `follow-up:${followUpId}`, to: [followUp.case.caseworker.email], caseId, ...mail },
        });
        await tx.followUp.update({ where: { id: followUpId }, data: { remindedAt: new Date() } });
        await audit(tx, SYSTEM, 'followup.reminded', { type: 'FollowUp', id: followUpId, caseId });
        return 'queued';
      });
    },
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
