// `npx tsx test/bench/worker-heap-snapshot.ts` — what a waiting chain keeps in the worker's heap (issue 17, P4).
// A worker (runWorker as shipped; the workflow thread the SDK starts is caught so that its heap can be written)
// caches every workflow (KIM_WORKER_CACHE = 2·BENCH_N+100); heap snapshots when
// idle and with BENCH_N (default 1000) waiting move-out chains + their case workflows; then the difference by
// (node type, name): count and self size, per chain. Snapshots are read without JSON.parse of the whole file
// (it may exceed V8's longest string). BENCH_SNAPSHOT_KEEP=1 keeps the files (for Chrome DevTools).
// Prints figures; never fails on a size.
// Known gap (30 Nov): the workflow thread caught at start is written when idle (27 MB), but by the time the chains
// wait it is no longer running (ERR_WORKER_NOT_RUNNING; not found why), so only the main thread is compared then.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import v8 from 'node:v8';
import workerThreads, { type Worker } from 'node:worker_threads';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { runBenchmark } from './run';
import { eventually, startStack } from '../support/stack';
import { killProcess, startWorkerProcess } from '../support/worker-process';
import { startWaitingChains } from './waiting-chains';
import { prepareDatabase, runWorker } from '../../app/boot';
import { loadConfig } from '../../core/config';
import { createLogger } from '../../core/log';

const N = Number(process.env.BENCH_N ?? 1000);

/** The worker role: runWorker as shipped; SIGUSR2 → heap snapshots of the main thread and of the workflow
 *  thread (the SDK's worker thread, caught when it is made), their paths on stdout. */
async function workerRole() {
  const threads: Worker[] = [];
  const Made = workerThreads.Worker;
  (workerThreads as { Worker: typeof Worker }).Worker = class extends Made {
    constructor(...args: ConstructorParameters<typeof Made>) {
      super(...args);
      threads.push(this);
      this.once('exit', () => threads.splice(threads.indexOf(this), 1)); // only running threads have a heap to write
    }
  };
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'kim-worker');
  const db = await prepareDatabase(config, config.DATABASE_URL!, log, false);
  await runWorker({ config, db, log, temporalAddress: config.TEMPORAL_ADDRESS!, smtpUrl: config.SMTP_URL! });
  process.on('SIGUSR2', async () => {
    const stamp = Date.now();
    const main = v8.writeHeapSnapshot(path.join(process.env.BENCH_SNAPSHOT_DIR!, `main-${stamp}.heapsnapshot`));
    const files = [main];
    for (const [i, t] of threads.entries()) {
      const file = path.join(process.env.BENCH_SNAPSHOT_DIR!, `thread${i}-${stamp}.heapsnapshot`);
      await pipeline(await t.getHeapSnapshot(), fs.createWriteStream(file));
      files.push(file);
    }
    console.log(`SNAPSHOT ${files.join(',')}`);
  });
}

function snapshotOf(proc: import('node:child_process').ChildProcess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let tail = '';
    proc.stderr!.on('data', (b: Buffer) => (tail = (tail + b.toString()).slice(-3000)));
    proc.once('exit', (code, signal) => reject(new Error(`worker ended (${signal ?? code}) while writing a snapshot: ${tail}`)));
    const onData = (b: Buffer) => {
      const m = b.toString().match(/SNAPSHOT (\S+)/);
      if (m) {
        proc.stdout!.off('data', onData);
        resolve(m[1].split(','));
      }
    };
    proc.stdout!.on('data', onData);
    proc.kill('SIGUSR2');
  });
}

