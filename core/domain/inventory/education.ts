// Education offers (issue 15): courses with seats, what an education/work chain needs, and the pure
// matching of a course against chains waiting at the step that needs it. The step ids are those of
// the education/work chain v1 (core/domain/chains/education-work.ts); a later version that keeps the
// ids keeps working. Only caseworker steps can be completed by a seat proposal (the others are
// handoffs to the department that assigns the place); they still count as needs.
import { z } from 'zod';
import { calendarDay, optionalText, requiredText } from '../fields';

export const COURSE_KINDS = ['integration_course', 'job_language_course', 'literacy', 'vocational_measure', 'school_place'] as const;
export type CourseKind = (typeof COURSE_KINDS)[number];
export const COURSE_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1'] as const;
export type CourseLevel = (typeof COURSE_LEVELS)[number];

/** The step of the education/work chain where each kind of course is needed. */
export const SEAT_STEP_OF: Record<CourseKind, string> = {
  integration_course: 'language-course',
  job_language_course: 'language-course',
  literacy: 'language-course',
  vocational_measure: 'measure',
  school_place: 'school-place',
};
/** The steps a proposed seat completes (caseworker steps), with the outcome and how the step's fields are filled. */
export const SEAT_STEPS = {
  'language-course': { outcome: 'enrolled' },
} as const;
export type SeatStep = keyof typeof SEAT_STEPS;
/** Every step id at which a chain waits for an education offer (needs in the situation analysis). */
export const NEED_STEPS = [...new Set(Object.values(SEAT_STEP_OF))];

const kindError = `Art muss ${COURSE_KINDS.join(', ')} sein`;
const levelError = `Niveau muss ${COURSE_LEVELS.join(', ')} sein`;
const count = (label: string) =>
  z
    .number({ error: `${label}: Zahl erwartet` })
    .int(`${label}: ganze Zahl`)
    .min(0, `${label}: nicht negativ`)
    .max(10_000, `${label}: höchstens 10000`);

export const courseInput = z
  .strictObject({
    partnerId: z.uuid({ error: 'Träger fehlt oder ist ungültig' }),
    kind: z.enum(COURSE_KINDS, { error: kindError }),
    level: z.enum(COURSE_LEVELS, { error: levelError }).optional(),
    title: requiredText('Titel', 200),
    start: calendarDay('Beginn'),
    end: calendarDay('Ende').optional(),
    seats: count('Plätze').min(1, 'Plätze: mindestens 1'),
    reserved: count('Reservierte Plätze').default(0),
    place: requiredText('Ort', 300),
  })
  .refine((c) => !c.end || c.end >= c.start, { path: ['end'], message: 'Ende: liegt vor dem Beginn' })
  .refine((c) => c.reserved <= c.seats, { path: ['reserved'], message: 'Reservierte Plätze: mehr als Plätze' });
export type CourseInput = z.infer<typeof courseInput>;

export const educationNeedInput = z.strictObject({
  kind: z.enum(COURSE_KINDS, { error: kindError }),
  level: z.enum(COURSE_LEVELS, { error: levelError }).optional(),
});

export const seatProposeInput = z.strictObject({ processId: z.uuid({ error: 'Prozess fehlt oder ist ungültig' }) });

// ---- matching ----

export interface MatchCourse {
  id: string;
  kind: CourseKind;
  level: CourseLevel | null;
  start: string; // YYYY-MM-DD
  free: number;
}
export interface WaitingLearner {
  processId: string;
  caseReference: string;
  /** the current step of the chain */
  step: string;
  need: { kind: CourseKind; level: CourseLevel | null } | null;
  waitingSince: string;
}
export interface CourseMatch {
  learner: WaitingLearner;
  course: MatchCourse;
  fits: boolean;
  reasons: string[];
}

const levelIndex = (l: CourseLevel) => COURSE_LEVELS.indexOf(l);

