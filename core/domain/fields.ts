// zod fields shared by the records of the case file and the inventory: what a free text and a
// calendar day may be, with German messages naming the field. Control characters and lone UTF-16
// surrogates (which PostgreSQL refuses) are refused here, never stored.
import { z } from 'zod';

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const printable = (v: string) => !CONTROL.test(v) && !/[\ud800-\udfff]/.test(v.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));

/** Text that must be given: trimmed, not empty, at most `max` characters. */
export const requiredText = (label: string, max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? `${label} fehlt` : `${label} muss Text sein`) })
    .trim()
    .min(1, `${label} darf nicht leer sein`)
    .max(max, `${label} ist zu lang (höchstens ${max} Zeichen)`)
    .refine(printable, `${label} enthält ungültige Zeichen`);

/** Text that may be left out; an empty one counts as left out. */
export const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label} muss Text sein` })
    .trim()
    .max(max, `${label} ist zu lang (höchstens ${max} Zeichen)`)
    .refine(printable, `${label} enthält ungültige Zeichen`)
    .transform((v) => v || undefined)
    .optional();

/** A calendar day "YYYY-MM-DD" that exists, between 2000 and 2100 (a plan's, an offer's dates). */
export const calendarDay = (label: string) =>
  z
    .string({ error: (i) => (i.input === undefined ? `${label} fehlt` : `${label}: Datum im Format JJJJ-MM-TT erwartet`) })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}: Datum im Format JJJJ-MM-TT erwartet`)
    .refine((v) => {
      const d = new Date(v + 'T00:00:00Z');
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
    }, `${label}: kein gültiges Datum`)
    .refine((v) => v >= '2000-01-01' && v <= '2100-12-31', `${label}: Datum zwischen 2000 und 2100 erwartet`);
