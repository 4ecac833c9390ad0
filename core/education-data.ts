// Education figures from PostgreSQL (issue 15): education/work chains waiting at a step that needs an
// education offer, open courses with the districts they serve, and the situation's education part.
// Used by the API (matching, situation page/CSV) and the worker's monthly snapshot (activities/inventory.ts).
import type { Db } from './db/client';
import type { Prisma } from './db/generated/client';
import { educationSituation, NEED_STEPS, type CourseLevel, type MatchCourse, type WaitingLearner } from './domain/inventory/education';
import { isoDay } from './format/dates';
import { courseKindLabel } from './format/labels';

const day = (s: string) => new Date(s + 'T00:00:00Z');

export const matchCourse = (c: Prisma.CourseGetPayload<object>, providerAreas: string[] = []): MatchCourse => ({
  id: c.id,
  kind: c.kind,
  level: (c.level as CourseLevel | null) ?? null,
  start: isoDay(c.startDate),
  free: Math.max(0, c.seats - c.reserved - c.taken),
  districts: c.district ? [c.district] : providerAreas,
});

/**
 * Education/work chains waiting at a step that needs an education offer, within `caseWhere` (no names).
 * A chain whose current step already got a seat (a proposal since the step began: a measure handoff
 * accepted for a seat) no longer waits for one.
 */
export async function loadWaitingLearners(
  db: Db,
  caseWhere: Prisma.CaseWhereInput,
  steps: string[] = NEED_STEPS,
): Promise<WaitingLearner[]> {
  const rows = await db.process.findMany({
    where: { type: 'education-work', status: 'running', currentStep: { in: steps }, case: caseWhere },
    select: {
      id: true,
      version: true,
      currentStep: true,
      case: { select: { reference: true } },
      steps: { where: { completedAt: null }, orderBy: { seq: 'desc' }, take: 1, select: { startedAt: true } },
    },
    take: 10_000,
  });
  const ids = rows.map((r) => r.id);
  const [needs, proposals] = await Promise.all([
    db.educationNeed.findMany({ where: { processId: { in: ids } } }),
    db.seatProposal.findMany({ where: { processId: { in: ids } }, select: { processId: true, stepKey: true, createdAt: true } }),
  ]);
  const needOf = new Map(needs.map((n) => [n.processId, n]));
  const lastSeat = new Map<string, string>(); // processId|step → the latest proposal's time
  for (const sp of proposals) {
    const k = `${sp.processId}|${sp.stepKey}`;
    const at = sp.createdAt.toISOString();
    if ((lastSeat.get(k) ?? '') < at) lastSeat.set(k, at);
  }
  return rows
    .map((r) => {
      const n = needOf.get(r.id);
      return {
        processId: r.id,
        caseReference: r.case.reference,
        step: r.currentStep!,
        version: r.version,
        need: n ? { kind: n.kind, level: (n.level as CourseLevel | null) ?? null } : null,
        waitingSince: (r.steps[0]?.startedAt ?? new Date(0)).toISOString(),
        district: n?.district ?? null,
      };
    })
    .filter((l) => (lastSeat.get(`${l.processId}|${l.step}`) ?? '') < l.waitingSince);
}

export async function openCourses(db: Db, now = new Date()) {
  const rows = await db.course.findMany({ where: { OR: [{ endDate: null }, { endDate: { gte: day(isoDay(now)) } }] } });
  const partnerIds = [...new Set(rows.filter((c) => !c.district).map((c) => c.partnerId))];
  const areas = new Map(
    (partnerIds.length ? await db.partner.findMany({ where: { id: { in: partnerIds } }, select: { id: true, areas: true } }) : []).map(
      (x) => [x.id, x.areas],
    ),
  );
  return rows.map((c) => matchCourse(c, areas.get(c.partnerId) ?? []));
}

/** Education needs by kind and level (chains waiting at a step that needs an offer) against free seats, with the gaps in German; optionally one district. */
export async function educationSituationData(db: Db, opts: { district?: string; now?: Date } = {}) {
  const [learners, courses] = await Promise.all([loadWaitingLearners(db, {}), openCourses(db, opts.now)]);
  const s = educationSituation(learners, courses, { district: opts.district });
  const gaps = s.rows
    .filter((r) => r.gap > 0)
    .map(
      (r) =>
        `${courseKindLabel(r.kind)}${r.level === 'offen' ? ' (Niveau offen)' : ` ${r.level}`}: ${r.needed} ${r.needed === 1 ? 'Person wartet' : 'Personen warten'}, ${r.freeSeats} ${r.freeSeats === 1 ? 'freier Platz' : 'freie Plätze'} – es fehlen ${r.gap}.`,
    );
  return { district: opts.district?.trim() || null, neededTotal: s.neededTotal, freeSeatsTotal: s.freeSeatsTotal, rows: s.rows, gaps };
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
