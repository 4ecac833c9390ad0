// JSON API of chains defined by the city (admins): every type with its versions; upload one definition
// (JSON, or YAML with Content-Type application/yaml) → checked, stored as the next version, audited.
import { z } from 'zod';
import { actorOf } from '../auth';
import type { Db } from '../../core/db/client';
import type { JsonApi } from '../json-route';
import { listChainDefinitions, parseDefinitionText, publishChainDefinition } from '../services/chain-definitions';

const versionItem = z.object({
  version: z.number(),
  title: z.string(),
  source: z.enum(['shipped', 'city']),
  publishedAt: z.string().nullable(),
});

export function registerChainDefinitionRoutes(api: JsonApi, deps: { db: Db }) {
  api.route({
    method: 'get',
    path: '/api/admin/chain-definitions',
    tag: 'Administration',
    roles: ['admin'],
    summary: 'Kettendefinitionen: jede Art mit ihren Versionen (current: die Version, mit der neue Ketten starten)',
    response: z.object({
      items: z.array(z.object({ type: z.string(), current: z.number().nullable(), versions: z.array(versionItem) })),
    }),
    handler: async () => ({ items: await listChainDefinitions(deps.db) }),
  });

  api.route({
    method: 'post',
    path: '/api/admin/chain-definitions',
    tag: 'Administration',
    roles: ['admin'],
    status: 201,
    summary:
      'Eine Kettendefinition veröffentlichen (JSON; YAML mit Content-Type application/yaml): geprüft (Schema, Erreichbarkeit, Ende, Stellen, Regeln, Feldverweise), dann als nächste Version gespeichert. Laufende Ketten behalten ihre Version.',
    body: z
      .union([z.string().max(100_000), z.record(z.string(), z.unknown())], {
        error: 'Eine Definition als JSON-Objekt oder YAML-Text erwartet',
      })
      .describe('eine Kettendefinition: type, title, start, steps (version wird vergeben)'),
    errors: { 409: 'Dieselbe Version wurde gleichzeitig veröffentlicht' },
    response: z.object({ type: z.string(), version: z.number() }),
    handler: async ({ req, body }) => publishChainDefinition(deps.db, actorOf(req), parseDefinitionText(body)),
  });
}
