// Education offers from the API's side (issue 15): courses with seats, a chain's education need,
// matching a course against education/work chains waiting at the step that needs it, and proposing a
// seat. A proposal claims a seat in PostgreSQL first (taken + reserved < seats, one statement: the last
// seat goes to one request), records it, then completes the chain's step through the caseworker's
// path (caseworker steps) or answers the department's handoff (school place: completed; measure:
// accepted — core/domain/inventory/education.ts); a failure undoes the claim and the record (nothing
// stays for the loser).
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { Prisma } from '../../core/db/generated/client';
import {
  matchesForCourse,
  SEAT_STEP_OF,
  SEAT_STEPS,
  seatStepData,
  seatStepsFor,
  seatStepsOfKind,
  type CourseInput,
  type CourseKind,
  type CourseLevel,
} from '../../core/domain/inventory/education';
import { loadWaitingLearners, matchCourse } from '../../core/education-data';
import { isoDay } from '../../core/format/dates';
import { canChangeCase, caseListFilter, recordsStepOutcomes } from '../access';
import type { AuthUser } from '../auth';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../errors';
import { completeStep, type ChainDeps } from './chains';
import { actOnTask, type TaskDeps } from './tasks';

const day = (s: string) => new Date(s + 'T00:00:00Z');

/** The course's own columns from the checked input — the same for creating and changing a course. */
export function courseColumns(input: CourseInput) {
  return {
    partnerId: input.partnerId,
    kind: input.kind,
    level: input.level ?? null,
    title: input.title,
    startDate: day(input.start),
    endDate: input.end ? day(input.end) : null,
    seats: input.seats,
    reserved: input.reserved,
    place: input.place,
    district: input.district ?? null,
  };
}
const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002';

export function courseView(c: Prisma.CourseGetPayload<object>) {
  return {
    id: c.id,
    reference: c.reference,
    partnerId: c.partnerId,
    kind: c.kind,
    level: c.level,
    title: c.title,
    start: isoDay(c.startDate),
    end: c.endDate ? isoDay(c.endDate) : null,
    seats: c.seats,
    reserved: c.reserved,
    taken: c.taken,
    free: Math.max(0, c.seats - c.reserved - c.taken),
    place: c.place,
    district: c.district,
    step: SEAT_STEP_OF[c.kind],
    steps: seatStepsOfKind(c.kind),
    createdAt: c.createdAt.toISOString(),
  };
}

export async function createCourse(db: Db, user: AuthUser, actor: Actor, input: CourseInput, key?: string) {
  if (key) {
    const first = await db.course.findUnique({ where: { createdById_idempotencyKey: { createdById: user.id, idempotencyKey: key } } });
    if (first) return { id: first.id, reference: first.reference, created: false };
  }
  const partner = await db.partner.findUnique({ where: { id: input.partnerId }, select: { id: true } });
  if (!partner) throw badRequest('Träger unbekannt.', [{ field: 'partnerId', message: 'Träger unbekannt' }]);
  const id = crypto.randomUUID();
  const reference = `K-${new Date().getFullYear()}-${id.slice(0, 6).toUpperCase()}`;
  try {
    await db.$transaction(async (tx) => {
      await tx.course.create({
        data: {
          id,
          reference,
          ...courseColumns(input),
          createdById: user.id,
          idempotencyKey: key,
        },
      });
      await audit(tx, actor, 'course.create', { type: 'Course', id }, { kind: input.kind, seats: input.seats });
    });
  } catch (err) {
    if (key && isUniqueViolation(err)) return createCourse(db, user, actor, input, key);
    throw err;
  }
  return { id, reference, created: true };
}

export async function courseOr404(db: Db, id: string) {
  const c = await db.course.findUnique({ where: { id } });
  if (!c) throw notFound('Kurs');
  return c;
}

export async function listCourses(db: Db, filter: { kind?: CourseKind; freeOnly?: boolean }) {
  const rows = await db.course.findMany({
    where: filter.kind ? { kind: filter.kind } : {},
    orderBy: [{ startDate: 'asc' }, { id: 'asc' }],
    take: 1000,
  });
  const items = rows.map(courseView);
  return filter.freeOnly ? items.filter((c) => c.free > 0) : items;
}

