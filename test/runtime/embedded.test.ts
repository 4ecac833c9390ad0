// The embedded runtime as a newcomer uses it: `npm start` with nothing configured but a data directory
// and ports. Real processes only: it must come up, keep cases and running processes across a restart
// (a follow-up timer set before Ctrl-C fires once after the next start), shut down cleanly on SIGINT
// and SIGTERM without leaving postgres or the Temporal dev server behind, and come up again after a
// crash (SIGKILL) that did leave them behind. This file starts its OWN KIM Flow (own ports, own data
// directory); the test run's shared services are not touched.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from '../support/ports';
import {
  exitWithin,
  kimEnv,
  killLeftovers,
  launch,
  processesUsing,
  processTree,
  request,
  stillRunning,
  waitHealthy,
  type KimProcess,
  type Ports,
  type Proc,
} from './kim-process';

jest.setTimeout(90_000);

const PASSWORD = 'embedded-test-password';
const CASEWORKER = 'fallmanagement@kim.example';
const FOLLOW_UP_SECONDS = 25; // long enough to span a shutdown and the next start

let dataDir: string;
let ports: Ports;
let url: string;
const groups: number[] = []; // process groups we started, for the cleanup of last resort
const timings: Record<string, string> = {};

// what the first run creates and the later runs must still see
let caseId: string;
let personId: string;
let reference: string;
let dueAt: Date;
let retentionScheduleCreated: string;

/** The retention schedule the worker's boot made (core/retention.ts), read raw from the embedded Temporal. */
async function retentionSchedule() {
  const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
  try {
    const d = await connection.workflowService.describeSchedule({ namespace: 'default', scheduleId: 'kim-retention-kim-flow' });
    return {
      createTime: String(d.info?.createTime?.seconds),
      every: String(d.schedule?.spec?.interval?.[0]?.interval?.seconds),
      paused: Boolean(d.schedule?.state?.paused),
    };
  } finally {
    await connection.close();
  }
}

function start(how: 'npm' | 'direct', extraEnv: Record<string, string> = {}): KimProcess {
  const k = launch(how, kimEnv(dataDir, ports, { KIM_DEMO_PASSWORD: PASSWORD, ...extraEnv }), url);
  groups.push(k.pid);
  return k;
}

async function token(): Promise<string> {
  const r = await request(url, 'POST', '/api/session', { body: { email: CASEWORKER, password: PASSWORD } });
  expect(r.status).toBe(200);
  return r.body.token;
}

let mailToken: string | undefined; // the dev inbox needs a login; one session (kept in the database across restarts)
async function mails(): Promise<Array<{ subject: string; receivedAt: string; to: string[] }>> {
  const path = `/api/dev/mails?to=${encodeURIComponent(CASEWORKER)}`;
  let r = await request(url, 'GET', path, { token: (mailToken ??= await token()) });
  if (r.status === 401) r = await request(url, 'GET', path, { token: (mailToken = await token()) }); // a new data directory
  expect(r.status).toBe(200);
  return r.body.items;
}

/** Everything the run started (npm, the app, postgres with its backends, temporal). */
function snapshot(k: KimProcess): Proc[] {
  const tree = processTree(k.pid);
  expect(tree.some((p) => p.cmd.includes(path.join(dataDir, 'postgres')))).toBe(true);
  expect(tree.some((p) => p.cmd.includes('start-dev'))).toBe(true);
  return tree;
}

/** After a clean stop: nothing of the snapshot runs, and nothing uses the data directory. */
async function expectNothingLeft(before: Proc[]) {
  // the app awaits its children before it exits; allow /proc a moment to catch up
  for (let i = 0; i < 20 && (stillRunning(before).length || processesUsing(dataDir).length); i++)
    await new Promise((r) => setTimeout(r, 100));
  expect(stillRunning(before).map((p) => `${p.pid} ${p.cmd}`)).toEqual([]);
  expect(processesUsing(dataDir).map((p) => `${p.pid} ${p.cmd}`)).toEqual([]);
}

function appProcess(k: KimProcess): Proc {
  // the node process running app/start.ts (under npm, or the launched process itself): what crashes or gets OOM-killed
  const app = processTree(k.pid).find((p) => p.cmd.includes('--import tsx app/start.ts'));
  if (!app) throw new Error(`App-Prozess nicht gefunden: ${JSON.stringify(processTree(k.pid).map((p) => p.cmd))}`);
  return app;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-embedded-'));
  fs.chmodSync(dataDir, 0o755); // as root, postgres runs as the "postgres" user and must reach its data dir
  const [httpPort, pg, temporal, ui, smtp] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  ports = { http: httpPort, pg, temporal, ui, smtp };
  url = `http://127.0.0.1:${httpPort}`;
});

