// The worker's V8 heap settings, in ONE place for every shape that runs a worker (`npm start`, `npm run
// worker`, the cluster's workers, the benchmark's default variant). V8 sizes a heap when its isolate is
// made, so a flag reaches a heap in one of two ways:
//  - the workflow thread (where every cached workflow lives; the Temporal SDK starts it in Worker.create):
//    `applyWorkerHeapFlags` sets the flags process-wide just before — runWorker (app/boot.ts) calls it, so
//    it holds for every shape, also for `npm start`, where API and worker share one process;
//  - the main thread (activities, Prisma, payload codec): only as node arguments of a process of its
//    own — `workerNodeArgs`, used where a worker process is spawned (app/cluster.ts, the tests' and the
//    benchmark's worker process).
// The young generation (two semi-spaces) is what a busy worker fills and keeps resident: V8's default
// of 16 MB per semi-space costs up to 32 MB per heap (`npm run bench:worker-memory`; README, KIM_WORKER_*).
import v8 from 'node:v8';
import type { Config } from '../config';

export type WorkerHeapSettings = Pick<Config, 'KIM_WORKER_SEMI_SPACE_MB' | 'KIM_WORKER_HEAP_MB'>;

/** The V8 flags of the worker's heaps; a setting of 0 leaves V8's own default. */
export function workerHeapFlags(s: WorkerHeapSettings): string[] {
  return [
    ...(s.KIM_WORKER_SEMI_SPACE_MB > 0 ? [`--max-semi-space-size=${s.KIM_WORKER_SEMI_SPACE_MB}`] : []),
    ...(s.KIM_WORKER_HEAP_MB > 0 ? [`--max-old-space-size=${s.KIM_WORKER_HEAP_MB}`] : []),
  ];
}

/** Node arguments for a worker process of its own (its main thread's heap). */
export const workerNodeArgs = (s: WorkerHeapSettings): string[] => workerHeapFlags(s);

/** Sets the flags for heaps made from now on in this process — call before the workflow thread starts. */
export function applyWorkerHeapFlags(s: WorkerHeapSettings): string[] {
  const flags = workerHeapFlags(s);
  for (const f of flags) v8.setFlagsFromString(f);
  return flags;
}
