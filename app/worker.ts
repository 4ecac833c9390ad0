// `npm run worker`: a worker (+ e-mail outbox sender) against DATABASE_URL / TEMPORAL_ADDRESS /
// SMTP_URL; without them it attaches to the embedded services of a running `npm start`.
// Run several for more throughput: the task queue and the outbox (SKIP LOCKED) share the work.
import { onShutdown, prepareDatabase, runWorker } from './boot';
import { ConfigError, loadConfig } from '../core/config';
import { createLogger } from '../core/log';
import { embeddedDatabaseUrl } from '../core/runtime/services';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'kim-worker');
  const databaseUrl = config.DATABASE_URL ?? embeddedDatabaseUrl(config);
  const db = await prepareDatabase(config, databaseUrl, log, config.KIM_SEED);
  const worker = await runWorker({
    config,
    db,
    log,
    temporalAddress: config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.KIM_TEMPORAL_PORT}`,
    smtpUrl: config.SMTP_URL ?? `smtp://127.0.0.1:${config.KIM_SMTP_CAPTURE_PORT}`,
  });
  onShutdown(log, async () => {
    await worker.stop();
    await db.$disconnect();
  });
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : `Worker konnte nicht starten: ${err instanceof Error ? err.message : err}`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
