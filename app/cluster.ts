// `npm run cluster`: the production shape on one machine — the Temporal server on PostgreSQL (not the
// dev server), two workers and two API instances as processes of their own, and one entry in front
// (round-robin proxy on PORT). PostgreSQL and the SMTP capture are the embedded ones of `npm start`
// unless DATABASE_URL / SMTP_URL are set; TEMPORAL_ADDRESS uses an existing Temporal cluster instead.
// Ctrl-C / SIGTERM stops everything: proxy, APIs, workers, Temporal, PostgreSQL.
import { onShutdown, prepareDatabase } from './boot';
import { ConfigError, loadConfig, type Config } from '../core/config';
import { createLogger, type Logger } from '../core/log';
import { assertDevPartsAllowed } from '../core/production';
import { clusterSettings } from '../core/runtime/cluster-settings';
import { startNodeChild, type NodeChild } from '../core/runtime/node-child';
import { workerNodeArgs } from '../core/runtime/worker-heap';
import { startRoundRobinProxy } from '../core/runtime/round-robin-proxy';
import { startServices } from '../core/runtime/services';
import { startClusterTemporal } from '../core/runtime/temporal-cluster';

const stops: Array<() => Promise<void>> = [];
let stopping = false;
const stopAll = async () => {
  stopping = true;
  for (const s of stops.splice(0).reverse()) await s().catch(() => {});
};

const LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** A child's JSON log line, logged again by this process (pretty in a terminal, filtered by LOG_LEVEL). */
function relay(log: Logger, proc: string) {
  return (line: string) => {
    try {
      const { level, msg, time: _t, pid: _p, hostname: _h, name: _n, ...rest } = JSON.parse(line) as Record<string, unknown>;
      log[LEVELS[Number(level)] ?? 'info']({ ...rest, proc }, String(msg ?? ''));
    } catch {
      log.info({ proc }, line);
    }
  };
}

function childEnv(config: Config, base: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...base,
    KIM_DATA_DIR: config.KIM_DATA_DIR, // payload key and link secret of the installation (dev), shared by all
    KIM_PUBLIC_URL: config.publicUrl, // links in mails point to the entry, not to one instance
    KIM_SEED: '', // seeded once, here
    // the children's readiness lines are info; this process filters what it shows
    LOG_LEVEL: config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? config.LOG_LEVEL : 'info',
  };
}

async function main() {
  let config: Config;
  let settings;
  let seed: boolean;
  try {
    config = loadConfig();
    settings = clusterSettings(config);
    seed = config.embedded.postgres || process.argv.includes('--seed') || config.KIM_SEED;
    assertDevPartsAllowed(config, { smtpCapture: config.embedded.smtp, seed });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL, 'kim-cluster');
  const started = Date.now();
  onShutdown(log, stopAll);

  // PostgreSQL and the SMTP capture as `npm start` has them; Temporal is ours (below), not the dev server
  // — unless KIM_CLUSTER_TEMPORAL=dev asks for the dev server (the same fault run on the dev-server shape)
  const dev = settings.temporal === 'dev' && !config.TEMPORAL_ADDRESS;
  const services = await startServices(
    dev ? config : { ...config, TEMPORAL_ADDRESS: 'cluster', embedded: { ...config.embedded, temporal: false } },
    log,
  );
  stops.push(services.stop);
  const db = await prepareDatabase(config, services.databaseUrl, log, seed); // migrations once, before the children
  await db.$disconnect();

  const temporal = dev
    ? { address: services.temporalAddress, pid: undefined, stop: async () => {} } // stopped with the services
    : await startClusterTemporal({
        config,
        kimDatabaseUrl: services.databaseUrl,
        internalPorts: settings.temporalInternalPorts,
        log,
      });
  stops.push(temporal.stop);

  const common = {
    DATABASE_URL: services.databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    SMTP_URL: services.smtpUrl,
    ...(services.capture ? { KIM_SMTP_REQUIRE_TLS: 'false' } : {}), // the embedded capture (loopback) has no TLS
  };
  const children: NodeChild[] = [];
  const workers = Array.from({ length: settings.workers }, (_, i) =>
    startNodeChild({
      name: `worker-${i + 1}`,
      entry: 'app/worker.ts',
      env: childEnv(config, common),
      nodeArgs: workerNodeArgs(config), // the main thread's heap; the workflow thread's: runWorker
      readyText: 'Worker läuft',
      onLine: relay(log, `worker-${i + 1}`),
    }),
  );
  const apis = settings.apiPorts.map((port, i) =>
    startNodeChild({
      name: `api-${i + 1}`,
      entry: 'app/api.ts',
      env: childEnv(config, { ...common, PORT: String(port), KIM_HOST: '127.0.0.1' }),
      readyText: 'API läuft',
      onLine: relay(log, `api-${i + 1}`),
    }),
  );
  children.push(...workers, ...apis);
  // the entry first, then the APIs, then the workers (they finish their tasks), then Temporal
  stops.push(() => Promise.all(workers.map((w) => w.stop())).then(() => {}));
  stops.push(() => Promise.all(apis.map((a) => a.stop())).then(() => {}));
  await Promise.all(children.map((c) => c.ready));
  // a child that ends later: said loudly (the entry goes on with the others)
  for (const c of children)
    c.child.once('exit', (code, signal) => stopping || log.error({ proc: c.name, code, signal }, 'Prozess beendet'));

  const proxy = await startRoundRobinProxy({
    backends: settings.apiPorts.map((port) => ({ host: '127.0.0.1', port })),
    port: config.PORT,
    host: config.KIM_HOST,
    onUnavailable: (u) => log.warn({ proc: 'entry', ...u }, 'Eingang: 503, keine API-Instanz hat geantwortet'),
  });
  stops.push(proxy.close);

  const lines = [
    '',
    `  KIM Flow (Cluster) läuft: ${config.publicUrl}   (bereit nach ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  Temporal:        ${temporal.address}${temporal.pid ? ' (Server auf PostgreSQL)' : dev ? ' (Dev-Server)' : ''}`,
    `  Worker:          ${workers.map((w) => `${w.name} pid ${w.child.pid}`).join(', ')}`,
    `  API-Instanzen:   ${settings.apiPorts.map((p, i) => `${apis[i].name} :${p} pid ${apis[i].child.pid}`).join(', ')}`,
    services.capture ? `  Mails (SMTP-Capture): ${config.KIM_DATA_DIR}/mails.jsonl` : '',
    '  Beenden mit Strg+C.',
    '',
  ].filter((l) => l !== '');
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch(async (err) => {
  console.error('KIM Flow (Cluster) konnte nicht starten:', err instanceof Error ? err.message : err);
  await stopAll();
  process.exit(1);
});
