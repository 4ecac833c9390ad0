// `npm run bench:chains` — K chains started concurrently through the API and driven to completion
// through the API (caseworker steps and the Jobcenter's task), next to bare Temporal client starts
// of a trivial workflow on the same server in the same run; then the worker's RSS with 1,000 and
// 5,000 chains waiting on timers. Prints figures and ratios; never fails on a time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { runBenchmark } from './run';
import { eventually, startStack, PAYLOAD_CODEC, testEnv } from '../support/stack';
import { killProcess, startWorkerProcess } from '../support/worker-process';
import { trivialWorkflow, bumpUpdate } from './trivial-workflow';
import { giveConsent } from '../support/consent';
import { cpuByCommand, cpuPerItem, profiled } from './cpu-profile';
import { pool } from './measure';

const K = Number(process.env.BENCH_K ?? 200);
const RSS_COUNTS = (process.env.BENCH_RSS ?? '1000,5000').split(',').map(Number).filter(Boolean);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** BENCH_DRIVE=0: only the starts (P1), not the drive of every chain to completion */
const DRIVE = process.env.BENCH_DRIVE !== '0';
/** how long one action may answer 409 (not current yet) before the run fails */
const STEP_WAIT_MS = Number(process.env.BENCH_STEP_WAIT_MS ?? 120_000);

