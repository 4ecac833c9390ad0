// `npm start`: the whole system on its embedded defaults in one process — PostgreSQL, the Temporal
// dev server, the SMTP capture, the worker and the web app. DATABASE_URL / TEMPORAL_ADDRESS / SMTP_URL
// switch the embedded parts off. `--seed` seeds demo data also against an external database.
import { onShutdown, prepareDatabase, runApi, runWorker } from './boot';
import { ConfigError, loadConfig } from '../core/config';
import { DEMO_USERS } from '../core/db/seed';
import { createLogger } from '../core/log';
import { assertDevPartsAllowed } from '../core/production';
import { startServices } from '../core/runtime/services';

const stops: Array<() => Promise<void>> = [];
const stopAll = async () => {
  for (const s of stops.splice(0).reverse()) await s().catch(() => {});
};

async function main() {
  let config;
  let seed: boolean;
  try {
    config = loadConfig();
    seed = config.embedded.postgres || process.argv.includes('--seed') || config.KIM_SEED;
    // production refuses the SMTP capture (login-free inbox) and the demo users — before anything starts
    assertDevPartsAllowed(config, { smtpCapture: config.embedded.smtp, seed });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const started = Date.now();
  const services = await startServices(config, log);
  stops.push(services.stop);
  onShutdown(log, stopAll);

  const db = await prepareDatabase(config, services.databaseUrl, log, seed);
  stops.push(() => db.$disconnect());
  const worker = await runWorker({ config, db, temporalAddress: services.temporalAddress, smtpUrl: services.smtpUrl, log });
  stops.push(worker.stop);
  const api = await runApi({
    config,
    db,
    temporalAddress: services.temporalAddress,
    log,
    capture: services.capture,
    temporalUiUrl: services.temporalUiUrl,
  });
  stops.push(api.stop);

  const lines = [
    '',
    `  KIM Flow läuft: ${config.publicUrl}   (bereit nach ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    services.temporalUiUrl ? `  Temporal Web UI: ${services.temporalUiUrl}` : `  Temporal: ${services.temporalAddress}`,
    services.capture ? `  Dev-Postfach:    ${config.publicUrl}/dev/postfach` : '',
    config.embedded.postgres ? `  Daten:           ${config.KIM_DATA_DIR}` : '',
    seed ? `  Demo-Anmeldungen (Passwort: KIM_DEMO_PASSWORD${process.env.KIM_DEMO_PASSWORD ? '' : ', Standard "demo"'}):` : '',
    ...(seed ? DEMO_USERS.map((u) => `    ${u.email.padEnd(34)} ${u.role}${u.departmentId ? ` (${u.departmentId})` : ''}`) : []),
    '  Beenden mit Strg+C.',
    '',
  ].filter((l) => l !== '');
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch(async (err) => {
  console.error('KIM Flow konnte nicht starten:', err instanceof Error ? err.message : err);
  await stopAll(); // no orphaned postgres or temporal processes
  process.exit(1);
});
