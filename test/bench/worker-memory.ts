// `npm run bench:worker-memory` — the worker's resident memory (issue 17, P4), in one run on one server:
//  - idle: the worker as it was (webpack bundling in its own process) vs now (bundled in a child process);
//  - per cached chain: N move-out chains (each with its case workflow) waiting on timers, RSS growth;
//  - what eviction costs: replaying a stored move-out history (≈400 events) vs a trivial one-step
//    history, p50/p95 — the price of a timer firing for a chain no longer in the worker's cache.
// Prints figures and ratios; never fails on a size or a time.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { runBenchmark } from './run';
import { eventually, PAYLOAD_CODEC, startStack, testEnv, type Stack } from '../support/stack';
import { killProcess, startWorkerProcess } from '../support/worker-process';
import { giveConsent } from '../support/consent';

const N = Number(process.env.BENCH_N ?? 300);
const REPLAYS = Number(process.env.BENCH_REPLAYS ?? 30);
const CONCURRENCY = 8;

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

const settle = () => new Promise((r) => setTimeout(r, 3_000));
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function waitingChains(stack: Stack, cw: string, n: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < n) {
        const p = await stack.api('POST', '/api/persons', { token: cw, body: { firstName: 'W', lastName: 'Ait', benefitType: 'sgb2' } });
        const c = await stack.api('POST', '/api/cases', { token: cw, body: { personId: p.body.id, topic: 'housing' } });
        await giveConsent(stack, cw, c.body.id);
        const r = await stack.api('POST', `/api/cases/${c.body.id}/chains`, { token: cw, body: { type: 'move-out' } });
        if (r.status !== 201) throw new Error(`start: ${r.status} ${JSON.stringify(r.body)}`);
      }
    }),
  );
}

async function measureVariant(stack: Stack, cw: string, label: string, script: string, already: number) {
  const proc = await startWorkerProcess(stack, { KIM_WORKING_DAY_SECONDS: '0' }, script);
  try {
    await settle();
    const idle = rssMb(proc.pid!);
    await waitingChains(stack, cw, N);
    await eventually(
      async () =>
        (await stack.db.process.count({ where: { type: 'move-out', currentStep: 'readiness', currentStatus: 'active' } })) >= already + N,
      900_000,
      500,
    );
    await settle();
    const loaded = rssMb(proc.pid!);
    console.log(`  (${label}: idle ${idle.toFixed(0)} MB, with ${N} chains ${loaded.toFixed(0)} MB)`);
    return { idle, loaded, perChainKb: ((loaded - idle) * 1024) / N };
  } finally {
    await killProcess(proc);
  }
}

async function replayTimes(file: string): Promise<number[]> {
  const history = historyFromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
  const times: number[] = [];
  for (let i = 0; i < REPLAYS; i++) {
    const t0 = performance.now();
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: testEnv().workflowBundle }, dataConverter: { payloadCodecs: [PAYLOAD_CODEC] } },
      history,
      `replay-${i}`,
    );
    times.push(performance.now() - t0);
  }
  return times;
}

async function main() {
  await globalSetup();
  const stack = await startStack({ worker: false });
  try {
    const cw = await stack.token('fallmanagement@kim.example');
    const before = await measureVariant(stack, cw, 'bundled in the worker', path.join('test', 'bench', 'worker-in-process-bundle.ts'), 0);
    const now = await measureVariant(stack, cw, 'bundled in a child process', path.join('app', 'worker.ts'), N);

    const histories = path.join(__dirname, '..', 'histories');
    const big = await replayTimes(path.join(histories, 'move-out-v1-complete.json'));
    const small = await replayTimes(path.join(histories, 'case-closed.json'));
    const events = (f: string) => (JSON.parse(fs.readFileSync(path.join(histories, f), 'utf8')) as { events: unknown[] }).events.length;

    const f = (x: number) => x.toFixed(0).padStart(6);
    console.log(`\nWorker memory (${N} move-out chains + their case workflows waiting per variant, dev server, same run)`);
    console.log(`  idle worker, webpack in the worker (before)     ${f(before.idle)} MB   (baseline)`);
    console.log(`  idle worker, bundled in a child process (now)   ${f(now.idle)} MB   ${(now.idle / before.idle).toFixed(2)}× baseline`);
    console.log(`  per waiting chain, before                       ${f(before.perChainKb)} KB`);
    console.log(
      `  per waiting chain, now                          ${f(now.perChainKb)} KB   ${(now.perChainKb / before.perChainKb).toFixed(2)}× baseline`,
    );
    console.log(`  with ${N} chains, now                             ${f(now.loaded)} MB`);
    const ms = (xs: number[]) => `p50 ${quantile(xs, 0.5).toFixed(0)} ms, p95 ${quantile(xs, 0.95).toFixed(0)} ms`;
    console.log(`\nEviction cost: replay of a stored history (${REPLAYS} runs each, includes the replay worker's start)`);
    console.log(`  case workflow, ${events('case-closed.json')} events (baseline)     ${ms(small)}`);
    console.log(
      `  move-out chain, ${events('move-out-v1-complete.json')} events           ${ms(big)}   p95 ${(quantile(big, 0.95) / quantile(small, 0.95)).toFixed(2)}× baseline`,
    );
  } finally {
    await stack.stop();
    await globalTeardown();
  }
}

runBenchmark(main);