/** Resident memory of a process and its children, in MB. */
function rssMb(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      kb += Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
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

async function main() {
  await globalSetup();
  const stack = await startStack({ workingDaySeconds: 0.01 });
  try {
    const [cw, jc] = await Promise.all([stack.token('fallmanagement@kim.example'), stack.token('jobcenter@kim.example')]);
    const ok = (r: { status: number; body: unknown }, what: string) => {
      if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
      return r;
    };

    // --- baseline: bare client starts of a trivial workflow --------------------------------------
    const conn = await NativeConnection.connect({ address: testEnv().temporalAddress });
    const baseQueue = `${stack.taskQueue}-base`;
    const worker = await Worker.create({
      connection: conn,
      taskQueue: baseQueue,
      workflowsPath: path.join(__dirname, 'trivial-workflow.ts'),
      dataConverter: { payloadCodecs: [PAYLOAD_CODEC] },
    });
    const run = worker.run();
    const cpu0 = cpuByCommand();
    const t0 = performance.now();
    const handles: Awaited<ReturnType<typeof stack.client.workflow.start>>[] = [];
    await pool(Array.from({ length: K }), CONCURRENCY, async (_x, i) => {
      handles.push(
        await stack.client.workflow.start(trivialWorkflow, { taskQueue: baseQueue, workflowId: `bench-start-${Date.now()}-${i}` }),
      );
    });
    const baseStartsPerSec = K / ((performance.now() - t0) / 1000);
    const baseCpu = cpuPerItem(cpu0, cpuByCommand(), K);
    await pool(handles, CONCURRENCY, async (h) => {
      await h.executeUpdate(bumpUpdate, { args: [-1] });
    });
    worker.shutdown();
    await run;
    await conn.close();

    // --- chains: start via the API ----------------------------------------------------------------
    const cases: string[] = [];
    await pool(Array.from({ length: 2 * K }), CONCURRENCY, async () => {
      const p = ok(
        await stack.api('POST', '/api/persons', {
          token: cw,
          body: { firstName: 'B', lastName: 'Ench', benefitType: 'sgb2', birthDate: '1990-01-01' },
        }),
        'person',
      );
      const c = ok(
        await stack.api('POST', '/api/cases', { token: cw, body: { personId: (p.body as { id: string }).id, topic: 'education_work' } }),
        'case',
      );
      await giveConsent(stack, cw, (c.body as { id: string }).id);
      cases.push((c.body as { id: string }).id);
    });
    const processes: string[] = [];
    const cpu1 = cpuByCommand();
    const s0 = performance.now();
    await profiled('chain-starts', () =>
      pool(cases.slice(0, K), CONCURRENCY, async (caseId) => {
        const r = ok(await stack.api('POST', `/api/cases/${caseId}/chains`, { token: cw, body: { type: 'education-work' } }), 'start');
        processes.push((r.body as { id: string }).id);
      }),
    );
    const chainStartsPerSec = K / ((performance.now() - s0) / 1000);
    const chainCpu = cpuPerItem(cpu1, cpuByCommand(), K);
    // the API's own part: K more starts while the chain worker is stopped (the worker's work on the chains
    // just started — their first records — competes with the API for the cores in the phase above)
    await eventually(
      async () => (await stack.db.processEvent.count({ where: { processId: { in: processes }, event: 'step.started' } })) >= K,
      600_000,
      200,
    );
    // the chain records (activities/chain.ts) the worker wrote per start by now
    const recordsPerStart = (await stack.db.processEvent.count({ where: { processId: { in: processes } } })) / K;
    await stack.stopWorker();
    const cpu2 = cpuByCommand();
    const w0 = performance.now();
    await profiled('chain-starts-worker-stopped', () =>
      pool(cases.slice(K), CONCURRENCY, async (caseId) => {
        ok(await stack.api('POST', `/api/cases/${caseId}/chains`, { token: cw, body: { type: 'education-work' } }), 'start');
      }),
    );
    const apiOnlyStartsPerSec = K / ((performance.now() - w0) / 1000);
    const apiOnlyCpu = cpuPerItem(cpu2, cpuByCommand(), K);
    await stack.startWorker();
    // P1 as soon as it is measured: the phases after it take long and may fail
    const p1 = (label: string, perSec: number) =>
      console.log(`  ${label.padEnd(39)} ${perSec.toFixed(1).padStart(8)} starts/s   ${(perSec / baseStartsPerSec).toFixed(2)}× baseline`);
    console.log(
      `\nP1 (K = ${K}, concurrency ${CONCURRENCY}; load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')})`,
    );
    console.log(`  ${'bare client starts (trivial workflow)'.padEnd(39)} ${baseStartsPerSec.toFixed(1).padStart(8)} starts/s   (baseline)`);
    p1('chain starts via API (education-work)', chainStartsPerSec);
    p1('chain starts via API, worker stopped', apiOnlyStartsPerSec);
    console.log(`  chain records written per start (worker)  ${recordsPerStart.toFixed(1)}`);
    console.log('  CPU ms per start, by program (node = API, worker, this client and the bare worker in one process):');
    console.log(`    bare starts: ${baseCpu}`);
    console.log(`    chain starts via API: ${chainCpu}`);
    console.log(`    chain starts via API, worker stopped: ${apiOnlyCpu}`);

    // --- drive every chain to completion via the API -----------------------------------------------
    // a step that never becomes current (e.g. the path below no longer matches the definition) fails the run
    // loudly instead of retrying forever — that was a run that printed nothing (the path was v1's)
    const stuck = async (id: string, what: string, since: number) => {
      if (performance.now() - since < STEP_WAIT_MS) return;
      const p = await stack.db.process.findUnique({ where: { id }, select: { version: true, currentStep: true, currentStatus: true } });
      throw new Error(`${what}: nach ${STEP_WAIT_MS / 1000} s nicht möglich; die Kette steht bei ${JSON.stringify(p)}`);
    };
    const step = async (id: string, key: string, outcome: string, data?: object) => {
      for (const since = performance.now(); ;) {
        const r = await stack.api('POST', `/api/processes/${id}/steps/${key}/complete`, {
          token: cw,
          body: { outcome, ...(data ? { data } : {}) },
        });
        if (r.status === 200) return;
        if (r.status !== 409) throw new Error(`${key}: ${r.status} ${JSON.stringify(r.body)}`);
        await stuck(id, `${key} → ${outcome}`, since);
        await new Promise((res) => setTimeout(res, 20)); // not current yet (a wait or the previous step is still being recorded)
      }
    };
    const d0 = performance.now();
    await pool(DRIVE ? processes : [], CONCURRENCY, async (id) => {
      // education-work as new chains start it (version 2: age check → education history → integration course
      // status → Jobcenter counselling → measure → placement → follow-up)
      await step(id, 'education-history', 'done');
      await step(id, 'integration-course-status', 'not-needed');
      const taskId = await eventually(
        async () => {
          const p = await stack.api('GET', `/api/processes/${id}`, { token: cw });
          return (p.body as { steps: Array<{ key: string; taskId: string | null }> }).steps.find((s) => s.key === 'counselling')?.taskId;
        },
        60_000,
        20,
      );
      for (const since = performance.now(); ;) {
        // 409 until the handoff has notified the department
        const r = await stack.api('POST', `/api/tasks/${taskId}/complete`, { token: jc, body: { outcome: 'done' } });
        if (r.status === 200) break;
        if (r.status !== 409) ok(r, 'counselling');
        await stuck(id, 'counselling (Jobcenter)', since);
        await new Promise((res) => setTimeout(res, 20));
      }
      await step(id, 'measure', 'skip');
      await step(id, 'placement', 'work');
      await step(id, 'follow-up', 'stable');
    });
    await eventually(
      async () => !DRIVE || (await stack.db.process.count({ where: { id: { in: processes }, status: 'completed' } })) === K,
      120_000,
      100,
    );
    const completedPerSec = K / ((performance.now() - d0) / 1000);
    console.log(
      `  starts: bare ${baseStartsPerSec.toFixed(1)}/s, chains via API ${chainStartsPerSec.toFixed(1)}/s; ${DRIVE ? `completed via API ${completedPerSec.toFixed(1)}/s` : 'not driven to completion (BENCH_DRIVE=0)'}`,
    );

    // --- worker memory with K chains waiting on timers (real working days: nothing fires) -----------
    const rss: Array<[number, number, number]> = [];
    if (RSS_COUNTS.length) {
      await stack.stopWorker();
      // info log level: startWorkerProcess waits for its "Worker läuft" line
      const proc = await startWorkerProcess(stack, { KIM_WORKING_DAY_SECONDS: '0' });
      try {
        await new Promise((r) => setTimeout(r, 1_000));
        const idle = rssMb(proc.pid!);
        let started = 0;
        for (const target of RSS_COUNTS) {
          const n = target - started;
          const ids: string[] = [];
          await pool(Array.from({ length: n }), CONCURRENCY, async () => {
            const p = ok(
              await stack.api('POST', '/api/persons', { token: cw, body: { firstName: 'W', lastName: 'Ait', benefitType: 'sgb2' } }),
              'person',
            );
            const c = ok(
              await stack.api('POST', '/api/cases', { token: cw, body: { personId: (p.body as { id: string }).id, topic: 'housing' } }),
              'case',
            );
            await giveConsent(stack, cw, (c.body as { id: string }).id);
            ids.push(
              (
                ok(
                  await stack.api('POST', `/api/cases/${(c.body as { id: string }).id}/chains`, { token: cw, body: { type: 'move-out' } }),
                  'start',
                ).body as { id: string }
              ).id,
            );
          });
          started = target;
          await eventually(
            async () =>
              (await stack.db.process.count({ where: { type: 'move-out', currentStep: 'readiness', currentStatus: 'active' } })) >= target,
            600_000,
            500,
          );
          await new Promise((r) => setTimeout(r, 2_000));
          rss.push([target, rssMb(proc.pid!), idle]);
          console.log(
            `  (measured: ${target} chains waiting → worker RSS ${rss[rss.length - 1][1].toFixed(1)} MB, idle ${idle.toFixed(1)} MB)`,
          );
        }
      } finally {
        await killProcess(proc);
      }
    }

    const f = (x: number) => x.toFixed(1);
    console.log(`  (phase 1 done: ${K} chains started and completed)`);
    console.log(
      `\nbench:chains (K = ${K}, concurrency ${CONCURRENCY}; same Temporal dev server, same run; load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')})`,
    );
    console.log(`  bare client starts (trivial workflow)   ${f(baseStartsPerSec).padStart(8)} starts/s   (baseline)`);
    console.log(
      `  chain starts via API (education-work)   ${f(chainStartsPerSec).padStart(8)} starts/s   ${(chainStartsPerSec / baseStartsPerSec).toFixed(2)}× baseline`,
    );
    console.log(
      `  chain starts via API, worker stopped    ${f(apiOnlyStartsPerSec).padStart(8)} starts/s   ${(apiOnlyStartsPerSec / baseStartsPerSec).toFixed(2)}× baseline`,
    );
    if (DRIVE)
      console.log(
        `  chains driven to completion via API     ${f(completedPerSec).padStart(8)} chains/s   (${(completedPerSec / baseStartsPerSec).toFixed(2)}× baseline starts/s; 6 API actions + 1 handoff each)`,
      );
    for (const [n, mb, idle] of rss)
      console.log(
        `  worker RSS with ${String(n).padStart(5)} chains waiting on timers  ${f(mb).padStart(7)} MB   (idle worker ${f(idle)} MB; ${(((mb - idle) * 1024) / n).toFixed(1)} KB per chain)`,
      );
  } finally {
    await stack.stop();
    await globalTeardown();
  }
}

runBenchmark(main);
