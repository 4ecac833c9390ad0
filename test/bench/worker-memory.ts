// `npm run bench:worker-memory` — the worker's resident memory (issue 17, P4), in one run on one server.
// Each variant is the same worker (test/bench/worker-with-bundle.ts) with a different workflow bundle:
//  - baseline: the bundle of BENCH_BASELINE_REF (default b54cfbb, the workflows still importing zod),
//    built from `git archive` of that commit;
//  - zod-free: the bundle of this checkout (no zod in the workflows) without preloadModules;
//  - preload: this checkout as shipped: the pure domain modules preloaded (shared by all workflows);
//  - default: `npm run worker` as shipped (app/worker.ts, its default KIM_WORKER_CACHE and heap flags,
//    core/runtime/worker-heap.ts) — with BENCH_N=5000 the figure of issue 17's P4 target;
//  - v8-default: the same with V8's own heap sizes (KIM_WORKER_SEMI_SPACE_MB=0, KIM_WORKER_HEAP_MB=0) —
//    the baseline of the heap flags (BENCH_VARIANTS=v8-default,default).
// A variant may carry environment settings of its worker: `default[MALLOC_ARENA_MAX=2;KIM_WORKER_SEMI_SPACE_MB=8]`.
// Per variant also the worker's CPU seconds while the chains start (a GC thrash would show there).
// Per variant: idle RSS, then BENCH_N move-out chains (each with its case workflow) waiting on timers
// and the RSS then. The variants baseline, zod-free and preload keep every workflow cached (KIM_WORKER_CACHE =
// BENCH_CACHE, default 2·N+100), so the growth per chain is the cost of a cached chain.
// Then what eviction costs: a timer firing for a chain no longer cached replays its history — replay
// times of a stored move-out history cut at ≈BENCH_EVENTS events (default 200) and of a 29-event case
// history, BENCH_REPLAYS each, in one running replay worker (its start not counted), p50/p95.
// BENCH_VARIANTS picks and orders the variants (default baseline,zod-free,preload). Prints figures and
// ratios; never fails on a size or a time.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { runBenchmark } from './run';
import { eventually, PAYLOAD_CODEC, startStack, type Stack } from '../support/stack';
import { killProcess, startWorkerProcess } from '../support/worker-process';
import { startWaitingChains } from './waiting-chains';
import { workflowBundleOptions } from '../../worker/workflow-bundle';
import { loadConfig } from '../../core/config';
import { applyWorkerHeapFlags } from '../../core/runtime/worker-heap';

const N = Number(process.env.BENCH_N ?? 300);
const CACHE = process.env.BENCH_CACHE ?? String(2 * N + 100);
const REPLAYS = Number(process.env.BENCH_REPLAYS ?? 40);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const BASELINE_REF = process.env.BENCH_BASELINE_REF ?? 'b54cfbb';
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'baseline,zod-free,preload').split(',').map((v) => v.trim());
const root = path.join(__dirname, '..', '..');
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never;