export async function courseMatches(db: Db, user: AuthUser, actor: Actor, courseId: string) {
  const c = await courseOr404(db, courseId);
  // only chains whose version needs this kind at the step they wait at (v2's language-course follows a refused admission)
  const learners = (await loadWaitingLearners(db, caseListFilter(user), seatStepsOfKind(c.kind))).filter((l) =>
    seatStepsFor(c.kind, l.version).includes(l.step),
  );
  await audit(db, actor, 'course.matches', { type: 'Course', id: courseId }, { chains: learners.length });
  return matchesForCourse(matchCourse(c), learners, isoDay(new Date())).map((m) => ({
    processId: m.learner.processId,
    caseReference: m.learner.caseReference,
    waitingSince: m.learner.waitingSince,
    fits: m.fits,
    reasons: m.reasons,
  }));
}

/** Records what an education/work chain needs (kind, level); audited as a change of the case. */
export async function setEducationNeed(
  db: Db,
  user: AuthUser,
  actor: Actor,
  processId: string,
  input: { kind: CourseKind; level?: CourseLevel; district?: string },
) {
  const p = await db.process.findUnique({
    where: { id: processId },
    include: { case: { select: { caseworkerId: true, departmentId: true } } },
  });
  if (!p || !canChangeCase(user, p.case)) throw notFound('Prozess');
  if (p.type !== 'education-work') throw conflict('Ein Bildungsbedarf gehört zu einer Kette „Bildung und Arbeit“.');
  const data = { caseId: p.caseId, kind: input.kind, level: input.level ?? null, district: input.district ?? null, updatedById: user.id };
  await db.$transaction(async (tx) => {
    await tx.educationNeed.upsert({ where: { processId }, create: { processId, ...data }, update: data });
    await audit(
      tx,
      actor,
      'process.education-need',
      { type: 'Process', id: processId, caseId: p.caseId },
      { kind: input.kind, level: input.level ?? null },
    );
  });
  return { processId, kind: input.kind, level: input.level ?? null, district: input.district ?? null };
}

/** The chain's open handoff task for a step (the chain's prepareHandoff writes it with the process id). */
async function openHandoffTask(db: Db, p: { id: string; workflowId: string }, handoffStep: string) {
  return db.task.findFirst({
    where: {
      processId: { in: [p.id, p.workflowId] },
      stepKey: handoffStep,
      status: { in: ['created', 'notified', 'accepted', 'forwarded'] },
    },
    orderBy: { createdAt: 'desc' },
    select: { id: true, workflowId: true, caseId: true, status: true },
  });
}

/**
 * Proposes a seat of a course to a waiting chain and moves its step on (core/domain/inventory/education.ts:
 * caseworker step completed, school-place handoff completed, measure handoff accepted); the last free
 * seat goes to one proposal only, nothing stays for a proposal that fails.
 */
