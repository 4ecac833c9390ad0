// E-mail action links. GET /t/<token> only shows the task and a confirm form (mail scanners
// pre-fetch links); POST acts. Forged → 403; expired, used, task ended or forwarded, consent withdrawn
// → 410 with a German page saying why; nothing changes, it is audited.
import { Router, type Request, type Response } from 'express';
import type { Actor } from '../../core/audit';
import { HANDOFF_STEPS } from '../../core/domain/handoff';
import type { AppDeps } from '../deps';
import { HttpError } from '../errors';
import { html, page } from '../html';
import { checkLink, linkTask, spendLink, type CheckedLink, type LinkRejection, type LinkToken } from '../services/links';
import { actOnTask } from '../services/tasks';
import { ACTION_TITLES, actionForm, contextSection, parseActionForm, taskSummary } from './task-forms';
import { taskContext, taskResultFields } from '../services/handoff-context';

const formStrings = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body ?? {}).filter(([k, v]) => typeof v === 'string' && !k.startsWith('_'))) as Record<string, string>;

const REJECTION_TEXTS: Record<LinkRejection, string> = {
  forged: 'Dieser Link ist ungültig.',
  expired: 'Dieser Link ist abgelaufen.',
  used: 'Dieser Link wurde bereits verwendet.',
  ended: 'Diese Aufgabe ist beendet (erledigt, abgelehnt oder abgebrochen); der Link gilt nicht mehr.',
  forwarded: 'Diese Aufgabe wurde an eine andere Stelle weitergeleitet; der Link gilt nicht mehr.',
  consent:
    'Die Einwilligung für Ihre Stelle liegt nicht mehr vor (widerrufen); der Link gilt nicht mehr. Bitte die Daten nicht weiter verwenden.',
};

export function linkPages(deps: AppDeps) {
  const router = Router();
  const linkActor = (req: Request): Actor => ({ id: null, role: 'link', ip: req.ip, requestId: req.requestId });
  const check = (req: Request, raw: string) => checkLink(deps, linkActor(req), raw, req.method);

  function rejected(res: Response, c: Extract<CheckedLink, { ok: false }>) {
    const text = REJECTION_TEXTS[c.reason];
    res.status(c.status).send(
      page({
        title: c.status === 403 ? 'Link ungültig' : 'Link nicht mehr gültig',
        body: html`<p role="alert">${text} Es wurde nichts geändert.</p><p>Sie können die Aufgabe nach der Anmeldung unter <a href="/aufgaben">Aufgaben</a> bearbeiten.</p>`,
      }),
    );
  }

  async function render(
    req: Request,
    res: Response,
    raw: string,
    token: LinkToken,
    status = 200,
    values?: Record<string, string>,
    errors?: Record<string, string>,
  ) {
    const { task: t, departments } = await linkTask(deps, linkActor(req), token);
    const context = await taskContext(deps.db, linkActor(req), t);
    res.status(status).send(
      page({
        title: `${ACTION_TITLES[token.action] ?? token.action}: ${HANDOFF_STEPS[t.stepKey]?.title ?? t.title}`,
        body: html`${taskSummary({
          reference: t.case.reference,
          stepKey: t.stepKey,
          title: t.title,
          departmentName: t.department.name,
          status: t.status,
          ackDueAt: t.ackDueAt,
          dueAt: t.dueAt,
          overdue: t.overdue,
          personName: `${t.case.person.firstName} ${t.case.person.lastName}`,
          birthDate: t.case.person.birthDate,
        })}
      ${contextSection(context)}
      <p class="hint">Dieser Link gilt für ${token.recipient} und kann einmal verwendet werden.</p>
      ${actionForm({ action: token.action, postUrl: `/t/${raw}`, stepKey: t.stepKey, departments, values, errors, resultFields: context.resultFields })}`,
      }),
    );
  }

  router.get('/t/:token', async (req: Request, res: Response) => {
    const raw = String(req.params.token);
    const c = await check(req, raw);
    if (!c.ok) return rejected(res, c);
    await render(req, res, raw, c.token);
  });

  router.post('/t/:token', async (req: Request, res: Response) => {
    const raw = String(req.params.token);
    const c = await check(req, raw);
    if (!c.ok) return rejected(res, c);
    const form = parseActionForm(
      c.token.action,
      c.task.stepKey,
      req.body,
      c.token.action === 'complete' ? await taskResultFields(deps.db, c.token.taskId) : [],
    );
    if (!form.ok) return render(req, res, raw, c.token, 400, form.values, form.errors);
    const actor = { kind: 'link' as const, recipient: c.token.recipient, departmentId: c.token.departmentId };
    try {
      await actOnTask(deps, c.task, { ...form.fields, actor }, `link:${c.token.id}`); // one action per link, even double-clicked
    } catch (err) {
      if (err instanceof HttpError && err.status === 400) {
        return render(req, res, raw, c.token, 400, formStrings(req.body), Object.fromEntries(err.details.map((d) => [d.field, d.message])));
      }
      if (err instanceof HttpError && (err.status === 409 || err.status === 403)) {
        return res
          .status(err.status)
          .send(page({ title: 'Nicht möglich', body: html`<p role="alert">${err.message} Es wurde nichts geändert.</p>` }));
      }
      throw err;
    }
    await spendLink(deps.db, c.token.id);
    res.send(
      page({
        title: 'Erledigt',
        body: html`<p class="notice ok" role="status">Danke – „${ACTION_TITLES[c.token.action] ?? c.token.action}“ wurde gespeichert. Das Fallmanagement sieht das Ergebnis sofort.</p>`,
      }),
    );
  });

  return router;
}
