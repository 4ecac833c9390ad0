// A person's benefit type changed (e.g. AsylbLG → SGB II after recognition) while chains run: the
// open handoffs whose step is routed by benefit type (`byBenefit` in the chain definition) are
// forwarded to the office now responsible — the handoff workflow's own forward (new office gets the
// task mail with fresh links, the old office's links answer 410) — and both offices get a German
// notice. Later steps follow the new type by themselves (activities/chain.ts reads it when a handoff
// is prepared). Audited per moved task.
import { audit, type Actor } from '../../core/audit';
import { consentCovers } from '../../core/consent';
import type { Client } from '@temporalio/client';
import type { Db } from '../../core/db/client';
import { chainDefinitionFor } from '../../core/domain/chains';
import { HANDOFF_STEPS } from '../../core/domain/handoff';
import { benefitChangeNotice } from '../../core/mail/benefit-notice';
import type { Logger } from '../../core/log';
import { handoffActionUpdate } from '../../workflows/handoff';

export const BENEFIT_CHANGED_REASON = 'Leistungsart der Person geändert: andere Stelle zuständig';

export interface RerouteResult {
  /** forwarded to the now responsible office */
  moved: string[];
  /** not moved: not yet delivered, no consent for the new office, or the workflow refused */
  pending: string[];
}

export async function rerouteForBenefit(
  deps: { db: Db; temporal: Client; log?: Logger },
  actor: Actor,
  personId: string,
): Promise<RerouteResult> {
  const { db, temporal } = deps;
  const person = await db.person.findUniqueOrThrow({ where: { id: personId }, select: { benefitType: true } });
  const tasks = await db.task.findMany({
    where: { case: { personId }, status: { in: ['notified', 'accepted', 'forwarded', 'created'] }, processId: { not: null } },
    include: { case: { select: { reference: true } }, department: true },
  });
  const result: RerouteResult = { moved: [], pending: [] };
  for (const t of tasks) {
    const [process, step] = await Promise.all([
      db.process.findUnique({ where: { id: t.processId! }, select: { type: true, version: true } }),
      db.processStep.findFirst({ where: { processId: t.processId!, taskId: t.id }, select: { key: true } }),
    ]);
    const def = process && step ? chainDefinitionFor(process.type, process.version)?.steps[step.key] : undefined;
    const byBenefit = def?.actor.kind === 'handoff' ? def.actor.byBenefit : undefined;
    const target = byBenefit?.[person.benefitType];
    if (!target || target === t.departmentId) continue;
    const to = await db.department.findUnique({ where: { id: target } });
    if (!to || t.status === 'created' || !(await consentCovers(db, t.caseId, target))) {
      result.pending.push(t.id);
      await audit(db, actor, 'task.reroute.pending', { type: 'Task', id: t.id, caseId: t.caseId }, { from: t.departmentId, to: target });
      continue;
    }
    try {
      await temporal.workflow.getHandle(t.workflowId).executeUpdate(handoffActionUpdate, {
        args: [{ action: 'forward', departmentId: target, reason: BENEFIT_CHANGED_REASON, actor: { kind: 'system' } }],
        updateId: `benefit-reroute:${t.id}:${target}`,
      });
    } catch (err) {
      deps.log?.warn({ taskId: t.id, err: (err as Error).message }, 'benefit reroute refused');
      result.pending.push(t.id);
      continue;
    }
    const stepTitle = HANDOFF_STEPS[t.stepKey]?.title ?? t.title;
    const mail = benefitChangeNotice({ reference: t.case.reference, stepTitle, from: t.department.name, to: to.name });
    await db.$transaction(async (tx) => {
      for (const addr of [...new Set([t.department.email, to.email])]) {
        await tx.mail.upsert({
          where: { idempotencyKey: `benefit-reroute:${t.id}:${target}:${addr}` },
          create: { idempotencyKey: `benefit-reroute:${t.id}:${target}:${addr}`, to: [addr], caseId: t.caseId, ...mail },
          update: {},
        });
      }
      await audit(
        tx,
        actor,
        'task.reroute',
        { type: 'Task', id: t.id, caseId: t.caseId },
        { from: t.departmentId, to: target, step: t.stepKey },
      );
    });
    result.moved.push(t.id);
  }
  return result;
}
