// The case-management cycle on a case (issue 13): assessments (versioned), help plans (versioned;
// a review rates each goal and the next version starts from the open ones), goal → chain links and
// the journal (an edit keeps the earlier text). Free text stays in PostgreSQL; the case workflow gets
// only the plan's ids and dates (planTimerRef). Every read and change is audited (ids, no text).
import type { Client } from '@temporalio/client';
import { audit, auditRefused, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import {
  CLOSED_RATINGS,
  dayStart,
  type AssessmentInput,
  type JournalInput,
  type PlanInput,
  type PlanTimerRef,
  type ReviewInput,
} from '../../core/domain/case-cycle';
import { planTimerOffsets, type PlanTimerOffsets } from '../../core/domain/plan-timers';
import type { Logger } from '../../core/log';
import { setPlanSignal } from '../../workflows/case';
import { canReadCase } from '../access';
import type { AuthUser } from '../auth';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { caseForChange } from './cases';

export interface CycleDeps {
  db: Db;
  temporal: Client;
  log?: Logger;
  /** reminder/escalation offsets in days (KIM_PLAN_*_DAYS); unset → the defaults 3/2/1 */
  planTimerDays?: PlanTimerOffsets;
}

const TX = { timeout: 20_000, maxWait: 5_000 };
const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === 'P2002';
const day = (d: string) => new Date(d + 'T00:00:00Z');
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** The case for reading its file: caseworker own/team, supervisors; refused attempts audited. */
export async function caseForRead(db: Db, user: AuthUser, actor: Actor, id: string, what: string) {
  const c = await db.case.findUnique({ where: { id } });
  if (!c) throw notFound('Fall');
  if (!canReadCase(user, c)) {
    await auditRefused(db, actor, { type: 'Case', id, caseId: id }, what, 403);
    throw forbidden('Kein Zugriff auf diesen Fall.');
  }
  return c;
}

async function openCaseForChange(db: Db, user: AuthUser, id: string) {
  const c = await caseForChange(db, user, id);
  if (c.status === 'closed') throw conflict('Der Fall ist abgeschlossen.');
  return c;
}

/** Retries once on the (caseId, version) unique index: two saves at once both get a version. */
async function nextVersion<T>(run: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (i < 3 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Assessment

export async function addAssessment(deps: CycleDeps, user: AuthUser, actor: Actor, caseId: string, input: AssessmentInput) {
  await openCaseForChange(deps.db, user, caseId);
  return nextVersion(() =>
    deps.db.$transaction(async (tx) => {
      const last = await tx.assessment.findFirst({ where: { caseId }, orderBy: { version: 'desc' }, select: { version: true } });
      const a = await tx.assessment.create({
        data: { caseId, version: (last?.version ?? 0) + 1, areas: input.areas, createdById: user.id },
      });
      await audit(
        tx,
        actor,
        'case.assessment.add',
        { type: 'Assessment', id: a.id, caseId },
        {
          version: a.version,
          areas: input.areas.map((x) => x.area),
        },
      );
      return { id: a.id, version: a.version };
    }, TX),
  );
}

export async function listAssessments(db: Db, user: AuthUser, actor: Actor, caseId: string) {
  await caseForRead(db, user, actor, caseId, 'case.assessment.read');
  const items = await db.assessment.findMany({ where: { caseId }, orderBy: { version: 'desc' } });
  await audit(db, actor, 'case.assessment.read', { type: 'Case', id: caseId, caseId });
  return items.map((a) => ({
    id: a.id,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    createdById: a.createdById,
    areas: a.areas as AssessmentInput['areas'],
  }));
}

// ---------------------------------------------------------------------------------------------
// Help plan

const planInclude = { goals: { orderBy: { seq: 'asc' } }, actions: { orderBy: { seq: 'asc' } } } as const;
type PlanRow = NonNullable<Awaited<ReturnType<typeof loadPlan>>>;
const loadPlan = (db: Db, caseId: string, planId: string) => db.plan.findFirst({ where: { id: planId, caseId }, include: planInclude });

export function planTimerRef(p: Pick<PlanRow, 'id' | 'reviewDate' | 'reviewedAt' | 'actions'>): PlanTimerRef {
  return {
    planId: p.id,
    reviewAt: dayStart(ymd(p.reviewDate)).toISOString(),
    actions: p.actions.map((a) => ({ actionId: a.id, dueAt: dayStart(ymd(a.dueDate)).toISOString() })),
    ...(p.reviewedAt ? { reviewed: true } : {}),
  };
}

export function planView(p: PlanRow, chains: Array<{ goalId: string; processId: string; type: string; status: string }> = []) {
  return {
    id: p.id,
    version: p.version,
    reviewDate: ymd(p.reviewDate),
    reviewedAt: iso(p.reviewedAt),
    createdAt: p.createdAt.toISOString(),
    goals: p.goals.map((g) => ({
      id: g.id,
      area: g.area,
      text: g.text,
      targetDate: ymd(g.targetDate),
      fromGoalId: g.fromGoalId,
      rating: g.rating,
      ratingNote: g.ratingNote,
      chains: chains.filter((c) => c.goalId === g.id).map((c) => ({ id: c.processId, type: c.type, status: c.status })),
    })),
    actions: p.actions.map((a) => ({ id: a.id, text: a.text, owner: a.owner, dueDate: ymd(a.dueDate) })),
  };
}

/** Tells the case workflow the plan's ids and dates (never its text); a failure is logged, the plan stays. */
async function signalPlan(deps: CycleDeps, workflowId: string, ref: PlanTimerRef) {
  try {
    const offsets = deps.planTimerDays ? planTimerOffsets(deps.planTimerDays) : undefined;
    await deps.temporal.workflow.getHandle(workflowId).signal(setPlanSignal, offsets ? { ...ref, offsets } : ref);
  } catch (err) {
    deps.log?.warn({ err, planId: ref.planId }, 'Hilfeplan-Fristen nicht an den Fall-Workflow übergeben');
  }
}

export async function addPlan(deps: CycleDeps, user: AuthUser, actor: Actor, caseId: string, input: PlanInput) {
  const c = await openCaseForChange(deps.db, user, caseId);
  const departments = input.actions.filter((a) => a.owner.startsWith('department:')).map((a) => a.owner.slice(11));
  if (departments.length) {
    const known = await deps.db.department.findMany({ where: { id: { in: departments } }, select: { id: true } });
    const i = input.actions.findIndex((a) => a.owner.startsWith('department:') && !known.some((k) => k.id === a.owner.slice(11)));
    if (i >= 0)
      throw badRequest('Unbekannte Stelle bei einer Maßnahme.', [{ field: `actions.${i}.owner`, message: 'Wer: Stelle unbekannt' }]);
  }
  const plan = await nextVersion(() =>
    deps.db.$transaction(async (tx) => {
      const last = await tx.plan.findFirst({ where: { caseId }, orderBy: { version: 'desc' }, include: { goals: true } });
      const carried = new Set(last?.goals.map((g) => g.id));
      const bad = input.goals.findIndex((g) => g.fromGoalId && !carried.has(g.fromGoalId));
      if (bad >= 0)
        throw badRequest('Vorheriges Ziel gehört nicht zum letzten Hilfeplan.', [
          { field: `goals.${bad}.fromGoalId`, message: 'Ziel: nicht im letzten Hilfeplan' },
        ]);
      // an earlier version not yet reviewed is replaced by this one: its timers end
      if (last && !last.reviewedAt)
        await tx.plan.update({ where: { id: last.id }, data: { reviewedAt: new Date(), reviewedById: user.id } });
      const p = await tx.plan.create({
        data: {
          caseId,
          version: (last?.version ?? 0) + 1,
          reviewDate: day(input.reviewDate),
          createdById: user.id,
          goals: {
            create: input.goals.map((g, seq) => ({
              seq,
              area: g.area,
              text: g.text,
              targetDate: day(g.targetDate),
              fromGoalId: g.fromGoalId ?? null,
            })),
          },
          actions: { create: input.actions.map((a, seq) => ({ seq, text: a.text, owner: a.owner, dueDate: day(a.dueDate) })) },
        },
        include: planInclude,
      });
      await audit(
        tx,
        actor,
        'case.plan.add',
        { type: 'Plan', id: p.id, caseId },
        {
          version: p.version,
          goals: p.goals.length,
          actions: p.actions.length,
          reviewDate: input.reviewDate,
        },
      );
      return p;
    }, TX),
  );
  await signalPlan(deps, c.workflowId, planTimerRef(plan));
  return plan;
}

export async function listPlans(db: Db, user: AuthUser, actor: Actor, caseId: string) {
  await caseForRead(db, user, actor, caseId, 'case.plan.read');
  const plans = await db.plan.findMany({ where: { caseId }, orderBy: { version: 'desc' }, include: planInclude });
  await audit(db, actor, 'case.plan.read', { type: 'Case', id: caseId, caseId });
  const chains = await goalChains(
    db,
    plans.flatMap((p) => p.goals.map((g) => g.id)),
  );
  return plans.map((p) => planView(p, chains));
}

export async function readPlan(db: Db, user: AuthUser, actor: Actor, caseId: string, planId: string, action = 'case.plan.read') {
  const c = await caseForRead(db, user, actor, caseId, action);
  const p = await loadPlan(db, caseId, planId);
  if (!p) throw notFound('Hilfeplan');
  await audit(db, actor, action, { type: 'Plan', id: p.id, caseId });
  const chains = await goalChains(
    db,
    p.goals.map((g) => g.id),
  );
  return { case: c, plan: p, view: planView(p, chains) };
}

async function goalChains(db: Db, goalIds: string[]) {
  if (!goalIds.length) return [];
  const links = await db.goalChain.findMany({ where: { goalId: { in: goalIds } } });
  const processes = await db.process.findMany({
    where: { id: { in: links.map((l) => l.processId) } },
    select: { id: true, type: true, status: true },
  });
  return links.flatMap((l) => {
    const p = processes.find((x) => x.id === l.processId);
    return p ? [{ goalId: l.goalId, processId: p.id, type: p.type, status: p.status }] : [];
  });
}

export async function reviewPlan(deps: CycleDeps, user: AuthUser, actor: Actor, caseId: string, planId: string, input: ReviewInput) {
  const c = await openCaseForChange(deps.db, user, caseId);
  const reviewed = await deps.db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<
      Array<{ id: string }>
    >`SELECT "id" FROM "Plan" WHERE "id" = ${planId} AND "caseId" = ${caseId} FOR UPDATE`;
    if (!locked.length) throw notFound('Hilfeplan');
    const p = await tx.plan.findUniqueOrThrow({ where: { id: planId }, include: planInclude });
    if (p.reviewedAt) throw conflict('Dieser Hilfeplan wurde bereits überprüft oder durch eine neuere Fassung ersetzt.');
    const unknown = input.ratings.findIndex((r) => !p.goals.some((g) => g.id === r.goalId));
    if (unknown >= 0)
      throw badRequest('Ziel gehört nicht zu diesem Hilfeplan.', [{ field: `ratings.${unknown}.goalId`, message: 'Ziel: unbekannt' }]);
    const missing = p.goals.filter((g) => !input.ratings.some((r) => r.goalId === g.id));
    if (missing.length)
      throw badRequest(`Bitte jedes Ziel bewerten (${missing.length} ohne Bewertung).`, [
        { field: 'ratings', message: `Bewertungen: ${missing.length} Ziel(e) ohne Bewertung` },
      ]);
    for (const r of input.ratings)
      await tx.planGoal.update({ where: { id: r.goalId }, data: { rating: r.rating, ratingNote: r.note ?? null } });
    const done = await tx.plan.update({
      where: { id: p.id },
      data: { reviewedAt: new Date(), reviewedById: user.id },
      include: planInclude,
    });
    await audit(
      tx,
      actor,
      'case.plan.review',
      { type: 'Plan', id: p.id, caseId },
      {
        ratings: Object.fromEntries(input.ratings.map((r) => [r.goalId, r.rating])),
      },
    );
    return done;
  }, TX);
  await signalPlan(deps, c.workflowId, planTimerRef(reviewed));
  return {
    ...planView(reviewed),
    /** what the next version starts from: the goals not achieved and not dropped */
    openGoals: reviewed.goals
      .filter((g) => !(CLOSED_RATINGS as readonly (string | null)[]).includes(g.rating))
      .map((g) => ({ fromGoalId: g.id, area: g.area, text: g.text, targetDate: ymd(g.targetDate) })),
  };
}

/** Links a chain started from a goal (POST .../goals/{goalId}/chains). */
export async function linkGoalChain(db: Db, actor: Actor, caseId: string, goalId: string, processId: string) {
  await db.$transaction(async (tx) => {
    await tx.goalChain.create({ data: { goalId, processId } });
    await audit(tx, actor, 'case.plan.goal.chain', { type: 'PlanGoal', id: goalId, caseId }, { processId });
  }, TX);
}

export async function goalOfCase(db: Db, caseId: string, goalId: string) {
  const g = await db.planGoal.findFirst({ where: { id: goalId, plan: { caseId } }, include: { plan: { select: { reviewedAt: true } } } });
  if (!g) throw notFound('Ziel');
  return g;
}

// ---------------------------------------------------------------------------------------------
// Journal

export async function addJournalEntry(deps: CycleDeps, user: AuthUser, actor: Actor, caseId: string, input: JournalInput) {
  await caseForChange(deps.db, user, caseId);
  if (input.goalId)
    await goalOfCase(deps.db, caseId, input.goalId).catch(() => {
      throw badRequest('Ziel gehört nicht zu diesem Fall.', [{ field: 'goalId', message: 'Ziel: unbekannt' }]);
    });
  return deps.db.$transaction(async (tx) => {
    const e = await tx.journalEntry.create({
      data: {
        caseId,
        kind: input.kind,
        text: input.text,
        at: input.at ? new Date(input.at) : new Date(),
        authorId: user.id,
        goalId: input.goalId ?? null,
      },
    });
    await audit(tx, actor, 'case.journal.add', { type: 'JournalEntry', id: e.id, caseId }, { kind: e.kind });
    return e;
  }, TX);
}

/** An edit: the earlier kind, time and text go to the history first (never a silent overwrite). */
export async function editJournalEntry(
  deps: CycleDeps,
  user: AuthUser,
  actor: Actor,
  caseId: string,
  entryId: string,
  input: Partial<JournalInput>,
) {
  await caseForChange(deps.db, user, caseId);
  return deps.db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<
      Array<{ id: string }>
    >`SELECT "id" FROM "JournalEntry" WHERE "id" = ${entryId} AND "caseId" = ${caseId} FOR UPDATE`;
    if (!locked.length) throw notFound('Eintrag');
    const e = await tx.journalEntry.findUniqueOrThrow({ where: { id: entryId } });
    await tx.journalRevision.create({ data: { entryId, text: e.text, kind: e.kind, at: e.at, editedById: user.id } });
    const u = await tx.journalEntry.update({
      where: { id: entryId },
      data: {
        ...(input.kind ? { kind: input.kind } : {}),
        ...(input.text ? { text: input.text } : {}),
        ...(input.at ? { at: new Date(input.at) } : {}),
      },
    });
    await audit(tx, actor, 'case.journal.edit', { type: 'JournalEntry', id: entryId, caseId }, { fields: Object.keys(input) });
    return u;
  }, TX);
}

export async function listJournal(db: Db, user: AuthUser, actor: Actor, caseId: string) {
  await caseForRead(db, user, actor, caseId, 'case.journal.read');
  const items = await db.journalEntry.findMany({
    where: { caseId },
    orderBy: [{ at: 'desc' }, { createdAt: 'desc' }],
    take: 500,
    include: { revisions: { orderBy: { editedAt: 'asc' } } },
  });
  await audit(db, actor, 'case.journal.read', { type: 'Case', id: caseId, caseId });
  return items.map((e) => ({
    id: e.id,
    kind: e.kind,
    text: e.text,
    at: e.at.toISOString(),
    authorId: e.authorId,
    goalId: e.goalId,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
    history: e.revisions.map((r) => ({
      kind: r.kind,
      text: r.text,
      at: r.at.toISOString(),
      editedById: r.editedById,
      editedAt: r.editedAt.toISOString(),
    })),
  }));
}
