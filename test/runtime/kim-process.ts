// Helpers for tests that run KIM Flow as real processes (`npm start`, `node --import tsx app/start.ts`) and look at
// what they leave behind in /proc. Linux only (procfs), like the embedded runtime's stale-PID handling.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  start: string;
  cmd: string;
}

/** One process from /proc, or undefined if it is gone. */
export function proc(pid: number): Proc | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp ..." — comm may contain spaces and parentheses: split after the last ")"
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, state: rest[0], ppid: Number(rest[1]), pgid: Number(rest[2]), start: rest[19], cmd };
  } catch {
    return undefined;
  }
}

export function allProcs(): Proc[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => proc(Number(d)))
    .filter((p): p is Proc => !!p);
}

/** Live (not zombie) processes whose command line names this path: postgres -D <dir>/postgres, temporal --db-filename <dir>/… */
export function processesUsing(dir: string): Proc[] {
  return allProcs().filter((p) => p.state !== 'Z' && p.cmd.includes(dir) && p.pid !== process.pid);
}

/** pid and all its descendants (e.g. npm → node → postgres + backends, temporal). */
export function processTree(pid: number): Proc[] {
  const procs = allProcs();
  const tree: Proc[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    const me = procs.find((x) => x.pid === p);
    if (me) tree.push(me);
    for (const c of procs) if (c.ppid === p) queue.push(c.pid);
  }
  return tree;
}

/** Those of a snapshot that still run (same pid and start time, not a zombie). */
export function stillRunning(snapshot: Proc[]): Proc[] {
  return snapshot.filter((s) => {
    const now = proc(s.pid);
    return now !== undefined && now.start === s.start && now.state !== 'Z';
  });
}

export interface Ports {
  http: number;
  pg: number;
  temporal: number;
  ui: number;
  smtp: number;
}

export interface KimProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  startedAt: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  hasExited(): boolean;
}

/** The environment of a newcomer's shell: no external services configured, only ports and the data dir. */
export function kimEnv(dataDir: string, ports: Ports, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // nothing of the test run's own configuration leaks in (jest sets NODE_ENV=test)
    if (/^(KIM_|DATABASE_URL$|TEMPORAL_ADDRESS$|TEMPORAL_NAMESPACE$|TEMPORAL_TASK_QUEUE$|SMTP_URL$|NODE_ENV$|PORT$|LOG_LEVEL$)/.test(k))
      continue;
    env[k] = v;
  }
  if (process.env.KIM_TOOLS_DIR) env.KIM_TOOLS_DIR = process.env.KIM_TOOLS_DIR;
  return {
    ...env,
    KIM_DATA_DIR: dataDir,
    PORT: String(ports.http),
    KIM_EMBEDDED_PG_PORT: String(ports.pg),
    KIM_TEMPORAL_PORT: String(ports.temporal),
    KIM_TEMPORAL_UI_PORT: String(ports.ui),
    KIM_SMTP_CAPTURE_PORT: String(ports.smtp),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/**
 * Starts KIM Flow as a newcomer would: `npm start`, or `node --import tsx app/start.ts` directly. Its own process
 * group (detached), so that a Ctrl-C can be imitated (SIGINT to the group) and leftovers killed.
 */
export function launch(how: 'npm' | 'direct', env: NodeJS.ProcessEnv, url: string): KimProcess {
  const [cmd, args] = how === 'npm' ? ['npm', ['start']] : [process.execPath, ['--import', 'tsx', 'app/start.ts']];
  const child = spawn(cmd, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal, at: Date.now() });
    });
  });
  return { child, pid: child.pid!, url, startedAt: Date.now(), output: () => out, exited, hasExited: () => done };
}

/** Waits for GET /healthz 200; fails at once (with the output) if the process ends first. */
export async function waitHealthy(k: KimProcess, timeoutMs = 90_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (k.hasExited()) throw new Error(`KIM Flow beendet, bevor es bereit war:\n${k.output().slice(-3000)}`);
    try {
      const res = await fetch(`${k.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return Date.now() - k.startedAt;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`/healthz nicht 200 nach ${timeoutMs} ms:\n${k.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Resolves with the exit, or rejects after timeoutMs (the process is then left for afterAll). */
export async function exitWithin(k: KimProcess, timeoutMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Prozess ${k.pid} nach ${timeoutMs} ms nicht beendet:\n${k.output().slice(-3000)}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([k.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Last resort for afterAll: SIGKILL the process group and everything still using the directory. */
export function killLeftovers(dir: string, groups: number[]) {
  for (const g of groups) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (const p of processesUsing(dir)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** JSON request with a bound: a hang fails the test instead of stalling it. */
export async function request(url: string, method: string, p: string, o: { token?: string; body?: unknown; timeoutMs?: number } = {}) {
  const res = await fetch(url + p, {
    method,
    headers: {
      ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
    },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
    signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}
