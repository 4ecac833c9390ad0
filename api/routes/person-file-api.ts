// JSON API of the person's file (API.md "Case file"): read and edit a person (optimistic concurrency),
// household members.
import { z } from 'zod';
import {
  GENDERS,
  householdMemberInput,
  personPatchInput,
  PROSPECTS,
  RELATIONSHIPS,
  RESIDENCE_TITLES,
  ageOn,
} from '../../core/domain/person-file';
import { BENEFIT_TYPES } from '../../core/domain/records';
import { actorOf } from '../auth';
import { notFound } from '../errors';
import type { JsonApi } from '../json-route';
import type { AppDeps } from '../deps';
import { idempotencyKeyHeader } from '../submission';
import {
  addHouseholdMember,
  listHouseholdMembers,
  patchPerson,
  readPersonFile,
  removeHouseholdMember,
  STALE_PERSON_MESSAGE,
  type PersonFile,
} from '../services/person-file';

const uuid = z.uuid();
const checkId = (id: string, what = 'Person') => {
  if (!uuid.safeParse(id).success) throw notFound(what);
  return id;
};
const isoDay = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

const member = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: z.string(),
  age: z.number(),
  relationship: z.enum(RELATIONSHIPS),
});

export const personFileResponse = z.object({
  id: z.string(),
  version: z.number().describe('für PATCH mitsenden (optimistische Sperre)'),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: z.string().optional(),
  householdSize: z.number().describe('aus den Haushaltsmitgliedern abgeleitet (Person + Mitglieder)'),
  shelterId: z.string().optional(),
  benefitType: z.enum(BENEFIT_TYPES),
  gender: z.enum(GENDERS).nullable(),
  languages: z.array(z.string()),
  letterLanguage: z.string().nullable(),
  interpreterNeeded: z.boolean(),
  contact: z.object({
    phone: z.string().nullable(),
    email: z.string().nullable(),
    postalAddress: z.string().nullable(),
    careOfShelter: z.boolean(),
  }),
  residence: z.object({
    title: z.enum(RESIDENCE_TITLES).nullable(),
    validUntil: z.string().nullable(),
    obligation12a: z.boolean(),
    obligation12aPlace: z.string().nullable(),
  }),
  prospectOfStaying: z.enum(PROSPECTS).nullable(),
  householdMembers: z.array(member),
  shelterPlace: z.object({ shelterId: z.string(), shelterName: z.string(), place: z.string().nullable(), since: z.string() }).nullable(),
});

type Member = PersonFile['householdMembers'][number];
export const memberJson = (m: Member, now = new Date()) => ({
  id: m.id,
  firstName: m.firstName,
  lastName: m.lastName,
  birthDate: isoDay(m.birthDate)!,
  age: ageOn(m.birthDate, now),
  relationship: m.relationship as (typeof RELATIONSHIPS)[number],
});

export function personFileJson(p: PersonFile): z.input<typeof personFileResponse> {
  const stay = p.shelterStays[0];
  return {
    id: p.id,
    version: p.version,
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: p.birthDate ? isoDay(p.birthDate)! : undefined,
    householdSize: p.derivedHouseholdSize,
    shelterId: p.shelterId ?? undefined,
    benefitType: p.benefitType,
    gender: p.gender as (typeof GENDERS)[number] | null,
    languages: p.languages,
    letterLanguage: p.letterLanguage,
    interpreterNeeded: p.interpreterNeeded,
    contact: { phone: p.phone, email: p.email, postalAddress: p.postalAddress, careOfShelter: p.careOfShelter },
    residence: {
      title: p.residenceTitle as (typeof RESIDENCE_TITLES)[number] | null,
      validUntil: isoDay(p.residenceValidUntil),
      obligation12a: p.obligation12a,
      obligation12aPlace: p.obligation12aPlace,
    },
    prospectOfStaying: p.prospectOfStaying as (typeof PROSPECTS)[number] | null,
    householdMembers: p.householdMembers.map((m) => memberJson(m)),
    shelterPlace: stay
      ? { shelterId: stay.shelterId, shelterName: stay.shelter.name, place: stay.place, since: isoDay(stay.since)! }
      : null,
  };
}

