// Test definitions of a city's own chain variants, shared by the definition tests (definition-admin,
// definition-versions, engine): move-out v1 with an intake conversation before the readiness assessment.
import { moveOutV1 } from '../../core/domain/chains/move-out';
import type { ChainDefinition } from '../../core/domain/chains';

/** the city's own variant of move-out v1: an intake conversation (`intake`) first, then v1's steps */
export function moveOutWithIntake(title = 'Auszug (Variante mit Erstgespräch)'): Omit<ChainDefinition, 'version'> {
  const { version: _v, ...rest } = structuredClone(moveOutV1);
  return {
    ...rest,
    title,
    start: 'intake',
    steps: {
      intake: {
        title: 'Erstgespräch Auszug',
        actor: { kind: 'caseworker' },
        deadlineDays: 5,
        optional: false,
        fields: [],
        outcomes: { done: { label: 'geführt', next: 'readiness' } },
      },
      ...rest.steps,
    },
  };
}

/**
 * A city's own health chain with three parallel branches (issue 14: hold per branch, filters over every
 * open step, facts in the JSON, step order of a stored definition). Step ids are deliberately NOT in
 * alphabetical or length order — PostgreSQL's jsonb would list them differently from the definition.
 * - `mid-forms`: a caseworker step with a deadline (`deadlineDays`), optional (skippable)
 * - `alpha-doc`: a caseworker step with a daily periodic reminder (the clock the test waits on)
 * - `cost-office`: a handoff to the Jobcenter returning a typed result (approved rent)
 */
export function parallelHealthVariant(deadlineDays = 3): Omit<ChainDefinition, 'version'> {
  return {
    type: 'health',
    title: 'Gesundheit (Variante mit parallelen Zweigen)',
    start: 'zeta-intake',
    endCodes: { 'care-in-place': 'Versorgung gesichert', cancelled: 'abgebrochen' },
    steps: {
      'zeta-intake': {
        title: 'Erstgespräch Gesundheit',
        actor: { kind: 'caseworker' },
        deadlineDays: 5,
        optional: false,
        fields: [{ key: 'visitDate', label: 'Termin am', type: 'date', required: true }],
        outcomes: { done: { label: 'geführt', next: 'paths' } },
      },
      paths: {
        title: 'Formulare, Nachweise und Kosten (parallel)',
        actor: { kind: 'fork', branches: ['mid-forms', 'alpha-doc', 'cost-office'], joinWhen: [] },
        optional: false,
        fields: [],
        outcomes: { joined: { label: 'alles erledigt', next: 'beta-close' } },
      },
      'mid-forms': {
        title: 'Formulare ausfüllen',
        actor: { kind: 'caseworker' },
        deadlineDays,
        optional: true,
        fields: [],
        outcomes: { done: { label: 'ausgefüllt', next: 'join' } },
      },
      'alpha-doc': {
        title: 'Nachweise sammeln',
        actor: { kind: 'caseworker' },
        remindEveryDays: 1,
        optional: false,
        fields: [],
        outcomes: { done: { label: 'vollständig', next: 'join' } },
      },
      'cost-office': {
        title: 'Kostenübernahme beim Jobcenter',
        actor: { kind: 'handoff', handoffStep: 'cost-approval', department: 'jobcenter' },
        optional: false,
        fields: [],
        results: [{ key: 'approvedRent', label: 'Bewilligte Miete (EUR)', type: 'money', required: false }],
        outcomes: { approved: { label: 'bewilligt', next: 'join' }, rejected: { label: 'abgelehnt', next: 'join' } },
      },
      'beta-close': {
        title: 'Abschluss',
        actor: { kind: 'caseworker' },
        optional: false,
        fields: [],
        outcomes: { closed: { label: 'abgeschlossen', next: 'end', endCode: 'care-in-place' } },
      },
    },
  };
}
