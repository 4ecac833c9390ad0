// Side effects of the case workflow: the read model in PostgreSQL and the follow-up reminder mail
// (written to the outbox in the same transaction as the follow-up's change).
import { audit, SYSTEM } from '../core/audit';
import type { Db } from '../core/db/client';
import { followUpReminderMail } from '../core/mail/templates';
import { planTimerMail } from '../core/mail/plan-templates';
import type { PlanTimer } from '../core/domain/case-cycle';
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

    /**
     * A help-plan timer fired (case workflow): reminder to the caseworker before the review or an
     * action's due date, escalation to the team's supervisors when the review was missed. Skipped when
     * the plan was reviewed or replaced meanwhile; idempotent by the timer's key.
     */
    async firePlanTimer({
      caseId,
      timer,
    }: {
      caseId: string;
      timer: Pick<PlanTimer, 'key' | 'kind' | 'planId' | 'actionId'>;
    }): Promise<'queued' | 'skipped'> {
      return db.$transaction(async (tx) => {
        const plan = await tx.plan.findUnique({ where: { id: timer.planId }, include: { actions: true } });
        if (!plan || plan.caseId !== caseId || plan.reviewedAt) return 'skipped';
        const c = await tx.case.findUniqueOrThrow({ where: { id: caseId }, include: { caseworker: true } });
        if (c.status === 'closed') return 'skipped';
        const action = timer.actionId ? plan.actions.find((a) => a.id === timer.actionId) : undefined;
        if (timer.kind === 'action-reminder' && !action) return 'skipped';
        const to =
          timer.kind === 'review-escalation'
            ? (
                await tx.user.findMany({
                  where: { role: 'supervisor', active: true, departmentId: c.departmentId ?? '__none__' },
                  select: { email: true },
                })
              ).map((u) => u.email)
            : [c.caseworker.email];
        if (!to.length) return 'skipped';
        const mail = planTimerMail({
          kind: timer.kind,
          reference: c.reference,
          version: plan.version,
          due: action ? action.dueDate : plan.reviewDate,
          link: `${publicUrl}/faelle/${caseId}`,
        });
        const key = `plan:${timer.key}`;
        if (await tx.mail.findFirst({ where: { idempotencyKey: key }, select: { id: true } })) return 'skipped';
        await tx.mail.create({ data: { idempotencyKey: key, to, caseId, ...mail } });
        await audit(
          tx,
          SYSTEM,
          `plan.${timer.kind}`,
          { type: 'Plan', id: plan.id, caseId },
          timer.actionId ? { actionId: timer.actionId } : undefined,
        );
        return 'queued';
      });
    },
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
