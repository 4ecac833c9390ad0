// Deadline rules for handoffs: the most specific rule wins — (department, step) → (any, step) →
// (department, any) → (any, any) → the step's default. Working days (core/domain/working-days.ts).
import type { Db } from './db/client';
import { HANDOFF_STEPS } from './domain/handoff';

export async function resolveDeadlines(db: Pick<Db, 'deadlineRule'>, departmentId: string, stepKey: string) {
  const rules = await db.deadlineRule.findMany({
    where: {
      OR: [
        { departmentId, stepKey },
        { departmentId: null, stepKey },
        { departmentId, stepKey: null },
        { departmentId: null, stepKey: null },
      ],
    },
  });
  const rank = (r: { departmentId: string | null; stepKey: string | null }) => (r.departmentId ? 2 : 0) + (r.stepKey ? 4 : 0);
  const best = rules.sort((a, b) => rank(b) - rank(a))[0];
  const step = HANDOFF_STEPS[stepKey];
  return { ackDays: best?.ackDays ?? step?.ackDays ?? 2, completeDays: best?.completeDays ?? step?.completeDays ?? 10 };
}
