// Zod schemas of the inventory records (issue 15): partners, contacts, housing offers, landlord links,
// KdU rent caps, proposals. German messages naming the field; the JSON API, the landlord's form and
// the OpenAPI document all use these.
import { z } from 'zod';
import { calendarDay, optionalText, requiredText } from '../fields';
import { OFFER_ACTIONS } from './offer-lifecycle';

export const PARTNER_KINDS = [
  'landlord',
  'housing_company',
  'cooperative',
  'school',
  'course_provider',
  'training_provider',
  'counselling',
  'office',
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];
export const CONTACT_KINDS = ['meeting', 'phone', 'email', 'visit', 'other'] as const;

const email = (label: string) =>
  z
    .string({ error: `${label} muss Text sein` })
    .trim()
    .toLowerCase()
    .max(254, `${label} ist zu lang`)
    .pipe(z.email({ error: `${label} ist ungültig` }));
const amount = (label: string, max: number) =>
  z
    .number({ error: `${label}: Zahl erwartet` })
    .finite(`${label}: Zahl erwartet`)
    .min(0, `${label}: nicht negativ`)
    .max(max, `${label}: höchstens ${max}`);

export const partnerInput = z.strictObject({
  kind: z.enum(PARTNER_KINDS, { error: `Art muss ${PARTNER_KINDS.join(', ')} sein` }),
  name: requiredText('Name', 200),
  email: email('E-Mail').optional(),
  phone: optionalText('Telefon', 50),
  address: optionalText('Anschrift', 300),
  areas: z.array(requiredText('Gebiet', 100), { error: 'Gebiete müssen eine Liste sein' }).max(50, 'höchstens 50 Gebiete').default([]),
  contactPersons: z
    .array(
      z.strictObject({
        name: requiredText('Name der Kontaktperson', 200),
        role: optionalText('Funktion', 200),
        email: email('E-Mail der Kontaktperson').optional(),
        phone: optionalText('Telefon der Kontaktperson', 50),
      }),
      { error: 'Kontaktpersonen müssen eine Liste sein' },
    )
    .max(20, 'höchstens 20 Kontaktpersonen')
    .default([]),
  agreements: z
    .array(
      z
        .strictObject({
          title: requiredText('Vereinbarung', 200),
          from: calendarDay('Vereinbarung gültig ab'),
          until: calendarDay('Vereinbarung gültig bis').optional(),
        })
        .refine((a) => !a.until || a.until >= a.from, { path: ['until'], message: 'Vereinbarung: Ende vor Beginn' }),
      { error: 'Vereinbarungen müssen eine Liste sein' },
    )
    .max(20, 'höchstens 20 Vereinbarungen')
    .default([]),
  contactEveryDays: z
    .number({ error: 'Kontaktrhythmus: Zahl (Tage) erwartet' })
    .int('Kontaktrhythmus: ganze Tage')
    .min(1, 'Kontaktrhythmus: mindestens 1 Tag')
    .max(730, 'Kontaktrhythmus: höchstens 730 Tage')
    .optional(),
  responsibleId: z.uuid({ error: 'Zuständige/r ungültig' }).optional(),
});
export type PartnerInput = z.infer<typeof partnerInput>;

export const contactInput = z.strictObject({
  at: z.iso
    .datetime({ offset: true, error: 'Zeitpunkt im ISO-Format erwartet' })
    .or(calendarDay('Datum'))
    .refine((v) => Date.parse(v) <= Date.now() + 60_000, 'Kontakt kann nicht in der Zukunft liegen'),
  kind: z.enum(CONTACT_KINDS, { error: `Art des Kontakts muss ${CONTACT_KINDS.join(', ')} sein` }),
  topic: requiredText('Thema', 300),
  outcome: optionalText('Ergebnis', 2000),
});

/** The flat's facts, as a landlord or a caseworker enters them. */
export const housingOfferFields = {
  municipality: optionalText('Kommune', 100),
  district: requiredText('Stadtteil', 100),
  address: requiredText('Anschrift', 300),
  rooms: z
    .number({ error: 'Zimmer: Zahl erwartet' })
    .min(1, 'Zimmer: mindestens 1')
    .max(20, 'Zimmer: höchstens 20')
    .multipleOf(0.5, 'Zimmer: in halben Zimmern'),
  livingSpace: amount('Wohnfläche (m²)', 1000).min(10, 'Wohnfläche: mindestens 10 m²'),
  coldRent: amount('Kaltmiete (EUR)', 10_000),
  serviceCharges: amount('Nebenkosten (EUR)', 5_000),
  heating: amount('Heizkosten (EUR)', 5_000).optional(),
  availableFrom: calendarDay('Frei ab'),
  wbsRequired: z.boolean({ error: 'WBS erforderlich: ja oder nein' }),
  barrierFree: z.boolean({ error: 'Barrierefrei: ja oder nein' }).default(false),
  groundFloor: z.boolean({ error: 'Erdgeschoss: ja oder nein' }).default(false),
  pets: z.boolean({ error: 'Haustiere: ja oder nein' }).default(false),
  conditions: optionalText('Bedingungen des Vermieters', 2000),
};
export const housingOfferInput = z.strictObject({ partnerId: z.uuid({ error: 'Partner fehlt oder ist ungültig' }), ...housingOfferFields });
export const landlordOfferInput = z.strictObject(housingOfferFields);
export type HousingOfferFields = z.infer<typeof landlordOfferInput>;

export const offerLinkInput = z.strictObject({
  email: email('E-Mail').optional(),
  validDays: z
    .number({ error: 'Gültigkeit: Zahl (Tage) erwartet' })
    .int('Gültigkeit: ganze Tage')
    .min(1)
    .max(90, 'Gültigkeit: höchstens 90 Tage')
    .default(14),
});

export const proposeInput = z.strictObject({ processId: z.uuid({ error: 'Prozess fehlt oder ist ungültig' }) });

export const offerActionInput = z.strictObject({
  action: z.enum(OFFER_ACTIONS.filter((a) => a !== 'propose' && a !== 'expire') as ['viewing', 'let', 'declined', 'withdrawn', 'confirm'], {
    error: 'Aktion muss viewing, let, declined, withdrawn oder confirm sein',
  }),
  leaseDate: calendarDay('Mietbeginn').optional(),
  viewingDate: calendarDay('Besichtigung am').optional(),
});

export const DEFAULT_MUNICIPALITY = 'Bergisch Gladbach';

export const rentCapInput = z.strictObject({
  municipality: requiredText('Kommune', 100).default(DEFAULT_MUNICIPALITY),
  validFrom: calendarDay('Gültig ab'),
  caps: z
    .array(
      z.strictObject({
        householdSize: z.number({ error: 'Haushaltsgröße: Zahl erwartet' }).int('Haushaltsgröße: ganze Zahl').min(1).max(30),
        amount: amount('Mietobergrenze (EUR)', 10_000),
      }),
      { error: 'Grenzen müssen eine Liste sein' },
    )
    .min(1, 'mindestens eine Grenze angeben')
    .max(30)
    .refine((c) => new Set(c.map((x) => x.householdSize)).size === c.length, 'jede Haushaltsgröße nur einmal'),
});
