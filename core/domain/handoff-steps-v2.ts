// Handoff steps added with the chains v2 content (issue 14): the move-out work after the cost approval
// (moving and flat-search costs, direct rent payment, change of address, school or Kita change), the
// integration course admission (BAMF) and the health chain (insurance, referral to counselling or
// therapy). Merged into HANDOFF_STEPS (handoff.ts); same shape, German labels, the zod schema of
// what the department returns.
import { z } from 'zod';
import type { HandoffStep } from './handoff';

const note = z.string().trim().max(2000, 'Anmerkung ist zu lang (höchstens 2000 Zeichen)').optional();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT erwartet');
const euro = z.number({ error: 'Betrag muss eine Zahl sein' }).min(0, 'Betrag darf nicht negativ sein').max(100_000, 'Betrag ist zu hoch');

export const CHAINS_V2_HANDOFF_STEPS: Record<string, HandoffStep> = {
  'moving-costs': {
    key: 'moving-costs',
    title: 'Umzugskosten und Kosten der Wohnungssuche (§ 22 Abs. 6 SGB II)',
    ackDays: 2,
    completeDays: 10,
    outcomes: { approved: 'bewilligt', rejected: 'abgelehnt' },
    data: z.strictObject({ note, amount: euro.optional() }),
  },
  'rent-direct-payment': {
    key: 'rent-direct-payment',
    title: 'Miete direkt an den Vermieter zahlen (§ 22 Abs. 7 SGB II)',
    ackDays: 2,
    completeDays: 10,
    outcomes: { arranged: 'Direktzahlung eingerichtet', rejected: 'abgelehnt' },
    data: z.strictObject({ note, from: date.optional() }),
  },
  'address-change': {
    key: 'address-change',
    title: 'Neue Anschrift mitteilen',
    ackDays: 2,
    completeDays: 10,
    outcomes: { noted: 'Anschrift geändert' },
    data: z.strictObject({ note }),
  },
  'school-change': {
    key: 'school-change',
    title: 'Schul- oder Kitawechsel der Kinder',
    ackDays: 3,
    completeDays: 15,
    outcomes: { arranged: 'neuer Schul- oder Kitaplatz', 'none-available': 'kein Platz frei' },
    data: z.strictObject({ note, school: z.string().trim().max(200).optional() }),
  },
  'integration-course-admission': {
    key: 'integration-course-admission',
    title: 'Zulassung zum Integrationskurs (§ 44 Abs. 4 AufenthG)',
    ackDays: 3,
    completeDays: 20,
    outcomes: { admitted: 'zugelassen', refused: 'nicht zugelassen' },
    data: z.strictObject({ note }),
  },
  'health-insurance': {
    key: 'health-insurance',
    title: 'Krankenversicherung / Gesundheitskarte',
    ackDays: 2,
    completeDays: 10,
    outcomes: { granted: 'Versicherungsschutz besteht', refused: 'abgelehnt' },
    data: z.strictObject({ note }),
  },
  'health-referral': {
    key: 'health-referral',
    title: 'Vermittlung in Beratung oder Therapie',
    ackDays: 3,
    completeDays: 20,
    outcomes: { accepted: 'Termin vereinbart', 'waiting-list': 'auf der Warteliste', 'not-possible': 'nicht möglich' },
    data: z.strictObject({ note, appointment: date.optional() }),
  },
};
