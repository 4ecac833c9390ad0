// The department's task inbox (login): list, detail with history, and the action forms.
import { formatDateTime } from '../../core/format/dates';
import { Router, type Request, type Response } from 'express';
import { HANDOFF_STEPS, type HandoffAction } from '../../core/domain/handoff';
import { TASK_STATUS_LABELS, taskEventLabel } from '../../core/format/labels';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { html, page, type SafeHtml } from '../html';
import { actOnTask, assertMayAct, getTask, listTasks, userActor } from '../services/tasks';
import { ACTION_TITLES, actionForm, parseActionForm, taskSummary } from './task-forms';

export function taskPages(deps: AppDeps) {
  const router = Router();
  const view = (req: Request, title: string, body: SafeHtml) => page({ title, body, user: req.user, csrf: req.csrfToken, devInbox: Boolean(deps.capture) });

  router.get('/aufgaben', async (req: Request, res: Response) => {
    const showAll = req.query.alle === '1';
    const tasks = await listTasks(deps.db, req.user!, { open: !showAll });
    res.send(view(req, 'Aufgaben', html`
      <p>${showAll ? html`Alle Aufgaben. <a href="/aufgaben">Nur offene zeigen</a>` : html`Offene Aufgaben, überfällige zuerst. <a href="/aufgaben?alle=1">Alle zeigen</a>`}</p>
      ${tasks.length === 0 ? html`<p>Keine Aufgaben.</p>` : html`<table>
        <thead><tr><th scope="col">Fall</th><th scope="col">Aufgabe</th><th scope="col">Stelle</th><th scope="col">Status</th><th scope="col">Frist</th></tr></thead>
        <tbody>${tasks.map((t) => {
          const due = t.status === 'accepted' ? t.dueAt : t.ackDueAt;
          return html`<tr><td>${t.case.reference}</td><td><a href="/aufgaben/${t.id}">${HANDOFF_STEPS[t.stepKey]?.title ?? t.title}</a></td>
            <td>${t.departmentId}</td><td>${TASK_STATUS_LABELS[t.status]}${t.overdue ? html` <strong class="overdue">überfällig</strong>` : ''}</td>
            <td>${due ? formatDateTime(due) : '–'}</td></tr>`;
        })}</tbody></table>`}`));
  });

  async function detail(req: Request, res: Response, id: string, status = 200, form?: { action: string; values: Record<string, string>; errors: Record<string, string> }, notice?: string) {
    const { task: t } = await getTask(deps, req.user!, actorOf(req), id);
    const full = await deps.db.task.findUniqueOrThrow({
      where: { id }, include: { department: true, case: { select: { anonymizedAt: true, person: { select: { firstName: true, lastName: true, birthDate: true } } } } },
    });
    const departments = await deps.db.department.findMany({ where: { id: { not: t.departmentId } }, orderBy: { name: 'asc' } });
    const open = ['notified', 'accepted', 'created', 'forwarded'].includes(t.status);
    const member = req.user!.role === 'department_member' && req.user!.departmentId === t.departmentId;
    const actions = !open ? [] : member ? (t.status === 'accepted' ? ['complete', 'decline', 'forward'] : ['accept', 'complete', 'decline', 'forward'])
      : req.user!.role === 'caseworker' ? ['cancel'] : [];
    res.status(status).send(view(req, `Aufgabe: ${HANDOFF_STEPS[t.stepKey]?.title ?? t.title}`, html`
      ${notice ? html`<p class="notice ok" role="status">${notice}</p>` : ''}
      ${taskSummary({
        reference: t.case.reference, stepKey: t.stepKey, title: t.title, departmentName: full.department.name, status: t.status,
        ackDueAt: t.ackDueAt, dueAt: t.dueAt, overdue: t.overdue,
        ...(full.case.anonymizedAt ? {} : { personName: `${full.case.person.firstName} ${full.case.person.lastName}`, birthDate: full.case.person.birthDate }),
      })}
      ${t.reason ? html`<p><strong>Begründung:</strong> ${t.reason}</p>` : ''}
      ${t.outcome ? html`<p><strong>Ergebnis:</strong> ${HANDOFF_STEPS[t.stepKey]?.outcomes[t.outcome] ?? t.outcome}</p>` : ''}
      ${actions.map((a) => html`<section aria-labelledby="h-${a}"><h2 id="h-${a}">${ACTION_TITLES[a]}</h2>
        ${actionForm({ action: a, postUrl: `/aufgaben/${t.id}/${a}`, stepKey: t.stepKey, csrf: req.csrfToken, departments,
          values: form?.action === a ? form.values : undefined, errors: form?.action === a ? form.errors : undefined })}</section>`)}
      <section aria-labelledby="h-verlauf"><h2 id="h-verlauf">Verlauf</h2>
        <ol>${t.events.map((e) => html`<li>${formatDateTime(e.at)}: ${taskEventLabel(e.event)}${e.actor.startsWith('link:') ? ` (per E-Mail-Link)` : e.actor === 'system' ? '' : ' (in KIM Flow)'}</li>`)}</ol>
      </section>`));
  }

  router.get('/aufgaben/:id', async (req: Request, res: Response) => {
    const ok = typeof req.query.ok === 'string' && ACTION_TITLES[req.query.ok] ? `${ACTION_TITLES[req.query.ok]}: gespeichert.` : undefined;
    await detail(req, res, String(req.params.id), 200, undefined, ok);
  });

  router.post('/aufgaben/:id/:action', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const action = String(req.params.action);
    if (!ACTION_TITLES[action]) throw new HttpError(404, 'not_found', 'Aktion nicht gefunden.');
    const t = await assertMayAct(deps.db, req.user!, id, action as HandoffAction['action']);
    const form = parseActionForm(action, t.stepKey, req.body);
    if (!form.ok) return detail(req, res, id, 400, { action, values: form.values, errors: form.errors });
    try {
      await actOnTask(deps, id, { action, actor: userActor(req.user!), ...form.fields } as never);
    } catch (err) {
      if (err instanceof HttpError && [400, 403, 409].includes(err.status)) {
        const errors = err.details.length ? Object.fromEntries(err.details.map((d) => [d.field, d.message])) : { action: err.message };
        return detail(req, res, id, err.status, { action, values: {}, errors });
      }
      throw err;
    }
    res.redirect(303, `/aufgaben/${id}?ok=${action}`);
  });

  return router;
}
