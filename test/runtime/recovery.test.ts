// A dependency down → 503 (never a 500, never a hang), and recovery by itself once it is back, without
// restarting the app. This file runs its OWN PostgreSQL and Temporal dev server (temp dir, free ports),
// because it stops and restarts them; the run's shared services are not touched.
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createApiTemporalClient } from '../../app/boot';
import { loadConfig } from '../../core/config';
import { createDb, type Db } from '../../core/db/client';
import { migrate } from '../../core/db/migrate';
import { seedDemo } from '../../core/db/seed';
import { parseLinkKeys } from '../../core/links';
import { createLogger } from '../../core/log';
import { ensureDatabase, startPostgres, type EmbeddedPostgres } from '../../core/runtime/postgres';
import { startTemporalServer, type TemporalServer } from '../../core/runtime/temporal-server';
import { freePort } from '../support/ports';

const PASSWORD = 'recovery-demo-password';
const REQUEST_TIMEOUT_MS = 15_000; // a request that takes longer counts as a hang
const toolsDir = process.env.KIM_TOOLS_DIR ?? path.join(os.homedir(), '.cache', 'kim-flow');

let dir: string;
let pgPort: number;
let pgPassword: string;
let temporalPort: number;
let pg: EmbeddedPostgres | undefined;
let temporal: TemporalServer | undefined;
let db: Db;
let client: Client;
let server: http.Server;
let url: string;
let token: string;
let personId: string;
let firstCaseId: string;

const startPg = () => startPostgres({ dataDir: path.join(dir, 'postgres'), port: pgPort, password: pgPassword });
const startTemporal = () =>
  startTemporalServer({
    dataDir: path.join(dir, 'temporal'),
    port: temporalPort,
    toolsDir,
    cliPath: process.env.TEMPORAL_CLI_PATH,
    log: () => {},
  });

interface Answer {
  status: number;
  body: any;
  ms: number;
}

