// Building blocks of the three entry points (npm start, npm run api, npm run worker):
// prepare the database, run the worker (+ e-mail outbox), run the HTTP app. Each returns its stop().
import type http from 'node:http';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createPayloadCodec, generatePayloadKeySpec, type AesGcmPayloadCodec, type CodecOptions } from '../core/codec';
import { ConfigError, oidcSettings, type Config } from '../core/config';
import { parseLinkKeys, type LinkKey } from '../core/links';
import { createDb, type Db } from '../core/db/client';
import { migrate } from '../core/db/migrate';
import { seedDemo } from '../core/db/seed';
import { syncChainDefinitions } from '../api/services/chain-definitions';
import { assertDevPartsAllowed } from '../core/production';
import type { Logger } from '../core/log';
import { startOutboxSender } from '../core/mail/outbox';
import { ensureRetentionSchedule, retentionSettings, type ScheduleOutcome } from '../core/retention';
import { ensureInventorySchedules } from '../core/inventory-schedules';
import { ensureReportSchedule } from '../core/report-schedule';
import type { SmtpCapture } from '../core/runtime/smtp-capture';
import { applyWorkerHeapFlags } from '../core/runtime/worker-heap';
import { connectionOptions } from '../core/temporal';
import type { AppDeps } from '../api/deps';
import type { CodecRouterDeps } from '../api/routes/codec';

/**
 * Idle keep-alive connections stay open this long (Node's default: 5 s). Longer than what a proxy in front
 * keeps them idle — the entry (core/runtime/round-robin-proxy.ts ENTRY_IDLE_MS), nginx's upstream
 * keepalive_timeout (60 s), a cloud load balancer (60 s) — so the proxy, never the API, closes an idle
 * connection: otherwise a request sent just as the API closed it fails after sending (a POST → 503).
 */
export const API_KEEP_ALIVE_MS = 65_000;

export async function prepareDatabase(config: Config, databaseUrl: string, log: Logger, seed: boolean): Promise<Db> {
  assertDevPartsAllowed(config, { smtpCapture: false, seed }); // no demo users in production (ConfigError → exit 2)
  const applied = await migrate(databaseUrl, (m) => log.info(m));
  if (applied.length === 0) log.debug('Datenbankschema aktuell');
  const db = createDb(databaseUrl);
  if (seed) {
    const { created } = await seedDemo(db, config.KIM_DEMO_PASSWORD);
    if (created) log.info({ users: created }, 'Demo-Daten angelegt');
  }
  await syncChainDefinitions(db); // shipped chain definitions stored as defaults; published versions loaded
  return db;
}

/** KIM_LINK_SECRETS, or (embedded/dev only) a secret made once and kept in the data directory. */
export function resolveLinkKeys(config: Config): LinkKey[] {
  if (config.KIM_LINK_SECRETS) return parseLinkKeys(config.KIM_LINK_SECRETS);
  const file = path.join(config.KIM_DATA_DIR, 'link-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.KIM_DATA_DIR, { recursive: true });
    fs.writeFileSync(file, `dev:${crypto.randomBytes(32).toString('base64url')}`, { mode: 0o600 });
  }
  return parseLinkKeys(fs.readFileSync(file, 'utf8').trim());
}

/**
 * The payload codec of every Temporal client and worker: KIM_PAYLOAD_KEYS, or (embedded/dev only) a
 * key made once and kept in KIM_DATA_DIR/payload-key — API and worker of one installation share it.
 * Production without KIM_PAYLOAD_KEYS does not start (histories would otherwise depend on a local file).
 */
