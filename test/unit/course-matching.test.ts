// Course matching and the education figures (issue 15), table-tested: fits / does not fit and why.
import {
  courseFit,
  educationSituation,
  matchesForCourse,
  NEED_STEPS,
  SEAT_STEP_OF,
  SEAT_STEPS,
  type MatchCourse,
  type WaitingLearner,
} from '../../core/domain/inventory/education';
import { educationWorkV1 } from '../../core/domain/chains/education-work';

const course: MatchCourse = { id: 'k1', kind: 'integration_course', level: 'B1', start: '2027-02-01', free: 2 };
const learner = (over: Partial<WaitingLearner> = {}): WaitingLearner => ({
  processId: 'p',
  caseReference: 'KIM-2026-0001',
  step: 'language-course',
  need: null,
  waitingSince: '2026-10-01T00:00:00.000Z',
  ...over,
});
const TODAY = '2026-11-29';

it('the seat and need steps exist in the education/work chain v1; seat steps are caseworker steps with the outcome', () => {
  for (const s of NEED_STEPS) expect(educationWorkV1.steps[s]).toBeDefined();
  for (const [s, { outcome }] of Object.entries(SEAT_STEPS)) {
    expect(educationWorkV1.steps[s].actor.kind).toBe('caseworker');
    expect(educationWorkV1.steps[s].outcomes[outcome]).toBeDefined();
  }
  expect(SEAT_STEP_OF.literacy).toBe('language-course');
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
  const rows = educationSituation(
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