/** One HTTP request, bounded: a hang fails the test instead of stalling it. */
async function call(method: string, p: string, body?: unknown, auth = true): Promise<Answer> {
  const t = Date.now();
  const res = await fetch(url + p, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(auth && token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, ms: Date.now() - t };
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 30_000): Promise<number> {
  const t = Date.now();
  for (;;) {
    if (await fn().catch(() => false)) return Date.now() - t;
    if (Date.now() - t > timeoutMs) throw new Error(`${what}: nicht erreicht nach ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const healthStatus = async () => await call('GET', '/healthz', undefined, false);
const countCases = async () => await db.case.count();

function expectApiError(a: Answer, status: number, code: string) {
  expect(a.status).toBe(status);
  expect(a.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String), details: expect.any(Array) }) });
  expect(a.body.error.message).toMatch(/nicht erreichbar/);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-recovery-'));
  fs.chmodSync(dir, 0o755); // as root, postgres runs as the "postgres" user and must reach its data dir
  [pgPort, temporalPort] = await Promise.all([freePort(), freePort()]);
  pgPassword = 'pw-' + Math.random().toString(36).slice(2);
  [pg, temporal] = await Promise.all([startPg(), startTemporal()]);
  await ensureDatabase(pg.url('postgres'), 'kim');
  await migrate(pg.url('kim'));
  db = createDb(pg.url('kim'), 5);
  await seedDemo(db, PASSWORD);

  // the app as `npm start` builds it: Config from the environment schema, lazy Temporal connection
  const port = await freePort();
  const config = loadConfig({ PORT: String(port), TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: pg.url('kim'), LOG_LEVEL: 'silent' });
  client = createApiTemporalClient(config, temporal.address);
  const app = createApp({
    db,
    temporal: client,
    taskQueue: 'recovery-test',
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    publicUrl: `http://127.0.0.1:${port}`,
    secureCookies: false,
    sessionHours: 1,
    linkKeys: parseLinkKeys('t:' + 'k'.repeat(40)),
    workingDaySeconds: 0,
  });
  server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${port}`;
}, 90_000);

afterAll(async () => {
  if (server)
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await client?.connection.close().catch(() => {});
  await db?.$disconnect().catch(() => {});
  await Promise.all([temporal?.stop(), pg?.stop()]);
  if (dir && !process.env.KIM_KEEP_TEST_DIR) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

test('all up: /healthz 200, login, person and case', async () => {
  const h = await healthStatus();
  expect(h.status).toBe(200);
  expect(h.body).toEqual({ status: 'ok', checks: { database: 'ok', temporal: 'ok' } });

  const login = await call('POST', '/api/session', { email: 'fallmanagement@kim.example', password: PASSWORD }, false);
  expect(login.status).toBe(200);
  token = login.body.token;
  const person = await call('POST', '/api/persons', { firstName: 'Erholung', lastName: 'Test' });
  expect(person.status).toBe(201);
  personId = person.body.id;
  const c = await call('POST', '/api/cases', { personId, topic: 'housing' });
  expect(c.status).toBe(201);
  firstCaseId = c.body.id;
});

test('PostgreSQL down → 503 (health and API), back → 200 without restarting the app', async () => {
  await pg!.stop();
  pg = undefined;

  const h = await healthStatus();
  console.log(`[recovery] /healthz with PostgreSQL down: ${h.status} in ${h.ms} ms`);
  expect(h.status).toBe(503);
  expect(h.body).toEqual({ status: 'unavailable', checks: { database: 'unavailable', temporal: 'ok' } });

  // an authenticated route (the token is checked against the database first)
  const list = await call('GET', '/api/cases');
  console.log(`[recovery] GET /api/cases with PostgreSQL down: ${list.status} in ${list.ms} ms`);
  expectApiError(list, 503, 'unavailable');
  const create = await call('POST', '/api/cases', { personId, topic: 'health' });
  expectApiError(create, 503, 'unavailable');
  const login = await call('POST', '/api/session', { email: 'fallmanagement@kim.example', password: PASSWORD }, false);
  expectApiError(login, 503, 'unavailable');

  pg = await startPg();
  const ms = await until('/healthz 200 nach PostgreSQL-Neustart', async () => (await healthStatus()).status === 200);
  console.log(`[recovery] PostgreSQL back: /healthz 200 after ${ms} ms`);
  const again = await call('GET', '/api/cases');
  expect(again.status).toBe(200);
  expect(again.body.items).toHaveLength(1);
  const c = await call('POST', '/api/cases', { personId, topic: 'health' });
  expect(c.status).toBe(201);
}, 90_000);

test('Temporal down → 503 and no half-written case or handoff, back → 200 and cases can be created again', async () => {
  const before = await countCases();
  const consent = await call('POST', `/api/cases/${firstCaseId}/consents`, {
    departments: ['5-50'],
    purpose: 'Test: Übergabe bei ausgefallenem Temporal',
    givenAt: new Date().toISOString(),
  });
  expect(consent.status).toBe(201);
  await temporal!.stop();
  temporal = undefined;

  const h = await healthStatus();
  console.log(`[recovery] /healthz with Temporal down: ${h.status} in ${h.ms} ms`);
  expect(h.status).toBe(503);
  expect(h.body).toEqual({ status: 'unavailable', checks: { database: 'ok', temporal: 'unavailable' } });

  // reads that need only PostgreSQL keep working; a case shows its stored status, marked not live
  const list = await call('GET', '/api/cases');
  expect(list.status).toBe(200);
  const one = await call('GET', `/api/cases/${firstCaseId}`);
  console.log(`[recovery] GET /api/cases/:id with Temporal down: ${one.status} in ${one.ms} ms`);
  expect(one.status).toBe(200);
  expect(one.body).toMatchObject({ id: firstCaseId, live: false, status: 'open' });

  const create = await call('POST', '/api/cases', { personId, topic: 'education_work' });
  console.log(`[recovery] POST /api/cases with Temporal down: ${create.status} in ${create.ms} ms`);
  expectApiError(create, 503, 'unavailable');
  // the case row, its audit event and the reference counter are one transaction with the workflow start
  expect(await countCases()).toBe(before);
  expect(await db.auditEvent.count({ where: { action: 'case.create' } })).toBe(before);
  // a handoff: its row is committed before the workflow starts, so the failed start takes it away again
  const handoff = await call('POST', `/api/cases/${firstCaseId}/handoffs`, { step: 'cost-approval', department: '5-50' });
  expectApiError(handoff, 503, 'unavailable');
  expect(await db.task.count({ where: { caseId: firstCaseId } })).toBe(0);
  expect(await db.auditEvent.count({ where: { action: 'task.create.failed', caseId: firstCaseId } })).toBe(1);

  temporal = await startTemporal();
  const ms = await until('/healthz 200 nach Temporal-Neustart', async () => (await healthStatus()).status === 200);
  console.log(`[recovery] Temporal back: /healthz 200 after ${ms} ms`);
  const c = await call('POST', '/api/cases', { personId, topic: 'education_work' });
  expect(c.status).toBe(201);
  expect(await countCases()).toBe(before + 1);
  // the step is free again: the failed attempt left no open task behind
  const again = await call('POST', `/api/cases/${firstCaseId}/handoffs`, { step: 'cost-approval', department: '5-50' });
  expect(again.status).toBe(201);
  // the reference counter was not consumed by the failed attempt
  const refs = (await db.case.findMany({ orderBy: { createdAt: 'asc' }, select: { reference: true } })).map((r) => r.reference);
  expect(refs.map((r) => Number(r.split('-')[2]))).toEqual(refs.map((_, i) => i + 1));
  // the workflow of the new case exists on the restarted server
  const wf = await client.workflow.getHandle(`case-${c.body.id}`).describe();
  expect(wf.status.name).toBe('RUNNING');
}, 120_000);
