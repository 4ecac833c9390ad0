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

export function validateForm<S extends z.ZodType>(schema: S, values: Record<string, unknown>):
  { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const r = schema.safeParse(values);
  if (r.success) return { ok: true, data: r.data };
  const errors: FieldErrors = {};
  for (const d of zodDetails(r.error)) {
    const f = d.field.split('.')[0];
    errors[f] ??= d.message;
  }
  return { ok: false, errors };
}

/** A local date-time input (Europe/Berlin, "YYYY-MM-DDTHH:mm" with optional seconds) → ISO instant. */
export function berlinLocalToIso(local: string): string | undefined {
  const m = local.match(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/);
  if (!m) return undefined;
  const asUtc = new Date(`${m[1]}T${m[2]}${m[3] ?? ':00'}Z`);
  if (Number.isNaN(asUtc.getTime()) || !asUtc.toISOString().startsWith(m[1])) return undefined; // e.g. 2026-02-30
  // The offset at the wall-clock time read as UTC can be the wrong one for the hours around a DST switch;
  // the offset at the first guess is right (a wall-clock time skipped in spring maps to one hour later).
  const guess = asUtc.getTime() - berlinOffsetMinutes(asUtc) * 60_000;
  return new Date(asUtc.getTime() - berlinOffsetMinutes(new Date(guess)) * 60_000).toISOString();
}

function berlinOffsetMinutes(at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'shortOffset' }).formatToParts(at);
  const tz = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+1';
  const m = tz.match(/GMT([+-]\d+)(?::(\d+))?/);
  return m ? Number(m[1]) * 60 + Math.sign(Number(m[1])) * Number(m[2] ?? 0) : 60;
}
