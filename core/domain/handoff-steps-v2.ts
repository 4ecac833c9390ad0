// Handoff steps added with the chains v2 content (issue 14): the move-out work after the cost approval
// (moving and flat-search costs, direct rent payment, change of address, school or Kita change), the
// integration course admission (BAMF) and the health chain (insurance, referral to counselling or
// therapy). Merged into HANDOFF_STEP_SPECS (handoff-core.ts); same shape, German labels, the fields of
// what the department returns (zod-free: the workflow bundle imports this).
import type { HandoffDataField, HandoffStepSpec } from './handoff-core';

const note: HandoffDataField = { kind: 'note' };
const date: HandoffDataField = { kind: 'date' };
const euro: HandoffDataField = { kind: 'amount' };

export const CHAINS_V2_HANDOFF_STEPS: Record<string, HandoffStepSpec> = {
  'moving-costs': {
    key: 'moving-costs',
    title: 'Umzugskosten und Kosten der Wohnungssuche (§ 22 Abs. 6 SGB II)',
    ackDays: 2,
    completeDays: 10,
    outcomes: { approved: 'bewilligt', rejected: 'abgelehnt' },
    fields: { note, amount: euro },
  },
  'rent-direct-payment': {
    key: 'rent-direct-payment',
    title: 'Miete direkt an den Vermieter zahlen (§ 22 Abs. 7 SGB II)',
    ackDays: 2,
    completeDays: 10,
    outcomes: { arranged: 'Direktzahlung eingerichtet', rejected: 'abgelehnt' },
    fields: { note, from: date },
  },
  'address-change': {
    key: 'address-change',
    title: 'Neue Anschrift mitteilen',
    ackDays: 2,
    completeDays: 10,
    outcomes: { noted: 'Anschrift geändert' },
    fields: { note },
  },
  'school-change': {
    key: 'school-change',
    title: 'Schul- oder Kitawechsel der Kinder',
    ackDays: 3,
    completeDays: 15,
    outcomes: { arranged: 'neuer Schul- oder Kitaplatz', 'none-available': 'kein Platz frei' },
    fields: { note, school: { kind: 'text', max: 200 } },
  },
  'integration-course-admission': {
    key: 'integration-course-admission',
    title: 'Zulassung zum Integrationskurs (§ 44 Abs. 4 AufenthG)',
    ackDays: 3,
    completeDays: 20,
    outcomes: { admitted: 'zugelassen', refused: 'nicht zugelassen' },
    fields: { note },
  },
  'health-insurance': {
    key: 'health-insurance',
    title: 'Krankenversicherung / Gesundheitskarte',
    ackDays: 2,
    completeDays: 10,
    outcomes: { granted: 'Versicherungsschutz besteht', refused: 'abgelehnt' },
    fields: { note },
  },
  'health-referral': {
    key: 'health-referral',
    title: 'Vermittlung in Beratung oder Therapie',
    ackDays: 3,
    completeDays: 20,
    outcomes: { accepted: 'Termin vereinbart', 'waiting-list': 'auf der Warteliste', 'not-possible': 'nicht möglich' },
    fields: { note, appointment: date },
  },
};
