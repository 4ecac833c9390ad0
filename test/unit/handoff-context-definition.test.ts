// Handoffs with context in the definition (issue 14): the checker refuses unknown fact references
// (German, naming the step), free-text facts, bad result field types and comparisons that do not
// resolve; move-out v2 with its context and result fields passes. The engine keeps a department's
// declared result fields as facts (nothing else of its data) and a compare step decides on them.
import { moveOutV2 } from '../../core/domain/chains/move-out-v2';
import type { Effect, EffectResults, Run } from '../../core/domain/chains/effects';
import { ChainEngine, initialChainState } from '../../core/domain/chains/engine';
import type { ChainDefinition } from '../../core/domain/chains/schema';
import { checkChainDefinition } from '../../core/domain/chains/validation';
import { HANDOFF_STEPS } from '../../core/domain/handoff';
import { checkCompletion } from '../../core/domain/handoff';

const ctx = {
  departments: ['5-50', 'jobcenter', 'wohnungsamt', 'auslaenderbehoerde', 'schulamt', 'familienkasse'],
  handoffSteps: HANDOFF_STEPS,
};
const clone = (): Record<string, any> => JSON.parse(JSON.stringify(moveOutV2));
const issues = (raw: unknown) => {
  const r = checkChainDefinition(raw, ctx);
  return r.ok ? [] : r.issues;
};

it('move-out v2 with context facts and result fields passes the checker', () => {
  expect(issues(moveOutV2)).toEqual([]);
  expect(moveOutV2.steps['cost-approval'].contextFacts).toContain('rent-offer.rent');
  expect(moveOutV2.steps.deposit.results?.map((r) => r.key)).toEqual(['amount', 'decidedOn']);
});

it('refuses an unknown fact reference, naming the step', () => {
  const d = clone();
  d.steps['cost-approval'].contextFacts = ['rent-offer.rent', 'rent-offer.householdSize', 'moving.date'];
  expect(issues(d)).toEqual([
    {
      field: 'steps.cost-approval.contextFacts',
      message:
        'Schritt „cost-approval“: verweist auf den Fakt „rent-offer.householdSize“, aber „rent-offer“ hat kein Feld „householdSize“.',
    },
    {
      field: 'steps.cost-approval.contextFacts',
      message: 'Schritt „cost-approval“: verweist auf den Fakt „moving.date“, aber den Schritt „moving“ gibt es nicht.',
    },
  ]);
});

it('refuses free text as a fact and context on a caseworker step', () => {
  const d = clone();
  d.steps.deposit.contextFacts = ['readiness.assessment'];
  d.steps.lease.contextFacts = ['rent-offer.rent'];
  const found = issues(d).map((i) => i.message);
  expect(found).toContain(
    'Schritt „deposit“: verweist auf „readiness.assessment“, ein Freitextfeld; weitergegeben werden nur Datum, Zahl, Auswahl und Ergebnisfelder.',
  );
  expect(found).toContain('Schritt „lease“: Kontext für eine Stelle gibt es nur bei Übergabe-Schritten.');
});

it('refuses a bad result field type, naming the step', () => {
  const d = clone();
  d.steps.deposit.results = [{ key: 'amount', label: 'Kaution', type: 'euro' }];
  expect(issues(d)).toEqual([
    { field: 'steps.deposit.results.0.type', message: 'Schritt „deposit“: Typ eines Ergebnisfelds muss money, date, number sein' },
  ]);
});

it('refuses result fields on a caseworker step, duplicates, and a comparison of unknown or unlike facts', () => {
  const d = clone();
  d.steps.lease.results = [{ key: 'x', label: 'X', type: 'money' }];
  d.steps.deposit.results = [
    { key: 'amount', label: 'A', type: 'money' },
    { key: 'amount', label: 'B', type: 'money' },
  ];
  d.steps.deposit.outcomes.approved.next = 'covered';
  d.steps.covered = {
    title: 'Deckt die Kaution?',
    actor: { kind: 'compare', fact: 'deposit.amount', op: 'gte', than: 'lease.moveInDate' },
    fields: [],
    outcomes: { yes: { label: 'ja', next: 'lease' }, maybe: { label: 'vielleicht', next: 'lease' } },
  };
  const found = issues(d).map((i) => i.message);
  expect(found).toEqual(
    expect.arrayContaining([
      'Schritt „lease“: Ergebnisfelder füllt nur eine Stelle: nur bei Übergabe-Schritten.',
      'Schritt „deposit“: Ergebnisfeld „amount“ ist doppelt.',
      'Schritt „covered“: ein Vergleich antwortet mit yes oder no; Ergebnisse müssen genau diese sein.',
      'Schritt „covered“: vergleicht „deposit.amount“ (money) mit „lease.moveInDate“ (date) – nicht vergleichbar.',
    ]),
  );
});

