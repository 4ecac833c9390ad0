// The person's file (issue 13): what a caseworker edits on a person, household members, shelter
// places — zod schemas shared by the JSON API, the forms and the OpenAPI document, and the pure rules
// (household size, ages). German messages that name the field.
import { z } from 'zod';
import { BENEFIT_TYPES } from './records';

export const GENDERS = ['female', 'male', 'diverse', 'unspecified'] as const;
export const RESIDENCE_TITLES = [
  'german',
  'eu',
  'settlement_permit',
  'residence_permit',
  'residence_permit_protection',
  'asylum_pending',
  'toleration',
  'other',
] as const;
export const PROSPECTS = ['good', 'unclear', 'low'] as const;
export const RELATIONSHIPS = ['partner', 'child', 'parent', 'sibling', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** German names of the new fields (merged into FIELD_LABELS' lookups by errors.ts through personFieldLabel) */
export const PERSON_FILE_LABELS: Record<string, string> = {
  version: 'Version',
  gender: 'Geschlecht',
  languages: 'Sprachen',
  letterLanguage: 'Sprache für Briefe',
  interpreterNeeded: 'Dolmetschung nötig',
  contact: 'Kontakt',
  residence: 'Aufenthalt',
  prospectOfStaying: 'Bleibeperspektive',
  relationship: 'Beziehung',
  capacity: 'Plätze',
  name: 'Name',
  address: 'Adresse',
  place: 'Platz',
  since: 'Seit',
};

const noControl = (v: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v);
const text = (label: string, max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? `${label} fehlt` : `${label} muss Text sein`) })
    .trim()
    .max(max, `${label} ist zu lang (höchstens ${max} Zeichen)`)
    .refine(noControl, `${label} enthält Steuerzeichen`);
const name = (label: string) => text(label, 100).pipe(z.string().min(1, `${label} darf nicht leer sein`));
const isoDate = (label: string) =>
  z
    .string({ error: `${label}: Datum im Format JJJJ-MM-TT erwartet` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}: Datum im Format JJJJ-MM-TT erwartet`)
    .refine(
      (v) => !Number.isNaN(Date.parse(v + 'T00:00:00Z')) && new Date(v + 'T00:00:00Z').toISOString().startsWith(v),
      `${label}: kein gültiges Datum`,
    );
const pastDate = (label: string) =>
  isoDate(label).refine(
    (v) => v >= '1900-01-01' && new Date(v + 'T00:00:00Z') <= new Date(),
    `${label} muss zwischen 1900 und heute liegen`,
  );
const lang = (label: string) =>
  z.string({ error: `${label}: Sprachcode erwartet` }).regex(/^[a-z]{2}$/, `${label}: ISO-639-1-Code erwartet (z. B. de, ar, uk)`);
/** null clears an optional field */
const clearable = <T extends z.ZodType>(t: T) => t.nullable().optional();

export const contactInput = z.strictObject({
  phone: clearable(
    text('Telefon', 40).refine((v) => v === '' || /^[+0-9 ()/-]{3,40}$/.test(v), 'Telefon: nur Ziffern, +, Leerzeichen, ( ) / -'),
  ),
  email: clearable(text('E-Mail', 254).refine((v) => v === '' || z.email().safeParse(v).success, 'E-Mail ist ungültig')),
  postalAddress: clearable(text('Postanschrift', 300)),
  careOfShelter: z.boolean({ error: 'c/o Unterkunft: ja/nein erwartet' }).optional(),
});

export const residenceInput = z.strictObject({
  title: clearable(z.enum(RESIDENCE_TITLES, { error: `Aufenthaltstitel muss ${RESIDENCE_TITLES.join(', ')} sein` })),
  validUntil: clearable(isoDate('Gültig bis')),
  obligation12a: z.boolean({ error: 'Wohnsitzauflage (§ 12a): ja/nein erwartet' }).optional(),
  obligation12aPlace: clearable(text('Ort der Wohnsitzauflage', 100)),
});

/** PATCH /api/persons/{id}: the version read, and any of the fields. */
export const personPatchInput = z
  .strictObject({
    version: z
      .number({ error: 'Version fehlt (aus GET /api/persons/{id})' })
      .int('Version: ganze Zahl erwartet')
      .min(1, 'Version: mindestens 1'),
    firstName: name('Vorname').optional(),
    lastName: name('Nachname').optional(),
    birthDate: clearable(pastDate('Geburtsdatum')),
    gender: clearable(z.enum(GENDERS, { error: `Geschlecht muss ${GENDERS.join(', ')} sein` })),
    languages: z
      .array(lang('Sprachen'), { error: 'Sprachen: Liste von Sprachcodes erwartet' })
      .max(10, 'Sprachen: höchstens 10')
      .optional(),
    letterLanguage: clearable(lang('Sprache für Briefe')),
    interpreterNeeded: z.boolean({ error: 'Dolmetschung nötig: ja/nein erwartet' }).optional(),
    contact: contactInput.optional(),
    residence: residenceInput.optional(),
    prospectOfStaying: clearable(z.enum(PROSPECTS, { error: `Bleibeperspektive muss ${PROSPECTS.join(', ')} sein` })),
    benefitType: z.enum(BENEFIT_TYPES, { error: 'Leistungsart muss asylblg, sgb2, sgb12 oder none sein' }).optional(),
  })
  .refine((v) => !v.residence?.obligation12a || v.residence.obligation12aPlace, {
    path: ['residence', 'obligation12aPlace'],
    message: 'Ort der Wohnsitzauflage fehlt (bei Wohnsitzauflage nach § 12a)',
  });
export type PersonPatch = z.infer<typeof personPatchInput>;

export const householdMemberInput = z.strictObject({
  firstName: name('Vorname'),
  lastName: name('Nachname'),
  birthDate: pastDate('Geburtsdatum'),
  relationship: z.enum(RELATIONSHIPS, { error: `Beziehung muss ${RELATIONSHIPS.join(', ')} sein` }),
});
export type HouseholdMemberInput = z.infer<typeof householdMemberInput>;

export const shelterInput = z.strictObject({
  name: name('Name'),
  address: text('Adresse', 300).optional(),
  capacity: z
    .number({ error: 'Plätze: Zahl erwartet' })
    .int('Plätze: ganze Zahl erwartet')
    .min(1, 'Plätze: mindestens 1')
    .max(2000, 'Plätze: höchstens 2000'),
});
export type ShelterInput = z.infer<typeof shelterInput>;

export const shelterPlaceInput = z.strictObject({
  shelterId: z.uuid({ error: 'Unterkunft fehlt oder ist ungültig' }),
  place: text('Platz', 40).optional(),
  since: pastDate('Seit').optional(),
});
export type ShelterPlaceInput = z.infer<typeof shelterPlaceInput>;

/** Age in full years on `on` (UTC dates). */
export function ageOn(birthDate: Date, on: Date): number {
  let age = on.getUTCFullYear() - birthDate.getUTCFullYear();
  const m = on.getUTCMonth() - birthDate.getUTCMonth();
  if (m < 0 || (m === 0 && on.getUTCDate() < birthDate.getUTCDate())) age--;
  return age;
}

/**
 * The household's size: the person plus the members still in the household. Without recorded members
 * the size typed at creation (legacy `householdSize`) stands, else 1 — never typed a second time.
 */
export function householdSize(legacy: number | null | undefined, members: Array<{ removedAt: Date | null }>): number {
  const current = members.filter((m) => !m.removedAt).length;
  return current ? current + 1 : (legacy ?? 1);
}
