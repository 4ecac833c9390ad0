// A complete KIM Flow stack for one test file, on the run's real services: its own database (a copy
// of the migrated template), its own task queue, a real worker, the outbox sender, a real SMTP
// capture on a free port, and the HTTP app on a free port.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/deps';
import type { OidcSettings } from '../../core/config';
import { createPayloadCodec } from '../../core/codec';
import { createDb, type Db } from '../../core/db/client';
import { seedDemo } from '../../core/db/seed';
import { parseLinkKeys } from '../../core/links';
import { createLogger } from '../../core/log';
import { startOutboxSender, type OutboxSender } from '../../core/mail/outbox';
import { ensureDatabase } from '../../core/runtime/postgres';
import { SmtpCapture } from '../../core/runtime/smtp-capture';
import { createKimWorker } from '../../worker/worker';
import type { TestEnv } from '../global-setup';
import { OpenApiContract, type OpenApiDocument } from './openapi-contract';
import { freePort } from './ports';

export const DEMO_PASSWORD = 'test-demo-password';
/** "cur" signs, "old" still verifies (key rotation) */
export const LINK_SECRETS = 'cur:' + 'c'.repeat(40) + ',old:' + 'o'.repeat(40);
export const LINK_KEYS = parseLinkKeys(LINK_SECRETS);
/** the Temporal payload codec's keys in tests: "cur" encrypts, "old" still decrypts (rotation) */
export const PAYLOAD_KEYS = 'cur:' + Buffer.alloc(32, 7).toString('base64') + ',old:' + Buffer.alloc(32, 9).toString('base64');
export const PAYLOAD_CODEC = createPayloadCodec(PAYLOAD_KEYS);

export function testEnv(): TestEnv {
  const file = process.env.KIM_TEST_ENV;
  if (!file) throw new Error('KIM_TEST_ENV fehlt: Tests über "npm test" starten (jest globalSetup).');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TestEnv;
}

/** A fresh database copied from the migrated template. */
export async function createTestDatabase(): Promise<string> {
  const env = testEnv();
  const name = `kim_${crypto.randomBytes(6).toString('hex')}`;
  await ensureDatabase(env.adminUrl, name, env.templateDb);
  return env.adminUrl.replace(/\/postgres$/, `/${name}`);
}

