// The worker's V8 heap settings (issue 17, P4) come from ONE place, core/runtime/worker-heap.ts: by default
// a young generation of 2 MB per semi-space instead of V8's 16; KIM_WORKER_SEMI_SPACE_MB / KIM_WORKER_HEAP_MB
// change them, 0 leaves V8's own. Checked on real heaps: the workflow thread (a worker thread started after
// runWorker's applyWorkerHeapFlags, as the Temporal SDK starts it) and a worker process's main thread (node
// arguments from workerNodeArgs, as app/cluster.ts and the tests' worker process spawn it).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../../core/config';
import { workerHeapFlags, workerNodeArgs } from '../../core/runtime/worker-heap';

const root = path.join(__dirname, '..', '..');

test('default heap flags, and the variables change them', () => {
  expect(workerHeapFlags(loadConfig({}))).toEqual(['--max-semi-space-size=2']);
  expect(workerNodeArgs(loadConfig({}))).toEqual(['--max-semi-space-size=2']);
  expect(workerHeapFlags(loadConfig({ KIM_WORKER_SEMI_SPACE_MB: '8', KIM_WORKER_HEAP_MB: '512' }))).toEqual([
    '--max-semi-space-size=8',
    '--max-old-space-size=512',
  ]);
  expect(workerHeapFlags(loadConfig({ KIM_WORKER_SEMI_SPACE_MB: '0', KIM_WORKER_HEAP_MB: '0' }))).toEqual([]);
  expect(() => loadConfig({ KIM_WORKER_SEMI_SPACE_MB: '-1' })).toThrow(/KIM_WORKER_SEMI_SPACE_MB/);
});

/** Heap figures (MB) of a fresh node process: its main thread and a worker thread started after applyWorkerHeapFlags. */
function heaps(env: Record<string, string>, nodeArgs: string[]) {
  const script = `
    const v8 = require('node:v8');
    const { Worker } = require('node:worker_threads');
    const { loadConfig } = require('./core/config');
    const { applyWorkerHeapFlags } = require('./core/runtime/worker-heap');
    // short-lived garbage until the young generation has grown to its maximum
    const churn = () => { let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 1e5) keep = []; } };
    const figures = () => (churn(), {
      newSpace: v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20,
      limit: v8.getHeapStatistics().heap_size_limit / 2 ** 20,
    });
    const main = figures();
    applyWorkerHeapFlags(loadConfig(process.env));
    const code = "const v8 = require('node:v8'); const { parentPort } = require('node:worker_threads'); " +
      "let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 1e5) keep = []; } " +
      "parentPort.postMessage({ newSpace: v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20, limit: v8.getHeapStatistics().heap_size_limit / 2 ** 20 });";
    new Worker(code, { eval: true }).once('message', (thread) => { console.log(JSON.stringify({ main, thread })); process.exit(0); });
  `;
  const out = execFileSync(process.execPath, [...nodeArgs, '--import', 'tsx', '-e', script], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<'main' | 'thread', { newSpace: number; limit: number }>;
}

test('the workflow thread gets the flags in every shape; the main thread of a worker process through its node arguments', () => {
  const plain = heaps({ KIM_WORKER_SEMI_SPACE_MB: '0', KIM_WORKER_HEAP_MB: '0' }, []);
  // V8's own: 2 × 16 MB young generation (the figure the flags cut)
  expect(plain.thread.newSpace).toBeGreaterThanOrEqual(32);

  // `npm start` / `npm run worker`: the flags reach the workflow thread, not the already made main heap
  const inProcess = heaps({ KIM_WORKER_HEAP_MB: '300' }, []);
  expect(inProcess.thread.newSpace).toBeLessThanOrEqual(4);
  expect(inProcess.thread.limit).toBeLessThan(400);
  expect(inProcess.main.newSpace).toBeGreaterThanOrEqual(32);

  // a worker process of its own (cluster, tests, benchmark) gets them on its main thread too
  const env = { KIM_WORKER_HEAP_MB: '300' };
  const spawned = heaps(env, workerNodeArgs(loadConfig(env)));
  expect(spawned.main.newSpace).toBeLessThanOrEqual(4);
  expect(spawned.main.limit).toBeLessThan(400);
  expect(spawned.thread.newSpace).toBeLessThanOrEqual(4);
});