function rssMb(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try {
      kb += Number(fs.readFileSync(`/proc/${p}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
      for (const t of fs.readdirSync(`/proc/${p}/task`)) {
        const kids = fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        for (const k of kids ? kids.split(/\s+/) : []) visit(Number(k));
      }
    } catch {
      /* gone */
    }
  };
  visit(pid);
  return kb / 1024;
}

/** CPU seconds (user + system) of a process (its threads included; children not). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

const settle = () => new Promise((r) => setTimeout(r, 5_000));
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** The workflow bundle of another commit: its files from `git archive`, this checkout's node_modules. */
function bundleOfCommit(ref: string, out: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-baseline-'));
  try {
    execFileSync('sh', ['-c', `git archive ${ref} | tar -x -C "${dir}"`], { cwd: root });
    fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules')), path.join(dir, 'node_modules'));
    execFileSync(process.execPath, ['--import', 'tsx', 'worker/bundle-cli.ts', out], { cwd: dir, stdio: 'inherit' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function bundles(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const v of VARIANTS) {
    const file = path.join(dir, `${v}.js`);
    if (v === 'baseline') bundleOfCommit(BASELINE_REF, file);
    else if (v === 'zod-free')
      fs.writeFileSync(file, (await bundleWorkflowCode({ workflowsPath: workflowBundleOptions.workflowsPath, logger: quiet })).code);
    else if (v === 'preload') fs.writeFileSync(file, (await bundleWorkflowCode({ ...workflowBundleOptions, logger: quiet })).code);
    else if (!/^(default|v8-default)(\[.*\])?$/.test(v)) throw new Error(`unknown variant ${v}`);
    if (fs.existsSync(file)) files[v] = file;
  }
  return files;
}

/** The bundle as the worker builds it (for the replay part when only the default variant runs). */
async function shippedBundle(dir: string) {
  const file = path.join(dir, 'shipped.js');
  fs.writeFileSync(file, (await bundleWorkflowCode({ ...workflowBundleOptions, logger: quiet })).code);
  return file;
}

async function measureVariant(stack: Stack, cw: string, label: string, bundleFile: string | undefined, already: number) {
  const env: Record<string, string> = { KIM_WORKING_DAY_SECONDS: '0' };
  if (bundleFile) Object.assign(env, { BENCH_BUNDLE_FILE: bundleFile, KIM_WORKER_CACHE: CACHE });
  if (label.startsWith('v8-default')) Object.assign(env, { KIM_WORKER_SEMI_SPACE_MB: '0', KIM_WORKER_HEAP_MB: '0' });
  for (const kv of label.match(/\[(.*)\]$/)?.[1].split(';') ?? []) env[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
  const proc = await startWorkerProcess(stack, env, bundleFile ? path.join('test', 'bench', 'worker-with-bundle.ts') : 'app/worker.ts');
  try {
    await settle();
    const idle = rssMb(proc.pid!);
    const cpu0 = cpuSeconds(proc.pid!);
    const t0 = Date.now();
    await startWaitingChains(stack, cw, N, 500);
    await eventually(
      async () =>
        (await stack.db.process.count({ where: { type: 'move-out', currentStep: 'readiness', currentStatus: 'active' } })) >= already + N,
      3_600_000,
      1_000,
    );
    const startedIn = (Date.now() - t0) / 1000;
    const cpu = cpuSeconds(proc.pid!) - cpu0;
    await settle();
    const loaded = rssMb(proc.pid!);
    console.log(
      `  (${label}: idle ${idle.toFixed(0)} MB, with ${N} chains ${loaded.toFixed(0)} MB; started in ${startedIn.toFixed(0)} s, ` +
        `${(N / startedIn).toFixed(1)} chains/s, worker CPU ${cpu.toFixed(0)} s = ${((cpu * 1000) / N).toFixed(1)} ms per chain; load ${load()})`,
    );
    return { idle, loaded, perChainKb: ((loaded - idle) * 1024) / N };
  } finally {
    await killProcess(proc);
  }
}

/** A stored history cut after the last completed workflow task at or before `events` events. */
function cutHistory(file: string, events: number) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { events: Array<{ eventType: string | number }> };
  let cut = 0;
  json.events.forEach((e, i) => {
    if (i < events && /WORKFLOW_TASK_COMPLETED|WorkflowTaskCompleted/.test(String(e.eventType))) cut = i + 1;
  });
  return { history: historyFromJSON({ ...json, events: json.events.slice(0, cut) }), events: cut };
}

/** Replay times (ms) of `history` replayed REPLAYS times in one replay worker (after one warm-up). */
async function replayTimes(bundleFile: string, history: ReturnType<typeof historyFromJSON>): Promise<number[]> {
  const times: number[] = [];
  const histories = Array.from({ length: REPLAYS + 1 }, (_, i) => ({ workflowId: `replay-${i}`, history }));
  let t = performance.now();
  for await (const r of Worker.runReplayHistories(
    { workflowBundle: { codePath: bundleFile }, dataConverter: { payloadCodecs: [PAYLOAD_CODEC] }, maxCachedWorkflows: 2 } as never,
    histories,
  )) {
    if (r.error) throw r.error;
    const now = performance.now();
    if (r.workflowId !== 'replay-0') times.push(now - t);
    t = now;
  }
  return times;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-bench-bundles-'));
  try {
    const files = await bundles(dir);
    for (const [v, f] of Object.entries(files)) console.log(`  bundle ${v}: ${(fs.statSync(f).size / 1e6).toFixed(2)} MB`);
    await globalSetup();
    const stack = await startStack({ worker: false });
    try {
      const cw = await stack.token('fallmanagement@kim.example');
      console.log(`load average at the start: ${load()}`);
      const results: Record<string, { idle: number; loaded: number; perChainKb: number }> = {};
      let already = 0;
      for (const v of VARIANTS) {
        results[v] = await measureVariant(stack, cw, v, files[v], already);
        already += N;
      }
      const f = (x: number) => x.toFixed(0).padStart(6);
      const first = results[VARIANTS[0]];
      console.log(`\nWorker memory (${N} waiting move-out chains + their case workflows per variant, dev server, same run)`);
      console.log(`  variant      idle MB   with ${N} MB   per chain KB   per chain vs ${VARIANTS[0]}`);
      for (const v of VARIANTS) {
        const r = results[v];
        console.log(
          `  ${v.padEnd(10)} ${f(r.idle)}   ${f(r.loaded)}       ${f(r.perChainKb)}        ${(r.perChainKb / first.perChainKb).toFixed(2)}×`,
        );
      }

      const replayBundle = files.preload ?? files['zod-free'] ?? Object.values(files)[0] ?? (await shippedBundle(dir));
      if (replayBundle) {
        // the replay worker's workflow thread with the worker's heap flags, as an evicted chain is replayed
        const heapFlags = applyWorkerHeapFlags(loadConfig(process.env));
        const histories = path.join(__dirname, '..', 'histories');
        const big = cutHistory(path.join(histories, 'move-out-v1-complete.json'), EVENTS);
        const small = cutHistory(path.join(histories, 'case-closed.json'), 1_000);
        const bigTimes = await replayTimes(replayBundle, big.history);
        const smallTimes = await replayTimes(replayBundle, small.history);
        const ms = (xs: number[]) => `p50 ${quantile(xs, 0.5).toFixed(0)} ms, p95 ${quantile(xs, 0.95).toFixed(0)} ms`;
        console.log(
          `\nEviction cost: replay of a stored history (${REPLAYS} runs each in one replay worker, bundle ${path.basename(replayBundle)}, heap flags ${heapFlags.join(' ') || 'none'})`,
        );
        console.log(`  case workflow, ${small.events} events (baseline)        ${ms(smallTimes)}`);
        console.log(
          `  move-out chain, ${big.events} events               ${ms(bigTimes)}   p95 ${(quantile(bigTimes, 0.95) / quantile(smallTimes, 0.95)).toFixed(2)}× baseline`,
        );
      }
      console.log(`load average at the end: ${load()}`);
    } finally {
      await stack.stop();
      await globalTeardown();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);
