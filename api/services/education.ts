// Education offers from the API's side (issue 15): courses with seats, a chain's education need,
// matching a course against education/work chains waiting at the step that needs it, and proposing a
// seat. A proposal claims a seat in PostgreSQL first (taken + reserved < seats, one statement: the last
// seat goes to one request), records it, then completes the chain's step through the caseworker's
// path; a failure undoes the claim and the record (nothing stays for the loser).
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { Prisma } from '../../core/db/generated/client';
import {
  educationSituation,
  matchesForCourse,
  NEED_STEPS,
  SEAT_STEP_OF,
  SEAT_STEPS,
  type CourseInput,
  type CourseKind,
  type CourseLevel,
  type MatchCourse,
  type WaitingLearner,
} from '../../core/domain/inventory/education';
import { isoDay } from '../../core/format/dates';
import { courseKindLabel } from '../../core/format/labels';
import { canChangeCase, caseListFilter, recordsStepOutcomes } from '../access';
import type { AuthUser } from '../auth';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../errors';
import { completeStep, type ChainDeps } from './chains';

const day = (s: string) => new Date(s + 'T00:00:00Z');
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
    step: SEAT_STEP_OF[c.kind],
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
          partnerId: input.partnerId,
          kind: input.kind,
          level: input.level ?? null,
          title: input.title,
          startDate: day(input.start),
          endDate: input.end ? day(input.end) : null,
          seats: input.seats,
          reserved: input.reserved,
          place: input.place,
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

const matchCourse = (c: Prisma.CourseGetPayload<object>): MatchCourse => ({
  id: c.id,
  kind: c.kind,
  level: (c.level as CourseLevel | null) ?? null,
  start: isoDay(c.startDate),
  free: Math.max(0, c.seats - c.reserved - c.taken),
});

/** Education/work chains waiting at a step that needs an education offer, within `caseWhere` (no names). */
export async function loadWaitingLearners(
  db: Db,
  caseWhere: Prisma.CaseWhereInput,
  steps: string[] = NEED_STEPS,
): Promise<WaitingLearner[]> {
  const rows = await db.process.findMany({
    where: { type: 'education-work', status: 'running', currentStep: { in: steps }, case: caseWhere },
    select: {
      id: true,
      currentStep: true,
      case: { select: { reference: true } },
      steps: { where: { completedAt: null }, orderBy: { seq: 'desc' }, take: 1, select: { startedAt: true } },
    },
    take: 10_000,
  });
  const needs = new Map(
    (await db.educationNeed.findMany({ where: { processId: { in: rows.map((r) => r.id) } } })).map((n) => [n.processId, n]),
  );
  return rows.map((r) => {
    const n = needs.get(r.id);
    return {
      processId: r.id,
      caseReference: r.case.reference,
      step: r.currentStep!,
      need: n ? { kind: n.kind, level: (n.level as CourseLevel | null) ?? null } : null,
      waitingSince: (r.steps[0]?.startedAt ?? new Date(0)).toISOString(),
    };
  });
}

export async function openCourses(db: Db) {
  const rows = await db.course.findMany({ where: { OR: [{ endDate: null }, { endDate: { gte: day(isoDay(new Date())) } }] } });
  return rows.map(matchCourse);
}

export async function courseMatches(db: Db, user: AuthUser, actor: Actor, courseId: string) {
  const c = await courseOr404(db, courseId);
  const learners = await loadWaitingLearners(db, caseListFilter(user), [SEAT_STEP_OF[c.kind]]);
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
  input: { kind: CourseKind; level?: CourseLevel },
) {
  const p = await db.process.findUnique({
    where: { id: processId },
    include: { case: { select: { caseworkerId: true, departmentId: true } } },
  });
  if (!p || !canChangeCase(user, p.case)) throw notFound('Prozess');
  if (p.type !== 'education-work') throw conflict('Ein Bildungsbedarf gehört zu einer Kette „Bildung und Arbeit“.');
  const data = { caseId: p.caseId, kind: input.kind, level: input.level ?? null, updatedById: user.id };
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
  return { processId, kind: input.kind, level: input.level ?? null };
}

/** Proposes a seat of a course to a waiting chain: completes its step; the last free seat goes to one proposal only. */
export async function proposeSeat(deps: ChainDeps, user: AuthUser, actor: Actor, courseId: string, processId: string) {
  if (!recordsStepOutcomes(user)) throw forbidden('Nur das Fallmanagement schlägt Kursplätze vor.');
  const c = await courseOr404(deps.db, courseId);
  const p = await deps.db.process.findUnique({
    where: { id: processId },
    include: { case: { select: { caseworkerId: true, departmentId: true } } },
  });
  if (!p || !canChangeCase(user, p.case))
    throw badRequest('Prozess unbekannt oder nicht sichtbar.', [{ field: 'processId', message: 'unbekannt' }]);
  const step = SEAT_STEP_OF[c.kind];
  if (p.type !== 'education-work' || p.status !== 'running' || p.currentStep !== step)
    throw conflict(`Die Kette wartet nicht im Schritt „${step}“ auf dieses Angebot.`);
  const seatStep = SEAT_STEPS[step as keyof typeof SEAT_STEPS];
  if (!seatStep) throw conflict('Dieser Schritt liegt bei der zuständigen Stelle; sie weist den Platz zu.');
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
  try {
    await completeStep(
      deps,
      user,
      processId,
      step,
      {
        outcome: seatStep.outcome,
        data: { provider: `Kurs ${c.reference}`, start: isoDay(c.startDate), ...(c.endDate ? { end: isoDay(c.endDate) } : {}) },
      },
      `course:${courseId}:seat:${processId}`,
    );
  } catch (err) {
    await deps.db.seatProposal.deleteMany({ where: { id: proposalId } });
    await undo();
    if (err instanceof HttpError && err.status === 409) throw conflict('Die Kette wartet nicht mehr auf diesen Kursplatz.');
    throw err;
  }
  await audit(deps.db, actor, 'course.seat-proposed', { type: 'Course', id: courseId, caseId: p.caseId }, { processId, step });
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

/** Education needs by kind and level (chains waiting at a step that needs an offer) against free seats, with the gaps in German. */
export async function educationSituationData(db: Db) {
  const [learners, courses] = await Promise.all([loadWaitingLearners(db, {}), openCourses(db)]);
  const rows = educationSituation(learners, courses);
  const gaps = rows
    .filter((r) => r.gap > 0)
    .map(
      (r) =>
        `${courseKindLabel(r.kind)}${r.level === 'offen' ? ' (Niveau offen)' : ` ${r.level}`}: ${r.needed} ${r.needed === 1 ? 'Person wartet' : 'Personen warten'}, ${r.freeSeats} ${r.freeSeats === 1 ? 'freier Platz' : 'freie Plätze'} – es fehlen ${r.gap}.`,
    );
  return { neededTotal: learners.length, freeSeatsTotal: courses.reduce((a, c) => a + Math.max(0, c.free), 0), rows, gaps };
}
export type EducationSituation = Awaited<ReturnType<typeof educationSituationData>>;
export const EDUCATION_CSV_HEADER = ['Bildung: Art', 'Niveau', 'Bedarf (wartende Ketten)', 'Freie Plätze', 'Lücke'];
export const educationCsvCells = (r: EducationSituation['rows'][number]) => [
  courseKindLabel(r.kind),
  r.level,
  r.needed,
  r.freeSeats,
  r.gap,
];