/** Whether and why a course fits a chain waiting at a step, in German. */
export function courseFit(course: MatchCourse, l: WaitingLearner, today: string): CourseMatch {
  const reasons: string[] = [];
  let fits = true;
  const no = (r: string) => {
    fits = false;
    reasons.push(r);
  };
  if (SEAT_STEP_OF[course.kind] !== l.step) no(`wartet im Schritt „${l.step}“, dieses Angebot gehört zu „${SEAT_STEP_OF[course.kind]}“`);
  else reasons.push('wartet im passenden Schritt');
  if (!l.need) reasons.push('Bedarf (Art, Niveau) nicht erfasst – nach Schritt zugeordnet');
  else if (l.need.kind !== course.kind) no('Art des Angebots passt nicht zum erfassten Bedarf');
  else if (l.need.level && course.level && levelIndex(course.level) !== levelIndex(l.need.level))
    no(`Niveau ${course.level} statt ${l.need.level}`);
  else reasons.push(l.need.level ? `Bedarf ${l.need.level} wie angeboten` : 'Art wie benötigt');
  if (course.free <= 0) no('keine freien Plätze');
  else reasons.push(`${course.free} ${course.free === 1 ? 'freier Platz' : 'freie Plätze'}`);
  if (course.start < today) reasons.push('Kurs hat schon begonnen (Quereinstieg)');
  return { learner: l, course, fits, reasons };
}

/** For one course: every waiting chain, those that fit first, longest waiting first. */
export function matchesForCourse(course: MatchCourse, learners: WaitingLearner[], today: string): CourseMatch[] {
  return learners
    .map((l) => courseFit(course, l, today))
    .sort((a, b) => Number(b.fits) - Number(a.fits) || a.learner.waitingSince.localeCompare(b.learner.waitingSince));
}

/** Education needs by kind and level against free seats (situation analysis), figures only. */
export function educationSituation(learners: WaitingLearner[], courses: MatchCourse[]) {
  const rows = new Map<string, { kind: CourseKind; level: string; needed: number; freeSeats: number }>();
  const row = (kind: CourseKind, level: string) => {
    const k = `${kind}|${level}`;
    if (!rows.has(k)) rows.set(k, { kind, level, needed: 0, freeSeats: 0 });
    return rows.get(k)!;
  };
  for (const l of learners) {
    const kind =
      l.need?.kind ?? (l.step === 'measure' ? 'vocational_measure' : l.step === 'school-place' ? 'school_place' : 'integration_course');
    row(kind, l.need?.level ?? 'offen').needed++;
  }
  for (const c of courses) if (c.free > 0) row(c.kind, c.level ?? 'offen').freeSeats += c.free;
  return [...rows.values()]
    .map((r) => ({ ...r, gap: Math.max(0, r.needed - r.freeSeats) }))
    .sort((a, b) => COURSE_KINDS.indexOf(a.kind) - COURSE_KINDS.indexOf(b.kind) || a.level.localeCompare(b.level));
}

// ---- group offers ----
export const GROUP_OFFER_KINDS = ['tenancy_training', 'application_training', 'other'] as const;
export const groupOfferInput = z.strictObject({
  kind: z.enum(GROUP_OFFER_KINDS, { error: `Art muss ${GROUP_OFFER_KINDS.join(', ')} sein` }),
  title: requiredText('Titel', 200),
  place: optionalText('Ort', 300),
});
export const groupSessionInput = z.strictObject({
  at: z.iso.datetime({ offset: true, error: 'Termin: Zeitpunkt im ISO-Format erwartet' }),
});
export const enrolmentInput = z.strictObject({
  personId: z.uuid({ error: 'Person fehlt oder ist ungültig' }),
  note: optionalText('Vermerk', 1000),
});
export const attendanceInput = z.strictObject({
  items: z
    .array(
      z.strictObject({
        enrolmentId: z.uuid({ error: 'Anmeldung ungültig' }),
        present: z.boolean({ error: 'Anwesend: ja oder nein' }),
      }),
      { error: 'Anwesenheit muss eine Liste sein' },
    )
    .min(1, 'Anwesenheit: mindestens ein Eintrag')
    .max(200, 'Anwesenheit: höchstens 200 Einträge'),
});
