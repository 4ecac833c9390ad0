// `npm run api`: the web app and JSON API against DATABASE_URL / TEMPORAL_ADDRESS; without them it
// attaches to the embedded services of a running `npm start`. Stateless: run as many as needed.
import { onShutdown, prepareDatabase, runApi } from './boot';
import { ConfigError, loadConfig } from '../core/config';
import { createLogger } from '../core/log';
import { embeddedDatabaseUrl } from '../core/runtime/services';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'kim-api');
  const databaseUrl = config.DATABASE_URL ?? embeddedDatabaseUrl(config);
  const db = await prepareDatabase(config, databaseUrl, log, config.KIM_SEED);
  const api = await runApi({ config, db, log, temporalAddress: config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.KIM_TEMPORAL_PORT}` });
  log.info({ url: config.publicUrl }, 'API läuft');
  onShutdown(log, async () => {
    await api.stop();
    await db.$disconnect();
  });
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : `API konnte nicht starten: ${err instanceof Error ? err.message : err}`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