export interface Stack {
  url: string;
  db: Db;
  databaseUrl: string;
  client: Client;
  /** a client of the same connection WITHOUT the payload codec: sees what Temporal stores */
  rawClient: Client;
  capture: SmtpCapture;
  smtpPort: number;
  taskQueue: string;
  worker?: Worker;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  outbox?: OutboxSender;
  token(email: string, password?: string): Promise<string>;
  /** Calls the API; every /api/ answer is checked against /api/openapi.json (status listed, body matches) and throws if not. */
  api(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** The app's OpenAPI document as a checker, for tests that call the API with their own fetch. */
  contract(): Promise<OpenApiContract>;
  stop(): Promise<void>;
}

/** The Temporal SDK's own log at WARN (TEST_SDK_LOG_LEVEL) for the workers of this process. */
export function quietSdkLogs() {
  try {
    Runtime.install({ logger: new DefaultLogger((process.env.TEST_SDK_LOG_LEVEL ?? 'WARN') as 'WARN') });
  } catch {
    // already installed in this process
  }
}

export async function startStack(
  opts: {
    worker?: boolean;
    outbox?: boolean;
    workingDaySeconds?: number;
    linkTtlDays?: number;
    continueAfterEvents?: number;
    oidc?: OidcSettings;
    /** help-plan timer offsets in days (KIM_PLAN_*_DAYS) */
    planTimerDays?: AppDeps['planTimerDays'];
    /** collect every log line of the app and worker (at debug level) here */
    logLines?: string[];
  } = {},
): Promise<Stack> {
  const env = testEnv();
  quietSdkLogs();
  const databaseUrl = await createTestDatabase();
  const db = createDb(databaseUrl, 20);
  await seedDemo(db, DEMO_PASSWORD);
  const log = opts.logLines
    ? createLogger('debug', 'kim', {
        write: (line: string) => {
          opts.logLines!.push(line);
        },
      })
    : process.env.TEST_LOG_LEVEL
      ? createLogger(process.env.TEST_LOG_LEVEL)
      : // quiet by default, but an unexpected 500 is printed with its error (to find its cause in CI output)
        createLogger('error', 'kim', {
          write: (line: string) => {
            if (line.includes('"status":500')) process.stderr.write(`[500] ${line}`);
          },
        });
  const capture = new SmtpCapture();
  const smtpPort = await capture.start(await freePort());
  const taskQueue = `test-${crypto.randomBytes(4).toString('hex')}`;
  const connection = await Connection.connect({ address: env.temporalAddress });
  const client = new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [PAYLOAD_CODEC] } });
  const rawClient = new Client({ connection, namespace: 'default' });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = createApp({
    db,
    temporal: client,
    taskQueue,
    log,
    publicUrl: url,
    secureCookies: false,
    sessionHours: 1,
    capture,
    temporalNamespace: 'default',
    linkKeys: LINK_KEYS,
    workingDaySeconds: opts.workingDaySeconds ?? 0,
    continueAfterEvents: opts.continueAfterEvents,
    oidc: opts.oidc,
    planTimerDays: opts.planTimerDays,
  });
  const server: http.Server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });

  let workerConn: NativeConnection | undefined;
  let running: Promise<void> | undefined;
  let contract: Promise<OpenApiContract> | undefined;
  const stack: Stack = {
    url,
    db,
    databaseUrl,
    client,
    rawClient,
    capture,
    smtpPort,
    taskQueue,
    async startWorker() {
      workerConn ??= await NativeConnection.connect({ address: env.temporalAddress });
      const worker = await createKimWorker({
        connection: workerConn,
        namespace: 'default',
        taskQueue,
        db,
        publicUrl: url,
        log,
        workflowBundle: { codePath: env.workflowBundle },
        linkKeys: LINK_KEYS,
        linkTtlDays: opts.linkTtlDays ?? 14,
        dataConverter: { payloadCodecs: [PAYLOAD_CODEC] },
      });
      stack.worker = worker;
      running = worker.run();
    },
    async stopWorker() {
      if (stack.worker && stack.worker.getState() === 'RUNNING') stack.worker.shutdown();
      await running?.catch(() => {});
      stack.worker = undefined;
    },
    async token(email, password = DEMO_PASSWORD) {
      const r = await stack.api('POST', '/api/session', { body: { email, password } });
      if (r.status !== 200) throw new Error(`Login ${email} fehlgeschlagen: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.token as string;
    },
    async api(method, path, o = {}) {
      const res = await fetch(url + path, {
        method,
        headers: {
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...o.headers,
        },
        body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      (await stack.contract()).check(method, path, { status: res.status, contentType: res.headers.get('content-type'), body });
      return { status: res.status, body, headers: res.headers };
    },
    contract() {
      contract ??= fetch(`${url}/api/openapi.json`).then(async (r) => new OpenApiContract((await r.json()) as OpenApiDocument));
      return contract;
    },
    async stop() {
      await stack.outbox?.stop();
      await stack.stopWorker();
      await workerConn?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await connection.close();
      await capture.stop();
      await db.$disconnect();
    },
  };
  if (opts.worker !== false) await stack.startWorker();
  if (opts.outbox !== false) {
    stack.outbox = startOutboxSender({
      db,
      smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
      from: 'KIM Flow <kim@test.example>',
      log,
      pollMs: 100,
      maxBackoffMs: 1_000,
      requireTls: false,
    });
  }
  return stack;
}

/** Poll until fn returns a truthy value (or throw with the last value after timeoutMs). */
export async function eventually<T>(fn: () => Promise<T> | T, timeoutMs = 20_000, intervalMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Bedingung nach ${timeoutMs} ms nicht erfüllt (zuletzt: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
