// Administration pages (admin role only): deadline rules for handoffs (/admin/fristen). The form
// upserts a rule exactly like PUT /api/admin/deadlines (services/deadlines.ts): validated by
// deadlineRuleBody, department and step must exist, one rule per (department, step), audited.
import type { Request, Response } from 'express';
import { deadlineRuleBody } from '../../core/domain/handoff';
import { ROLES } from '../access';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { HttpError } from '../errors';
import { listDeadlineRules, setDeadlineRule } from '../services/deadlines';
import { listDepartments } from '../services/departments';
import { deadlinesView, DEADLINE_LABELS as LABELS } from '../views/admin-deadlines';
import type { FieldErrors } from './forms';
import { layout, pageRouter } from './page-route';

const ADMIN = { roles: ROLES.administration, denied: 'Nur die Administration kann Fristen ändern.' };

export function adminPages(deps: AppDeps) {
  const pages = pageRouter();

  async function render(
    req: Request,
    res: Response,
    status = 200,
    values: Record<string, string> = {},
    errors: FieldErrors = {},
    notice?: string,
  ) {
    const [rules, departments] = await Promise.all([listDeadlineRules(deps.db), listDepartments(deps.db)]);
    res
      .status(status)
      .send(layout(deps, req, 'Fristen', deadlinesView({ rules, departments, csrf: req.csrfToken, values, errors, notice })));
  }

  pages.get('/admin/fristen', ADMIN, async (req: Request, res: Response) => {
    await render(req, res, 200, {}, {}, req.query.ok === '1' ? 'Regel gespeichert.' : undefined);
  });

  pages.post('/admin/fristen', ADMIN, async (req: Request, res: Response) => {
    const values: Record<string, string> = {};
    for (const k of ['department', 'step', 'ackDays', 'completeDays'])
      values[k] = typeof req.body?.[k] === 'string' ? req.body[k].trim() : '';
    const num = (v: string) => (/^-?\d+([.,]\d+)?$/.test(v) ? Number(v.replace(',', '.')) : v === '' ? undefined : v);
    const r = deadlineRuleBody.safeParse({
      department: values.department || null,
      step: values.step || null,
      ackDays: num(values.ackDays),
      completeDays: num(values.completeDays),
    });
    const errors: FieldErrors = {};
    if (!r.success) {
      for (const i of r.error.issues) {
        const f = String(i.path[0] ?? 'ackDays');
        errors[f] ??=
          i.code === 'invalid_type' && (f === 'ackDays' || f === 'completeDays') && !values[f]
            ? `${LABELS[f]}: bitte angeben`
            : `${LABELS[f] ?? f}: ${i.code === 'too_small' ? `mindestens ${(i as { minimum?: number }).minimum}` : i.code === 'too_big' ? `höchstens ${(i as { maximum?: number }).maximum}` : i.message}`;
      }
      return render(req, res, 400, values, errors);
    }
    try {
      await setDeadlineRule(deps.db, req.user!, actorOf(req), r.data);
    } catch (err) {
      if (err instanceof HttpError && err.status === 400)
        return render(req, res, 400, values, Object.fromEntries(err.details.map((d) => [d.field, d.message])));
      throw err;
    }
    res.redirect(303, '/admin/fristen?ok=1');
  });

  return pages.router;
}
