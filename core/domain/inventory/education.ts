// Education offers (issue 15): courses with seats, what an education/work chain needs, and the pure
// matching of a course against chains waiting at a step that the course's kind serves. Which steps a
// kind serves depends on the chain's version (v1: core/domain/chains/education-work.ts, v2 and later:
// education-work-v2.ts): v2 has its own `integration-course` step, and its `language-course` follows a
// refused BAMF admission (so no integration course there). How a seat moves the step on:
// - caseworker steps (language-course, integration-course): completed with outcome `enrolled` and the
//   course's data (provider, start, end), as the caseworker would;
// - the Schulamt's handoff `school-place`: the handoff completed `assigned` with the school (course
//   title and place), as the department's answer would;
// - the Bildungsträger's handoff `measure`: its outcomes report the END of the measure (finished /
//   dropped-out), so a seat does not complete it; the handoff is accepted (the provider has taken the
//   person on) and the Bildungsträger reports the end as before.
import { z } from 'zod';
import { calendarDay, optionalText, requiredText } from '../fields';

export const COURSE_KINDS = ['integration_course', 'job_language_course', 'literacy', 'vocational_measure', 'school_place'] as const;
export type CourseKind = (typeof COURSE_KINDS)[number];
export const COURSE_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1'] as const;
export type CourseLevel = (typeof COURSE_LEVELS)[number];

/** The step of the education/work chain v1 where each kind of course is needed (the course's `step` field). */
export const SEAT_STEP_OF: Record<CourseKind, string> = {
  integration_course: 'language-course',
  job_language_course: 'language-course',
  literacy: 'language-course',
  vocational_measure: 'measure',
  school_place: 'school-place',
};
/** Per chain version: the steps each kind of course serves. Versions ≥ 2 keep v2's step ids. */
export const SEAT_STEPS_BY_VERSION: Record<'v1' | 'v2', Record<CourseKind, string[]>> = {
  v1: {
    integration_course: ['language-course'],
    job_language_course: ['language-course'],
    literacy: ['language-course'],
    vocational_measure: ['measure'],
    school_place: ['school-place'],
  },
  v2: {
    integration_course: ['integration-course'],
    job_language_course: ['language-course'],
    literacy: ['integration-course', 'language-course'],
    vocational_measure: ['measure'],
    school_place: ['school-place'],
  },
};
export const seatStepsFor = (kind: CourseKind, version: number) => SEAT_STEPS_BY_VERSION[version >= 2 ? 'v2' : 'v1'][kind];
/** Every step a kind serves in some version (the chains a course's matching looks at). */
export const seatStepsOfKind = (kind: CourseKind) => [...new Set([...SEAT_STEPS_BY_VERSION.v1[kind], ...SEAT_STEPS_BY_VERSION.v2[kind]])];

/** How a proposed seat moves each step on. */
export type SeatAction =
  | { how: 'complete-step'; outcome: string }
  | { how: 'complete-handoff'; handoffStep: string; outcome: string }
  | { how: 'accept-handoff'; handoffStep: string };
export const SEAT_STEPS: Record<string, SeatAction> = {
  'language-course': { how: 'complete-step', outcome: 'enrolled' },
  'integration-course': { how: 'complete-step', outcome: 'enrolled' },
  'school-place': { how: 'complete-handoff', handoffStep: 'school-place', outcome: 'assigned' },
  measure: { how: 'accept-handoff', handoffStep: 'measure' },
};
export type SeatStep = keyof typeof SEAT_STEPS;
/** Every step id at which a chain waits for an education offer (needs in the situation analysis). */
export const NEED_STEPS = [...new Set([...Object.values(SEAT_STEPS_BY_VERSION.v1), ...Object.values(SEAT_STEPS_BY_VERSION.v2)].flat())];

/** The data a seat gives its step: the caseworker step's fields, or the department's answer. */
export function seatStepData(
  step: string,
  c: { reference: string; title: string; place: string; start: string; end: string | null },
): Record<string, unknown> {
  const a = SEAT_STEPS[step];
  if (a?.how === 'complete-handoff')
    return { school: `${c.title}, ${c.place}`.slice(0, 200), note: `Platz im Kurs ${c.reference} ab ${c.start} (über KIM vorgeschlagen)` };
  return { provider: `Kurs ${c.reference}`, start: c.start, ...(c.end ? { end: c.end } : {}) };
}

