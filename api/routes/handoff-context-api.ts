// JSON API of handoffs with context (issue 14): the caseworker's message to the department for a
// handoff step of a chain. Stored in PostgreSQL only; the department reads it behind the task's link
// while a consent covers it.
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { notFound } from '../errors';
import type { JsonApi } from '../json-route';
import { idempotencyKeyHeader } from '../submission';
import { addHandoffMessage } from '../services/handoff-context';

export const handoffMessageBody = z.strictObject({
  step: z.string({ error: 'Schritt fehlt' }).trim().min(1, 'Schritt fehlt').max(64, 'Schritt: zu lang'),
  text: z
    .string({ error: (i) => (i.input === undefined ? 'Nachricht fehlt' : 'Nachricht muss Text sein') })
    .trim()
    .min(3, 'Nachricht: bitte mindestens 3 Zeichen')
    .max(2000, 'Nachricht ist zu lang (höchstens 2000 Zeichen)'),
});

export function registerHandoffContextRoutes(api: JsonApi, deps: AppDeps) {
  api.route({
    method: 'post',
    path: '/api/processes/:id/handoff-messages',
    tag: 'Prozesse',
    roles: ['caseworker'],
    status: 201,
    summary:
      'Nachricht an die Stelle zu einem Übergabe-Schritt (offene Übergabe, sonst die nächste dieses Schritts); sichtbar hinter dem Link der Aufgabe, solange eine Einwilligung die Stelle abdeckt, nie in der E-Mail',
    errors: { 404: 'Prozess unbekannt', 409: 'Kette beendet oder Fall anonymisiert' },
    body: handoffMessageBody,
    idempotent: true,
    response: z.object({ id: z.string(), step: z.string(), taskId: z.string().nullable(), createdAt: z.string() }),
    handler: async ({ req, res, body, params }) => {
      if (!z.uuid().safeParse(params.id).success) throw notFound('Prozess');
      const r = await addHandoffMessage(deps.db, req.user!, actorOf(req), params.id, body, idempotencyKeyHeader(req));
      if (!r.created) res.locals.status = 200;
      const m = r.message;
      return { id: m.id, step: m.stepKey, taskId: m.taskId, createdAt: m.createdAt.toISOString() };
    },
  });
}
