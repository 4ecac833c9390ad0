// Supervisor routes: process list as CSV, dashboard key figures, workload, bulk reassignment,
// read-model reconciliation. Registered from registerChainRoutes (chains-api.ts).
import { CLOSURE_CODES } from '../../core/domain/records';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import type { JsonApi } from '../json-route';
import { bulkReassign, dashboard, workload, writeProcessCsv } from '../services/dashboard';
import { reconcileConsents } from '../services/consents';
import { reconcileProcesses } from '../services/reconcile';
import { processQuery } from './process-query';

/** The bulk reassignment's input: the JSON route and the form on /leitung. */
export const bulkReassignBody = z.strictObject({
  fromCaseworkerId: z.uuid({ error: 'fromCaseworkerId: bisherige/r Fallmanager/in ungültig' }),
  toCaseworkerId: z.uuid({ error: 'toCaseworkerId: neue/r Fallmanager/in ungültig' }),
  reason: z
    .string({ error: (i) => (i.input === undefined ? 'Begründung fehlt' : 'Begründung muss Text sein') })
    .trim()
    .min(3, 'Begründung: mindestens 3 Zeichen')
    .max(1000, 'Begründung: höchstens 1000 Zeichen'),
  processIds: z
    .array(z.uuid({ error: 'processIds: ungültige Prozess-ID' }), { error: 'processIds muss eine Liste sein' })
    .min(1, 'processIds darf nicht leer sein')
    .max(1000, 'processIds: höchstens 1000')
    .optional(),
});

export function registerDashboardRoutes(api: JsonApi, deps: AppDeps) {
  const csvQuery = processQuery.omit({ limit: true, cursor: true });
  api.route({
    method: 'get',
    path: '/api/processes.csv',
    tag: 'Prozesse',
    roles: ['caseworker', 'supervisor'],
    summary:
      'Gefilterte Prozessliste als CSV für Excel (text/csv; „;“, UTF-8-BOM, CRLF, Datum TT.MM.JJJJ; höchstens 50.000 Zeilen, X-Truncated)',
    query: csvQuery,
    contentType: 'text/csv',
    response: z.string().describe('text/csv; charset=utf-8'),
    handler: async ({ req, res, query }) => {
      await writeProcessCsv(deps.db, req.user!, actorOf(req), query, res);
    },
  });

  const count = z.object({ type: z.string(), title: z.string(), running: z.number(), onHold: z.number() });
  api.route({
    method: 'get',
    path: '/api/dashboard',
    tag: 'Leitung',
    roles: ['supervisor', 'caseworker'],
    summary:
      'Kennzahlen: laufende Ketten je Art, überfällige Übergaben je Stelle, Starts/Abschlüsse im Monat, Median Tage bis Umzug, älteste offene Schritte (Fallmanagement: eigener Bereich)',
    response: z.object({
      closureReasons: z
        .array(z.object({ code: z.enum([...CLOSURE_CODES, 'none']), count: z.number() }))
        .describe('abgeschlossene Fälle je Abschlussgrund (none: ohne Grund)'),
      scope: z.enum(['all', 'own']),
      runningByType: z.array(count),
      overdueHandoffsByDepartment: z.array(z.object({ department: z.string(), overdue: z.number() })),
      thisMonth: z.object({ since: z.string(), started: z.number(), completed: z.number() }),
      medianDaysToMove: z.object({ days: z.number().nullable(), chains: z.number() }),
      endedByEndCode: z.array(z.object({ type: z.string(), endCode: z.string(), label: z.string(), count: z.number() })),
      oldestWaitingSteps: z.array(
        z.object({
          processId: z.string(),
          caseId: z.string(),
          caseReference: z.string(),
          type: z.string(),
          key: z.string(),
          title: z.string(),
          status: z.string(),
          department: z.string().nullable(),
          startedAt: z.string(),
          dueAt: z.string().nullable(),
          waitingDays: z.number(),
        }),
      ),
    }),
    handler: async ({ req }) => dashboard(deps.db, req.user!),
  });

  api.route({
    method: 'get',
    path: '/api/workload',
    tag: 'Leitung',
    roles: ['supervisor', 'caseworker'],
    summary:
      'Auslastung je Stelle (offene/überfällige Übergaben, Median Stunden bis zur Annahme) und je Fallmanager/in (laufende Ketten, überfällig)',
    response: z.object({
      departments: z.array(
        z.object({
          department: z.string(),
          name: z.string(),
          openTasks: z.number(),
          overdueTasks: z.number(),
          medianHoursToAccept: z.number().nullable(),
        }),
      ),
      caseworkers: z.array(z.object({ id: z.string(), name: z.string(), runningChains: z.number(), overdue: z.number() })),
    }),
    handler: async ({ req }) => workload(deps.db, req.user!),
  });

  api.route({
    method: 'post',
    path: '/api/processes/reassign',
    tag: 'Leitung',
    roles: ['supervisor'],
    summary: 'Laufende Ketten gesammelt einer anderen Fallmanagerin / einem anderen Fallmanager übertragen',
    body: bulkReassignBody,
    response: z.object({
      matched: z.number(),
      reassigned: z.number(),
      failed: z.array(z.object({ id: z.string(), message: z.string() })),
      skipped: z.array(z.string()),
    }),
    handler: async ({ req, body }) => bulkReassign(deps, req.user!, actorOf(req), body),
  });

  api.route({
    method: 'post',
    path: '/api/admin/reconcile',
    tag: 'Leitung',
    roles: ['admin', 'supervisor'],
    summary: 'Lesemodell der Prozesse mit den Workflows abgleichen und Abweichungen reparieren (protokolliert)',
    body: z.strictObject({}).optional(),
    response: z.object({
      checked: z.number(),
      repaired: z.number(),
      skipped: z.number(),
      repairs: z.array(z.object({ id: z.string(), fields: z.array(z.string()) })),
      consents: z.object({ cancelledTasks: z.number(), signalledChains: z.number() }),
    }),
    handler: async ({ req }) => ({
      ...(await reconcileProcesses(deps.db, deps.temporal, actorOf(req))),
      consents: await reconcileConsents(deps),
    }),
  });
}
