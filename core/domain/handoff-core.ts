// The zod-free core of handoffs (Übergaben): statuses, the message types shared by the handoff
// workflow, its activities and the API, the step catalogue (title, outcomes, default deadlines, the
// fields of the data a department returns) and the completion check. The workflow bundle imports this,
// never handoff.ts: with reuseV8Context every cached workflow evaluates its modules again, and zod would
// cost ≈2.5 MB per workflow (issue 17, P4). handoff.ts builds the zod schemas of the API from the same
// field list and re-exports everything here. No Node imports.
import { checkStrictObject, lengthOf, zodTypeName } from './chains/step-data';
import { CHAINS_V2_HANDOFF_STEPS } from './handoff-steps-v2';
import { resultFieldCheck, type ResultField } from './result-fields';

export const TASK_STATUSES = ['created', 'notified', 'accepted', 'declined', 'completed', 'forwarded', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const OPEN_TASK_STATUSES: TaskStatus[] = ['created', 'notified', 'accepted', 'forwarded'];

/** A field of the data a department returns (each may be left out). */
export type HandoffDataField =
  | { kind: 'note' } // free text, trimmed, at most 2000 characters
  | { kind: 'date' } // YYYY-MM-DD
  | { kind: 'amount' } // euro, 0 … 100,000
  | { kind: 'int'; min: number; max: number }
  | { kind: 'text'; max: number }; // trimmed

export interface HandoffStepSpec {
  key: string;
  title: string;
  /** working days to acknowledge / to complete after acceptance (defaults; DeadlineRule overrides) */
  ackDays: number;
  completeDays: number;
  outcomes: Record<string, string>; // key → German label
  /** the fields of the returned data, in their order */
  fields: Record<string, HandoffDataField>;
}

const note: HandoffDataField = { kind: 'note' };
const date: HandoffDataField = { kind: 'date' };
const euro: HandoffDataField = { kind: 'amount' };

/** The handoff steps of the move-out chain (DESIGN.md §3.1) and a generic one. */
export const HANDOFF_STEP_SPECS: Record<string, HandoffStepSpec> = {
  'residence-check': {
    key: 'residence-check',
    title: 'Aufenthaltsstatus / Wohnsitzauflage prüfen',
    ackDays: 2,
    completeDays: 10,
    outcomes: { clear: 'keine Wohnsitzauflage', 'obligation-lifted': 'Auflage aufgehoben', blocked: 'Auflage steht dem Umzug entgegen' },
    fields: { note, validUntil: date },
  },
  wbs: {
    key: 'wbs',
    title: 'Wohnberechtigungsschein',
    ackDays: 2,
    completeDays: 15,
    outcomes: { issued: 'erteilt', rejected: 'abgelehnt' },
    fields: { note, validUntil: date, rooms: { kind: 'int', min: 1, max: 10 } },
  },
  'cost-approval': {
    key: 'cost-approval',
    title: 'Mietübernahme',
    ackDays: 3,
    completeDays: 5,
    outcomes: { approved: 'bewilligt', rejected: 'abgelehnt' },
    fields: { note, approvedRent: euro },
  },
  deposit: {
    key: 'deposit',
    title: 'Kautions-/Genossenschaftsdarlehen',
    ackDays: 2,
    completeDays: 5,
    outcomes: { approved: 'bewilligt', rejected: 'abgelehnt' },
    fields: { note, amount: euro },
  },
  furnishing: {
    key: 'furnishing',
    title: 'Erstausstattung',
    ackDays: 2,
    completeDays: 10,
    outcomes: { approved: 'bewilligt', rejected: 'abgelehnt' },
    fields: { note, amount: euro },
  },
  'shelter-release': {
    key: 'shelter-release',
    title: 'Platz in der Notunterkunft freigeben',
    ackDays: 2,
    completeDays: 5,
    outcomes: { released: 'freigegeben' },
    fields: { note, releasedOn: date },
  },
  'residence-application': {
    key: 'residence-application',
    title: 'Antrag auf Aufhebung der Wohnsitzauflage (§ 12a AufenthG)',
    ackDays: 2,
    completeDays: 20,
    outcomes: { lifted: 'Auflage aufgehoben', refused: 'Antrag abgelehnt' },
    fields: { note },
  },
  recognition: {
    key: 'recognition',
    title: 'Anerkennungsberatung',
    ackDays: 3,
    completeDays: 20,
    outcomes: { recognised: 'anerkannt', partial: 'teilweise anerkannt', 'not-recognised': 'nicht anerkannt' },
    fields: { note },
  },
  counselling: {
    key: 'counselling',
    title: 'Beratung Jobcenter / Agentur für Arbeit',
    ackDays: 3,
    completeDays: 15,
    outcomes: { done: 'beraten', 'not-reached': 'nicht erreicht' },
    fields: { note },
  },
  'school-place': {
    key: 'school-place',
    title: 'Schulplatz',
    ackDays: 3,
    completeDays: 15,
    outcomes: { assigned: 'Schulplatz zugewiesen', 'none-available': 'kein Platz frei' },
    fields: { note, school: { kind: 'text', max: 200 } },
  },
  measure: {
    key: 'measure',
    title: 'Maßnahme beim Bildungsträger',
    ackDays: 3,
    completeDays: 20,
    outcomes: { finished: 'abgeschlossen', 'dropped-out': 'abgebrochen' },
    fields: { note, startDate: date, endDate: date },
  },
  general: {
    key: 'general',
    title: 'Allgemeine Übergabe',
    ackDays: 2,
    completeDays: 10,
    outcomes: { done: 'erledigt', 'not-possible': 'nicht möglich' },
    fields: { note },
  },
  ...CHAINS_V2_HANDOFF_STEPS, // chains v2 content (issue 14)
};

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

const typeError = (expected: string, v: unknown) => `Invalid input: expected ${expected}, received ${zodTypeName(v)}`;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** zod's default message of a length above the maximum (it names arrays and strings by their kind). */
const tooBig = (v: unknown, max: number) =>
  typeof v === 'string'
    ? `Too big: expected string to have <=${max} characters`
    : Array.isArray(v)
      ? `Too big: expected array to have <=${max} items`
      : `Too big: expected unknown to be <=${max}`;

/** One field's check — the rules (and messages) of the zod schemas handoff.ts builds from it. */
function handoffFieldCheck(f: HandoffDataField): (v: unknown) => { value: unknown } | { messages: string[] } {
  switch (f.kind) {
    case 'note':
    case 'text': {
      const max = f.kind === 'note' ? 2000 : f.max;
      const tooLong = 'Anmerkung ist zu lang (höchstens 2000 Zeichen)';
      return (v) => {
        const t = typeof v === 'string' ? v.trim() : v;
        const messages = typeof v === 'string' ? [] : [typeError('string', v)];
        const len = lengthOf(t); // zod checks the length of anything that has one, even after a wrong type
        if (len !== undefined && !(len <= max)) messages.push(f.kind === 'note' ? tooLong : tooBig(t, max));
        return messages.length ? { messages } : { value: t };
      };
    }
    case 'date':
      return (v) => {
        if (typeof v !== 'string') return { messages: [typeError('string', v)] };
        return /^\d{4}-\d{2}-\d{2}$/.test(v) ? { value: v } : { messages: ['Datum im Format JJJJ-MM-TT erwartet'] };
      };
    case 'amount':
      return (v) => {
        if (!isNumber(v)) return { messages: ['Betrag muss eine Zahl sein'] };
        if (v < 0) return { messages: ['Betrag darf nicht negativ sein'] };
        if (v > 100_000) return { messages: ['Betrag ist zu hoch'] };
        return { value: v };
      };
    case 'int':
      return (v) => {
        if (!isNumber(v)) return { messages: [typeError('number', v)] };
        if (!Number.isInteger(v)) return { messages: ['Invalid input: expected int, received number'] };
        const messages: string[] = [];
        if (v > Number.MAX_SAFE_INTEGER) messages.push(`Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`);
        if (v < -Number.MAX_SAFE_INTEGER) messages.push(`Too small: expected int to be >=${-Number.MAX_SAFE_INTEGER}`);
        if (v < f.min) messages.push(`Too small: expected number to be >=${f.min}`);
        if (v > f.max) messages.push(`Too big: expected number to be <=${f.max}`);
        return messages.length ? { messages } : { value: v };
      };
  }
}

/** A department's data checked against the step's fields (each may be left out). */
export function checkHandoffData(step: Pick<HandoffStepSpec, 'fields'>, data: unknown, resultFields: readonly ResultField[] = []) {
  // a declared result field replaces a returned field of the same name (e.g. the deposit's amount)
  const own = Object.entries(step.fields).filter(([key]) => !resultFields.some((r) => r.key === key));
  return checkStrictObject(data, [
    ...own.map(([key, f]) => ({ key, required: false, check: handoffFieldCheck(f) })),
    ...resultFields.map((r) => ({ key: r.key, required: r.required, check: resultFieldCheck(r) })),
  ]);
}

/** Validates a completion against the step: outcome allowed, data matches its fields (the same answer
 *  as the zod schema `HANDOFF_STEPS[key].data` of handoff.ts; test/unit/step-data.test.ts). */
export function checkCompletion(
  stepKey: string,
  outcome: string,
  data: unknown,
  resultFields?: readonly ResultField[],
): { ok: true; data: Record<string, unknown> } | { ok: false; message: string; details: Array<{ field: string; message: string }> } {
  const step = HANDOFF_STEP_SPECS[stepKey];
  if (!step) return { ok: false, message: `Unbekannter Schritt ${stepKey}.`, details: [] };
  if (!(outcome in step.outcomes)) {
    return {
      ok: false,
      message: `Ergebnis „${outcome}“ ist für „${step.title}“ nicht erlaubt (erlaubt: ${Object.keys(step.outcomes).join(', ')}).`,
      details: [{ field: 'outcome', message: 'Ergebnis nicht erlaubt' }],
    };
  }
  const r = checkHandoffData(step, data ?? {}, resultFields);
  if (!r.ok) {
    const details = r.issues.map((i) => ({ field: ['data', ...i.path].join('.'), message: i.message }));
    return { ok: false, message: `Ungültige Daten: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details };
  }
  return { ok: true, data: r.data };
}
