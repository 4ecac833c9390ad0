// The caseworker's start page (/): my open cases and what is due next across them. Each kind of due
// item comes from one source (a function of the database and the user's case ids); DUE_SOURCES lists
// them — plan reviews and actions are added there as sources of their own.
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { chainTitle } from '../../core/format/labels';
import { dueList, type DueItem } from '../../core/domain/due-list';
import type { AuthUser } from '../auth';

export type DueSource = (db: Db, caseIds: string[]) => Promise<DueItem[]>;

/** open follow-ups (Wiedervorlagen) */
const followUps: DueSource = async (db, caseIds) =>
  (
    await db.followUp.findMany({
      where: { caseId: { in: caseIds }, cancelledAt: null },
      include: { case: { select: { reference: true } } },
    })
  ).map((f) => ({
    caseId: f.caseId,
    caseReference: f.case.reference,
    kind: 'followup',
    title: f.remindedAt ? 'Wiedervorlage (erinnert)' : 'Wiedervorlage',
    dueAt: f.dueAt,
    href: `/faelle/${f.caseId}`,
  }));

/** the current step of each running chain that has a due date */
const chainSteps: DueSource = async (db, caseIds) =>
  (
    await db.process.findMany({
      where: { caseId: { in: caseIds }, status: 'running', dueAt: { not: null } },
      include: { case: { select: { reference: true } } },
    })
  ).map((p) => ({
    caseId: p.caseId,
    caseReference: p.case.reference,
    kind: 'chain-step',
    title: `${chainTitle(p.type)}: ${p.currentTitle ?? p.currentStep ?? ''}${p.currentDepartment ? ` (liegt bei ${p.currentDepartment})` : ''}`,
    dueAt: p.dueAt!,
    href: `/prozesse/${p.id}`,
  }));

export const DUE_SOURCES: DueSource[] = [followUps, chainSteps];

/** My open cases (own, not closed) and the due list over them; audited as a list read (ids only). */
export async function startPage(db: Db, user: AuthUser, actor: Actor, sources: DueSource[] = DUE_SOURCES) {
  const cases = await db.case.findMany({
    where: { caseworkerId: user.id, status: { not: 'closed' }, anonymizedAt: null },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 500,
    include: { person: { select: { firstName: true, lastName: true } } },
  });
  const ids = cases.map((c) => c.id);
  const due = ids.length ? dueList(await Promise.all(sources.map((s) => s(db, ids))), new Date()) : [];
  if (cases.length)
    await audit(db, actor, 'case.list', { type: 'Case' }, { count: cases.length, view: 'start', caseIds: ids.slice(0, 200) });
  return { cases, due };
}
export type StartPage = Awaited<ReturnType<typeof startPage>>;
