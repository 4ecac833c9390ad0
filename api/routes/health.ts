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

type Health = { database: boolean; temporal: boolean };

/**
 * One check in flight at a time: probes that arrive while it runs share its answer (never older than
 * the check itself). Without it every probe was a call to Temporal: under a burst of probes the Temporal
 * frontend's rate limit answered RESOURCE_EXHAUSTED (the dev server allows about 1,000 calls/s), the
 * client retried until its deadline passed, and /healthz said 503 while both were fine (bench:pages).
 */
function sharedCheck(check: () => Promise<Health>): () => Promise<Health> {
  let running: Promise<Health> | undefined;
  return () => {
    running ??= check().finally(() => {
      running = undefined;
    });
    return running;
  };
}

export function healthRouter(deps: AppDeps) {
  const router = Router();
  const check = sharedCheck(async () => {
    const [database, temporal] = await Promise.all([databaseHealthy(deps), temporalHealthy(deps.temporal)]);
    return { database, temporal };
  });
  router.get('/healthz', async (_req, res) => {
    const { database, temporal } = await check();
    const checks = { database: database ? 'ok' : 'unavailable', temporal: temporal ? 'ok' : 'unavailable' };
    const ok = database && temporal;
    res
      .status(ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ok ? 'ok' : 'unavailable', checks });
  });
  return router;
}
