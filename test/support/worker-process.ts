// `npm run worker` (node --import tsx app/worker.ts) as a separate process against a test stack — so a
// test can SIGKILL it. It gets its own process group and a kill hits the whole group, so nothing the
// worker started can outlive it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../../core/config';
import { workerNodeArgs } from '../../core/runtime/worker-heap';
import { LINK_SECRETS, PAYLOAD_KEYS, testEnv, type Stack } from './stack';

const root = path.join(__dirname, '..', '..');

/** `script`: the entry point (default app/worker.ts; a benchmark may pass a variant of it) */
export function startWorkerProcess(stack: Stack, env: Record<string, string> = {}, script = 'app/worker.ts'): Promise<ChildProcess> {
  const childEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: testEnv().temporalAddress,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    SMTP_URL: `smtp://127.0.0.1:${stack.smtpPort}`,
    KIM_SMTP_REQUIRE_TLS: 'false',
    KIM_LINK_SECRETS: LINK_SECRETS,
    KIM_PAYLOAD_KEYS: PAYLOAD_KEYS,
    KIM_PUBLIC_URL: stack.url,
    ...env,
  };
  // the heap flags as every worker process gets them (core/runtime/worker-heap.ts), from its own settings
  const child = spawn(process.execPath, [...workerNodeArgs(loadConfig(childEnv)), '--import', 'tsx', script], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes('Worker läuft')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${out.slice(-2000)}`)));
  });
}

const running = new Set<ChildProcess>();
// whatever a test leaves running goes with the test process
process.once('exit', () => {
  for (const c of running) killGroup(c);
});

function killGroup(child: ChildProcess) {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** SIGKILL to the worker's whole process group; fails if any of it survives. */
export const killProcess = (child: ChildProcess) =>
  new Promise<void>((resolve, reject) => {
    const pgid = child.pid!;
    const groupGone = () => {
      try {
        process.kill(-pgid, 0);
        return false;
      } catch {
        return true;
      }
    };
    const done = async () => {
      for (let i = 0; i < 100 && !groupGone(); i++) await new Promise((r) => setTimeout(r, 50));
      if (groupGone()) resolve();
      else reject(new Error(`worker process group ${pgid} still running 5 s after SIGKILL`));
    };
    if (child.exitCode !== null || child.signalCode !== null) {
      killGroup(child);
      void done();
      return;
    }
    child.once('exit', () => void done());
    killGroup(child);
  });
