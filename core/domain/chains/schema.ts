// A chain definition is data: steps, who acts, outcomes and where each leads, deadlines, waits and
// reminders, and the data fields of each step (which give both its zod schema and its form).
// Validated with zod; a definition is versioned and a running chain keeps its version.
import { z } from 'zod';
import { RESULT_FIELD_TYPES } from '../result-fields';

/** a typed field a department fills when completing a handoff (core/domain/result-fields.ts checks it without zod) */
export const resultFieldSpec = z.object({
  key: z.string().regex(/^[a-zA-Z]\w*$/, 'Feldname: nur Buchstaben, Ziffern und _ (beginnt mit einem Buchstaben)'),
  label: z.string().min(1),
  type: z.enum(RESULT_FIELD_TYPES, { error: `Typ eines Ergebnisfelds muss ${RESULT_FIELD_TYPES.join(', ')} sein` }),
  required: z.boolean().default(false),
});

export const fieldSpec = z.object({
  key: z.string().regex(/^[a-zA-Z][\w]*$/),
  label: z.string().min(1),
  type: z.enum(['text', 'textarea', 'date', 'number', 'select']),
  required: z.boolean().default(false),
  options: z.record(z.string(), z.string()).optional(), // for select: value → label
  min: z.number().optional(),
  max: z.number().optional(),
});
export type FieldSpec = z.infer<typeof fieldSpec>;

/** the automatic rules a `rule` step can ask (answers: validation.ts RULE_OUTCOMES; evaluated in activities/chain.ts) */
export const RULE_NAMES = ['isMinor', 'hasChildren'] as const;
/** a fact of the chain: `<step>.<field>` (a field of that step, or a result field its department filled) */
export const factRef = z.string().regex(/^[a-z0-9][\w-]*\.[a-zA-Z]\w*$/, 'Verweis auf einen Fakt: "schritt.feld"');
/** how a `compare` step compares a fact (dates compare as JJJJ-MM-TT) */
export const COMPARE_OPS = ['lt', 'lte', 'eq', 'gte', 'gt'] as const;

const endCodeKey = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/);
/** next: a step key, "end" (the chain ends, with `endCode`) or "join" (a parallel branch is done) */
const outcome = z.object({ label: z.string().min(1), next: z.string().min(1), endCode: endCodeKey.optional() });

const actor = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('caseworker') }),
  /** handed to a department; `department` fixed, or chosen by `byBenefit` (the person's benefit type) */
  z.object({
    kind: z.literal('handoff'),
    handoffStep: z.string(),
    department: z.string().optional(),
    byBenefit: z.record(z.enum(['asylblg', 'sgb2', 'sgb12', 'none']), z.string()).optional(),
    /** the handoff is due on the date in this field of an earlier step (e.g. the move-in date) */
    dueFromField: z.object({ step: z.string(), field: z.string() }).optional(),
  }),
  /** decided automatically from the case's records; the rule's answer is the outcome key */
  z.object({ kind: z.literal('rule'), rule: z.enum(RULE_NAMES) }),
  /**
   * decided from the chain's own facts (issue 14: results a department returned): `fact op than`
   * answers `yes`, otherwise (or when a fact is missing) `no`; e.g. approved rent ≥ the flat's rent.
   */
  z.object({
    kind: z.literal('compare'),
    fact: factRef,
    op: z.enum(COMPARE_OPS, { error: `Vergleich muss ${COMPARE_OPS.join(', ')} sein` }),
    than: z.union([z.number(), factRef]),
  }),
  /**
   * parallel branches: each named step starts a branch; a branch is done when an outcome leads to
   * "join". The fork step ends with its outcome `joined` when every branch is done — or at once with
   * `result` when a branch's step ends with the named `outcome` (the other branches are cancelled).
   */
  z.object({
    kind: z.literal('fork'),
    branches: z.array(z.string().min(1)).min(2),
    joinWhen: z.array(z.object({ step: z.string(), outcome: z.string(), result: z.string() })).default([]),
  }),
]);

export const stepDefinition = z.object({
  title: z.string().min(1),
  actor,
  /** working days to complete (caseworker steps); handoffs use their department's rules */
  deadlineDays: z.number().int().min(0).optional(),
  /** days to wait before the step becomes active (after-care check-ins, training phase) */
  waitDays: z.number().min(0).optional(),
  /** the wait (`waitDays`) counts from the date in this field of an earlier step (after-care from the
   *  move-in date), not from when the step was entered; a date already passed activates the step at once */
  waitFromField: z.object({ step: z.string(), field: z.string() }).optional(),
  /** repeated reminder to the caseworker while the step is open, every N days (offer: weekly) */
  remindEveryDays: z.number().positive().optional(),
  /** supervisor review after N days without outcome (offer: 3 months) */
  reviewAfterDays: z.number().positive().optional(),
  /** the caseworker may skip it */
  optional: z.boolean().default(false),
  /** an outcome is accepted only after a document was uploaded for this step (e.g. the signed lease) */
  requiresDocument: z.boolean().optional(),
  fields: z.array(fieldSpec).default([]),
  /** handoff steps: facts of earlier steps the department sees behind the link (`<step>.<field>`),
   *  only while a consent covers it — never in the e-mail */
  contextFacts: z.array(factRef).optional(),
  /** handoff steps: typed fields the department fills when completing; they become facts of the chain */
  results: z.array(resultFieldSpec).optional(),
  outcomes: z.record(z.string(), outcome).refine((o) => Object.keys(o).length > 0, 'mindestens ein Ergebnis'),
});
export type StepDefinition = z.infer<typeof stepDefinition>;

