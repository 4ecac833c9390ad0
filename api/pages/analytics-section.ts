// The bottleneck section of /leitung (issue: reports): reads its own query parameters (ketteArt, stelle,
// von, bis), validates them as GET /api/analytics/steps does, and renders analytics-view.ts. Invalid
// filters show the German message at the field and fall back to the default period.
import type { Request } from 'express';
import type { AppDeps } from '../deps';
import { analyticsQuery, filterOf, stepAnalytics } from '../services/analytics';
import { ANALYTICS_PARAMS, analyticsView } from '../views/analytics-view';

export async function analyticsSection(deps: AppDeps, req: Request) {
  const values: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const [k, param] of Object.entries(ANALYTICS_PARAMS)) {
    const v = req.query[param];
    if (typeof v === 'string' && v.trim() !== '') {
      values[param] = v.trim();
      query[k] = v.trim();
    }
  }
  const parsed = analyticsQuery.safeParse(query);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0] ?? 'from')] ??= i.message;
  const a = await stepAnalytics(deps.db, req.user!, filterOf(parsed.success ? parsed.data : {}));
  return analyticsView(a, values, errors);
}
