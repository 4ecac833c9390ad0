// Course matching and the education figures (issue 15), table-tested: fits / does not fit and why.
import {
  courseFit,
  educationSituation,
  matchesForCourse,
  NEED_STEPS,
  SEAT_STEP_OF,
  SEAT_STEPS,
  seatStepData,
  seatStepsFor,
  type CourseKind,
  type MatchCourse,
  type WaitingLearner,
} from '../../core/domain/inventory/education';
import { educationWorkV1 } from '../../core/domain/chains/education-work';
import { educationWorkV2 } from '../../core/domain/chains/education-work-v2';
import { checkCompletion } from '../../core/domain/handoff-core';
import { checkStepData } from '../../core/domain/chains/step-data';

const course: MatchCourse = { id: 'k1', kind: 'integration_course', level: 'B1', start: '2027-02-01', free: 2 };
const learner = (over: Partial<WaitingLearner> = {}): WaitingLearner => ({
  processId: 'p',
  caseReference: 'KIM-2026-0001',
  step: 'language-course',
  version: 1,
  need: null,
  waitingSince: '2026-10-01T00:00:00.000Z',
  ...over,
});
const TODAY = '2026-11-29';

it('the seat and need steps exist in the education/work chain v1; seat steps are caseworker steps with the outcome', () => {
  for (const s of NEED_STEPS) expect(educationWorkV1.steps[s] ?? educationWorkV2.steps[s]).toBeDefined();
  expect(SEAT_STEP_OF.literacy).toBe('language-course');
});

// kind ↔ step for both versions: which steps each kind serves (nothing else)
it.each<[CourseKind, string[], string[]]>([
  ['integration_course', ['language-course'], ['integration-course']],
  ['job_language_course', ['language-course'], ['language-course']],
  ['literacy', ['language-course'], ['integration-course', 'language-course']],
  ['vocational_measure', ['measure'], ['measure']],
  ['school_place', ['school-place'], ['school-place']],
])('%s serves v1 %j and v2 %j', (kind, v1, v2) => {
  expect(seatStepsFor(kind, 1)).toEqual(v1);
  expect(seatStepsFor(kind, 2)).toEqual(v2);
  expect(seatStepsFor(kind, 7)).toEqual(v2); // later (city) versions keep v2's step ids
  for (const [def, steps] of [
    [educationWorkV1, v1],
    [educationWorkV2, v2],
  ] as const)
    for (const step of steps) {
      const d = def.steps[step];
      expect(d).toBeDefined();
      const a = SEAT_STEPS[step];
      const data = seatStepData(step, { reference: 'K-2026-ABC', title: 'Kurs', place: 'VHS', start: '2027-02-01', end: '2027-07-31' });
      if (a.how === 'complete-step') {
        // a caseworker step: the outcome exists and the course's data pass the step's own field check
        expect(d.actor.kind).toBe('caseworker');
        expect(d.outcomes[a.outcome]).toBeDefined();
        expect(checkStepData(d, data).ok).toBe(true);
      } else {
        // a handoff: the department's step; a completion passes the handoff's own check
        expect(d.actor).toMatchObject({ kind: 'handoff', handoffStep: a.handoffStep });
        if (a.how === 'complete-handoff') {
          expect(d.outcomes[a.outcome]).toBeDefined();
          expect(checkCompletion(a.handoffStep, a.outcome, data).ok).toBe(true);
        }
      }
    }
});

it('a v2 chain at language-course (after a refused admission) is not offered an integration course', () => {
  const m = courseFit(course, learner({ version: 2 }), TODAY);
  expect(m.fits).toBe(false);
  expect(m.reasons).toContain('wartet im Schritt „language-course“, dieses Angebot gehört zu „integration-course“');
  expect(courseFit(course, learner({ version: 2, step: 'integration-course' }), TODAY).fits).toBe(true);
  expect(courseFit({ ...course, kind: 'literacy', level: null }, learner({ version: 2 }), TODAY).fits).toBe(true);
});

