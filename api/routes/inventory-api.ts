// JSON API of the inventory (API.md "Inventory and matching"): partners and contacts, housing offers
// and landlord links, KdU rent caps, matching and proposing. Caseworkers and supervisors manage
// partners and offers; proposing and offer outcomes that move a chain are the caseworker's.
import { z } from 'zod';
import { OFFER_STATUSES } from '../../core/domain/inventory/offer-lifecycle';
import {
  contactInput,
  housingOfferInput,
  offerActionInput,
  offerLinkInput,
  partnerInput,
  PARTNER_KINDS,
  proposeInput,
  rentCapInput,
} from '../../core/domain/inventory/records';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import type { JsonApi } from '../json-route';
import {
  addContact,
  createOffer,
  createPartner,
  listOffers,
  listPartners,
  listRentCaps,
  offerAction,
  offerMatches,
  offerOr404,
  offerView,
  partnerOr404,
  partnerView,
  processMatches,
  proposeOffer,
  setRentCaps,
} from '../services/inventory';
import { createOfferLink, revokeOfferLink } from '../services/offer-links';
import { idempotencyKeyHeader } from '../submission';
import { currentSituation, situationTrend } from '../../core/inventory-data';
import { SITUATION_CSV_HEADER, situationCsvCells } from '../../core/domain/inventory/situation';
import { csvLine } from '../services/dashboard';
import { EDUCATION_CSV_HEADER, educationCsvCells, educationSituationData } from '../services/education';

const educationSituationSchema = z.object({
  district: z.string().nullable(),
  neededTotal: z.number(),
  freeSeatsTotal: z.number(),
  rows: z.array(z.object({ kind: z.string(), level: z.string(), needed: z.number(), freeSeats: z.number(), gap: z.number() })),
  gaps: z.array(z.string()),
});

const uuid = z.uuid();
const checkId = (id: string, what: string) => {
  if (!uuid.safeParse(id).success) throw notFound(what);
  return id;
};
const MANAGERS = ['caseworker', 'supervisor'] as const;

const partnerSchema = z.object({
  id: z.string(),
  kind: z.enum(PARTNER_KINDS),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  areas: z.array(z.string()),
  contactPersons: z.array(z.unknown()),
  agreements: z.array(z.unknown()),
  contactEveryDays: z.number().nullable(),
  responsibleId: z.string().nullable(),
  lastContactAt: z.string().nullable(),
  contactDueAt: z.string().nullable(),
  contactOverdue: z.boolean(),
});
const offerSchema = z.object({
  id: z.string(),
  reference: z.string(),
  partnerId: z.string(),
  municipality: z.string(),
  district: z.string(),
  address: z.string(),
  rooms: z.number(),
  livingSpace: z.number(),
  coldRent: z.number(),
  serviceCharges: z.number(),
  heating: z.number().nullable(),
  availableFrom: z.string(),
  wbsRequired: z.boolean(),
  barrierFree: z.boolean(),
  groundFloor: z.boolean(),
  pets: z.boolean(),
  conditions: z.string().nullable(),
  status: z.enum(OFFER_STATUSES),
  processId: z.string().nullable(),
  leaseDate: z.string().nullable(),
  source: z.string(),
  createdAt: z.string(),
});

