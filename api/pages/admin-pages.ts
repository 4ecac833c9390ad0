// Administration pages (admin role only): deadline rules for handoffs (/admin/fristen). The form
// upserts a rule exactly like PUT /api/admin/deadlines: validated by deadlineRuleBody, department and
// step must exist, one rule per (department, step), audited as deadline.set.
import { formatDateTime } from '../../core/format/dates';
import { Router, type Request, type Response } from 'express';
import { audit } from '../../core/audit';
import { deadlineRuleBody, HANDOFF_STEPS } from '../../core/domain/handoff';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { forbidden } from '../errors';
import { csrfField, errorSummary, field, html, page, select, type SafeHtml } from '../html';
import type { FieldErrors } from './forms';

const LABELS: Record<string, string> = { department: 'Stelle', step: 'Schritt', ackDays: 'Eingang bestätigen (Arbeitstage)', completeDays: 'Erledigen (Arbeitstage)' };
const ALL = '';
const days = (n: number) => `${n} ${n === 1 ? 'Arbeitstag' : 'Arbeitstage'}`;

export function adminPages(deps: AppDeps) {
  const router = Router();
  const view = (req: Request, title: string, body: SafeHtml) => page({ title, body, user: req.user, csrf: req.csrfToken, devInbox: Boolean(deps.capture) });
  const needAdmin = (req: Request) => {
    if (req.user?.role !== 'admin') throw forbidden('Nur die Administration kann Fristen ändern.');
  };

  async function render(req: Request, res: Response, status = 200, values: Record<string, string> = {}, errors: FieldErrors = {}, notice?: string) {
    const [rules, departments] = await Promise.all([
      deps.db.deadlineRule.findMany({ orderBy: [{ departmentId: 'asc' }, { stepKey: 'asc' }] }),
      deps.db.department.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true } }),
    ]);
    const editors = await deps.db.user.findMany({ where: { id: { in: rules.map((r) => r.updatedById).filter((x): x is string => !!x) } }, select: { id: true, name: true } });
    const deptName = (id: string | null) => (id ? departments.find((d) => d.id === id)?.name ?? id : 'alle Stellen');
    const stepName = (key: string | null) => (key ? HANDOFF_STEPS[key]?.title ?? key : 'alle Schritte');
    res.status(status).send(view(req, 'Fristen', html`
      ${notice ? html`<p class="notice ok" role="status">${notice}</p>` : ''}
      ${errorSummary(errors)}
      <p>Fristen für Übergaben an Stellen in Arbeitstagen (Montag bis Freitag ohne Feiertage in NRW). Eine Regel gilt für neue Übergaben;
        die genaueste passende Regel gewinnt: Stelle und Schritt, dann Schritt (alle Stellen), dann Stelle (alle Schritte), dann „alle/alle“.
        Erst wenn keine Regel passt, gelten die Vorgaben je Schritt.</p>
      <section aria-labelledby="h-regeln"><h2 id="h-regeln">Regeln</h2>
        ${rules.length === 0 ? html`<p>Noch keine Regeln – es gelten die Vorgaben je Schritt.</p>` : html`<table>
          <thead><tr><th scope="col">Stelle</th><th scope="col">Schritt</th><th scope="col">Eingang bestätigen</th><th scope="col">Erledigen</th><th scope="col">Geändert</th></tr></thead>
          <tbody>${rules.map((r) => html`<tr><td>${deptName(r.departmentId)}</td><td>${stepName(r.stepKey)}</td>
            <td>${days(r.ackDays)}</td><td>${days(r.completeDays)}</td>
            <td>${formatDateTime(r.updatedAt)}${r.updatedById ? ` von ${editors.find((u) => u.id === r.updatedById)?.name ?? 'unbekannt'}` : ''}</td></tr>`)}</tbody></table>`}
      </section>
      <section aria-labelledby="h-setzen"><h2 id="h-setzen">Regel setzen</h2>
        <p class="hint">Gibt es für Stelle und Schritt schon eine Regel, wird sie überschrieben. Pflichtangaben sind mit * gekennzeichnet.</p>
        <form method="post" action="/admin/fristen" novalidate>
          ${csrfField(req.csrfToken)}
          ${select({ name: 'department', label: 'Stelle', value: values.department ?? ALL, error: errors.department,
            options: [[ALL, 'alle Stellen'], ...departments.map((d): [string, string] => [d.id, d.name])] })}
          ${select({ name: 'step', label: 'Schritt', value: values.step ?? ALL, error: errors.step,
            options: [[ALL, 'alle Schritte'], ...Object.values(HANDOFF_STEPS).map((s): [string, string] => [s.key, s.title])] })}
          ${field({ name: 'ackDays', label: LABELS.ackDays, type: 'number', required: true, value: values.ackDays, error: errors.ackDays, hint: 'ganze Tage, 0 bis 60', attrs: 'min="0" max="60" step="1" inputmode="numeric"' })}
          ${field({ name: 'completeDays', label: LABELS.completeDays, type: 'number', required: true, value: values.completeDays, error: errors.completeDays, hint: 'ganze Tage nach der Annahme, 0 bis 250', attrs: 'min="0" max="250" step="1" inputmode="numeric"' })}
          <button type="submit">Regel speichern</button>
        </form>
      </section>
      <section aria-labelledby="h-vorgaben"><h2 id="h-vorgaben">Vorgaben je Schritt (ohne Regel)</h2>
        <table><thead><tr><th scope="col">Schritt</th><th scope="col">Eingang bestätigen</th><th scope="col">Erledigen</th></tr></thead>
          <tbody>${Object.values(HANDOFF_STEPS).map((s) => html`<tr><td>${s.title}</td><td>${days(s.ackDays)}</td><td>${days(s.completeDays)}</td></tr>`)}</tbody></table>
      </section>`));
  }

  router.get('/admin/fristen', async (req: Request, res: Response) => {
    needAdmin(req);
    await render(req, res, 200, {}, {}, req.query.ok === '1' ? 'Regel gespeichert.' : undefined);
  });

  router.post('/admin/fristen', async (req: Request, res: Response) => {
    needAdmin(req);
    const values: Record<string, string> = {};
    for (const k of ['department', 'step', 'ackDays', 'completeDays']) values[k] = typeof req.body?.[k] === 'string' ? req.body[k].trim() : '';
    const num = (v: string) => (/^-?\d+([.,]\d+)?$/.test(v) ? Number(v.replace(',', '.')) : v === '' ? undefined : v);
    const r = deadlineRuleBody.safeParse({
      department: values.department || null, step: values.step || null, ackDays: num(values.ackDays), completeDays: num(values.completeDays),
    });
    const errors: FieldErrors = {};
    if (!r.success) {
      for (const i of r.error.issues) {
        const f = String(i.path[0] ?? 'ackDays');
        errors[f] ??= i.code === 'invalid_type' && (f === 'ackDays' || f === 'completeDays') && !values[f]
          ? `${LABELS[f]}: bitte angeben`
          : `${LABELS[f] ?? f}: ${i.code === 'too_small' ? `mindestens ${(i as { minimum?: number }).minimum}` : i.code === 'too_big' ? `höchstens ${(i as { maximum?: number }).maximum}` : i.message}`;
      }
      return render(req, res, 400, values, errors);
    }
    const body = r.data;
    if (body.department && !(await deps.db.department.findUnique({ where: { id: body.department } }))) errors.department = 'Stelle: unbekannt';
    if (body.step && !HANDOFF_STEPS[body.step]) errors.step = 'Schritt: unbekannt';
    if (Object.keys(errors).length) return render(req, res, 400, values, errors);

    const existing = await deps.db.deadlineRule.findFirst({ where: { departmentId: body.department, stepKey: body.step } });
    const rule = existing
      ? await deps.db.deadlineRule.update({ where: { id: existing.id }, data: { ackDays: body.ackDays, completeDays: body.completeDays, updatedById: req.user!.id } })
      : await deps.db.deadlineRule.create({ data: { departmentId: body.department, stepKey: body.step, ackDays: body.ackDays, completeDays: body.completeDays, updatedById: req.user!.id } });
    await audit(deps.db, actorOf(req), 'deadline.set', { type: 'DeadlineRule', id: rule.id }, body);
    res.redirect(303, '/admin/fristen?ok=1');
  });

  return router;
}
