// Typed result fields a department fills when it completes a handoff of a chain (issue 14: approved
// rent, deposit amount, decision date). Declared in the chain definition (`results` of a handoff step),
// validated by the handoff workflow with the step's own data, and kept as facts of the chain. Only
// amounts, numbers and dates — never free text, so facts may travel through workflow histories.
import { z } from 'zod';

export const RESULT_FIELD_TYPES = ['money', 'date', 'number'] as const;
export type ResultFieldType = (typeof RESULT_FIELD_TYPES)[number];

export const resultFieldSpec = z.object({
  key: z.string().regex(/^[a-zA-Z]\w*$/, 'Feldname: nur Buchstaben, Ziffern und _ (beginnt mit einem Buchstaben)'),
  label: z.string().min(1),
  type: z.enum(RESULT_FIELD_TYPES, { error: `Typ eines Ergebnisfelds muss ${RESULT_FIELD_TYPES.join(', ')} sein` }),
  required: z.boolean().default(false),
});
export type ResultField = z.infer<typeof resultFieldSpec>;

const MONEY_MAX = 1_000_000;

/** The zod shape of the result fields (merged into the handoff step's data schema). */
export function resultShape(fields: readonly ResultField[]): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) {
    let s: z.ZodType;
    if (f.type === 'money') {
      s = z
        .number({ error: `${f.label}: Betrag in Euro erwartet` })
        .min(0, `${f.label}: darf nicht negativ sein`)
        .max(MONEY_MAX, `${f.label}: höchstens ${MONEY_MAX.toLocaleString('de-DE')} EUR`)
        .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, `${f.label}: höchstens zwei Nachkommastellen`);
    } else if (f.type === 'number') {
      s = z
        .number({ error: `${f.label}: Zahl erwartet` })
        .min(-1e9, `${f.label}: zu klein`)
        .max(1e9, `${f.label}: zu groß`);
    } else {
      s = z
        .string({ error: `${f.label}: Datum erwartet` })
        .regex(/^\d{4}-\d{2}-\d{2}$/, `${f.label}: Datum im Format JJJJ-MM-TT`)
        .refine((v) => {
          const d = new Date(`${v}T00:00:00Z`);
          return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
        }, `${f.label}: kein gültiges Datum`);
    }
    shape[f.key] = f.required ? s : s.optional();
  }
  return shape;
}

/** A posted form value (German number format allowed: "1.234,56") → the value to validate. */
export function parseResultInput(f: ResultField, raw: string): unknown {
  const t = raw.trim();
  if (f.type === 'date') return t;
  const normal = t.includes(',') ? t.replace(/\./g, '').replace(',', '.') : t;
  const n = Number(normal.replace(/\s|€|EUR/gi, ''));
  return normal === '' || Number.isNaN(n) ? t : n;
}

/** A fact's value for people: amounts in euros, dates in German. */
export function formatFactValue(type: ResultFieldType | 'number' | 'date' | 'select' | string, v: unknown): string {
  if (type === 'money' && typeof v === 'number')
    return `${v.toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} EUR`;
  if (type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const [y, m, d] = v.split('-');
    return `${d}.${m}.${y}`;
  }
  if (typeof v === 'number') return v.toLocaleString('de-DE');
  return String(v);
}
