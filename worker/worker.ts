// Worker bootstrap: registers the workflows (bundled) and the activities built from their deps.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { Logger } from '../core/log';
import { bundleInChildProcess } from './workflow-bundle';

export interface KimWorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  log: Logger;
  /** a pre-built bundle (tests build it once per run); default: bundle workflows/ now, in a child process */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** workflows kept in memory (KIM_WORKER_CACHE, default 100: see core/config.ts) */
  maxCachedWorkflows?: number;
  /** payload codecs (the encrypting codec of core/codec.ts); they run outside the workflow sandbox */
  dataConverter?: WorkerOptions['dataConverter'];
}

export async function createKimWorker(opts: KimWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: opts.workflowBundle ?? (await bundleInChildProcess()),
    activities: createActivities({ db: opts.db, publicUrl: opts.publicUrl, linkKeys: opts.linkKeys, linkTtlDays: opts.linkTtlDays }),
    maxCachedWorkflows: opts.maxCachedWorkflows ?? 100,
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
  });
}
