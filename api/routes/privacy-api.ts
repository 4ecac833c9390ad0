// Data protection routes: the per-case audit log (supervisors) and the Art. 15 export of a person
// (caseworker of the case and their team, supervisors). Registered from apiRouter (api.ts).
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { notFound } from '../errors';
import type { JsonApi } from '../json-route';
import { pageCaseAudit, writeCaseAuditCsv } from '../services/case-audit';
import { buildPersonExport, exportFileName } from '../services/person-export';
import { renderPersonExportPdf } from '../services/person-export-pdf';

const uuidOr404 = (id: string, what: string) => {
  if (!z.uuid().safeParse(id).success) throw notFound(what);
  return id;
};

export const caseAuditQuery = z.strictObject({
  limit: z.coerce
    .number({ error: 'limit muss eine Zahl sein' })
    .int('limit muss eine ganze Zahl sein')
    .min(1, 'limit mindestens 1')
    .max(200, 'limit höchstens 200')
    .default(50),
  cursor: z.string().max(500, 'cursor ist zu lang').optional(),
});

const auditItem = z.object({
  at: z.string(),
  actor: z.object({ id: z.string().nullable(), email: z.string().nullable(), role: z.string() }),
  action: z.string(),
  label: z.string().describe('deutsche Bezeichnung der Aktion'),
  entityType: z.string(),
  entityId: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.unknown(),
});

export interface PrivacyOptions {
  /** the configured storage period for the export's header (retention); default „gemäß Aufbewahrungsfrist“ */
  storagePeriod?: string;
}

export function registerPrivacyRoutes(api: JsonApi, deps: AppDeps, opts: PrivacyOptions = {}) {
  api.route({
    method: 'get',
    path: '/api/cases/:id/audit',
    tag: 'Datenschutz',
    roles: ['supervisor'],
    summary:
      'Protokoll eines Falls (Zugriffe und Änderungen an Fall, Übergaben, Ketten und Person), neueste zuerst; der Abruf wird selbst protokolliert',
    errors: { 404: 'Fall unbekannt' },
    query: caseAuditQuery,
    response: z.object({ items: z.array(auditItem), nextCursor: z.string().nullable() }),
    handler: async ({ req, query, params }) => {
      const { items, nextCursor } = await pageCaseAudit(deps.db, req.user!, actorOf(req), uuidOr404(params.id, 'Fall'), query);
      return { items, nextCursor };
    },
  });

  api.route({
    method: 'get',
    path: '/api/cases/:id/audit.csv',
    tag: 'Datenschutz',
    roles: ['supervisor'],
    summary:
      'Protokoll eines Falls als CSV für Excel (text/csv; „;“, UTF-8-BOM, CRLF; höchstens 50.000 Zeilen); der Export wird protokolliert',
    errors: { 404: 'Fall unbekannt' },
    contentType: 'text/csv',
    response: z.string().describe('text/csv; charset=utf-8'),
    handler: async ({ req, res, params }) => {
      await writeCaseAuditCsv(deps.db, req.user!, actorOf(req), uuidOr404(params.id, 'Fall'), res);
    },
  });

  api.route({
    method: 'get',
    path: '/api/persons/:id/export',
    tag: 'Datenschutz',
    roles: ['caseworker', 'supervisor'],
    summary:
      'Auskunft nach Art. 15 DSGVO als JSON (Anhang): Person, Haushalt, Fälle mit Einwilligungen, Wiedervorlagen, Ketten, Übergaben, E-Mails und Zugriffen',
    errors: { 404: 'Person unbekannt oder nicht sichtbar' },
    response: z.object({ format: z.literal('kim-flow/art15-export'), version: z.number(), generatedAt: z.string() }).loose(),
    handler: async ({ req, res, params }) => {
      const x = await buildPersonExport(deps.db, req.user!, actorOf(req), uuidOr404(params.id, 'Person'), 'json', opts);
      res.setHeader('Content-Disposition', `attachment; filename="${exportFileName(x.person.id, 'json', new Date(x.generatedAt))}"`);
      res.setHeader('Cache-Control', 'no-store');
      return x;
    },
  });

  api.route({
    method: 'get',
    path: '/api/persons/:id/export.pdf',
    tag: 'Datenschutz',
    roles: ['caseworker', 'supervisor'],
    summary: 'Auskunft nach Art. 15 DSGVO als lesbares PDF (Anhang)',
    errors: { 404: 'Person unbekannt oder nicht sichtbar' },
    contentType: 'application/pdf',
    response: z.string().describe('application/pdf'),
    handler: async ({ req, res, params }) => {
      const x = await buildPersonExport(deps.db, req.user!, actorOf(req), uuidOr404(params.id, 'Person'), 'pdf', opts);
      const pdf = await renderPersonExportPdf(x);
      res.status(200);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${exportFileName(x.person.id, 'pdf', new Date(x.generatedAt))}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.end(pdf);
    },
  });
}
