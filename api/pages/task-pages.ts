// The department's task inbox (login): list, detail with history, and the action forms.
import { formatDateTime } from '../../core/format/dates';
import type { Request, Response } from 'express';
import { HANDOFF_STEPS, type HandoffAction } from '../../core/domain/handoff';
import { TASK_STATUS_LABELS, taskEventLabel } from '../../core/format/labels';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { html, type SafeHtml } from '../html';
import { ROLES, taskActionsFor } from '../access';
import { updateIdOf } from '../submission';
import { actOnTask, assertMayAct, listTasks, taskPage, userActor } from '../services/tasks';
import { layout, LOGIN, pageRouter } from './page-route';
import { ACTION_TITLES, actionForm, contextSection, parseActionForm, taskSummary } from './task-forms';
import { taskContext, taskResultFields } from '../services/handoff-context';

const formStrings = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body ?? {}).filter(([k, v]) => typeof v === 'string' && !k.startsWith('_'))) as Record<string, string>;

export function taskPages(deps: AppDeps) {
  const pages = pageRouter();
  const view = (req: Request, title: string, body: SafeHtml) => layout(deps, req, title, body);
  const INBOX = { roles: ROLES.taskInbox, denied: 'Ihre Rolle hat keine Aufgaben.' };

  pages.get('/aufgaben', INBOX, async (req: Request, res: Response) => {
    const showAll = req.query.alle === '1';
    const tasks = await listTasks(deps.db, req.user!, { open: !showAll }, actorOf(req));
    res.send(
      view(
        req,
        'Aufgaben',
        html`
      <p>${showAll ? html`Alle Aufgaben. <a href="/aufgaben">Nur offene zeigen</a>` : html`Offene Aufgaben, überfällige zuerst. <a href="/aufgaben?alle=1">Alle zeigen</a>`}</p>
      ${
        tasks.length === 0
          ? html`<p>Keine Aufgaben.</p>`
          : html`<table>
        <thead><tr><th scope="col">Fall</th><th scope="col">Aufgabe</th><th scope="col">Stelle</th><th scope="col">Status</th><th scope="col">Frist</th></tr></thead>
        <tbody>${tasks.map((t) => {
          const due = t.status === 'accepted' ? t.dueAt : t.ackDueAt;
          return html`<tr><td>${t.case.reference}</td><td><a href="/aufgaben/${t.id}">${HANDOFF_STEPS[t.stepKey]?.title ?? t.title}</a></td>
            <td>${t.departmentId}</td><td>${TASK_STATUS_LABELS[t.status]}${t.overdue ? html` <strong class="overdue">überfällig</strong>` : ''}</td>
            <td>${due ? formatDateTime(due) : '–'}</td></tr>`;
        })}</tbody></table>`
      }`,
      ),
    );
  });

  async function detail(
    req: Request,
    res: Response,
    id: string,
    status = 200,
    form?: { action: string; values: Record<string, string>; errors: Record<string, string> },
    notice?: string,
  ) {
    const { task: t, departmentName, person, departments } = await taskPage(deps, req.user!, actorOf(req), id);
    const actions = taskActionsFor(req.user!, t);
    const context = await taskContext(deps.db, actorOf(req), t);
    res.status(status).send(
      view(
        req,
        `Aufgabe: ${HANDOFF_STEPS[t.stepKey]?.title ?? t.title}`,
        html`
      ${notice ? html`<p class="notice ok" role="status">${notice}</p>` : ''}
      ${taskSummary({
        reference: t.case.reference,
        stepKey: t.stepKey,
        title: t.title,
        departmentName,
        status: t.status,
        ackDueAt: t.ackDueAt,
        dueAt: t.dueAt,
        overdue: t.overdue,
        ...(person ? { personName: `${person.firstName} ${person.lastName}`, birthDate: person.birthDate } : {}),
      })}
      ${person ? '' : html`<p class="hint">Personendaten werden nur angezeigt, solange die Aufgabe offen ist und eine Einwilligung für die Stelle vorliegt.</p>`}
      ${contextSection(context)}
      ${t.reason ? html`<p><strong>Begründung:</strong> ${t.reason}</p>` : ''}
      ${t.outcome ? html`<p><strong>Ergebnis:</strong> ${HANDOFF_STEPS[t.stepKey]?.outcomes[t.outcome] ?? t.outcome}</p>` : ''}
      ${actions.map(
        (a) => html`<section aria-labelledby="h-${a}"><h2 id="h-${a}">${ACTION_TITLES[a]}</h2>
        ${actionForm({
          action: a,
          postUrl: `/aufgaben/${t.id}/${a}`,
          stepKey: t.stepKey,
          csrf: req.csrfToken,
          departments,
          resultFields: context.resultFields,
          values: form?.action === a ? form.values : undefined,
          errors: form?.action === a ? form.errors : undefined,
        })}</section>`,
      )}
      <section aria-labelledby="h-verlauf"><h2 id="h-verlauf">Verlauf</h2>
        <ol>${t.events.map((e) => html`<li>${formatDateTime(e.at)}: ${taskEventLabel(e.event)}${e.actor.startsWith('link:') ? ` (per E-Mail-Link)` : e.actor === 'system' ? '' : ' (in KIM Flow)'}</li>`)}</ol>
      </section>`,
      ),
    );
  }

  pages.get('/aufgaben/:id', LOGIN, async (req: Request, res: Response) => {
    const ok = typeof req.query.ok === 'string' && ACTION_TITLES[req.query.ok] ? `${ACTION_TITLES[req.query.ok]}: gespeichert.` : undefined;
    await detail(req, res, String(req.params.id), 200, undefined, ok);
  });

  for (const action of Object.keys(ACTION_TITLES) as Array<HandoffAction['action']>) {
    const access =
      action === 'cancel'
        ? { roles: ROLES.caseWork, denied: 'Nur das Fallmanagement kann eine Übergabe abbrechen.' }
        : { roles: ROLES.departmentWork, denied: 'Nur Mitglieder der zuständigen Stelle können diese Aufgabe bearbeiten.' };
    pages.post(`/aufgaben/:id/${action}`, access, async (req: Request, res: Response) => {
      const id = String(req.params.id);
      const t = await assertMayAct(deps.db, req.user!, id, action);
      const form = parseActionForm(action, t.stepKey, req.body, action === 'complete' ? await taskResultFields(deps.db, id) : []);
      if (!form.ok) return detail(req, res, id, 400, { action, values: form.values, errors: form.errors });
      try {
        await actOnTask(deps, id, { ...form.fields, actor: userActor(req.user!) }, updateIdOf(req, `${action}:${id}`));
      } catch (err) {
        if (err instanceof HttpError && [400, 403, 409].includes(err.status)) {
          const errors = err.details.length ? Object.fromEntries(err.details.map((d) => [d.field, d.message])) : { action: err.message };
          return detail(req, res, id, err.status, { action, values: err.status === 400 ? formStrings(req.body) : {}, errors });
        }
        throw err;
      }
      res.redirect(303, `/aufgaben/${id}?ok=${action}`);
    });
  }

  return pages.router;
}
