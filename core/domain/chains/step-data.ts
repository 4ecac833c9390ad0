// A step's data checked against its field specs WITHOUT zod — what the chain workflow needs. Issue 17
// (P4): with reuseV8Context every cached workflow evaluates the workflow bundle's modules again, and
// zod alone is ≈2.5 MB of heap per evaluation; so the workflow bundle holds no zod (the rule
// `workflow-bundle-no-zod` in .dependency-cruiser-workflows.cjs keeps it out). The API keeps
// `stepDataSchema` (schema.ts, zod) for its 400s; this checker gives the same answer — the same data
// (text trimmed) or the same issues with the same German messages, in the same order
// (test/unit/step-data.test.ts compares both on a table of inputs).
import type { FieldSpec, StepDefinition } from './schema';

export interface DataIssue {
  path: string[];
  message: string;
}
export type DataCheck = { ok: true; data: Record<string, unknown> } | { ok: false; issues: DataIssue[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What zod calls the type of a value in its messages ("expected object, received array"). */
export function zodTypeName(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? 'number' : String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    const ctor = (v as { constructor?: { name?: string } }).constructor;
    if (proto !== Object.prototype && 'constructor' in (v as object) && ctor) return String(ctor.name);
  }
  return typeof v;
}

/** What zod's length checks see: the `length` of any value that is not null or undefined. */
export const lengthOf = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : (v as { length?: number }).length);

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A strict object of optional or required fields: each field's own check in the order of `fields`,
 * then one issue naming every key that is not a field. `check` answers the parsed value or messages.
 */
export function checkStrictObject(
  input: unknown,
  fields: ReadonlyArray<{ key: string; required: boolean; check: (v: unknown) => { value: unknown } | { messages: string[] } }>,
): DataCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: [], message: `Invalid input: expected object, received ${zodTypeName(input)}` }] };
  }
  const obj = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const issues: DataIssue[] = [];
  const known = new Set<string>();
  for (const f of fields) {
    known.add(f.key);
    const present = f.key in obj;
    const v = obj[f.key];
    if (v === undefined && !f.required) {
      if (present) out[f.key] = undefined;
      continue;
    }
    const r = f.check(v);
    if ('messages' in r) for (const message of r.messages) issues.push({ path: [f.key], message });
    else out[f.key] = r.value;
  }
  const unknown: string[] = [];
  for (const key in obj) if (!known.has(key)) unknown.push(key);
  if (unknown.length)
    issues.push({ path: [], message: `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => `"${k}"`).join(', ')}` });
  return issues.length ? { ok: false, issues } : { ok: true, data: out };
}

/** One field of a chain step (the rules of stepDataSchema in schema.ts). */
function fieldCheck(f: FieldSpec): (v: unknown) => { value: unknown } | { messages: string[] } {
  if (f.type === 'number') {
    return (v) => {
      if (!isNumber(v)) return { messages: [`${f.label}: Zahl erwartet`] };
      const messages: string[] = [];
      if (f.min !== undefined && !(v >= f.min)) messages.push(`${f.label}: mindestens ${f.min}`);
      if (f.max !== undefined && !(v <= f.max)) messages.push(`${f.label}: höchstens ${f.max}`);
      return messages.length ? { messages } : { value: v };
    };
  }
  if (f.type === 'date') {
    return (v) => {
      if (typeof v !== 'string') return { messages: [`${f.label}: Datum erwartet`] };
      return DATE.test(v) ? { value: v } : { messages: [`${f.label}: Datum im Format JJJJ-MM-TT`] };
    };
  }
  if (f.type === 'select') {
    const keys = Object.keys(f.options ?? {});
    return (v) => (typeof v === 'string' && keys.includes(v) ? { value: v } : { messages: [`${f.label}: bitte auswählen`] });
  }
  const max = f.type === 'textarea' ? 2000 : 200;
  return (v) => {
    const t = typeof v === 'string' ? v.trim() : v;
    const messages = typeof v === 'string' ? [] : [`${f.label}: Text erwartet`];
    const len = lengthOf(t); // zod checks the length of anything that has one, even after a wrong type
    if (len !== undefined && !(len >= 1)) messages.push(`${f.label}: darf nicht leer sein`);
    if (len !== undefined && !(len <= max)) messages.push(`${f.label}: zu lang`);
    return messages.length ? { messages } : { value: t };
  };
}

/** The data of a step checked against its field specs: the same answer as `stepDataSchema(step).safeParse`. */
export function checkStepData(step: Pick<StepDefinition, 'fields'>, data: unknown): DataCheck {
  return checkStrictObject(
    data,
    step.fields.map((f) => ({ key: f.key, required: f.required, check: fieldCheck(f) })),
  );
}