export async function proposeSeat(deps: ChainDeps & TaskDeps, user: AuthUser, actor: Actor, courseId: string, processId: string) {
  if (!recordsStepOutcomes(user)) throw forbidden('Nur das Fallmanagement schlägt Kursplätze vor.');
  const c = await courseOr404(deps.db, courseId);
  const p = await deps.db.process.findUnique({
    where: { id: processId },
    include: { case: { select: { caseworkerId: true, departmentId: true } } },
  });
  if (!p || !canChangeCase(user, p.case))
    throw badRequest('Prozess unbekannt oder nicht sichtbar.', [{ field: 'processId', message: 'unbekannt' }]);
  const steps = seatStepsFor(c.kind, p.version);
  const step = p.currentStep ?? '';
  if (p.type !== 'education-work' || p.status !== 'running' || !steps.includes(step))
    throw conflict(`Die Kette wartet nicht im Schritt „${steps.join('“ oder „')}“ auf dieses Angebot.`);
  const action = SEAT_STEPS[step];
  if (!action) throw conflict('Dieser Schritt nimmt keinen Kursplatz an.');
  // a handoff step: the department's task must be delivered (before that, and while a consent is missing, there is none)
  const task = action.how === 'complete-step' ? null : await openHandoffTask(deps.db, p, action.handoffStep);
  if (action.how !== 'complete-step' && (!task || task.status === 'created'))
    throw conflict('Die Übergabe an die zuständige Stelle ist noch nicht zugestellt (oder die Einwilligung fehlt); bitte später erneut.');
  if (action.how === 'accept-handoff' && task?.status === 'accepted')
    throw conflict('Die zuständige Stelle hat die Maßnahme bereits übernommen.');
  const claimed = await deps.db.$executeRaw`
    UPDATE "Course" SET "taken" = "taken" + 1, "updatedAt" = now()
    WHERE "id" = ${courseId} AND "taken" + "reserved" < "seats"`;
  if (claimed !== 1) throw conflict(`Im Kurs ${c.reference} ist kein Platz mehr frei.`);
  const undo = () =>
    deps.db.$executeRaw`UPDATE "Course" SET "taken" = "taken" - 1, "updatedAt" = now() WHERE "id" = ${courseId} AND "taken" > 0`;
  let proposalId: string;
  try {
    proposalId = (
      await deps.db.seatProposal.create({
        data: { courseId, processId, caseId: p.caseId, stepKey: step, createdById: user.id },
      })
    ).id;
  } catch (err) {
    await undo();
    if (isUniqueViolation(err)) throw conflict(`Der Kurs ${c.reference} ist dieser Kette schon vorgeschlagen.`);
    throw err;
  }
  const updateId = `course:${courseId}:seat:${processId}`;
  const data = seatStepData(step, {
    reference: c.reference,
    title: c.title,
    place: c.place,
    start: isoDay(c.startDate),
    end: c.endDate ? isoDay(c.endDate) : null,
  });
  try {
    if (action.how === 'complete-step') await completeStep(deps, user, processId, step, { outcome: action.outcome, data }, updateId);
    else if (action.how === 'complete-handoff')
      // the department's answer, given for it by the seat (the workflow's validator checks outcome and fields)
      await actOnTask(deps, task!, { action: 'complete', actor: { kind: 'system' }, outcome: action.outcome, data }, updateId);
    else await actOnTask(deps, task!, { action: 'accept', actor: { kind: 'system' } }, updateId);
  } catch (err) {
    await deps.db.seatProposal.deleteMany({ where: { id: proposalId } });
    await undo();
    if (err instanceof HttpError && err.status === 409) throw conflict('Die Kette wartet nicht mehr auf diesen Kursplatz.');
    throw err;
  }
  await audit(
    deps.db,
    actor,
    'course.seat-proposed',
    { type: 'Course', id: courseId, caseId: p.caseId },
    { processId, step, ...(task ? { taskId: task.id, answer: action.how } : {}) },
  );
  return courseView(await courseOr404(deps.db, courseId));
}

/** The household's barrier-free need (housing matching). */
export async function setHousingNeed(db: Db, user: AuthUser, actor: Actor, personId: string, input: { barrierFree: boolean }) {
  const person = await db.person.findUnique({ where: { id: personId }, select: { id: true, createdById: true } });
  if (!person) throw notFound('Person');
  const cases = await db.case.findMany({ where: { personId }, select: { id: true, caseworkerId: true, departmentId: true } });
  const mine = cases.filter((c) => canChangeCase(user, c));
  if (!mine.length && person.createdById !== user.id) throw notFound('Person');
  await db.$transaction(async (tx) => {
    await tx.housingNeed.upsert({
      where: { personId },
      create: { personId, barrierFree: input.barrierFree, updatedById: user.id },
      update: { barrierFree: input.barrierFree, updatedById: user.id },
    });
    await audit(
      tx,
      actor,
      'person.housing-need',
      { type: 'Person', id: personId, caseId: mine[0]?.id },
      { barrierFree: input.barrierFree },
    );
  });
  return { personId, barrierFree: input.barrierFree };
}

export { educationSituationData, EDUCATION_CSV_HEADER, educationCsvCells, type EducationSituation } from '../../core/education-data';