it('a department result is validated with its declared types (German, naming the field)', () => {
  const fields = moveOutV2.steps['cost-approval'].results!;
  expect(checkCompletion('cost-approval', 'approved', { approvedRent: 550.5, decidedOn: '2026-11-30' }, fields).ok).toBe(true);
  const bad = checkCompletion('cost-approval', 'approved', { approvedRent: -1, decidedOn: '2026-02-30' }, fields);
  expect(bad.ok).toBe(false);
  expect(!bad.ok && bad.details).toEqual([
    { field: 'data.approvedRent', message: 'Bewilligte Miete (EUR): darf nicht negativ sein' },
    { field: 'data.decidedOn', message: 'Bescheid vom: kein gültiges Datum' },
  ]);
  // without declared fields (a v1 chain, an ad-hoc handoff) the step's own schema alone applies
  expect(checkCompletion('cost-approval', 'approved', { decidedOn: '2026-11-30' }).ok).toBe(false);
});

/** Runs engine work, answering effects with plain values. */
function drive(run: Run, answer: (e: Effect) => unknown) {
  const seen: Effect[] = [];
  let next = run.next();
  while (!next.done) {
    seen.push(next.value);
    next = run.next(answer(next.value) as EffectResults[Effect['kind']]);
  }
  return seen;
}

it('the engine keeps the declared results as facts (not the note) and a compare step decides on them', () => {
  const def: ChainDefinition = {
    ...moveOutV2,
    version: 99,
    start: 'rent-offer',
    steps: {
      'rent-offer': moveOutV2.steps['rent-offer'],
      'cost-approval': {
        ...moveOutV2.steps['cost-approval'],
        outcomes: { approved: { label: 'bewilligt', next: 'covered' }, rejected: { label: 'abgelehnt', next: 'end' } },
      },
      covered: {
        title: 'Deckt die bewilligte Miete die Miete?',
        actor: { kind: 'compare', fact: 'cost-approval.approvedRent', op: 'gte', than: 'rent-offer.rent' },
        optional: false,
        fields: [],
        outcomes: { yes: { label: 'ja', next: 'end' }, no: { label: 'nein', next: 'gap' } },
      },
      gap: {
        title: 'Differenz',
        actor: { kind: 'caseworker' },
        optional: false,
        fields: [],
        outcomes: { done: { label: 'ok', next: 'end' } },
      },
    },
  };
  const state = initialChainState({ processId: 'p', caseId: 'c', definition: def, daySeconds: 0, assigneeId: 'u' });
  const engine = new ChainEngine(state, def, { now: () => Date.parse('2026-03-02T09:00:00Z'), daySeconds: 0, workflowId: 'w' });
  const answer = (e: Effect) =>
    e.kind === 'prepareHandoff'
      ? { taskId: 't-1', departmentId: 'jobcenter', ackDays: 2, completeDays: 5 }
      : e.kind === 'checkConsent'
        ? { departmentId: 'jobcenter', covered: true }
        : e.kind === 'patched'
          ? true
          : undefined;
  drive(engine.start(), answer);
  const effects = drive(
    engine.completeStep({ stepKey: 'rent-offer', outcome: 'received', data: { rent: 612.5 }, actor: { kind: 'user', userId: 'u' } }),
    answer,
  );
  const start = effects.find((e) => e.kind === 'startHandoff') as Extract<Effect, { kind: 'startHandoff' }>;
  expect(start.input.resultFields?.map((f) => f.key)).toEqual(['approvedRent', 'decidedOn']);
  const after = drive(
    engine.handoffEnded({
      taskId: 't-1',
      stepKey: 'cost-approval',
      status: 'completed',
      outcome: 'approved',
      data: { approvedRent: 550, decidedOn: '2026-11-30', note: 'Freitext der Stelle' },
    }),
    answer,
  );
  expect(state.facts).toEqual({ 'rent-offer.rent': 612.5, 'cost-approval.approvedRent': 550, 'cost-approval.decidedOn': '2026-11-30' });
  const completed = after.find((e) => e.kind === 'record' && e.record.event === 'step.completed') as Extract<Effect, { kind: 'record' }>;
  expect(completed.record.stepData).toEqual({ approvedRent: 550, decidedOn: '2026-11-30' }); // the note stays with the handoff
  expect(after.some((e) => e.kind === 'evaluateRule')).toBe(false); // decided from the facts, nothing asked outside
  expect(state.current?.key).toBe('gap');
  expect(state.done.map((s) => `${s.key}:${s.outcome}`)).toEqual(['rent-offer:received', 'cost-approval:approved', 'covered:no']);
});