export const CHAIN_TYPES = ['move-out', 'education-work', 'health'] as const;
export type ChainType = (typeof CHAIN_TYPES)[number];

export const chainDefinition = z
  .object({
    type: z.enum(CHAIN_TYPES),
    version: z.number().int().positive(),
    title: z.string().min(1),
    start: z.string(),
    /** how a chain of this kind can end: code → German label (reports count by it) */
    endCodes: z.record(endCodeKey, z.string().min(1)).optional(),
    steps: z.record(z.string(), stepDefinition),
  })
  .superRefine((d, ctx) => {
    if (!d.steps[d.start]) ctx.addIssue({ code: 'custom', message: `Startschritt ${d.start} fehlt`, path: ['start'] });
    for (const [key, s] of Object.entries(d.steps)) {
      for (const [o, { next, endCode }] of Object.entries(s.outcomes)) {
        if (next !== 'end' && next !== 'join' && !d.steps[next])
          ctx.addIssue({ code: 'custom', message: `${key}.${o}: Folgeschritt ${next} fehlt`, path: ['steps', key, 'outcomes', o] });
        if (endCode && next !== 'end')
          ctx.addIssue({ code: 'custom', message: `${key}.${o}: Abschlusscode nur bei next "end"`, path: ['steps', key, 'outcomes', o] });
        if (endCode && !d.endCodes?.[endCode])
          ctx.addIssue({
            code: 'custom',
            message: `${key}.${o}: Abschlusscode ${endCode} fehlt in endCodes`,
            path: ['steps', key, 'outcomes', o],
          });
      }
      if (s.actor.kind === 'fork') {
        for (const b of s.actor.branches) {
          const bs = d.steps[b];
          if (!bs) ctx.addIssue({ code: 'custom', message: `${key}: Zweig ${b} fehlt`, path: ['steps', key, 'actor', 'branches'] });
          else if (bs.actor.kind === 'fork')
            ctx.addIssue({ code: 'custom', message: `${key}: Zweig ${b} darf nicht selbst verzweigen`, path: ['steps', key, 'actor'] });
        }
        for (const j of s.actor.joinWhen) {
          if (!d.steps[j.step]?.outcomes[j.outcome])
            ctx.addIssue({
              code: 'custom',
              message: `${key}: Ergebnis ${j.step}.${j.outcome} fehlt`,
              path: ['steps', key, 'actor', 'joinWhen'],
            });
          if (!s.outcomes[j.result])
            ctx.addIssue({ code: 'custom', message: `${key}: Ergebnis ${j.result} fehlt`, path: ['steps', key, 'actor', 'joinWhen'] });
        }
        if (!s.outcomes.joined)
          ctx.addIssue({
            code: 'custom',
            message: `${key}: Ergebnis "joined" (alle Zweige fertig) fehlt`,
            path: ['steps', key, 'outcomes'],
          });
      }
      if (s.actor.kind === 'handoff' && !s.actor.department && !s.actor.byBenefit) {
        ctx.addIssue({ code: 'custom', message: `${key}: Stelle oder byBenefit nötig`, path: ['steps', key, 'actor'] });
      }
    }
  });
export type ChainDefinition = z.infer<typeof chainDefinition>;

/** The zod schema of a step's data, built from its field specs (the same specs render the form). */
export function stepDataSchema(step: StepDefinition) {
  const shape: Record<string, z.ZodType> = {};
  for (const f of step.fields) {
    let s: z.ZodType;
    if (f.type === 'number') {
      let n = z.number({ error: `${f.label}: Zahl erwartet` });
      if (f.min !== undefined) n = n.min(f.min, `${f.label}: mindestens ${f.min}`);
      if (f.max !== undefined) n = n.max(f.max, `${f.label}: höchstens ${f.max}`);
      s = n;
    } else if (f.type === 'date') {
      s = z.string({ error: `${f.label}: Datum erwartet` }).regex(/^\d{4}-\d{2}-\d{2}$/, `${f.label}: Datum im Format JJJJ-MM-TT`);
    } else if (f.type === 'select') {
      s = z.enum(Object.keys(f.options ?? {}) as [string, ...string[]], { error: `${f.label}: bitte auswählen` });
    } else {
      s = z
        .string({ error: `${f.label}: Text erwartet` })
        .trim()
        .min(1, `${f.label}: darf nicht leer sein`)
        .max(f.type === 'textarea' ? 2000 : 200, `${f.label}: zu lang`);
    }
    shape[f.key] = f.required ? s : s.optional();
  }
  return z.strictObject(shape);
}
