// A node entry point (app/worker.ts, app/api.ts) as a child in its own process group: a stop or a
// kill reaches everything it started, and a Ctrl-C in the terminal reaches only the parent, which
// stops the children in order. Stop: SIGTERM to the group, SIGKILL after the grace time.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { trackChild } from './children';

export interface NodeChild {
  name: string;
  child: ChildProcess;
  /** resolves when the line `readyText` appeared in its output; rejects if it ends first */
  ready: Promise<void>;
  stop(graceMs?: number): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    /* gone */
  }
}

export function startNodeChild(opts: {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  /** node arguments before the entry (a worker's heap flags: core/runtime/worker-heap.ts) */
  nodeArgs?: string[];
  readyText: string;
  /** every output line, prefixed by the caller */
  onLine?: (line: string) => void;
}): NodeChild {
  const child = trackChild(
    spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', opts.entry], {
      cwd: ROOT,
      env: opts.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  // the exit hook of children.ts kills the child only: the group goes too
  process.once('exit', () => signalGroup(child, 'SIGKILL'));
  let tail = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      const text = b.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) opts.onLine?.(line);
      if (tail.includes(opts.readyText)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`${opts.name} beendet (${signal ?? `Code ${code}`}):\n${tail}`)));
  });
  ready.catch(() => {}); // the caller awaits it; a later exit is no unhandled rejection
  let stopped: Promise<void> | undefined;
  return {
    name: opts.name,
    child,
    ready,
    stop(graceMs = 15_000) {
      stopped ??= new Promise<void>((resolve) => {
        const done = () => {
          signalGroup(child, 'SIGKILL'); // whatever it started and left behind
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        signalGroup(child, 'SIGTERM');
        setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs).unref();
      });
      return stopped;
    },
  };
}
