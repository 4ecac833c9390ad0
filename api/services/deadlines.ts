// Deadline rules for handoffs (admin): the list with who changed each rule, and the upsert shared by
// the admin page and PUT /api/admin/deadlines — one rule per (department, step), audited as deadline.set.
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { HANDOFF_STEPS } from '../../core/domain/handoff';
import type { AuthUser } from '../auth';
import { badRequest, type ErrorDetail } from '../errors';
import { departmentExists } from './departments';

export interface DeadlineRuleInput {
  department: string | null;
  step: string | null;
  ackDays: number;
  completeDays: number;
}

/** The rules by department and step, with the name of whoever changed each last. */
export async function listDeadlineRules(db: Db) {
  const rules = await db.deadlineRule.findMany({ orderBy: [{ departmentId: 'asc' }, { stepKey: 'asc' }] });
  const editorIds = rules.map((r) => r.updatedById).filter((x): x is string => !!x);
  const editors = editorIds.length ? await db.user.findMany({ where: { id: { in: editorIds } }, select: { id: true, name: true } }) : [];
  return rules.map((r) => ({
    ...r,
    updatedByName: r.updatedById ? (editors.find((u) => u.id === r.updatedById)?.name ?? 'unbekannt') : null,
  }));
}

/** Creates or overwrites the rule of (department, step); unknown department or step → 400 naming the field. */
export async function setDeadlineRule(db: Db, user: AuthUser, actor: Actor, body: DeadlineRuleInput) {
  const details: ErrorDetail[] = [];
  if (body.department && !(await departmentExists(db, body.department)))
    details.push({ field: 'department', message: 'Stelle: unbekannt' });
  if (body.step && !HANDOFF_STEPS[body.step]) details.push({ field: 'step', message: 'Schritt: unbekannt' });
  if (details.length)
    throw badRequest(
      details[0].field === 'department' ? `Unbekannte Stelle: ${body.department}` : `Unbekannter Schritt: ${body.step}`,
      details,
    );
  const existing = await db.deadlineRule.findFirst({ where: { departmentId: body.department, stepKey: body.step } });
  const data = { ackDays: body.ackDays, completeDays: body.completeDays, updatedById: user.id };
  const rule = existing
    ? await db.deadlineRule.update({ where: { id: existing.id }, data })
    : await db.deadlineRule.create({ data: { departmentId: body.department, stepKey: body.step, ...data } });
  await audit(db, actor, 'deadline.set', { type: 'DeadlineRule', id: rule.id }, { ...body });
  return rule;
}
