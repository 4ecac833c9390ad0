// Report definitions for the administration: GET/POST /api/admin/report-definitions, PUT …/{id}.
import { z } from 'zod';
import type { Db } from '../../core/db/client';
import { actorOf } from '../auth';
import type { JsonApi } from '../json-route';
import {
  createReportDefinition,
  listReportDefinitions,
  reportDefinitionInput,
  reportDefinitionItem,
  reportDefinitionUpdate,
  updateReportDefinition,
} from '../services/report-definitions';

export function registerReportDefinitionRoutes(api: JsonApi, deps: { db: Db }) {
  api.route({
    method: 'get',
    path: '/api/admin/report-definitions',
    tag: 'Administration',
    roles: ['admin'],
    summary: 'Berichtsarten (ASWDG, JHA, KI und weitere): Zeitraum, Kennzahlen, Empfänger',
    response: z.object({ items: z.array(reportDefinitionItem) }),
    handler: async () => ({ items: await listReportDefinitions(deps.db) }),
  });
  api.route({
    method: 'post',
    path: '/api/admin/report-definitions',
    tag: 'Administration',
    roles: ['admin'],
    status: 201,
    summary:
      'Eine Berichtsart anlegen (Kürzel, Name, Zeitraum, Kennzahlen, Empfänger-Adressen); der Zeitplan erstellt sie ab dem nächsten Lauf',
    body: reportDefinitionInput,
    errors: { 409: 'Kürzel schon vergeben' },
    response: z.object({ id: z.string() }),
    handler: async ({ req, body }) => createReportDefinition(deps.db, actorOf(req), body),
  });
  api.route({
    method: 'put',
    path: '/api/admin/report-definitions/:id',
    tag: 'Administration',
    roles: ['admin'],
    summary: 'Eine Berichtsart ändern (Name, Zeitraum, Kennzahlen, Empfänger)',
    body: reportDefinitionUpdate,
    errors: { 404: 'Berichtsart nicht gefunden' },
    response: z.object({ id: z.string() }),
    handler: async ({ req, params, body }) => updateReportDefinition(deps.db, actorOf(req), params.id, body),
  });
}