/** The kind a chain waiting at a step needs when no need was recorded (situation analysis). */
export const kindOfStep = (step: string): CourseKind =>
  step === 'measure' ? 'vocational_measure' : step === 'school-place' ? 'school_place' : 'integration_course';

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
    /** the municipality district of the course (situation analysis); without it the provider's areas */
    district: optionalText('Stadtteil', 100),
  })
  .refine((c) => !c.end || c.end >= c.start, { path: ['end'], message: 'Ende: liegt vor dem Beginn' })
  .refine((c) => c.reserved <= c.seats, { path: ['reserved'], message: 'Reservierte Plätze: mehr als Plätze' });
export type CourseInput = z.infer<typeof courseInput>;

export const educationNeedInput = z.strictObject({
  kind: z.enum(COURSE_KINDS, { error: kindError }),
  level: z.enum(COURSE_LEVELS, { error: levelError }).optional(),
  /** where the person lives / wants the course (situation analysis by district) */
  district: optionalText('Stadtteil', 100),
});

export const seatProposeInput = z.strictObject({ processId: z.uuid({ error: 'Prozess fehlt oder ist ungültig' }) });

// ---- matching ----

export interface MatchCourse {
  id: string;
  kind: CourseKind;
  level: CourseLevel | null;
  start: string; // YYYY-MM-DD
  free: number;
  /** the districts the course serves (its own, else its provider's areas); empty = the whole municipality */
  districts?: string[];
}
export interface WaitingLearner {
  processId: string;
  caseReference: string;
  /** the current step of the chain and the chain's version (which steps a kind serves) */
  step: string;
  version: number;
  need: { kind: CourseKind; level: CourseLevel | null } | null;
  waitingSince: string;
  /** the need's district (situation analysis); null = not recorded, counts in every district */
  district?: string | null;
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
  const steps = seatStepsFor(course.kind, l.version);
  if (!steps.includes(l.step)) no(`wartet im Schritt „${l.step}“, dieses Angebot gehört zu „${steps.join('“ oder „')}“`);
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

const norm = (s: string) => s.trim().toLocaleLowerCase('de-DE');
/** In a district: a learner without a recorded district and a course serving the whole municipality count everywhere. */
export const learnerInDistrict = (l: Pick<WaitingLearner, 'district'>, d: string) => !l.district || norm(l.district) === norm(d);
export const courseInDistrict = (c: Pick<MatchCourse, 'districts'>, d: string) =>
  !c.districts?.length || c.districts.some((x) => norm(x) === norm(d));

/** Education needs by kind and level against free seats (situation analysis), figures only; optionally one district. */
export function educationSituation(learners: WaitingLearner[], courses: MatchCourse[], opts: { district?: string } = {}) {
  const d = opts.district?.trim();
  const ls = d ? learners.filter((l) => learnerInDistrict(l, d)) : learners;
  const cs = d ? courses.filter((c) => courseInDistrict(c, d)) : courses;
  const rows = new Map<string, { kind: CourseKind; level: string; needed: number; freeSeats: number }>();
  const row = (kind: CourseKind, level: string) => {
    const k = `${kind}|${level}`;
    if (!rows.has(k)) rows.set(k, { kind, level, needed: 0, freeSeats: 0 });
    return rows.get(k)!;
  };
  for (const l of ls) row(l.need?.kind ?? kindOfStep(l.step), l.need?.level ?? 'offen').needed++;
  for (const c of cs) if (c.free > 0) row(c.kind, c.level ?? 'offen').freeSeats += c.free;
  return {
    neededTotal: ls.length,
    freeSeatsTotal: cs.reduce((a, c) => a + Math.max(0, c.free), 0),
    rows: [...rows.values()]
      .map((r) => ({ ...r, gap: Math.max(0, r.needed - r.freeSeats) }))
      .sort((a, b) => COURSE_KINDS.indexOf(a.kind) - COURSE_KINDS.indexOf(b.kind) || a.level.localeCompare(b.level)),
  };
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
