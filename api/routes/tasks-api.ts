// JSON API of handoffs (API.md "Handoffs") and of deadline rules (admin).
import { z } from 'zod';
import {
  cancelBody,
  completeBody,
  createHandoffBody,
  deadlineRuleBody,
  declineBody,
  forwardBody,
  TASK_STATUSES,
  type HandoffAction,
} from '../../core/domain/handoff';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { notFound } from '../errors';
import type { JsonApi } from '../json-route';
import { listDeadlineRules, setDeadlineRule } from '../services/deadlines';
import { updateIdOf } from '../submission';
import { actOnTask, assertMayAct, createHandoff, getTask, listTasks, taskView, userActor } from '../services/tasks';

const uuid = z.uuid();
const taskItem = z.object({
  id: z.string(),
  processId: z.string().nullable(),
  caseId: z.string(),
  step: z.string(),
  title: z.string(),
  department: z.string(),
  status: z.enum(TASK_STATUSES),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
});
const checkId = (id: string, what = 'Aufgabe') => {
  if (!uuid.safeParse(id).success) throw notFound(what);
  return id;
};

export function registerTaskRoutes(api: JsonApi, deps: AppDeps) {
  api.route({
    method: 'post',
    path: '/api/cases/:id/handoffs',
    tag: 'Übergaben',
    roles: ['caseworker'],
    status: 201,
    summary: 'Einen Schritt an eine Stelle übergeben (startet den Übergabe-Prozess)',
    body: createHandoffBody,
    errors: {
      404: 'Fall unbekannt',
      409: 'Keine Einwilligung für die Stelle, Schritt schon übergeben (error.taskId), Fall abgeschlossen oder anonymisiert',
    },
    response: z.object({ id: z.string() }),
    handler: async ({ req, body, params }) => {
      const r = await createHandoff(deps, req.user!, actorOf(req), checkId(params.id, 'Fall'), body);
      return { id: r.id };
    },
  });

  api.route({
    method: 'get',
    path: '/api/tasks',
    tag: 'Übergaben',
    roles: ['department_member', 'caseworker', 'supervisor'],
    summary: 'Aufgaben (Stellen sehen ihre eigenen)',
    query: z.object({
      department: z.string().max(64).optional(),
      status: z.enum(TASK_STATUSES, { error: `Status muss einer von ${TASK_STATUSES.join(', ')} sein` }).optional(),
    }),
    response: z.object({ items: z.array(taskItem) }),
    handler: async ({ req, query }) => ({ items: (await listTasks(deps.db, req.user!, query, actorOf(req))).map(taskView) }),
  });

  api.route({
    method: 'get',
    path: '/api/tasks/:id',
    tag: 'Übergaben',
    roles: ['department_member', 'caseworker', 'supervisor'],
    summary: 'Aufgabe mit Verlauf',
    errors: { 404: 'Aufgabe unbekannt oder nicht sichtbar' },
    response: taskItem.extend({
      caseReference: z.string(),
      outcome: z.string().nullable(),
      reason: z.string().nullable(),
      reminders: z.number(),
      escalated: z.boolean(),
      history: z.array(z.object({ at: z.string(), actor: z.string(), event: z.string(), details: z.unknown() })),
    }),
    handler: async ({ req, params }) => {
      const { task: t } = await getTask(deps, req.user!, actorOf(req), checkId(params.id));
      return {
        ...taskView(t),
        caseReference: t.case.reference,
        outcome: t.outcome,
        reason: t.reason,
        reminders: t.reminders,
        escalated: t.escalated,
        history: t.events.map((e) => ({ at: e.at.toISOString(), actor: e.actor, event: e.event, details: e.details ?? null })),
      };
    },
  });

  const actionResponse = taskItem
    .pick({ id: true, status: true, department: true, overdue: true })
    .extend({ outcome: z.string().nullable() });
  const act = (name: 'accept' | 'decline' | 'complete' | 'forward' | 'cancel', summary: string, body: z.ZodObject | undefined) =>
    api.route({
      method: 'post',
      path: `/api/tasks/:id/${name}`,
      tag: 'Übergaben',
      roles: name === 'cancel' ? ['caseworker'] : ['department_member'],
      summary,
      body: body ?? z.strictObject({}),
      response: actionResponse,
      idempotent: true,
      errors: {
        404: 'Aufgabe unbekannt',
        409: 'Im aktuellen Zustand der Aufgabe nicht möglich' + (name === 'forward' ? ' oder keine Einwilligung für die neue Stelle' : ''),
      },
      handler: async ({ req, body: b, params }) => {
        const id = checkId(params.id);
        await assertMayAct(deps.db, req.user!, id, name);
        const actor = userActor(req.user!);
        const data = b as Record<string, unknown>;
        const action: HandoffAction =
          name === 'accept'
            ? { action: name, actor }
            : name === 'decline' || name === 'cancel'
              ? { action: name, actor, reason: String(data.reason) }
              : name === 'forward'
                ? { action: name, actor, departmentId: String(data.department), reason: String(data.reason) }
                : { action: name, actor, outcome: String(data.outcome), data: data.data as Record<string, unknown> | undefined };
        const s = await actOnTask(deps, id, action, updateIdOf(req, `${name}:${id}`));
        return { id, status: s.status, department: s.departmentId, overdue: s.overdue, outcome: s.outcome ?? null };
      },
    });
  act('accept', 'Aufgabe annehmen (Eingang bestätigen)', undefined);
  act('decline', 'Aufgabe ablehnen – zurück an das Fallmanagement', declineBody);
  act('complete', 'Aufgabe erledigen: Ergebnis und Daten des Schritts', completeBody);
  act('forward', 'An eine andere Stelle weiterleiten', forwardBody);
  act('cancel', 'Übergabe abbrechen (Fallmanagement)', cancelBody);

  const ruleItem = z.object({
    department: z.string().nullable(),
    step: z.string().nullable(),
    ackDays: z.number(),
    completeDays: z.number(),
  });
  api.route({
    method: 'get',
    path: '/api/admin/deadlines',
    tag: 'Administration',
    roles: ['admin'],
    summary: 'Fristenregeln (Arbeitstage)',
    response: z.object({ items: z.array(ruleItem) }),
    handler: async () => ({
      items: (await listDeadlineRules(deps.db)).map((r) => ({
        department: r.departmentId,
        step: r.stepKey,
        ackDays: r.ackDays,
        completeDays: r.completeDays,
      })),
    }),
  });
  api.route({
    method: 'put',
    path: '/api/admin/deadlines',
    tag: 'Administration',
    roles: ['admin'],
    summary: 'Fristenregel setzen (pro Stelle und/oder Schritt; gilt für neue Übergaben)',
    body: deadlineRuleBody,
    response: ruleItem,
    handler: async ({ req, body }) => {
      const rule = await setDeadlineRule(deps.db, req.user!, actorOf(req), body);
      return { department: rule.departmentId, step: rule.stepKey, ackDays: rule.ackDays, completeDays: rule.completeDays };
    },
  });
}
