// GET /healthz: 200 when PostgreSQL and Temporal answer, 503 naming the failing check otherwise.
import { Router } from 'express';
import { temporalHealthy } from '../../core/temporal';
import type { AppDeps } from '../deps';

async function databaseHealthy(deps: AppDeps): Promise<boolean> {
  try {
    await Promise.race([
      deps.db.$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

export function healthRouter(deps: AppDeps) {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [database, temporal] = await Promise.all([databaseHealthy(deps), temporalHealthy(deps.temporal)]);
    const checks = { database: database ? 'ok' : 'unavailable', temporal: temporal ? 'ok' : 'unavailable' };
    const ok = database && temporal;
    res
      .status(ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ok ? 'ok' : 'unavailable', checks });
  });
  return router;
}
