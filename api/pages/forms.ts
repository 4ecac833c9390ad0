// Turning form posts into the API's input objects, and zod errors into per-field German messages.
import type { z } from 'zod';
import { zodDetails } from '../errors';

/** Form values are strings: empty means "not given"; named fields become numbers. */
export function formValues(body: Record<string, unknown>, numbers: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body ?? {})) {
    if (k.startsWith('_')) continue;
    if (typeof v !== 'string') continue;
    const t = v.trim();
    if (t === '') continue;
    out[k] = numbers.includes(k) && /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
  }
  return out;
}

export type FieldErrors = Record<string, string>;

export function validateForm<S extends z.ZodType>(
  schema: S,
  values: Record<string, unknown>,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const r = schema.safeParse(values);
  if (r.success) return { ok: true, data: r.data };
  const errors: FieldErrors = {};
  for (const d of zodDetails(r.error)) {
    const f = d.field.split('.')[0];
    errors[f] ??= d.message;
  }
  return { ok: false, errors };
}
