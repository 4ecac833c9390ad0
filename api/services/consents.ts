// Consents of a case: recording one lets chain steps waiting for it go on (a signal to the case's
// running chains); withdrawing one cancels the open handoffs to departments it no longer covers (their
// mailbox gets the cancellation) — the chains' steps then wait for a new consent. The database holds
// the fact first; the signals and cancellations follow, and the reconcile job repeats whatever a
// Temporal outage left undone (services/reconcile.ts).
import type { Client } from '@temporalio/client';
import { audit, type Actor } from '../../core/audit';
import { casesWithUncoveredOpenHandoffs, CONSENT_WITHDRAWN_REASON, uncoveredDepartments } from '../../core/consent';
import type { Db } from '../../core/db/client';
import { OPEN_TASK_STATUSES } from '../../core/domain/handoff';
import type { ConsentInput } from '../../core/domain/records';
import { formatDate } from '../../core/format/dates';
import type { Logger } from '../../core/log';
import { handoffActionUpdate } from '../../workflows/handoff';
import { consentChangedSignal } from '../../workflows/chain';
import type { AuthUser } from '../auth';
import { badRequest, conflict, notFound } from '../errors';
import { caseForChange } from './cases';

export interface ConsentDeps {
  db: Db;
  temporal: Client;
  log?: Logger;
}

const TX = { timeout: 20_000, maxWait: 5_000 };

export async function addConsent(deps: ConsentDeps, user: AuthUser, actor: Actor, id: string, input: ConsentInput) {
  const { db } = deps;
  await caseForChange(db, user, id);
  const known = await db.department.findMany({ where: { id: { in: input.departments } }, select: { id: true } });
  const unknown = input.departments.filter((d) => !known.some((k) => k.id === d));
  if (unknown.length)
    throw badRequest(`Unbekannte Stelle: ${unknown.join(', ')}`, [
      { field: 'departments', message: `Stellen: unbekannt – ${unknown.join(', ')}` },
    ]);
  const consent = await db.$transaction(async (tx) => {
    const k = await tx.consent.create({
      data: {
        caseId: id,
        departments: [...new Set(input.departments)],
        purpose: input.purpose,
        givenAt: new Date(input.givenAt),
        recordedById: user.id,
      },
    });
    await audit(tx, actor, 'case.consent.add', { type: 'Consent', id: k.id, caseId: id }, { departments: k.departments });
    return k;
  }, TX);
  await signalChains(deps, id);
  return consent;
}

export async function withdrawConsent(deps: ConsentDeps, user: AuthUser, actor: Actor, caseId: string, consentId: string) {
  const { db } = deps;
  await caseForChange(db, user, caseId);
  const withdrawn = await db.$transaction(async (tx) => {
    const k = await tx.consent.findFirst({ where: { id: consentId, caseId } });
    if (!k) throw notFound('Einwilligung');
    if (k.withdrawnAt) throw conflict(`Die Einwilligung wurde bereits am ${formatDate(k.withdrawnAt)} widerrufen.`);
    const updated = await tx.consent.update({ where: { id: k.id }, data: { withdrawnAt: new Date() } });
    await audit(tx, actor, 'case.consent.withdraw', { type: 'Consent', id: k.id, caseId }, { departments: k.departments });
    return updated;
  }, TX);
  const { cancelled, failed } = await cancelUncoveredHandoffs(deps, caseId);
  return { consent: withdrawn, cancelledTasks: cancelled, pendingTasks: failed };
}

/** Cancels the case's open handoffs to departments no valid consent covers. Returns what it cancelled. */
export async function cancelUncoveredHandoffs(deps: ConsentDeps, caseId: string) {
  const open = await deps.db.task.findMany({
    where: { caseId, status: { in: OPEN_TASK_STATUSES } },
    select: { id: true, workflowId: true, departmentId: true },
  });
  const uncovered = new Set(
    await uncoveredDepartments(
      deps.db,
      caseId,
      open.map((t) => t.departmentId),
    ),
  );
  const cancelled: string[] = [];
  const failed: string[] = [];
  for (const t of open.filter((x) => uncovered.has(x.departmentId))) {
    try {
      await deps.temporal.workflow.getHandle(t.workflowId).executeUpdate(handoffActionUpdate, {
        args: [{ action: 'cancel', reason: CONSENT_WITHDRAWN_REASON, actor: { kind: 'system' } }],
      });
      cancelled.push(t.id);
    } catch (err) {
      // ended meanwhile (its workflow's validator refuses): nothing open any more
      const ended = await deps.db.task.findFirst({ where: { id: t.id, status: { in: OPEN_TASK_STATUSES } }, select: { id: true } });
      if (ended) {
        deps.log?.warn({ err, taskId: t.id, caseId }, 'Übergabe nach Widerruf noch nicht abgebrochen');
        failed.push(t.id);
      }
    }
  }
  return { cancelled, failed };
}

/** Tells the case's running chains that its consents changed (a waiting step checks again). */
export async function signalChains(deps: ConsentDeps, caseId: string) {
  const chains = await deps.db.process.findMany({
    where: { caseId, status: { in: ['running', 'on_hold'] } },
    select: { id: true, workflowId: true },
  });
  for (const p of chains) {
    try {
      await deps.temporal.workflow.getHandle(p.workflowId).signal(consentChangedSignal);
    } catch (err) {
      deps.log?.warn({ err, processId: p.id, caseId }, 'Kette nicht über die Einwilligung benachrichtigt');
    }
  }
}

/**
 * Repairs what a Temporal outage may have left after a consent change: open handoffs to departments
 * no valid consent covers are cancelled, chains whose step waits for a consent that now exists are
 * signalled. Part of the reconcile job and of POST /api/admin/reconcile.
 */
export async function reconcileConsents(deps: ConsentDeps): Promise<{ cancelledTasks: number; signalledChains: number }> {
  let cancelledTasks = 0;
  for (const caseId of await casesWithUncoveredOpenHandoffs(deps.db))
    cancelledTasks += (await cancelUncoveredHandoffs(deps, caseId)).cancelled.length;
  const waiting = await deps.db.process.findMany({
    where: { status: 'running', currentStatus: 'consent' },
    select: { caseId: true },
    distinct: ['caseId'],
  });
  for (const { caseId } of waiting) await signalChains(deps, caseId);
  return { cancelledTasks, signalledChains: waiting.length };
}