export function registerPersonFileRoutes(api: JsonApi, deps: AppDeps) {
  api.route({
    method: 'get',
    path: '/api/persons/:id',
    tag: 'Akten',
    roles: ['caseworker'],
    summary: 'Person lesen (mit version für PATCH, Haushalt und Platz in der Notunterkunft)',
    errors: { 404: 'Person unbekannt oder nicht sichtbar' },
    response: personFileResponse,
    handler: async ({ req, params }) => personFileJson(await readPersonFile(deps, req.user!, actorOf(req), checkId(params.id))),
  });

  api.route({
    method: 'patch',
    path: '/api/persons/:id',
    tag: 'Akten',
    roles: ['caseworker'],
    summary:
      'Person ändern (version aus GET mitsenden; veraltete version → 409, nichts geändert). Eine geänderte Leistungsart leitet offene, nach Leistungsart verteilte Übergaben an die nun zuständige Stelle weiter.',
    errors: { 404: 'Person unbekannt oder nicht sichtbar', 409: `${STALE_PERSON_MESSAGE} (auch: Person anonymisiert)` },
    body: personPatchInput,
    response: z.object({
      id: z.string(),
      version: z.number(),
      reroutedTasks: z.array(z.string()).describe('an die nun zuständige Stelle weitergeleitete Übergaben'),
      pendingTasks: z.array(z.string()).describe('nicht weitergeleitet (noch nicht zugestellt oder Einwilligung fehlt)'),
    }),
    handler: async ({ req, params, body }) => {
      const r = await patchPerson(deps, req.user!, actorOf(req), checkId(params.id), body);
      return { id: params.id, version: r.version, reroutedTasks: r.reroute?.moved ?? [], pendingTasks: r.reroute?.pending ?? [] };
    },
  });

  api.route({
    method: 'get',
    path: '/api/persons/:id/household-members',
    tag: 'Akten',
    roles: ['caseworker'],
    summary: 'Haushaltsmitglieder und abgeleitete Haushaltsgröße',
    errors: { 404: 'Person unbekannt oder nicht sichtbar' },
    response: z.object({ items: z.array(member), householdSize: z.number() }),
    handler: async ({ req, params }) => {
      const r = await listHouseholdMembers(deps, req.user!, actorOf(req), checkId(params.id));
      return { items: r.members.map((m) => memberJson(m)), householdSize: r.size };
    },
  });

  api.route({
    method: 'post',
    path: '/api/persons/:id/household-members',
    tag: 'Akten',
    roles: ['caseworker'],
    status: 201,
    summary: 'Haushaltsmitglied hinzufügen (die Haushaltsgröße ergibt sich daraus)',
    errors: { 404: 'Person unbekannt oder nicht sichtbar', 409: 'Person anonymisiert' },
    body: householdMemberInput,
    response: z.object({ id: z.string() }),
    idempotent: true,
    handler: async ({ req, params, body }) => ({
      id: (await addHouseholdMember(deps, req.user!, actorOf(req), checkId(params.id), body, idempotencyKeyHeader(req))).id,
    }),
  });

  api.route({
    method: 'delete',
    path: '/api/persons/:id/household-members/:memberId',
    tag: 'Akten',
    roles: ['caseworker'],
    summary: 'Haushaltsmitglied entfernen (ausgezogen; bleibt bis zur Löschfrist gespeichert)',
    errors: { 404: 'Person oder Haushaltsmitglied unbekannt', 409: 'Person anonymisiert' },
    response: z.object({ ok: z.boolean() }),
    handler: async ({ req, params }) => {
      await removeHouseholdMember(deps, req.user!, actorOf(req), checkId(params.id), checkId(params.memberId, 'Haushaltsmitglied'));
      return { ok: true };
    },
  });
}