export function resolvePayloadCodec(config: Config, options: CodecOptions = {}): AesGcmPayloadCodec {
  if (config.KIM_PAYLOAD_KEYS) return createPayloadCodec(config.KIM_PAYLOAD_KEYS, options);
  if (config.NODE_ENV === 'production') {
    throw new ConfigError('Ungültige Konfiguration:\n  - KIM_PAYLOAD_KEYS: ist in production Pflicht (Verschlüsselung der Temporal-Daten)');
  }
  const file = path.join(config.KIM_DATA_DIR, 'payload-key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.KIM_DATA_DIR, { recursive: true });
    try {
      // 'wx': when API and worker start at once, the first writer wins and both read its key
      fs.writeFileSync(file, generatePayloadKeySpec('dev'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return createPayloadCodec(fs.readFileSync(file, 'utf8').trim(), options);
}

let runtimeInstalled = false;
/** The SDK's own logs (bundling, state changes) at warn unless LOG_LEVEL is debug. */
function installRuntimeOnce(level: string) {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger(level === 'debug' || level === 'trace' ? 'DEBUG' : 'WARN') });
}

export async function runWorker(opts: {
  config: Config;
  db: Db;
  temporalAddress: string;
  smtpUrl: string;
  log: Logger;
  /** a pre-built workflow bundle; default: bundled at start in a child process */
  workflowBundle?: { code: string } | { codePath: string };
}) {
  const { createKimWorker } = await import('../worker/worker');
  installRuntimeOnce(opts.config.LOG_LEVEL);
  // before Worker.create starts the workflow thread: its heap is made with these flags
  const heapFlags = applyWorkerHeapFlags(opts.config);
  const connection = await NativeConnection.connect(connectionOptions(opts.config, opts.temporalAddress));
  const worker = await createKimWorker({
    connection,
    namespace: opts.config.TEMPORAL_NAMESPACE,
    taskQueue: opts.config.TEMPORAL_TASK_QUEUE,
    db: opts.db,
    publicUrl: opts.config.publicUrl,
    log: opts.log,
    linkKeys: resolveLinkKeys(opts.config),
    linkTtlDays: opts.config.KIM_LINK_TTL_DAYS,
    // the worker refuses plaintext payloads (injected inputs/updates) unless KIM_PAYLOAD_REQUIRE_ENCRYPTION=false
    dataConverter: { payloadCodecs: [resolvePayloadCodec(opts.config, { requireEncrypted: opts.config.KIM_PAYLOAD_REQUIRE_ENCRYPTION })] },
    maxCachedWorkflows: opts.config.KIM_WORKER_CACHE,
    workflowBundle: opts.workflowBundle,
  });
  const running = worker.run();
  running.catch((err) => opts.log.fatal({ err }, 'Worker abgebrochen'));
  const outbox = startOutboxSender({
    db: opts.db,
    smtpUrl: opts.smtpUrl,
    from: opts.config.MAIL_FROM,
    log: opts.log,
    requireTls: opts.config.KIM_SMTP_REQUIRE_TLS && !opts.config.embedded.smtp, // the embedded capture (loopback) has no TLS
  });
  opts.log.info({ taskQueue: opts.config.TEMPORAL_TASK_QUEUE, heapFlags }, 'Worker läuft');
  // a failure here must not stop the worker: logged, and the next boot tries again
  await bootRetentionSchedule(opts.config, opts.temporalAddress, opts.log).catch((err) =>
    opts.log.error({ err }, 'Löschfristen-Zeitplan nicht eingerichtet'),
  );
  await bootInventorySchedules(opts.config, opts.temporalAddress, opts.log).catch((err) =>
    opts.log.error({ err }, 'Bestands-Zeitpläne (Regelkontakte, Monatswerte) nicht eingerichtet'),
  );
  return {
    running,
    async stop() {
      await outbox.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => {});
      await connection.close();
    },
  };
}

/** Partner contact reminders (daily), the monthly situation snapshot (core/inventory-schedules.ts) and the
 *  committee reports (daily check, core/report-schedule.ts). */
async function bootInventorySchedules(config: Config, temporalAddress: string, log: Logger) {
  const connection = await Connection.connect(connectionOptions(config, temporalAddress));
  try {
    const client = new Client({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter: { payloadCodecs: [resolvePayloadCodec(config)] },
    });
    log.info(await ensureInventorySchedules(client, { taskQueue: config.TEMPORAL_TASK_QUEUE }), 'Bestands-Zeitpläne geprüft');
    log.info({ reports: await ensureReportSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE }) }, 'Berichts-Zeitplan geprüft');
  } finally {
    await connection.close();
  }
}

/** Creates or updates the retention schedule (core/retention.ts) with this installation's settings. */
export async function bootRetentionSchedule(config: Config, temporalAddress: string, log: Logger): Promise<ScheduleOutcome> {
  const connection = await Connection.connect(connectionOptions(config, temporalAddress));
  try {
    const client = new Client({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter: { payloadCodecs: [resolvePayloadCodec(config)] },
    });
    const s = retentionSettings(config);
    const outcome = await ensureRetentionSchedule(client, s);
    log.info(
      { scheduleId: s.scheduleId, outcome, retentionSeconds: s.retentionSeconds, intervalSeconds: s.intervalSeconds },
      'Löschfristen-Zeitplan geprüft',
    );
    return outcome;
  } finally {
    await connection.close();
  }
}

type GrpcInterceptor = NonNullable<ConnectionOptions['interceptors']>[number];
/** Calls that wait on purpose (update outcome, history long-poll) keep their own timing. */
const LONG_POLL = /\/(UpdateWorkflowExecution|PollWorkflowExecutionUpdate|GetWorkflowExecutionHistory)$/;

/**
 * The web app's Temporal client: lazy (the app starts and recovers while Temporal is down) and
 * bounded. The SDK's defaults retry an unreachable server ~10 times over ~20 s (jittered), as long
 * as the database transaction around `workflow.start` in case creation may run (20 s): with Temporal
 * down, POST /api/cases took 20.1–20.3 s, right at that limit. Here: a few retries (~2 s) and a 10 s
 * deadline on every call that has none, so "Temporal down" is a prompt 503 (test/runtime/recovery).
 */
