// The production shape (`npm run cluster`, app/cluster.ts) started for a test or a benchmark: free ports
// below 32768, a temp dir, the cluster as a process group of its own; ready once it prints
// 'Beenden mit Strg+C'. Used by test/cluster/cluster.test.ts (the fault run) and test/bench/cluster.ts
// (the speed figures on this shape).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { CapturedMail } from '../../core/runtime/smtp-capture';
import { kimEnv, processesUsing, processTree, ROOT, stillRunning, type Proc } from '../runtime/kim-process';

/** A free port below 32768 (the Temporal server keeps membership ports as smallint); p + 1 is free too. */
const taken = new Set<number>();
export async function lowPort(): Promise<number> {
  for (;;) {
    const p = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(p) || taken.has(p + 1)) continue;
    const free = (port: number) =>
      new Promise<boolean>((resolve) => {
        const s = net.createServer();
        s.once('error', () => resolve(false));
        s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
      });
    if ((await free(p)) && (await free(p + 1))) {
      taken.add(p);
      taken.add(p + 1);
      return p;
    }
  }
}

export interface Answer {
  status: number;
  /** parsed JSON, or the text (an HTML page) */
  body: any;
  text: string;
}

/** One HTTP request to `base + p` (or to `o.full`): JSON body, form body or none; bounded by 30 s. */
export async function call(
  base: string,
  method: string,
  p: string,
  o: { token?: string; body?: unknown; form?: Record<string, string>; full?: string } = {},
): Promise<Answer> {
  const res = await fetch(o.full ?? base + p, {
    method,
    headers: {
      ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(o.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
    },
    body: o.form ? new URLSearchParams(o.form).toString() : o.body === undefined ? undefined : JSON.stringify(o.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* HTML page */
  }
  return { status: res.status, body, text };
}

/** The mails the cluster's SMTP capture received so far (<dir>/mails.jsonl). */
export function readMails(dir: string): CapturedMail[] {
  const file = path.join(dir, 'mails.jsonl');
  return fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as CapturedMail)
    : [];
}

export interface ClusterShape {
  dir: string;
  /** the whole output of the cluster (kept for a failed run) */
  logFile: string;
  /** the round-robin entry */
  url: string;
  temporalPort: number;
  pgPort: number;
  child: ChildProcess;
  /** resolves once the cluster printed 'Beenden mit Strg+C'; then pids and tree are filled in */
  ready: Promise<void>;
  /** worker-1, worker-2, api-1, api-2 → pid (as the cluster printed them) */
  pids: Record<string, number>;
  /** the cluster's processes when it was ready */
  tree: Proc[];
  output(): string;
  /** appends to the output and the log (also used for processes started again by a test) */
  keep(b: Buffer): void;
  /** the app's database (the embedded PostgreSQL; readable once ready) */
  databaseUrl(): string;
  /** the installation's payload key (for a Temporal client with the app's codec) */
  payloadKey(): string;
  /** SIGKILL to the cluster's process group, its processes at start and everything still using the dir */
  kill(): void;
}

/** Starts `node --import tsx app/cluster.ts` on free ports in a new temp dir (dev: the Temporal dev server
 *  instead of the Temporal server on PostgreSQL). Returns at once after the spawn: await `ready`. */
export async function startClusterShape(opts: { dev: boolean; readyTimeoutMs?: number }): Promise<ClusterShape> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-cluster-'));
  fs.chmodSync(dir, 0o755);
  const [http, api, pg, smtp, temporal, ...internal] = await Promise.all(Array.from({ length: 13 }, () => lowPort()));
  const env = kimEnv(
    dir,
    { http, pg, temporal, smtp, ui: 0 },
    {
      KIM_CLUSTER_API_PORT: String(api),
      KIM_CLUSTER_TEMPORAL_PORTS: internal.join(','),
      KIM_RECONCILE_MINUTES: '0',
      ...(opts.dev ? { KIM_CLUSTER_TEMPORAL: 'dev' } : {}),
    },
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/cluster.ts'], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logFile = `${dir}.log`;
  let output = '';
  const keep = (b: Buffer) => {
    output += b.toString();
    fs.appendFileSync(logFile, b);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  console.log(`cluster output: ${logFile}`);
  const pids: Record<string, number> = {};
  const shape: ClusterShape = {
    dir,
    logFile,
    url: `http://localhost:${http}`,
    temporalPort: temporal,
    pgPort: pg,
    child,
    ready: Promise.resolve(),
    pids,
    tree: [],
    output: () => output,
    keep,
    databaseUrl: () =>
      `postgresql://postgres:${encodeURIComponent(fs.readFileSync(path.join(dir, 'pg-password'), 'utf8').trim())}@127.0.0.1:${pg}/kim`,
    payloadKey: () => fs.readFileSync(path.join(dir, 'payload-key'), 'utf8').trim(),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      for (const p of [...stillRunning(shape.tree), ...processesUsing(dir)]) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    },
  };
  shape.ready = (async () => {
    const t = Date.now();
    const deadline = t + (opts.readyTimeoutMs ?? 600_000);
    while (!output.includes('Beenden mit Strg+C')) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`cluster beendet:\n${output.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`Cluster bereit: nicht erreicht nach ${deadline - t} ms\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const m of output.matchAll(/(worker-\d|api-\d)(?: :\d+)? pid (\d+)/g)) pids[m[1]] = Number(m[2]);
    console.log(`cluster ready after ${Date.now() - t} ms: ${JSON.stringify(pids)}`);
    shape.tree = processTree(child.pid!);
  })();
  shape.ready.catch(() => {}); // the caller awaits it; no unhandled rejection before that
  return shape;
}
