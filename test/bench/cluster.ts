// `npm run bench:cluster` — the P1 and P2 figures of issue 17 on the production shape: `npm run cluster`
// (app/cluster.ts: Temporal server on PostgreSQL, two workers, two APIs, the round-robin entry) started
// on free ports in a temp dir; BENCH_TEMPORAL=dev: the same with the Temporal dev server. Every request
// goes through the entry. Baselines in the same run on the same Temporal server, from this process:
//   P1: K bare client starts of a trivial workflow (concurrency 16) vs K chain starts via the API (and K
//       more with both workers stopped: the API's own part);
//   P2: N bare update round-trips (16 trivial workflows) vs N handoffs acted on through their mailed links
//       (accept, then complete): "link POST → GET /api/tasks/:id shows the new status", p50/p95.
// Also CPU ms per item by program (only this run's processes). Never fails on a time; fails on an
// answer with an unexpected status. BENCH_K (200), BENCH_N (200), BENCH_CONCURRENCY (16).
// Ctrl-C, an error or the end stop the cluster and remove its temp dir. The npm script runs it with
// `node --import tsx`, not the `tsx` command: tsx's parent process SIGKILLs its child when that does not
// confirm a relayed Ctrl-C within 30 ms (a busy event loop), and the cluster was left running.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createPayloadCodec } from '../../core/codec';
import { createDb, type Db } from '../../core/db/client';
import { processTree } from '../runtime/kim-process';
import { call, readMails, startClusterShape, type Answer, type ClusterShape } from '../support/cluster-shape';
import { eventually, quietSdkLogs } from '../support/stack';
import { cpuByCommand, cpuPerItem } from './cpu-profile';
import { linkActionRows, loadAverage, pool } from './measure';
import { runBenchmark } from './run';
import { bumpUpdate, trivialWorkflow } from './trivial-workflow';

const K = Number(process.env.BENCH_K ?? 200);
const N = Number(process.env.BENCH_N ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DEV = process.env.BENCH_TEMPORAL === 'dev';
/** the cluster's namespace (core/config.ts TEMPORAL_NAMESPACE; kimEnv sets none) */
const NAMESPACE = 'default';

let shape: ClusterShape | undefined;
let db: Db | undefined;
let failed = false;
/** Ctrl-C: the run's failure that follows is no failure of the cluster (its log is not kept) */
let interrupted = false;

/** Ctrl-C of the cluster (it stops its parts), SIGKILL for whatever is left after 30 s, temp dir removed
 *  (the cluster's log is kept when the run failed). Once: a Ctrl-C and the failing run it causes both wait
 *  for the same stop (the process must not exit before it). */
let stopping: Promise<void> | undefined;
const stopCluster = () => (stopping ??= stop());
async function stop() {
  const s = shape;
  await db?.$disconnect().catch(() => {});
  if (!s) return;
  const child = s.child;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(child.pid!, 'SIGINT');
    } catch {
      /* gone */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000).unref())]);
  }
  s.kill();
  // as root with a dir the postgres user cannot reach, the data are kept elsewhere and linked
  const pgData = path.join(s.dir, 'postgres');
  if (fs.lstatSync(pgData, { throwIfNoEntry: false })?.isSymbolicLink())
    fs.rmSync(fs.realpathSync(pgData), { recursive: true, force: true });
  fs.rmSync(s.dir, { recursive: true, force: true });
  if (failed && !interrupted) console.error(`the cluster's log: ${s.logFile}`);
  else fs.rmSync(s.logFile, { force: true });
}

/** CPU by program, only this run's processes: the cluster's parts by role, this process as "bench". */
function cpuOfRun(s: ClusterShape): Map<string, number> {
  const roles = new Map<number, string>([
    [process.pid, 'bench (client + trivial worker)'],
    [s.child.pid!, 'entry'],
  ]);
  for (const [name, pid] of Object.entries(s.pids)) roles.set(pid, name.replace(/-\d$/, ''));
  const tree = new Set(processTree(s.child.pid!).map((p) => p.pid));
  return cpuByCommand((pid, command) => roles.get(pid) ?? (tree.has(pid) ? command : undefined));
}

