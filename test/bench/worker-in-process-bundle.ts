// The worker as it was before issue 17: it bundles the workflow code with webpack in its own process.
// Used only by `npm run bench:worker-memory` as the baseline of the same run (app/worker.ts otherwise).
import { bundleWorkflowCode } from '@temporalio/worker';
import { prepareDatabase, runWorker } from '../../app/boot';
import { loadConfig } from '../../core/config';
import { createLogger } from '../../core/log';
import { workflowBundleOptions } from '../../worker/workflow-bundle';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'kim-worker');
  const db = await prepareDatabase(config, config.DATABASE_URL!, log, false);
  const bundle = await bundleWorkflowCode({
    ...workflowBundleOptions,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never,
  });
  await runWorker({ config, db, log, temporalAddress: config.TEMPORAL_ADDRESS!, smtpUrl: config.SMTP_URL!, workflowBundle: bundle });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
