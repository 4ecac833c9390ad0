// The caseworker's start page (/): my open cases and what is due next across them. Each kind of due
// item comes from one source (a function of the database and the user's case ids); DUE_SOURCES lists
// them: follow-ups, chain steps, the help plan's review and actions, and the regular contacts with the
// partners I am responsible for.
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { chainTitle } from '../../core/format/labels';
import { ownerLabel } from '../../core/format/case-cycle-labels';
import { contactDueAt } from './inventory';
import { meetingTodosDue } from './meetings';
import { dueList, type DueItem } from '../../core/domain/due-list';
import type { AuthUser } from '../auth';

export type DueSource = (db: Db, caseIds: string[], user: AuthUser) => Promise<DueItem[]>;

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

/** the help plan in force of each case (its newest version, while not yet reviewed): its review and its actions */
const planItems: DueSource = async (db, caseIds) => {
  const plans = await db.plan.findMany({
    where: { caseId: { in: caseIds } },
    orderBy: [{ caseId: 'asc' }, { version: 'desc' }],
    include: { actions: { orderBy: { seq: 'asc' } } },
  });
  const inForce = plans.filter((p, i) => (i === 0 || plans[i - 1].caseId !== p.caseId) && !p.reviewedAt);
  if (!inForce.length) return [];
  const refs = new Map(
    (await db.case.findMany({ where: { id: { in: inForce.map((p) => p.caseId) } }, select: { id: true, reference: true } })).map((c) => [
      c.id,
      c.reference,
    ]),
  );
  return inForce.flatMap((p) => {
    const base = { caseId: p.caseId, caseReference: refs.get(p.caseId) ?? '', href: `/faelle/${p.caseId}` };
    return [
      { ...base, kind: 'plan-review', title: `Hilfeplan (Fassung ${p.version}): Überprüfung`, dueAt: p.reviewDate },
      ...p.actions.map((a) => ({
        ...base,
        kind: 'plan-action',
        title: `Maßnahme (${ownerLabel(a.owner)}): ${a.text.length > 80 ? `${a.text.slice(0, 79)}…` : a.text}`,
        dueAt: a.dueDate,
      })),
    ];
  });
};

/** the partners whose regular contact I keep (contact rhythm), when the next contact is due */
const partnerContacts: DueSource = async (db, _caseIds, user) =>
  (
    await db.partner.findMany({
      where: { responsibleId: user.id, contactEveryDays: { not: null } },
      select: { id: true, name: true, contactEveryDays: true, lastContactAt: true, createdAt: true },
    })
  ).map((p) => ({
    caseId: null,
    caseReference: p.name,
    kind: 'partner-contact',
    title: 'Regelkontakt mit dem Partner',
    dueAt: contactDueAt(p)!,
    href: `/bestand/partner/${p.id}`,
  }));

/** my open to-dos agreed in working meetings (issue 15) */
const meetingTodos: DueSource = (db, _caseIds, user) => meetingTodosDue(db, user);

export const DUE_SOURCES: DueSource[] = [followUps, chainSteps, planItems, partnerContacts, meetingTodos];

/** My open cases (own, not closed) and the due list over them; audited as a list read (ids only). */
export async function startPage(db: Db, user: AuthUser, actor: Actor, sources: DueSource[] = DUE_SOURCES) {
  const cases = await db.case.findMany({
    where: { caseworkerId: user.id, status: { not: 'closed' }, anonymizedAt: null },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 500,
    include: { person: { select: { firstName: true, lastName: true } } },
  });
  const ids = cases.map((c) => c.id);
  // with no open cases only the sources that concern no case (partner contacts) have anything to say
  const active = ids.length ? sources : sources.filter((s) => s === partnerContacts || s === meetingTodos);
  const due = dueList(await Promise.all(active.map((s) => s(db, ids, user))), new Date());
  if (cases.length)
    await audit(db, actor, 'case.list', { type: 'Case' }, { count: cases.length, view: 'start', caseIds: ids.slice(0, 200) });
  return { cases, due };
}
export type StartPage = Awaited<ReturnType<typeof startPage>>;
