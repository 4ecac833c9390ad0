// JSON API of processes (API.md "Processes"): start a chain, list and read processes, complete the
// current step, hold / resume / cancel / reassign.
import { z } from 'zod';
import { CHAIN_TYPES } from '../../core/domain/chains';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { notFound } from '../errors';
import type { JsonApi } from '../json-route';
import { updateIdOf } from '../submission';
import { chainAction, completeStep, readProcess, listProcesses, processDetail, startChain } from '../services/chains';
import { STEP_STATUSES } from '../services/process-steps';
import { FACT_TYPES } from '../services/process-facts';
import { registerDashboardRoutes } from './dashboard-api';
import { PROCESS_STATUSES, processQuery } from './process-query';

export { processQuery };

const uuid = z.uuid();
const checkId = (id: string, what = 'Prozess') => {
  if (!uuid.safeParse(id).success) throw notFound(what);
  return id;
};

const stepNow = z.object({
  key: z.string(),
  title: z.string(),
  department: z.string().nullable(),
  assignee: z.string(),
  status: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  /** set while this step alone is held (hold per branch); the whole chain held: status on_hold */
  heldSince: z.string().nullable(),
});
const currentStep = stepNow.nullable();
const processItem = z.object({
  id: z.string(),
  caseId: z.string(),
  caseReference: z.string(),
  type: z.string(),
  version: z.number(),
  status: z.enum(PROCESS_STATUSES),
  startedAt: z.string(),
  completedAt: z.string().nullable(),
  currentStep,
  /** every step open now — two or more while parallel branches run */
  currentSteps: z.array(stepNow),
  /** how the chain ended (its definition's end code), null while it runs */
  endCode: z.string().nullable(),
});
const stepRun = z.object({
  seq: z.number(),
  key: z.string(),
  title: z.string(),
  status: z.string(),
  department: z.string().nullable(),
  dueAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  outcome: z.string().nullable(),
  taskId: z.string().nullable(),
});
const processDetailSchema = processItem.extend({
  /** every step of the definition in order, with its status */
  steps: z.array(
    stepRun.omit({ seq: true, status: true }).extend({ status: z.enum(STEP_STATUSES), phase: z.string().nullable(), runs: z.number() }),
  ),
  /** the chain's facts: departments' typed results and the caseworker's date and number fields (latest run of each step) */
  facts: z.array(
    z.object({
      ref: z.string().describe('<Schritt>.<Feld>'),
      step: z.string(),
      stepTitle: z.string(),
      field: z.string(),
      label: z.string(),
      type: z.enum(FACT_TYPES),
      value: z.union([z.number(), z.string()]).describe('Beträge und Zahlen als Zahl, Daten als JJJJ-MM-TT'),
      display: z.string().describe('deutsch formatiert (z. B. „550,00 EUR“, „01.03.2027“)'),
      source: z.enum(['department', 'caseworker']),
      completedAt: z.string().nullable(),
    }),
  ),
  /** every run of a step so far (loops repeat a step), in order */
  stepRuns: z.array(stepRun),
  history: z.array(z.object({ at: z.string(), actor: z.string(), event: z.string(), step: z.string().nullable(), details: z.unknown() })),
});
const reason = z
  .string({ error: (i) => (i.input === undefined ? 'Begründung fehlt' : 'Begründung muss Text sein') })
  .trim()
  .min(3, 'Begründung: mindestens 3 Zeichen')
  .max(1000);

