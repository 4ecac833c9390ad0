// JSON API of shelters (Notunterkünfte): occupancy per shelter, who has been waiting longest, a
// person's place (issue 13).
import { z } from 'zod';
import { shelterInput, shelterPlaceInput } from '../../core/domain/person-file';
import { actorOf } from '../auth';
import { notFound } from '../errors';
import type { JsonApi } from '../json-route';
import type { AppDeps } from '../deps';
import { personForChange } from '../services/person-file';
import { once } from '../idempotency';
import {
  assignShelterPlace,
  createShelter,
  longestWaiting,
  releaseShelterPlaceByUser,
  shelterOccupancy,
  updateShelter,
} from '../services/shelters';

const uuid = z.uuid();
const checkId = (id: string, what = 'Person') => {
  if (!uuid.safeParse(id).success) throw notFound(what);
  return id;
};

export const occupancyItem = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  capacity: z.number(),
  occupied: z.number(),
  free: z.number(),
});

export function registerShelterRoutes(api: JsonApi, deps: AppDeps) {
  api.route({
    method: 'get',
    path: '/api/shelters',
    tag: 'Unterkünfte',
    roles: ['caseworker', 'supervisor', 'admin'],
    summary: 'Notunterkünfte mit Plätzen und Belegung (nur Zahlen)',
    response: z.object({ items: z.array(occupancyItem) }),
    handler: async () => ({ items: await shelterOccupancy(deps.db) }),
  });

  api.route({
    method: 'post',
    path: '/api/shelters',
    tag: 'Unterkünfte',
    roles: ['supervisor', 'admin'],
    status: 201,
    summary: 'Notunterkunft anlegen',
    errors: { 409: 'Name schon vergeben' },
    body: shelterInput,
    response: z.object({ id: z.string() }),
    idempotent: true,
    handler: async ({ req, res, body }) =>
      once(deps.db, req, res, async () => ({ id: (await createShelter(deps.db, actorOf(req), body)).id })),
  });

  api.route({
    method: 'put',
    path: '/api/shelters/:id',
    tag: 'Unterkünfte',
    roles: ['supervisor', 'admin'],
    summary: 'Notunterkunft ändern: Name, Adresse, Plätze (nicht weniger Plätze als belegt)',
    errors: { 404: 'Unterkunft unbekannt', 409: 'Name schon vergeben oder weniger Plätze als belegt' },
    body: shelterInput,
    response: occupancyItem,
    handler: async ({ req, body, params }) => {
      const s = await updateShelter(deps.db, actorOf(req), checkId(params.id, 'Unterkunft'), body);
      return (await shelterOccupancy(deps.db)).find((o) => o.id === s.id)!;
    },
  });

  api.route({
    method: 'get',
    path: '/api/shelters/waiting',
    tag: 'Unterkünfte',
    roles: ['supervisor', 'caseworker'],
    summary: 'Wer am längsten in einer Notunterkunft wartet (älteste Belegung zuerst; Fallmanagement: eigene und Team-Fälle)',
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
    response: z.object({
      items: z.array(
        z.object({
          personId: z.string(),
          name: z.string(),
          caseId: z.string(),
          caseReference: z.string(),
          shelterName: z.string(),
          place: z.string().nullable(),
          since: z.string(),
          days: z.number(),
        }),
      ),
    }),
    handler: async ({ req, query }) => {
      const now = Date.now();
      return {
        items: (await longestWaiting(deps.db, req.user!, actorOf(req), query.limit)).map((w) => ({
          ...w,
          since: w.since.toISOString().slice(0, 10),
          days: Math.floor((now - w.since.getTime()) / 86_400_000),
        })),
      };
    },
  });

  api.route({
    method: 'put',
    path: '/api/persons/:id/shelter-place',
    tag: 'Unterkünfte',
    roles: ['caseworker'],
    summary: 'Platz der Person in einer Notunterkunft setzen (ein bisheriger wird freigegeben)',
    errors: { 404: 'Person oder Unterkunft unbekannt', 409: 'Unterkunft voll belegt oder Person anonymisiert' },
    body: shelterPlaceInput,
    response: z.object({ id: z.string(), shelterId: z.string(), place: z.string().nullable(), since: z.string() }),
    handler: async ({ req, params, body }) => {
      const id = checkId(params.id);
      await personForChange(deps.db, req.user!, actorOf(req), id, 'person.shelter.assign');
      const s = await assignShelterPlace(deps.db, req.user!, actorOf(req), id, body);
      return { id: s.id, shelterId: s.shelterId, place: s.place, since: s.since.toISOString().slice(0, 10) };
    },
  });

  api.route({
    method: 'delete',
    path: '/api/persons/:id/shelter-place',
    tag: 'Unterkünfte',
    roles: ['caseworker'],
    summary: 'Platz der Person freigeben (von Hand; der Auszug gibt ihn mit der Freigabe durch 5-50 selbst frei)',
    errors: { 404: 'Person unbekannt oder ohne Platz', 409: 'Person anonymisiert' },
    response: z.object({ ok: z.boolean() }),
    handler: async ({ req, params }) => {
      const id = checkId(params.id);
      await personForChange(deps.db, req.user!, actorOf(req), id, 'person.shelter.release');
      await releaseShelterPlaceByUser(deps.db, req.user!, actorOf(req), id);
      return { ok: true };
    },
  });
}