async function main() {
  shape = await startClusterShape({ dev: DEV });
  const s = shape;
  await s.ready;
  db = createDb(s.databaseUrl(), 4);
  const entry = (method: string, p: string, o: Parameters<typeof call>[3] = {}) => call(s.url, method, p, o);
  /** fails the run on any other status */
  const expect = (r: Answer, status: number, what: string) => {
    if (r.status !== status) throw new Error(`${what}: ${r.status} statt ${status}: ${r.text.slice(0, 500)}`);
    return r.body;
  };
  const login = expect(
    await entry('POST', '/api/session', { body: { email: 'fallmanagement@kim.example', password: 'demo' } }),
    200,
    'Anmeldung',
  );
  const token = login.token as string;
  const allDepartments = (await db.department.findMany({ select: { id: true } })).map((d) => d.id);
  /** a person, a case and a consent through the entry; returns the case */
  const newCase = async (person: object, topic: string, departments: string[]) => {
    const p = expect(await entry('POST', '/api/persons', { token, body: person }), 201, 'Person');
    const c = expect(await entry('POST', '/api/cases', { token, body: { personId: p.id, topic } }), 201, 'Fall');
    expect(
      await entry('POST', `/api/cases/${c.id}/consents`, {
        token,
        body: { departments, purpose: 'Benchmark', givenAt: new Date().toISOString() },
      }),
      201,
      'Einwilligung',
    );
    return c as { id: string; reference: string };
  };

  // the bare baselines: this process's client and a worker of the trivial workflow on a task queue of its own
  const address = `127.0.0.1:${s.temporalPort}`;
  const codec = createPayloadCodec(s.payloadKey());
  quietSdkLogs();
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: NAMESPACE, dataConverter: { payloadCodecs: [codec] } });
  const taskQueue = `bench-trivial-${Date.now()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: NAMESPACE,
    taskQueue,
    workflowsPath: path.join(__dirname, 'trivial-workflow.ts'),
    dataConverter: { payloadCodecs: [codec] },
  });
  const workerRun = worker.run();
  try {
    const shapeName = DEV ? 'Temporal dev server' : 'Temporal server on PostgreSQL';
    console.log(`\nbench:cluster (${shapeName}, 2 workers, 2 APIs behind the entry; baselines on the same server, same run)`);

    // --- P1 -------------------------------------------------------------------------------------
    let cpu = cpuOfRun(s);
    let t0 = performance.now();
    const bare: WorkflowHandle[] = [];
    await pool(Array.from({ length: K }), CONCURRENCY, async (_x, i) => {
      bare.push(await client.workflow.start(trivialWorkflow, { taskQueue, workflowId: `bench-start-${Date.now()}-${i}` }));
    });
    const baseStartsPerSec = K / ((performance.now() - t0) / 1000);
    const baseStartCpu = cpuPerItem(cpu, cpuOfRun(s), K);
    await pool(bare, CONCURRENCY, async (h) => {
      await h.executeUpdate(bumpUpdate, { args: [-1] });
    });

    const cases: string[] = [];
    await pool(Array.from({ length: 2 * K }), CONCURRENCY, async () => {
      const c = await newCase(
        { firstName: 'B', lastName: 'Ench', benefitType: 'sgb2', birthDate: '1990-01-01' },
        'education_work',
        allDepartments,
      );
      cases.push(c.id);
    });
    const processes: string[] = [];
    const startChains = (ids: string[]) =>
      pool(ids, CONCURRENCY, async (caseId) => {
        const r = await entry('POST', `/api/cases/${caseId}/chains`, { token, body: { type: 'education-work' } });
        processes.push(expect(r, 201, 'Kettenstart').id as string);
      });
    /** every chain started so far waits at its first caseworker step (the workers are done with them) */
    const settled = () =>
      eventually(
        async () =>
          (await db!.process.count({
            where: { id: { in: processes }, currentStep: 'education-history', currentStatus: 'active' },
          })) >= processes.length,
        600_000,
        200,
      );
    cpu = cpuOfRun(s);
    t0 = performance.now();
    await startChains(cases.slice(0, K));
    const chainStartsPerSec = K / ((performance.now() - t0) / 1000);
    const chainCpu = cpuPerItem(cpu, cpuOfRun(s), K);
    await settled();
    // the API's own part: K more while both workers are stopped (SIGSTOP; they pick up afterwards)
    const workers = Object.entries(s.pids)
      .filter(([name]) => name.startsWith('worker-'))
      .map(([, pid]) => pid);
    let apiOnlyStartsPerSec: number;
    let apiOnlyCpu: string;
    for (const pid of workers) process.kill(pid, 'SIGSTOP');
    try {
      cpu = cpuOfRun(s);
      t0 = performance.now();
      await startChains(cases.slice(K));
      apiOnlyStartsPerSec = K / ((performance.now() - t0) / 1000);
      apiOnlyCpu = cpuPerItem(cpu, cpuOfRun(s), K); // before they go on
    } finally {
      for (const pid of workers) process.kill(pid, 'SIGCONT');
    }
    await settled(); // the workers caught up before P2
    const p1 = (label: string, perSec: number, ratio: string) =>
      console.log(`  ${label.padEnd(44)} ${perSec.toFixed(1).padStart(8)} starts/s   ${ratio}`);
    console.log(`\nP1 (K = ${K}, concurrency ${CONCURRENCY}; load average ${loadAverage()})`);
    p1('bare client starts (trivial workflow)', baseStartsPerSec, '(baseline)');
    p1('chain starts via the entry (education-work)', chainStartsPerSec, `${(chainStartsPerSec / baseStartsPerSec).toFixed(2)}× baseline`);
    p1(
      'chain starts via the entry, workers stopped',
      apiOnlyStartsPerSec,
      `${(apiOnlyStartsPerSec / baseStartsPerSec).toFixed(2)}× baseline`,
    );
    console.log('  CPU ms per start, by program (this run only: the cluster by role, this process = bench):');
    console.log(`    bare starts: ${baseStartCpu}`);
    console.log(`    chain starts via the entry: ${chainCpu}`);
    console.log(`    chain starts via the entry, workers stopped: ${apiOnlyCpu}`);

    // --- P2 -------------------------------------------------------------------------------------
    const handles = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) =>
        client.workflow.start(trivialWorkflow, { taskQueue, workflowId: `bench-trivial-${Date.now()}-${i}` }),
      ),
    );
    const base: number[] = [];
    cpu = cpuOfRun(s);
    t0 = performance.now();
    await pool(Array.from({ length: N }), CONCURRENCY, async (_x, i) => {
      const t = performance.now();
      await handles[i % handles.length].executeUpdate(bumpUpdate, { args: [1] });
      base.push(performance.now() - t);
    });
    const baseSeconds = (performance.now() - t0) / 1000;
    const baseCpu = cpuPerItem(cpu, cpuOfRun(s), N);
    await Promise.all(handles.map((h) => h.executeUpdate(bumpUpdate, { args: [-1] })));

    const created: Array<{ taskId: string; reference: string }> = [];
    t0 = performance.now();
    await pool(Array.from({ length: N }), CONCURRENCY, async () => {
      const c = await newCase({ firstName: 'B', lastName: 'Ench', benefitType: 'asylblg' }, 'housing', ['5-50']);
      const h = await entry('POST', `/api/cases/${c.id}/handoffs`, { token, body: { step: 'cost-approval', department: '5-50' } });
      created.push({ taskId: expect(h, 201, 'Übergabe').id as string, reference: c.reference });
    });
    const createSeconds = (performance.now() - t0) / 1000;
    const mailOf = new Map<string, string[]>();
    await eventually(
      () => {
        for (const m of readMails(s.dir)) {
          const ref = m.subject.match(/Fall (KIM-\d{4}-\d{4})/)?.[1];
          if (ref && m.to.includes('soziale-foerderung@kim.example') && m.subject.startsWith('[KIM] Bitte bestätigen'))
            mailOf.set(ref, m.links);
        }
        return created.every((c) => mailOf.has(c.reference));
      },
      300_000,
      200,
    );
    const mailSeconds = (performance.now() - t0) / 1000;
    const tokens = await db.actionToken.findMany({ where: { taskId: { in: created.map((c) => c.taskId) } } });
    const linkFor = (taskId: string, action: string, links: string[]) => {
      const ids = tokens.filter((t) => t.taskId === taskId && t.action === action).map((t) => t.id);
      const link = links.find((l) => ids.some((id) => l.includes(`.${id}.`)));
      if (!link) throw new Error(`kein Link „${action}" in der Mail der Aufgabe ${taskId}`);
      return link;
    };
    const visible: number[] = [];
    const post: number[] = [];
    cpu = cpuOfRun(s);
    t0 = performance.now();
    await pool(created, CONCURRENCY, async ({ taskId, reference }) => {
      const links = mailOf.get(reference)!;
      for (const [action, form, expected] of [
        ['accept', {}, 'accepted'],
        ['complete', { outcome: 'approved', 'data.approvedRent': '500' }, 'completed'],
      ] as const) {
        const link = linkFor(taskId, action, links);
        const t = performance.now();
        expect(await call(s.url, 'POST', link, { full: link, form }), 200, `Link ${action}`);
        post.push(performance.now() - t);
        for (;;) {
          const task = expect(await entry('GET', `/api/tasks/${taskId}`, { token }), 200, 'Aufgabe lesen');
          if (task.status === expected) break;
          await new Promise((res) => setTimeout(res, 2));
        }
        visible.push(performance.now() - t);
      }
    });
    const actSeconds = (performance.now() - t0) / 1000;
    const actCpu = cpuPerItem(cpu, cpuOfRun(s), 2 * N);
    const rows = linkActionRows({
      n: N,
      created: 'person+case+consent+handoff',
      seconds: { create: createSeconds, mails: mailSeconds, actions: actSeconds, base: baseSeconds },
      visible,
      post,
      base,
    });
    console.log(`\nP2 (N = ${N} handoffs, concurrency ${CONCURRENCY}; load average ${loadAverage()})`);
    for (const [a, b, c] of rows) console.log(`  ${a.padEnd(44)} ${b.padStart(18)}   ${c}`);
    console.log('  CPU ms per action, by program (this run only: the cluster by role, this process = bench):');
    console.log(`    bare update round-trips: ${baseCpu}`);
    console.log(`    link actions (POST, then GET until visible): ${actCpu}`);
  } finally {
    worker.shutdown();
    await workerRun;
    await connection.close();
    await nativeConnection.close();
  }
}

runBenchmark(
  () =>
    main()
      .catch((err) => {
        failed = true;
        throw err;
      })
      .finally(stopCluster),
  async () => {
    interrupted = true;
    await stopCluster();
  },
);
