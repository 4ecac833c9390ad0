// Committee reports (API.md "Reports and analytics"): GET /api/reports, POST /api/reports,
// GET /api/reports/{id}.pdf and .csv. Supervisors and admins read; supervisors request one on demand.
import { z } from 'zod';
import { audit } from '../../core/audit';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import type { JsonApi } from '../json-route';
import { renderReportPdf } from '../services/report-pdf';
import { getReport, listReports, REPORT_ROLES, reportCsv, reportInput, requestReport } from '../services/reports';

export function registerReportRoutes(api: JsonApi, deps: AppDeps) {
  api.route({
    method: 'get',
    path: '/api/reports',
    tag: 'Berichte',
    roles: [...REPORT_ROLES],
    summary: 'Archivierte Berichte an ASWDG, JHA und KI (nur zusammengefasste Zahlen)',
    response: z.object({
      items: z.array(
        z.object({
          id: z.string(),
          definition: z.string(),
          title: z.string(),
          from: z.string(),
          to: z.string(),
          trigger: z.string(),
          createdAt: z.string(),
          pdf: z.string(),
          csv: z.string(),
        }),
      ),
    }),
    handler: async ({ req }) => ({ items: await listReports(deps.db, req.user!) }),
  });

  api.route({
    method: 'post',
    path: '/api/reports',
    tag: 'Berichte',
    roles: ['supervisor'],
    status: 201,
    summary:
      'Bericht für einen abgeschlossenen Zeitraum erstellen und archivieren; derselbe Bericht und Zeitraum ergibt dieselbe ID (kein zweiter Bericht)',
    body: reportInput,
    response: z.object({ id: z.string() }),
    handler: async ({ req, body }) => requestReport(deps.db, req.user!, actorOf(req), body),
  });

  for (const format of ['pdf', 'csv'] as const) {
    api.route({
      method: 'get',
      path: `/api/reports/:id.${format}`,
      tag: 'Berichte',
      roles: [...REPORT_ROLES],
      summary:
        format === 'pdf'
          ? 'Bericht als PDF (A4, Titelseite, Inhaltsverzeichnis, Tabellen und Diagramme mit Textalternative)'
          : 'Bericht als CSV für Excel („;“, UTF-8-BOM, Dezimalkomma)',
      contentType: format === 'pdf' ? 'application/pdf' : 'text/csv',
      response: z.string(),
      errors: { 404: 'Bericht nicht gefunden' },
      handler: async ({ req, res, params }) => {
        const r = await getReport(deps.db, req.user!, params.id);
        await audit(deps.db, actorOf(req), 'report.read', { type: 'Report', id: r.id }, { format });
        const name = `bericht-${r.definitionId}-${r.from}-${r.to}.${format}`;
        res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
        res.setHeader('Cache-Control', 'no-store');
        if (format === 'pdf') {
          res.setHeader('Content-Type', 'application/pdf');
          res.end(await renderReportPdf(r));
        } else {
          res.setHeader('Content-Type', 'text/csv; charset=utf-8');
          res.end(reportCsv(r));
        }
      },
    });
  }
}