/** Self size and count per "type name" of a .heapsnapshot, read in pieces. */
function summary(file: string): Map<string, { count: number; size: number }> {
  const buf = fs.readFileSync(file);
  const at = (s: string, from = 0) => buf.indexOf(s, from);
  const nodesAt = at('"nodes":[');
  const head = buf.toString('utf8', 0, nodesAt).trim().replace(/,$/, '');
  const meta = JSON.parse(`${head}}`) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } } };
  const fields = meta.snapshot.meta.node_fields;
  const types = meta.snapshot.meta.node_types[0];
  const nf = fields.length;
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  // numbers of "nodes":[…]
  const nums: number[] = [];
  let i = nodesAt + '"nodes":['.length;
  let n = 0;
  let inNum = false;
  for (; ; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      inNum = true;
    } else {
      if (inNum) nums.push(n);
      n = 0;
      inNum = false;
      if (c === 93) break; // ]
    }
  }
  // strings: each a JSON string literal in "strings":[…]
  const strings: string[] = [];
  i = at('"strings":[') + '"strings":['.length;
  while (i < buf.length) {
    while (i < buf.length && buf[i] !== 34 && buf[i] !== 93) i++;
    if (buf[i] === 93 || i >= buf.length) break;
    let j = i + 1;
    while (buf[j] !== 34) j += buf[j] === 92 ? 2 : 1;
    strings.push((JSON.parse(buf.toString('utf8', i, j + 1)) as string).slice(0, 120));
    i = j + 1;
  }
  const out = new Map<string, { count: number; size: number }>();
  for (let k = 0; k < nums.length; k += nf) {
    const type = types[nums[k + iType]];
    let name = strings[nums[k + iName]] ?? '?';
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string')
      name = name.length > 40 ? `${name.slice(0, 40)}…` : name;
    if (type === 'number' || type === 'hidden' || type === 'array') name = name.replace(/\d+/g, '#');
    const key = `${type.padEnd(12)} ${name.replace(/\s+/g, ' ')}`;
    const e = out.get(key) ?? { count: 0, size: 0 };
    e.count++;
    e.size += nums[k + iSize];
    out.set(key, e);
  }
  return out;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-heap-'));
  await globalSetup();
  const stack = await startStack({ worker: false });
  let files: string[][];
  try {
    const cw = await stack.token('fallmanagement@kim.example');
    const proc = await startWorkerProcess(
      stack,
      { KIM_WORKING_DAY_SECONDS: '0', KIM_WORKER_CACHE: String(2 * N + 100), BENCH_SNAPSHOT_ROLE: 'worker', BENCH_SNAPSHOT_DIR: dir },
      path.join('test', 'bench', 'worker-heap-snapshot.ts'),
    );
    try {
      await new Promise((r) => setTimeout(r, 5_000));
      const idle = await snapshotOf(proc);
      await startWaitingChains(stack, cw, N);
      await eventually(
        async () => (await stack.db.process.count({ where: { type: 'move-out', currentStep: 'readiness', currentStatus: 'active' } })) >= N,
        3_600_000,
        1_000,
      );
      await new Promise((r) => setTimeout(r, 5_000));
      const loaded = await snapshotOf(proc);
      files = [idle, loaded];
    } finally {
      await killProcess(proc);
    }
  } finally {
    await stack.stop();
    await globalTeardown();
  }
  const total = (m: Map<string, { size: number }>) => [...m.values()].reduce((sum, e) => sum + e.size, 0) / 2 ** 20;
  const [idleFiles, loadedFiles] = files;
  for (const [h, heap] of ['main thread (activities, Prisma, codec)', 'workflow thread (the cached workflows)'].entries()) {
    if (!idleFiles[h] || !loadedFiles[h]) continue;
    const a = summary(idleFiles[h]);
    const b = summary(loadedFiles[h]);
    console.log(`\nWorker heap, ${heap}: idle ${total(a).toFixed(1)} MB, with ${N} waiting chains ${total(b).toFixed(1)} MB`);
    console.log(`  per chain (with its case workflow): ${(((total(b) - total(a)) * 1024) / N).toFixed(0)} KB`);
    const rows = [...b.entries()]
      .map(([k, e]) => ({ k, count: e.count - (a.get(k)?.count ?? 0), size: e.size - (a.get(k)?.size ?? 0) }))
      .sort((x, y) => y.size - x.size)
      .slice(0, 30);
    console.log(`  added per chain   objects   bytes     type / name (the largest 30 by added self size)`);
    for (const r of rows) console.log(`  ${(r.count / N).toFixed(1).padStart(14)}   ${(r.size / N).toFixed(0).padStart(8)}   ${r.k}`);
  }
  if (process.env.BENCH_SNAPSHOT_KEEP) console.log(`\nsnapshots kept in ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

if (process.env.BENCH_SNAPSHOT_ROLE === 'worker') {
  workerRole().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else runBenchmark(main);
