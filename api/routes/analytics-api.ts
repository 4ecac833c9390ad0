// Bottleneck analytics as JSON and CSV (API.md "Reports and analytics"): GET /api/analytics/steps and
// GET /api/analytics/steps.csv. Supervisors and admins: all chains; caseworkers: their own cases.
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import type { JsonApi } from '../json-route';
import { analyticsQuery, ANALYTICS_ROLES, filterOf, stepAnalytics, writeAnalyticsCsv } from '../services/analytics';

const nullableNumber = z.number().nullable();

export function registerAnalyticsRoutes(api: JsonApi, deps: AppDeps) {
  api.route({
    method: 'get',
    path: '/api/analytics/steps',
    tag: 'Auswertungen',
    roles: [...ANALYTICS_ROLES],
    summary:
      'Engpässe: je Schritt und Stelle Anzahl abgeschlossener Schritte, Median und 90. Perzentil der Dauer in Arbeitstagen (Mo–Fr ohne Feiertage NRW), Anteil fristgerecht; je Monat; Durchsatz (Zeitraum from–to, Standard: letzte 12 Monate; Fallmanagement: eigene Fälle)',
    query: analyticsQuery,
    response: z.object({
      scope: z.enum(['all', 'own']),
      unit: z.literal('Arbeitstage'),
      from: z.string(),
      to: z.string(),
      type: z.string().nullable(),
      department: z.string().nullable(),
      items: z.array(
        z.object({
          step: z.string(),
          title: z.string(),
          department: z.string().nullable(),
          count: z.number(),
          medianDays: nullableNumber,
          p90Days: nullableNumber,
          onTimeShare: nullableNumber.describe('0..1; null wenn keine Frist bestand'),
          deadlineDays: nullableNumber,
        }),
      ),
      months: z.array(
        z.object({
          month: z.string(),
          count: z.number(),
          medianDays: nullableNumber,
          p90Days: nullableNumber,
          onTimeShare: nullableNumber,
        }),
      ),
      throughput: z.array(
        z.object({ step: z.string(), title: z.string(), department: z.string().nullable(), entered: z.number(), left: z.number() }),
      ),
      slowest: z.array(z.object({ step: z.string(), department: z.string().nullable() })),
      summary: z.string().describe('die drei langsamsten Schritte in einem deutschen Satz'),
    }),
    handler: async ({ req, query }) => {
      const { departments: _d, ...rest } = await stepAnalytics(deps.db, req.user!, filterOf(query));
      return rest;
    },
  });

  api.route({
    method: 'get',
    path: '/api/analytics/steps.csv',
    tag: 'Auswertungen',
    roles: [...ANALYTICS_ROLES],
    summary: 'Engpässe je Schritt und Stelle als CSV für Excel („;“, UTF-8-BOM, Dezimalkomma)',
    query: analyticsQuery,
    contentType: 'text/csv',
    response: z.string().describe('text/csv; charset=utf-8'),
    handler: async ({ req, res, query }) => {
      await writeAnalyticsCsv(deps.db, req.user!, actorOf(req), filterOf(query), res);
    },
  });
}
