// Handoffs (Übergaben): a step of a case handed to a department. The step catalogue (title,
// allowed outcomes, the zod schema of the data a department returns, default deadlines) and the
// message types shared by the handoff workflow, its activities and the API. No Node imports.
import { z } from 'zod';

// The zod-free part (statuses, message types, the catalogue, the completion check) is in
// handoff-core.ts — the workflow bundle imports that one; everything there is re-exported here.
import { HANDOFF_STEP_SPECS, type HandoffDataField, type HandoffStepSpec } from './handoff-core';

export * from './handoff-core';

export interface HandoffStep extends HandoffStepSpec {
  data: z.ZodObject;
}

const note = z.string().trim().max(2000, 'Anmerkung ist zu lang (höchstens 2000 Zeichen)').optional();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT erwartet');
const euro = z.number({ error: 'Betrag muss eine Zahl sein' }).min(0, 'Betrag darf nicht negativ sein').max(100_000, 'Betrag ist zu hoch');

/** The zod schema of one returned field (the API's forms read its kind from it). */
function fieldSchema(f: HandoffDataField): z.ZodType {
  switch (f.kind) {
    case 'note':
      return note;
    case 'date':
      return date.optional();
    case 'amount':
      return euro.optional();
    case 'int':
      return z.number().int().min(f.min).max(f.max).optional();
    case 'text':
      return z.string().trim().max(f.max).optional();
  }
}

/** The handoff steps of the move-out chain (DESIGN.md §3.1) and a generic one, each with the zod
 *  schema of the data a department returns (built from its fields in handoff-core.ts). */
export const HANDOFF_STEPS: Record<string, HandoffStep> = Object.fromEntries(
  Object.entries(HANDOFF_STEP_SPECS).map(([key, spec]) => [
    key,
    { ...spec, data: z.strictObject(Object.fromEntries(Object.entries(spec.fields).map(([k, f]) => [k, fieldSchema(f)]))) },
  ]),
);

export const handoffStepKeys = Object.keys(HANDOFF_STEPS) as [string, ...string[]];

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
