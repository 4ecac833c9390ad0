// Typed result fields a department fills when it completes a handoff of a chain (issue 14: approved
// rent, deposit amount, decision date). Declared in the chain definition (`results` of a handoff step),
// validated by the handoff workflow with the step's own data, and kept as facts of the chain. Only
// amounts, numbers and dates — never free text, so facts may travel through workflow histories.
// Zod-free: the handoff workflow checks them (the workflow bundle holds no zod, issue 17 P4); the zod
// spec of a declared field is `resultFieldSpec` in chains/schema.ts.

export const RESULT_FIELD_TYPES = ['money', 'date', 'number'] as const;
export type ResultFieldType = (typeof RESULT_FIELD_TYPES)[number];

export interface ResultField {
  key: string;
  label: string;
  type: ResultFieldType;
  required: boolean;
}

const MONEY_MAX = 1_000_000;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The check of one result field: the value, or its German messages (naming the field's label). */
export function resultFieldCheck(f: ResultField): (v: unknown) => { value: unknown } | { messages: string[] } {
  if (f.type === 'money') {
    return (v) => {
      if (!isNumber(v)) return { messages: [`${f.label}: Betrag in Euro erwartet`] };
      const messages: string[] = [];
      if (v < 0) messages.push(`${f.label}: darf nicht negativ sein`);
      if (v > MONEY_MAX) messages.push(`${f.label}: höchstens ${MONEY_MAX.toLocaleString('de-DE')} EUR`);
      if (Math.abs(Math.round(v * 100) - v * 100) >= 1e-6) messages.push(`${f.label}: höchstens zwei Nachkommastellen`);
      return messages.length ? { messages } : { value: v };
    };
  }
  if (f.type === 'number') {
    return (v) => {
      if (!isNumber(v)) return { messages: [`${f.label}: Zahl erwartet`] };
      if (v < -1e9) return { messages: [`${f.label}: zu klein`] };
      if (v > 1e9) return { messages: [`${f.label}: zu groß`] };
      return { value: v };
    };
  }
  return (v) => {
    if (typeof v !== 'string') return { messages: [`${f.label}: Datum erwartet`] };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return { messages: [`${f.label}: Datum im Format JJJJ-MM-TT`] };
    const d = new Date(`${v}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) return { messages: [`${f.label}: kein gültiges Datum`] };
    return { value: v };
  };
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