export function createApiTemporalClient(
  config: Config,
  address: string,
  deadlineMs = 10_000,
  codec: PayloadCodec = resolvePayloadCodec(config),
): Client {
  // (the next call is an InterceptingCall at runtime; its declared type is the narrower interface)
  const defaultDeadline: GrpcInterceptor = (options, nextCall) =>
    nextCall(
      options.deadline || LONG_POLL.test(options.method_definition.path) ? options : { ...options, deadline: Date.now() + deadlineMs },
    ) as ReturnType<GrpcInterceptor>;
  const connection = Connection.lazy({
    ...connectionOptions(config, address),
    interceptors: [defaultDeadline, makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 5 }))],
  });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: { payloadCodecs: [codec] } });
}

export async function runApi(opts: {
  config: Config;
  db: Db;
  temporalAddress: string;
  log: Logger;
  capture?: SmtpCapture;
  temporalUiUrl?: string;
}) {
  const { createApp } = await import('../api/app');
  const temporal = createApiTemporalClient(opts.config, opts.temporalAddress);
  // temporalUiOrigin: read by codecRouter (api/routes/codec.ts) — the CORS origin of the Temporal Web UI
  const deps: AppDeps & CodecRouterDeps = {
    db: opts.db,
    temporal,
    taskQueue: opts.config.TEMPORAL_TASK_QUEUE,
    log: opts.log,
    publicUrl: opts.config.publicUrl,
    secureCookies: opts.config.secureCookies,
    sessionHours: opts.config.KIM_SESSION_HOURS,
    sessionIdleMinutes: opts.config.KIM_SESSION_IDLE_MINUTES,
    trustProxy: opts.config.KIM_TRUST_PROXY,
    capture: opts.capture,
    temporalUiUrl: opts.temporalUiUrl,
    temporalUiOrigin: opts.config.KIM_TEMPORAL_UI_ORIGIN,
    temporalNamespace: opts.config.TEMPORAL_NAMESPACE,
    linkKeys: resolveLinkKeys(opts.config),
    workingDaySeconds: opts.config.KIM_WORKING_DAY_SECONDS,
    oidc: oidcSettings(opts.config),
    retentionDays: opts.config.KIM_RETENTION_DAYS,
    planTimerDays: {
      reviewReminder: opts.config.KIM_PLAN_REVIEW_REMINDER_DAYS,
      actionReminder: opts.config.KIM_PLAN_ACTION_REMINDER_DAYS,
      escalation: opts.config.KIM_PLAN_ESCALATION_DAYS,
    },
  };
  const app = createApp(deps);
  const server: http.Server = await new Promise((resolve, reject) => {
    // KIM_HOST (default 127.0.0.1), not every interface: the dev inbox (/dev/postfach, /api/dev/mails) needs no login
    // Express 5 calls this callback also with a listen error (e.g. EADDRINUSE): that must fail the start
    const s = app.listen(opts.config.PORT, opts.config.KIM_HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  server.keepAliveTimeout = API_KEEP_ALIVE_MS;
  server.headersTimeout = API_KEEP_ALIVE_MS + 1_000; // Node: must exceed keepAliveTimeout
  const { startReconcileJob } = await import('../api/services/reconcile');
  const stopReconcile =
    opts.config.KIM_RECONCILE_MINUTES > 0
      ? startReconcileJob({ db: opts.db, temporal, intervalMs: opts.config.KIM_RECONCILE_MINUTES * 60_000, log: opts.log })
      : async () => {};
  return {
    server,
    async stop() {
      await stopReconcile();
      // no new requests; the ones in flight finish (up to 10 s) before the database and Temporal go —
      // cutting them first left handlers running on a closed pool: a 500 "Unknown transaction status" and
      // a stop that never ended (seen when the cluster test restarted an API instance under load)
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      });
      await temporal.connection.close();
    },
  };
}

/** Ctrl-C / SIGTERM → run the stops once; a second signal forces exit. */
export function onShutdown(log: Logger, stop: () => Promise<void>) {
  let stoppingSince = 0;
  const handler = (signal: string) => {
    if (stoppingSince) {
      // npm and the terminal may each deliver the same Ctrl-C: only a later one forces the exit
      if (Date.now() - stoppingSince < 3_000) return;
      log.warn('Zweites Signal: sofortiges Beenden');
      process.exit(130); // children are killed by the exit hook (core/runtime/children.ts)
    }
    stoppingSince = Date.now();
    log.info({ signal }, 'Fahre herunter …');
    stop().then(
      () => {
        log.info('Beendet.');
        process.exit(0);
      },
      (err) => {
        log.error({ err }, 'Fehler beim Herunterfahren');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