export function registerInventoryRoutes(api: JsonApi, deps: AppDeps) {
  api.route({
    method: 'post',
    path: '/api/partners',
    tag: 'Bestand',
    roles: [...MANAGERS],
    status: 201,
    summary: 'Partner (Akteur) anlegen: Vermieter, Wohnungsgesellschaft, Schule, Träger … (Idempotency-Key verhindert Doppelanlage)',
    body: partnerInput,
    idempotent: true,
    response: z.object({ id: z.string() }),
    handler: async ({ req, res, body }) => {
      const r = await createPartner(deps.db, req.user!, actorOf(req), body, idempotencyKeyHeader(req));
      if (!r.created) res.locals.status = 200;
      return { id: r.id };
    },
  });

  api.route({
    method: 'get',
    path: '/api/partners',
    tag: 'Bestand',
    roles: [...MANAGERS],
    summary: 'Partner, optional nach Art; overdue=true: nur die mit fälligem Regelkontakt',
    query: z.object({
      kind: z.enum(PARTNER_KINDS, { error: `Art muss ${PARTNER_KINDS.join(', ')} sein` }).optional(),
      overdue: z.enum(['true', 'false'], { error: 'overdue muss true oder false sein' }).optional(),
    }),
    response: z.object({ items: z.array(partnerSchema) }),
    handler: async ({ query }) => ({ items: await listPartners(deps.db, { kind: query.kind, overdue: query.overdue === 'true' }) }),
  });

  api.route({
    method: 'get',
    path: '/api/partners/:id',
    tag: 'Bestand',
    roles: [...MANAGERS],
    summary: 'Partner mit Kontaktverlauf',
    errors: { 404: 'Partner unbekannt' },
    response: partnerSchema.extend({
      contacts: z.array(z.object({ id: z.string(), at: z.string(), kind: z.string(), topic: z.string(), outcome: z.string().nullable() })),
    }),
    handler: async ({ params }) => {
      const p = await partnerOr404(deps.db, checkId(params.id, 'Partner'));
      const contacts = await deps.db.partnerContact.findMany({ where: { partnerId: p.id }, orderBy: { at: 'desc' }, take: 200 });
      return {
        ...partnerView(p),
        contacts: contacts.map((c) => ({ id: c.id, at: c.at.toISOString(), kind: c.kind, topic: c.topic, outcome: c.outcome })),
      };
    },
  });

  api.route({
    method: 'post',
    path: '/api/partners/:id/contacts',
    tag: 'Bestand',
    roles: [...MANAGERS],
    status: 201,
    summary: 'Kontakt mit dem Partner festhalten (Datum, Art, Thema, Ergebnis); setzt den Regelkontakt neu',
    errors: { 404: 'Partner unbekannt' },
    body: contactInput,
    response: z.object({ id: z.string() }),
    handler: async ({ req, body, params }) => addContact(deps.db, req.user!, actorOf(req), checkId(params.id, 'Partner'), body),
  });

  api.route({
    method: 'post',
    path: '/api/partners/:id/offer-links',
    tag: 'Bestand',
    roles: [...MANAGERS],
    status: 201,
    summary: 'Persönlichen Formular-Link für den Vermieter erstellen und per E-Mail senden (befristet, widerrufbar, einmal nutzbar)',
    errors: { 404: 'Partner unbekannt' },
    body: offerLinkInput,
    response: z.object({ id: z.string(), url: z.string(), expiresAt: z.string() }),
    handler: async ({ req, body, params }) => createOfferLink(deps, req.user!, actorOf(req), checkId(params.id, 'Partner'), body),
  });

  api.route({
    method: 'delete',
    path: '/api/partners/:id/offer-links/:linkId',
    tag: 'Bestand',
    roles: [...MANAGERS],
    summary: 'Formular-Link widerrufen',
    errors: { 404: 'Link unbekannt oder schon widerrufen' },
    response: z.object({ ok: z.boolean() }),
    handler: async ({ req, params }) => {
      const linkId = String(params.linkId);
      if (!/^[\w-]{16,64}$/.test(linkId) || !(await revokeOfferLink(deps.db, actorOf(req), checkId(params.id, 'Partner'), linkId)))
        throw notFound('Link');
      return { ok: true };
    },
  });

  api.route({
    method: 'post',
    path: '/api/offers/housing',
    tag: 'Bestand',
    roles: [...MANAGERS],
    status: 201,
    summary: 'Wohnungsangebot erfassen (startet seinen Prozess: frei → vorgeschlagen → Besichtigung → vermietet)',
    body: housingOfferInput,
    idempotent: true,
    response: z.object({ id: z.string(), reference: z.string() }),
    handler: async ({ req, res, body }) => {
      const r = await createOffer(deps, actorOf(req), body, {
        source: 'caseworker',
        createdById: req.user!.id,
        idempotencyKey: idempotencyKeyHeader(req),
      });
      if (!r.created) res.locals.status = 200;
      return { id: r.id, reference: r.reference };
    },
  });

  api.route({
    method: 'get',
    path: '/api/offers/housing',
    tag: 'Bestand',
    roles: [...MANAGERS],
    summary: 'Wohnungsangebote, optional nach Status',
    query: z.object({ status: z.enum(OFFER_STATUSES, { error: `Status muss ${OFFER_STATUSES.join(', ')} sein` }).optional() }),
    response: z.object({ items: z.array(offerSchema) }),
    handler: async ({ query }) => ({ items: await listOffers(deps.db, query.status) }),
  });

  api.route({
    method: 'get',
    path: '/api/offers/housing/:id',
    tag: 'Bestand',
    roles: [...MANAGERS],
    summary: 'Ein Wohnungsangebot',
    errors: { 404: 'Angebot unbekannt' },
    response: offerSchema,
    handler: async ({ params }) => offerView(await offerOr404(deps.db, checkId(params.id, 'Wohnungsangebot'))),
  });

  const matchItem = z.object({ fits: z.boolean(), reasons: z.array(z.string()) });
  api.route({
    method: 'get',
    path: '/api/offers/housing/:id/matches',
    tag: 'Bestand',
    roles: [...MANAGERS],
    summary:
      'Wartende Haushalte (Auszugskette im Schritt Wohnungsangebot) mit Passung und Gründen; passende zuerst, längste Wartezeit zuerst',
    errors: { 404: 'Angebot unbekannt' },
    response: z.object({
      items: z.array(matchItem.extend({ processId: z.string(), caseReference: z.string(), waitingSince: z.string() })),
    }),
    handler: async ({ req, params }) => ({
      items: await offerMatches(deps.db, req.user!, actorOf(req), checkId(params.id, 'Wohnungsangebot')),
    }),
  });

  api.route({
    method: 'get',
    path: '/api/processes/:id/matches',
    tag: 'Bestand',
    roles: [...MANAGERS],
    summary: 'Freie Wohnungen für einen wartenden Haushalt mit Passung und Gründen',
    errors: { 404: 'Prozess unbekannt oder nicht sichtbar', 409: 'Der Haushalt wartet nicht auf ein Wohnungsangebot' },
    response: z.object({ items: z.array(matchItem.extend({ offerId: z.string(), reference: z.string(), district: z.string() })) }),
    handler: async ({ req, params }) => ({ items: await processMatches(deps.db, req.user!, actorOf(req), checkId(params.id, 'Prozess')) }),
  });

  api.route({
    method: 'post',
    path: '/api/offers/housing/:id/propose',
    tag: 'Bestand',
    roles: ['caseworker'],
    summary:
      'Wohnung einem wartenden Haushalt vorschlagen: schließt dessen Schritt Wohnungsangebot ab; schon vorgeschlagen/vermietet → 409',
    errors: { 404: 'Angebot unbekannt', 409: 'Wohnung nicht frei oder Haushalt wartet nicht (nichts geändert)' },
    body: proposeInput,
    response: offerSchema,
    handler: async ({ req, body, params }) =>
      proposeOffer(deps, req.user!, actorOf(req), checkId(params.id, 'Wohnungsangebot'), body.processId),
  });

  api.route({
    method: 'post',
    path: '/api/offers/housing/:id/status',
    tag: 'Bestand',
    roles: ['caseworker'],
    summary:
      'Verlauf des Angebots: viewing (Besichtigung), let (vermietet, mit leaseDate), declined (wieder frei; die Kette geht zurück zum Angebot), withdrawn, confirm (noch frei)',
    errors: { 404: 'Angebot unbekannt', 409: 'Im aktuellen Zustand nicht möglich' },
    body: offerActionInput,
    response: offerSchema,
    handler: async ({ req, body, params }) => offerAction(deps, req.user!, actorOf(req), checkId(params.id, 'Wohnungsangebot'), body),
  });

  const capSchema = z.object({ municipality: z.string(), householdSize: z.number(), amount: z.number(), validFrom: z.string() });
  api.route({
    method: 'get',
    path: '/api/admin/rent-caps',
    tag: 'Bestand',
    roles: ['admin', 'caseworker', 'supervisor'],
    summary: 'KdU-Tabelle: Angemessenheitsgrenzen nach Haushaltsgröße je Kommune, mit Gültigkeitsdatum',
    response: z.object({ items: z.array(capSchema) }),
    handler: async () => ({ items: await listRentCaps(deps.db) }),
  });

  api.route({
    method: 'put',
    path: '/api/admin/rent-caps',
    tag: 'Bestand',
    roles: ['admin'],
    summary: 'KdU-Grenzen ab einem Datum festlegen (neue Fassung; ältere bleiben für ihren Zeitraum)',
    body: rentCapInput,
    response: z.object({ items: z.array(capSchema) }),
    handler: async ({ req, body }) => {
      await setRentCaps(deps.db, req.user!, actorOf(req), body);
      return { items: await listRentCaps(deps.db) };
    },
  });

  registerSituationRoutes(api, deps);
}

