// Zod schemas of the records a caseworker enters. One place for each: the JSON API, the HTML
// forms and the OpenAPI document all use these. Messages are German (zod's "de" locale + ours).
import { z } from 'zod';

z.config(z.locales.de());

export const BENEFIT_TYPES = ['asylblg', 'sgb2', 'sgb12', 'none'] as const;
export const CASE_TOPICS = ['housing', 'education_work', 'health'] as const;
export const CASE_STATUSES = ['open', 'in_progress', 'on_hold', 'closed'] as const;
export type CaseTopic = (typeof CASE_TOPICS)[number];
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** German names of fields, for error messages that name the field. */
export const FIELD_LABELS: Record<string, string> = {
  firstName: 'Vorname',
  lastName: 'Nachname',
  birthDate: 'Geburtsdatum',
  householdSize: 'Haushaltsgröße',
  shelterId: 'Unterkunft',
  benefitType: 'Leistungsart',
  personId: 'Person',
  topic: 'Thema',
  dueAt: 'Wiedervorlage am',
  note: 'Notiz',
  departments: 'Stellen',
  purpose: 'Zweck',
  givenAt: 'Erteilt am',
  email: 'E-Mail',
  password: 'Passwort',
  status: 'Status',
  reason: 'Begründung',
  closureCode: 'Abschlussgrund',
  cancelChains: 'Ketten abbrechen',
  idempotencyKey: 'Formularschlüssel',
  // case-management cycle (core/domain/case-cycle.ts)
  areas: 'Lebensbereiche',
  goals: 'Ziele',
  actions: 'Maßnahmen',
  reviewDate: 'Überprüfung am',
  ratings: 'Bewertungen',
  kind: 'Art',
  text: 'Text',
  at: 'Zeitpunkt',
  goalId: 'Ziel',
};

const text = (label: string) => z.string({ error: (iss) => (iss.input === undefined ? `${label} fehlt` : `${label} muss Text sein`) });
const name = (label: string) =>
  text(label)
    .trim()
    .min(1, `${label} darf nicht leer sein`)
    .max(100, `${label} ist zu lang (höchstens 100 Zeichen)`)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), `${label} enthält Steuerzeichen`);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT erwartet')
  .refine(
    (v) => !Number.isNaN(Date.parse(v + 'T00:00:00Z')) && new Date(v + 'T00:00:00Z').toISOString().startsWith(v),
    'kein gültiges Datum',
  );

export const personInput = z.strictObject({
  firstName: name('Vorname'),
  lastName: name('Nachname'),
  birthDate: isoDate
    .refine((v) => v >= '1900-01-01' && new Date(v) <= new Date(), 'Geburtsdatum muss zwischen 1900 und heute liegen')
    .optional(),
  householdSize: z
    .number()
    .int('Haushaltsgröße muss eine ganze Zahl sein')
    .min(1, 'Haushaltsgröße mindestens 1')
    .max(30, 'Haushaltsgröße höchstens 30')
    .optional(),
  shelterId: z.string().trim().min(1).max(64).optional(),
  benefitType: z.enum(BENEFIT_TYPES, { error: 'Leistungsart muss asylblg, sgb2, sgb12 oder none sein' }).default('none'),
});
export type PersonInput = z.infer<typeof personInput>;

export const caseInput = z.strictObject({
  personId: z.uuid({ error: 'Person fehlt oder ist ungültig' }),
  topic: z.enum(CASE_TOPICS, { error: 'Thema muss housing, education_work oder health sein' }),
});
export type CaseInput = z.infer<typeof caseInput>;

export const followUpInput = z.strictObject({
  dueAt: z.iso
    .datetime({ offset: true, error: 'Zeitpunkt im ISO-Format erwartet (z. B. 2026-12-03T09:00:00+01:00)' })
    .refine((v) => Date.parse(v) > Date.now() - 60_000, 'Wiedervorlage muss in der Zukunft liegen')
    .refine((v) => Date.parse(v) < Date.now() + 2 * 366 * 86_400_000, 'Wiedervorlage höchstens zwei Jahre im Voraus'),
  note: z.string().trim().max(500, 'Notiz ist zu lang (höchstens 500 Zeichen)').optional(),
});
export type FollowUpInput = z.infer<typeof followUpInput>;

/** Why a case was closed (API.md); labels in core/format/labels.ts. */
export const CLOSURE_CODES = ['goal_reached', 'own_flat', 'moved_away', 'handed_over', 'ended_by_person', 'deceased', 'other'] as const;
export type ClosureCode = (typeof CLOSURE_CODES)[number];

export const caseStatusInput = z
  .strictObject({
    status: z.enum(CASE_STATUSES, { error: 'Status muss open, in_progress, on_hold oder closed sein' }),
    reason: z
      .string()
      .trim()
      .max(500, 'Begründung ist zu lang (höchstens 500 Zeichen)')
      .refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v), 'Begründung enthält Steuerzeichen')
      .transform((v) => v || undefined)
      .optional(),
    closureCode: z.enum(CLOSURE_CODES, { error: `Abschlussgrund muss ${CLOSURE_CODES.join(', ')} sein` }).optional(),
    /** closing: confirms that the case's running chains are cancelled in the same step (issue 13) */
    cancelChains: z.boolean({ error: 'Ketten abbrechen: ja/nein erwartet' }).optional(),
  })
  .refine((v) => !v.closureCode || v.status === 'closed', {
    path: ['closureCode'],
    message: 'Abschlussgrund nur beim Abschließen (Status closed)',
  });
export type CaseStatusInput = z.infer<typeof caseStatusInput>;

export const consentInput = z.strictObject({
  departments: z
    .array(z.string().trim().min(1).max(64), { error: 'Stellen müssen eine Liste sein' })
    .min(1, 'mindestens eine Stelle angeben')
    .max(20),
  purpose: text('Zweck').trim().min(1, 'Zweck darf nicht leer sein').max(500),
  givenAt: z
    .union([isoDate, z.iso.datetime({ offset: true })], { error: 'Erteilt am: Datum erwartet' })
    .refine((v) => Date.parse(v) <= Date.now() + 60_000, 'Einwilligung kann nicht in der Zukunft erteilt sein'),
});
export type ConsentInput = z.infer<typeof consentInput>;

export const sessionInput = z.strictObject({
  email: text('E-Mail')
    .trim()
    .toLowerCase()
    .max(254)
    .pipe(z.email({ error: 'E-Mail ist ungültig' })),
  password: text('Passwort').min(1, 'Passwort fehlt').max(1024),
});

export const idParam = z.uuid();
