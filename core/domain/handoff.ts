// Handoffs (Übergaben): a step of a case handed to a department. The step catalogue (title,
// allowed outcomes, the zod schema of the data a department returns, default deadlines) and the
// message types shared by the handoff workflow, its activities and the API. No Node imports.
import { z } from 'zod';
import { resultShape, type ResultField } from './result-fields';

export const TASK_STATUSES = ['created', 'notified', 'accepted', 'declined', 'completed', 'forwarded', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const OPEN_TASK_STATUSES: TaskStatus[] = ['created', 'notified', 'accepted', 'forwarded'];

export interface HandoffStep {
  key: string;
  title: string;
  /** working days to acknowledge / to complete after acceptance (defaults; DeadlineRule overrides) */
  ackDays: number;
  completeDays: number;
  outcomes: Record<string, string>; // key → German label
  data: z.ZodObject;
}

const note = z.string().trim().max(2000, 'Anmerkung ist zu lang (höchstens 2000 Zeichen)').optional();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT erwartet');
const euro = z.number({ error: 'Betrag muss eine Zahl sein' }).min(0, 'Betrag darf nicht negativ sein').max(100_000, 'Betrag ist zu hoch');

/** The handoff steps of the move-out chain (DESIGN.md §3.1) and a generic one. */
export const HANDOFF_STEPS: Record<string, HandoffStep> = {
  'residence-check': {
    key: 'residence-check',
    title: 'Aufenthaltsstatus / Wohnsitzauflage prüfen',
    ackDays: 2,
    completeDays: 10,
    outcomes: { clear: 'keine Wohnsitzauflage', 'obligation-lifted': 'Auflage aufgehoben', blocked: 'Auflage steht dem Umzug entgegen' },
    data: z.strictObject({ note, validUntil: date.optional() }),
  },
  wbs: {
    key: 'wbs',
    title: 'Wohnberechtigungsschein',
    ackDays: 2,
    completeDays: 15,
    outcomes: { issued: 'erteilt', rejected: 'abgelehnt' },
    data: z.strictObject({ note, validUntil: date.optional(), rooms: z.number().int().min(1).max(10).optional() }),
  },
  'cost-approval': {
    key: 'cost-approval',
    title: 'Mietübernahme',
    ackDays: 3,
    completeDays: 5,
    outcomes: { approved: 'bewilligt', rejected: 'abgelehnt' },
    data: z.strictObject({ note, approvedRent: euro.optional() }),
  },
  deposit: {
    key: 'deposit',
    title: 'Kautions-/Genossenschaftsdarlehen',
    ackDays: 2,
    completeDays: 5,
    outcomes: { approved: 'bewilligt', rejected: 'abgelehnt' },
    data: z.strictObject({ note, amount: euro.optional() }),
  },
  furnishing: {
    key: 'furnishing',
    title: 'Erstausstattung',
    ackDays: 2,
    completeDays: 10,
    outcomes: { approved: 'bewilligt', rejected: 'abgelehnt' },
    data: z.strictObject({ note, amount: euro.optional() }),
  },
  'shelter-release': {
    key: 'shelter-release',
    title: 'Platz in der Notunterkunft freigeben',
    ackDays: 2,
    completeDays: 5,
    outcomes: { released: 'freigegeben' },
    data: z.strictObject({ note, releasedOn: date.optional() }),
  },
  'residence-application': {
    key: 'residence-application',
    title: 'Antrag auf Aufhebung der Wohnsitzauflage (§ 12a AufenthG)',
    ackDays: 2,
    completeDays: 20,
    outcomes: { lifted: 'Auflage aufgehoben', refused: 'Antrag abgelehnt' },
    data: z.strictObject({ note }),
  },
  recognition: {
    key: 'recognition',
    title: 'Anerkennungsberatung',
    ackDays: 3,
    completeDays: 20,
    outcomes: { recognised: 'anerkannt', partial: 'teilweise anerkannt', 'not-recognised': 'nicht anerkannt' },
    data: z.strictObject({ note }),
  },
  counselling: {
    key: 'counselling',
    title: 'Beratung Jobcenter / Agentur für Arbeit',
    ackDays: 3,
    completeDays: 15,
    outcomes: { done: 'beraten', 'not-reached': 'nicht erreicht' },
    data: z.strictObject({ note }),
  },
  'school-place': {
    key: 'school-place',
    title: 'Schulplatz',
    ackDays: 3,
    completeDays: 15,
    outcomes: { assigned: 'Schulplatz zugewiesen', 'none-available': 'kein Platz frei' },
    data: z.strictObject({ note, school: z.string().trim().max(200).optional() }),
  },
  measure: {
    key: 'measure',
    title: 'Maßnahme beim Bildungsträger',
    ackDays: 3,
    completeDays: 20,
    outcomes: { finished: 'abgeschlossen', 'dropped-out': 'abgebrochen' },
    data: z.strictObject({ note, startDate: date.optional(), endDate: date.optional() }),
  },
  general: {
    key: 'general',
    title: 'Allgemeine Übergabe',
    ackDays: 2,
    completeDays: 10,
    outcomes: { done: 'erledigt', 'not-possible': 'nicht möglich' },
    data: z.strictObject({ note }),
  },
};

export const handoffStepKeys = Object.keys(HANDOFF_STEPS) as [string, ...string[]];

/** Start parameters of a handoff workflow: IDs, keys and numbers only. */
export interface HandoffInput {
  taskId: string;
  caseId: string;
  stepKey: string;
  departmentId: string;
  ackDays: number;
  completeDays: number;
  /** >0: one working day lasts this many seconds (tests, demos); 0: real working days */
  workingDaySeconds: number;
  /** workflow to signal with the result (a chain, or the case) */
  parentWorkflowId?: string;
  /** a fixed completion deadline (e.g. the move-in date) instead of completeDays */
  dueAt?: string;
  /** typed fields the department fills when completing (the chain step's `results`; amounts and dates only) */
  resultFields?: ResultField[];
}

export interface HandoffActor {
  kind: 'user' | 'link' | 'system';
  userId?: string;
  departmentId?: string | null; // the acting user's department (checked by the validators)
  recipient?: string; // the mail address a link was sent to
}

export type HandoffAction =
  | { action: 'accept'; actor: HandoffActor }
  | { action: 'decline'; actor: HandoffActor; reason: string }
  | { action: 'complete'; actor: HandoffActor; outcome: string; data?: Record<string, unknown> }
  | { action: 'forward'; actor: HandoffActor; departmentId: string; reason: string }
  | { action: 'cancel'; actor: HandoffActor; reason: string };

export interface HandoffState {
  taskId: string;
  caseId: string;
  stepKey: string;
  departmentId: string;
  status: TaskStatus;
  ackDueAt?: string;
  dueAt?: string;
  overdue: boolean;
  reminders: number;
  escalated: boolean;
  outcome?: string;
  data?: Record<string, unknown>;
  reason?: string;
  seq: number; // number of recorded events
  /** from the input: the chain step's typed result fields */
  resultFields?: ResultField[];
}

export interface HandoffResult {
  taskId: string;
  stepKey: string;
  status: 'completed' | 'declined' | 'cancelled';
  outcome?: string;
  data?: Record<string, unknown>;
  reason?: string;
}

export const handoffWorkflowId = (taskId: string) => `handoff-${taskId}`;

// --- request bodies (API and forms) ---------------------------------------------------------
const reason = z
  .string({ error: (i) => (i.input === undefined ? 'Begründung fehlt' : 'Begründung muss Text sein') })
  .trim()
  .min(3, 'Begründung: bitte mindestens 3 Zeichen')
  .max(1000, 'Begründung ist zu lang (höchstens 1000 Zeichen)');

export const declineBody = z.strictObject({ reason });
export const forwardBody = z.strictObject({
  department: z.string({ error: 'Stelle fehlt' }).trim().min(1, 'Stelle fehlt').max(64),
  reason,
});
export const completeBody = z.strictObject({
  outcome: z.string({ error: 'Ergebnis fehlt' }).trim().min(1, 'Ergebnis fehlt').max(64),
  data: z.record(z.string(), z.unknown(), { error: 'Daten müssen ein Objekt sein' }).optional(),
});
export const cancelBody = z.strictObject({ reason });
export const createHandoffBody = z.strictObject({
  step: z.enum(handoffStepKeys, { error: `Schritt muss einer von ${handoffStepKeys.join(', ')} sein` }),
  department: z.string({ error: 'Stelle fehlt' }).trim().min(1, 'Stelle fehlt').max(64),
});
export const deadlineRuleBody = z.strictObject({
  department: z.string().trim().min(1).max(64).nullable().default(null),
  step: z.string().trim().min(1).max(64).nullable().default(null),
  ackDays: z.number({ error: 'Tage müssen eine Zahl sein' }).int('ganze Tage').min(0).max(60),
  completeDays: z.number({ error: 'Tage müssen eine Zahl sein' }).int('ganze Tage').min(0).max(250),
});

/** Validates a completion against the step: outcome allowed, data matches its schema. */
export function checkCompletion(
  stepKey: string,
  outcome: string,
  data: unknown,
  resultFields?: readonly ResultField[],
): { ok: true; data: Record<string, unknown> } | { ok: false; message: string; details: Array<{ field: string; message: string }> } {
  const step = HANDOFF_STEPS[stepKey];
  if (!step) return { ok: false, message: `Unbekannter Schritt ${stepKey}.`, details: [] };
  if (!(outcome in step.outcomes)) {
    return {
      ok: false,
      message: `Ergebnis „${outcome}“ ist für „${step.title}“ nicht erlaubt (erlaubt: ${Object.keys(step.outcomes).join(', ')}).`,
      details: [{ field: 'outcome', message: 'Ergebnis nicht erlaubt' }],
    };
  }
  const schema = resultFields?.length ? step.data.extend(resultShape(resultFields)) : step.data;
  const r = schema.safeParse(data ?? {});
  if (!r.success) {
    const details = r.error.issues.map((i) => ({ field: ['data', ...i.path.map(String)].join('.'), message: i.message }));
    return { ok: false, message: `Ungültige Daten: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details };
  }
  return { ok: true, data: r.data as Record<string, unknown> };
}