afterAll(async () => {
  killLeftovers(dataDir, groups);
  await new Promise((r) => setTimeout(r, 300));
  const left = processesUsing(dataDir);
  if (!process.env.KIM_KEEP_TEST_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(`[embedded] timings: ${JSON.stringify(timings, null, 1)}`);
  if (left.length) throw new Error(`Prozesse übrig: ${left.map((p) => p.cmd).join('; ')}`);
});

test('cold `npm start`: ready, case + follow-up via the API, Ctrl-C stops everything', async () => {
  const k = start('npm');
  const ms = await waitHealthy(k);
  timings.coldStart = `${ms} ms (app: ${k.output().match(/bereit nach ([\d.]+ s)/)?.[1]})`;
  console.log(`[embedded] cold npm start → /healthz 200 after ${ms} ms`);
  expect(k.output()).toContain('KIM Flow läuft');
  expect(k.output()).toContain(CASEWORKER); // the demo logins are printed

  // the app listens on loopback only, like the embedded services
  const listening = fs.readFileSync('/proc/net/tcp6', 'utf8') + fs.readFileSync('/proc/net/tcp', 'utf8');
  const hex = ports.http.toString(16).toUpperCase().padStart(4, '0');
  const binds = listening
    .split('\n')
    .filter((l) => l.includes(`:${hex} `) && / 0A /.test(l))
    .map((l) => l.trim().split(/\s+/)[1]);
  expect(binds).toEqual([`0100007F:${hex}`]);
  // the embedded Temporal Web UI decodes payloads through KIM Flow's codec endpoint
  const uiSettings = (await (await fetch(`http://127.0.0.1:${ports.ui}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
  expect(uiSettings.Codec?.Endpoint).toBe(`http://localhost:${ports.http}/api/codec`);

  // the worker's boot created the retention schedule: daily by default
  const schedule = await retentionSchedule();
  expect(schedule).toMatchObject({ every: String(24 * 3600), paused: false });
  retentionScheduleCreated = schedule.createTime;

  const t = await token();
  const person = await request(url, 'POST', '/api/persons', { token: t, body: { firstName: 'Amina', lastName: 'Neustart' } });
  expect(person.status).toBe(201);
  personId = person.body.id;
  const c = await request(url, 'POST', '/api/cases', { token: t, body: { personId, topic: 'housing' } });
  expect(c.status).toBe(201);
  caseId = c.body.id;
  reference = c.body.reference;
  dueAt = new Date(Date.now() + FOLLOW_UP_SECONDS * 1000);
  const f = await request(url, 'POST', `/api/cases/${caseId}/follow-ups`, { token: t, body: { dueAt: dueAt.toISOString() } });
  expect(f.status).toBe(201);
  const live = await request(url, 'GET', `/api/cases/${caseId}`, { token: t });
  expect(live.status).toBe(200);
  expect(live.body).toMatchObject({ live: true, status: 'open', followUp: { id: f.body.id, remindedAt: null } });
  expect(await mails()).toEqual([]);

  // Ctrl-C in a terminal: SIGINT to the whole foreground process group (npm, node, postgres, temporal)
  const before = snapshot(k);
  const t0 = Date.now();
  process.kill(-k.pid, 'SIGINT');
  const exit = await exitWithin(k, 20_000);
  timings.sigintShutdown = `${exit.at - t0} ms`;
  console.log(`[embedded] Ctrl-C → npm ended after ${exit.at - t0} ms (${exit.code ?? exit.signal})`);
  // npm re-raises a signal its script's shell died of: "killed by SIGINT" is npm's normal answer to Ctrl-C
  expect(exit.code === 0 || exit.signal === 'SIGINT').toBe(true);
  expect(k.output()).not.toMatch(/Fehler beim (Herunterfahren|Beenden)|Zweites Signal/);
  await expectNothingLeft(before);
  expect(Date.now()).toBeLessThan(dueAt.getTime()); // the timer is still pending while nothing runs
});

test('warm start on the same data: case and person kept, the follow-up mail arrives once, SIGTERM → exit 0', async () => {
  const k = start('direct');
  const restartedAt = Date.now();
  const ms = await waitHealthy(k);
  timings.warmStart = `${ms} ms (app: ${k.output().match(/bereit nach ([\d.]+ s)/)?.[1]})`;
  console.log(`[embedded] warm start → /healthz 200 after ${ms} ms`);

  // idle connections outlive a proxy's (app/boot.ts API_KEEP_ALIVE_MS): Node's default would say timeout=5
  expect((await fetch(`${url}/healthz`)).headers.get('keep-alive')).toBe('timeout=65');

  // the second boot found the schedule as it was: not created again, no error
  expect(await retentionSchedule()).toEqual({ createTime: retentionScheduleCreated, every: String(24 * 3600), paused: false });

  const t = await token();
  const c = await request(url, 'GET', `/api/cases/${caseId}`, { token: t });
  expect(c.status).toBe(200);
  expect(c.body).toMatchObject({
    id: caseId,
    reference,
    personId,
    live: true,
    status: 'open',
    person: { firstName: 'Amina', lastName: 'Neustart' },
  });
  const p = await request(url, 'GET', `/api/persons/${personId}`, { token: t });
  expect(p.status).toBe(200);
  expect(p.body).toMatchObject({ id: personId, firstName: 'Amina', lastName: 'Neustart' });

  // the workflow's timer survived the restart: the reminder comes, once
  const deadline = dueAt.getTime() + 30_000;
  let reminders: Awaited<ReturnType<typeof mails>> = [];
  while (Date.now() < deadline) {
    reminders = (await mails()).filter((m) => m.subject.includes(reference));
    if (reminders.length) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(reminders).toHaveLength(1);
  const late = Date.parse(reminders[0].receivedAt) - dueAt.getTime();
  timings.reminderAfterDue = `${late} ms`;
  console.log(`[embedded] reminder received ${late} ms after its due time`);
  expect(Date.parse(reminders[0].receivedAt)).toBeGreaterThanOrEqual(restartedAt);
  expect(reminders[0].subject).toContain('Wiedervorlage');
  await new Promise((r) => setTimeout(r, 3_000)); // a duplicate would show up within the outbox's next polls
  expect((await mails()).filter((m) => m.subject.includes(reference))).toHaveLength(1);
  const after = await request(url, 'GET', `/api/cases/${caseId}`, { token: t });
  expect(after.body.followUp.remindedAt).not.toBeNull();

  // a process manager's stop: SIGTERM to the process it started
  const before = snapshot(k);
  const t0 = Date.now();
  process.kill(k.pid, 'SIGTERM');
  const exit = await exitWithin(k, 20_000);
  timings.sigtermShutdown = `${exit.at - t0} ms`;
  console.log(`[embedded] SIGTERM → exit ${exit.code ?? exit.signal} after ${exit.at - t0} ms`);
  expect(exit).toMatchObject({ code: 0, signal: null });
  await expectNothingLeft(before);
});

test('after a crash (SIGKILL) postgres and temporal are orphaned; the next start ends them and comes up', async () => {
  const k = start('direct');
  await waitHealthy(k);
  const app = appProcess(k);
  process.kill(app.pid, 'SIGKILL');
  await exitWithin(k, 20_000);

  // the premise: they outlive the app (reparented), still holding the data directory and ports
  const orphans = processesUsing(dataDir);
  expect(orphans.some((p) => p.cmd.includes(path.join(dataDir, 'postgres')))).toBe(true);
  expect(orphans.some((p) => p.cmd.includes('start-dev'))).toBe(true);
  expect(orphans.every((p) => p.ppid !== app.pid)).toBe(true);

  const again = start('direct');
  const ms = await waitHealthy(again);
  timings.startAfterCrash = `${ms} ms (app: ${again.output().match(/bereit nach ([\d.]+ s)/)?.[1]})`;
  console.log(`[embedded] start after SIGKILL (stale postgres + temporal) → /healthz 200 after ${ms} ms`);
  expect(stillRunning(orphans).map((p) => p.cmd)).toEqual([]); // the stale ones were ended, not doubled
  const t = await token();
  const c = await request(url, 'GET', `/api/cases/${caseId}`, { token: t });
  expect(c.status).toBe(200);
  expect(c.body).toMatchObject({ live: true, reference });

  const before = snapshot(again);
  const t0 = Date.now();
  process.kill(again.pid, 'SIGINT');
  const exit = await exitWithin(again, 20_000);
  timings.sigintShutdownDirect = `${exit.at - t0} ms`;
  expect(exit).toMatchObject({ code: 0, signal: null });
  await expectNothingLeft(before);
});

test('a start that fails (HTTP port taken) exits 1 with the reason and leaves nothing running', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(ports.http, '127.0.0.1', () => resolve()));
  try {
    const k = start('direct');
    const exit = await exitWithin(k, 60_000);
    expect(exit).toMatchObject({ code: 1 });
    expect(k.output()).toMatch(/KIM Flow konnte nicht starten: .*EADDRINUSE/);
    await expectNothingLeft([]);
  } finally {
    await new Promise((r) => blocker.close(r));
  }
});

// npm forwards SIGTERM to the shell that runs the script; dash does not pass it on, and the app keeps
// running without npm. `"start": "exec node --import tsx app/start.ts"` in package.json makes the shell
// hand over to the app itself. (Not the tsx CLI: it relays signals to a child node process and
// SIGKILLs it when the child does not confirm within 30 ms — on a loaded machine Ctrl-C then killed
// the app instead of shutting it down.)
test('SIGTERM to the `npm start` process stops everything ("start": "exec node --import tsx …")', async () => {
  const k = start('npm');
  await waitHealthy(k);
  const before = snapshot(k);
  const t0 = Date.now();
  process.kill(k.pid, 'SIGTERM');
  const exit = await exitWithin(k, 20_000);
  console.log(`[embedded] SIGTERM to npm → exit ${exit.code ?? exit.signal} after ${exit.at - t0} ms`);
  expect(exit).toMatchObject({ code: 0, signal: null });
  await expectNothingLeft(before);
});