const situationRow = z.object({
  householdSize: z.string(),
  waiting: z.number(),
  medianWaitingDays: z.number().nullable(),
  rentCap: z.number().nullable(),
  openFlats: z.number(),
  fittingFlats: z.number(),
  medianGrossRent: z.number().nullable(),
  gap: z.number(),
});
const districtQuery = z.object({
  district: z
    .string()
    .trim()
    .max(100, 'Stadtteil ist zu lang')
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'Stadtteil enthält Steuerzeichen')
    .optional(),
});

export function registerSituationRoutes(api: JsonApi, deps: AppDeps) {
  api.route({
    method: 'get',
    path: '/api/situation',
    tag: 'Bestand',
    roles: [...MANAGERS],
    summary: 'Situationsanalyse: wartende Haushalte nach Größe gegen freie Wohnungen, Lücken als Text; mit Monatswerten (Trend)',
    query: districtQuery,
    response: z.object({
      district: z.string().nullable(),
      waitingTotal: z.number(),
      openTotal: z.number(),
      rows: z.array(situationRow),
      gaps: z.array(z.string()),
      trend: z.array(
        z.object({
          month: z.string(),
          waitingTotal: z.number(),
          openTotal: z.number(),
          educationNeeded: z.number().nullable(),
          freeSeats: z.number().nullable(),
        }),
      ),
      education: educationSituationSchema.describe(
        'Bildungsbedarf nach Art und Niveau gegen freie Kursplätze; mit Stadtteilfilter: Bedarfe dieses Stadtteils oder ohne Stadtteil, Kurse dort oder stadtweit',
      ),
    }),
    handler: async ({ query }) => {
      const [s, trend, education] = await Promise.all([
        currentSituation(deps.db, { district: query.district }),
        situationTrend(deps.db),
        educationSituationData(deps.db, { district: query.district }),
      ]);
      return { ...s, trend, education };
    },
  });

  api.route({
    method: 'get',
    path: '/api/situation.csv',
    tag: 'Bestand',
    roles: [...MANAGERS],
    summary: 'Situationsanalyse als CSV für Excel („;“, UTF-8-BOM, CRLF)',
    query: districtQuery,
    contentType: 'text/csv',
    response: z.string().describe('text/csv; charset=utf-8'),
    handler: async ({ query, res }) => {
      const [s, e] = await Promise.all([
        currentSituation(deps.db, { district: query.district }),
        educationSituationData(deps.db, { district: query.district }),
      ]);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="situationsanalyse.csv"');
      res.send(
        '\ufeff' +
          csvLine(SITUATION_CSV_HEADER) +
          s.rows.map((r) => csvLine(situationCsvCells(r))).join('') +
          '\r\n' +
          csvLine(EDUCATION_CSV_HEADER) +
          e.rows.map((r) => csvLine(educationCsvCells(r))).join(''),
      );
    },
  });
}