export function registerChainRoutes(api: JsonApi, deps: AppDeps) {
  api.route({
    method: 'post',
    path: '/api/cases/:id/chains',
    tag: 'Prozesse',
    roles: ['caseworker'],
    status: 201,
    summary: 'Kette starten (eine laufende je Fall und Art; sonst 409 mit ihrer id)',
    errors: { 404: 'Fall unbekannt', 409: 'Eine Kette dieser Art läuft schon (error.id), Fall abgeschlossen oder anonymisiert' },
    body: z.strictObject({ type: z.enum(CHAIN_TYPES, { error: `Typ muss ${CHAIN_TYPES.join(' oder ')} sein` }) }),
    response: z.object({ id: z.string() }),
    handler: async ({ req, body, params }) => ({
      id: (await startChain(deps, req.user!, actorOf(req), checkId(params.id, 'Fall'), body.type)).id,
    }),
  });

  api.route({
    method: 'get',
    path: '/api/processes',
    tag: 'Prozesse',
    roles: ['caseworker', 'supervisor'],
    summary:
      'Prozesse mit Filtern (Cursor-Blättern; sort=startedAt|dueAt, order=asc|desc — Standard: startedAt absteigend, dueAt aufsteigend)',
    query: processQuery,
    response: z.object({ items: z.array(processItem), total: z.number(), nextCursor: z.string().nullable() }),
    handler: async ({ req, query }) => listProcesses(deps.db, req.user!, query),
  });

  api.route({
    method: 'get',
    path: '/api/processes/:id',
    tag: 'Prozesse',
    roles: ['caseworker', 'supervisor'],
    summary: 'Prozess mit Schritten und Verlauf',
    errors: { 404: 'Prozess unbekannt oder nicht sichtbar' },
    response: processDetailSchema,
    handler: async ({ req, params }) => processDetail(await readProcess(deps.db, req.user!, actorOf(req), checkId(params.id))),
  });

  const fresh = async (req: Parameters<Parameters<JsonApi['route']>[0]['handler']>[0]['req'], id: string) =>
    processDetail(await readProcess(deps.db, req.user!, actorOf(req), id));

  api.route({
    method: 'post',
    path: '/api/processes/:id/steps/:key/complete',
    tag: 'Prozesse',
    roles: ['caseworker'],
    summary: 'Ergebnis des aktuellen Schritts erfassen (nicht aktuell → 409, Ergebnis nicht erlaubt → 400)',
    errors: { 404: 'Prozess unbekannt', 409: 'Schritt nicht aktuell oder Kette nicht mehr laufend' },
    body: z.strictObject({
      outcome: z.string({ error: 'Ergebnis fehlt' }).trim().min(1, 'Ergebnis fehlt').max(64),
      data: z.record(z.string(), z.unknown(), { error: 'Daten müssen ein Objekt sein' }).optional(),
    }),
    response: processDetailSchema,
    idempotent: true,
    handler: async ({ req, body, params }) => {
      const id = checkId(params.id);
      const key = String(params.key).slice(0, 64);
      await completeStep(deps, req.user!, id, key, body, updateIdOf(req, `step:${id}:${key}`));
      return fresh(req, id);
    },
  });

  // hold / resume of one open step (a branch of a fork, issue 14): `step` names it; without it, the whole chain
  const branchStep = z
    .string({ error: 'Schritt muss Text sein' })
    .trim()
    .min(1, 'Schritt fehlt')
    .max(64, 'Schritt: höchstens 64 Zeichen')
    .describe('nur diesen offenen Schritt (Zweig einer Verzweigung) anhalten bzw. fortsetzen; ohne: die ganze Kette');
  for (const action of ['hold', 'resume', 'cancel', 'reassign'] as const) {
    const body =
      action === 'resume'
        ? z.strictObject({ step: branchStep.optional() })
        : action === 'reassign'
          ? z.strictObject({ caseworkerId: z.uuid({ error: 'Fallmanager/in ungültig' }), reason: reason.optional() })
          : action === 'hold'
            ? z.strictObject({ reason, step: branchStep.optional() })
            : z.strictObject({ reason });
    api.route({
      method: 'post',
      path: `/api/processes/:id/${action}`,
      tag: 'Prozesse',
      roles: action === 'cancel' ? ['caseworker'] : ['caseworker', 'supervisor'],
      summary: {
        hold: 'Anhalten (mit Begründung; mit `step` nur diesen offenen Schritt — einen Zweig einer Verzweigung)',
        resume: 'Fortsetzen (mit `step` nur diesen angehaltenen Schritt)',
        cancel: 'Abbrechen (offene Übergaben werden abgebrochen, Stellen informiert)',
        reassign: 'Anderer Fallmanagerin / anderem Fallmanager übertragen',
      }[action],
      errors: { 404: 'Prozess unbekannt', 409: 'Im aktuellen Zustand nicht möglich (z. B. schon angehalten oder beendet)' },
      body,
      response: processDetailSchema,
      idempotent: true,
      handler: async ({ req, body: b, params }) => {
        const id = checkId(params.id);
        const a = b as { reason?: string; caseworkerId?: string; step?: string };
        await chainAction(deps, req.user!, id, action, a, updateIdOf(req, `${action}:${id}${a.step ? `:${a.step}` : ''}`));
        return fresh(req, id);
      },
    });
  }

  registerDashboardRoutes(api, deps);
}