it.each<[string, Partial<WaitingLearner>, Partial<MatchCourse>, boolean, string]>([
  ['no need recorded: by step', {}, {}, true, 'Bedarf (Art, Niveau) nicht erfasst – nach Schritt zugeordnet'],
  ['need and level as offered', { need: { kind: 'integration_course', level: 'B1' } }, {}, true, 'Bedarf B1 wie angeboten'],
  ['other level', { need: { kind: 'integration_course', level: 'A1' } }, {}, false, 'Niveau B1 statt A1'],
  ['other kind', { need: { kind: 'literacy', level: null } }, {}, false, 'Art des Angebots passt nicht zum erfassten Bedarf'],
  ['no free seat', {}, { free: 0 }, false, 'keine freien Plätze'],
  ['wrong step', { step: 'measure' }, {}, false, 'wartet im Schritt „measure“, dieses Angebot gehört zu „language-course“'],
  ['already started', {}, { start: '2026-11-01' }, true, 'Kurs hat schon begonnen (Quereinstieg)'],
  ['one seat', {}, { free: 1 }, true, '1 freier Platz'],
])('%s', (_name, l, c, fits, reason) => {
  const m = courseFit({ ...course, ...c }, learner(l), TODAY);
  expect(m.fits).toBe(fits);
  expect(m.reasons).toContain(reason);
});

it('ranks those that fit first, then the longest waiting', () => {
  const ms = matchesForCourse(
    course,
    [
      learner({ processId: 'late', waitingSince: '2026-11-01T00:00:00.000Z' }),
      learner({ processId: 'misfit', waitingSince: '2026-01-01T00:00:00.000Z', need: { kind: 'literacy', level: null } }),
      learner({ processId: 'early', waitingSince: '2026-09-01T00:00:00.000Z' }),
    ],
    TODAY,
  );
  expect(ms.map((m) => m.learner.processId)).toEqual(['early', 'late', 'misfit']);
});

it('education needs by kind and level against free seats', () => {
  const { rows } = educationSituation(
    [
      learner({ need: { kind: 'literacy', level: 'A1' } }),
      learner({ need: { kind: 'literacy', level: 'A1' } }),
      learner({ step: 'school-place' }),
      learner(),
    ],
    [
      { ...course, kind: 'literacy', level: 'A1', free: 1 },
      { ...course, free: 3, level: null },
      { ...course, free: 0, level: 'C1' },
    ],
  );
  expect(rows).toEqual([
    { kind: 'integration_course', level: 'offen', needed: 1, freeSeats: 3, gap: 0 },
    { kind: 'literacy', level: 'A1', needed: 2, freeSeats: 1, gap: 1 },
    { kind: 'school_place', level: 'offen', needed: 1, freeSeats: 0, gap: 1 },
  ]);
});

it('education figures by district: needs there or without a district, courses there (own district or provider areas) or city-wide', () => {
  const learners = [
    learner({ need: { kind: 'literacy', level: 'A1' }, district: 'Refrath' }),
    learner({ need: { kind: 'literacy', level: 'A1' }, district: 'Bensberg' }),
    learner({ need: { kind: 'literacy', level: 'A1' } }),
  ];
  const courses: MatchCourse[] = [
    { ...course, kind: 'literacy', level: 'A1', free: 2, districts: ['refrath'] },
    { ...course, kind: 'literacy', level: 'A1', free: 5, districts: ['Bensberg', 'Moitzfeld'] },
    { ...course, kind: 'literacy', level: 'A1', free: 1, districts: [] },
  ];
  expect(educationSituation(learners, courses)).toMatchObject({ neededTotal: 3, freeSeatsTotal: 8 });
  expect(educationSituation(learners, courses, { district: 'Refrath' })).toEqual({
    neededTotal: 2,
    freeSeatsTotal: 3,
    rows: [{ kind: 'literacy', level: 'A1', needed: 2, freeSeats: 3, gap: 0 }],
  });
  expect(educationSituation(learners, courses, { district: 'Hand' })).toMatchObject({
    neededTotal: 1,
    rows: [{ kind: 'literacy', level: 'A1', needed: 1, freeSeats: 1, gap: 0 }],
  });
});
