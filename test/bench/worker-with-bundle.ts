// The worker (app/boot.ts runWorker, as `npm run worker` runs it) with a workflow bundle read from the
// file BENCH_BUNDLE_FILE — so `npm run bench:worker-memory` can compare bundles (the one before the
// zod-free workflows, the one now, one with preloadModules) in one run, with everything else equal.
import fs from 'node:fs';
import { prepareDatabase, runWorker } from '../../app/boot';
import { loadConfig } from '../../core/config';
import { createLogger } from '../../core/log';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'kim-worker');
  const db = await prepareDatabase(config, config.DATABASE_URL!, log, false);
  const code = fs.readFileSync(process.env.BENCH_BUNDLE_FILE!, 'utf8');
  await runWorker({ config, db, log, temporalAddress: config.TEMPORAL_ADDRESS!, smtpUrl: config.SMTP_URL!, workflowBundle: { code } });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
