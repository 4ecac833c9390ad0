// JSON API of the person's status link (API.md "Chains v2"): create (a new one revokes the old) and revoke.
import { z } from 'zod';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import type { JsonApi } from '../json-route';
import { createStatusLink, revokeStatusLinks } from '../services/status-links';

const uuid = z.uuid();
const personId = (id: string) => {
  if (!uuid.safeParse(id).success) throw notFound('Person');
  return id;
};

export function registerStatusLinkRoutes(api: JsonApi, deps: AppDeps) {
  api.route({
    method: 'post',
    path: '/api/persons/:id/status-link',
    tag: 'Personen',
    roles: ['caseworker'],
    status: 201,
    summary:
      'Persönlichen Statuslink erzeugen (signiert, läuft ab, widerrufbar; ein früherer Link der Person wird widerrufen). GET url zeigt die Statusseite, ?lang=de|en|ar|uk|fa|tr',
    errors: { 404: 'Person unbekannt oder nicht im eigenen Bereich', 409: 'Person anonymisiert' },
    response: z.object({ url: z.string(), expiresAt: z.string() }),
    handler: async ({ req, params }) => createStatusLink(deps, req.user!, actorOf(req), personId(params.id)),
  });

  api.route({
    method: 'delete',
    path: '/api/persons/:id/status-link',
    tag: 'Personen',
    roles: ['caseworker'],
    summary: 'Statuslink der Person widerrufen (danach 410)',
    errors: { 404: 'Person unbekannt oder nicht im eigenen Bereich' },
    response: z.object({ revoked: z.number() }),
    handler: async ({ req, params }) => revokeStatusLinks(deps, req.user!, actorOf(req), personId(params.id)),
  });
}
