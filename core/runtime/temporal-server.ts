// Starts the Temporal dev server (SQLite file, WAL) as a child process, with our search attributes
// registered, and stops it cleanly. A PID file lets the next start end a server orphaned by a crash.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { trackChild } from './children';
import { resolveTemporalCli } from './temporal-cli';

export interface TemporalServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killStale(pidFile: string, dbFile: string) {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  if (pid > 0 && alive(pid)) {
    try {
      // only the dev server on THIS database file: a reused PID may be any process, even another
      // checkout's (or the test run's) dev server
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!args.includes('start-dev') || !args.includes(dbFile)) return void fs.rmSync(pidFile, { force: true });
    } catch {
      /* no procfs: trust the pid file */
    }
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  fs.rmSync(pidFile, { force: true });
}

/** Ended during start-up (as opposed to not getting ready in time). */
class StartupExit extends Error {}

async function waitReady(address: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new StartupExit(`Temporal-Server beendet (Code ${child.exitCode}):\n${output()}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await conn.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await conn.close();
      }
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`Temporal-Server unter ${address} nicht bereit nach 60 s:\n${output().slice(-3000)}`);
}

export async function startTemporalServer(opts: {
  dataDir: string;
  port: number;
  uiPort?: number;
  toolsDir: string;
  cliPath?: string;
  /** the Web UI decodes payloads through this remote codec (KIM's /api/codec) */
  uiCodecEndpoint?: string;
  namespace?: string;
  log: (msg: string) => void;
}): Promise<TemporalServer> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const cli = await resolveTemporalCli({ cliPath: opts.cliPath, toolsDir: opts.toolsDir, log: opts.log });
  if (!cli) return startDownloaded(opts);

  const pidFile = path.join(opts.dataDir, 'temporal.pid');
  const dbFile = path.join(opts.dataDir, 'temporal.sqlite');
  await killStale(pidFile, dbFile);
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    dbFile,
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--log-level',
    'warn',
    '--log-format',
    'json',
  ];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort), '--ui-ip', '127.0.0.1');
  if (opts.uiPort && opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  else args.push('--headless');
  if (opts.namespace && opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);

  const address = `127.0.0.1:${opts.port}`;
  // A crash during start-up is tried once more (seen once while several test runs shared the machine:
  // exit 2, a Go panic while the server was being built — the dev server takes several random free
  // ports for its internal services, which a busy machine can take in between). The cause is logged.
  let child: ChildProcess;
  for (let attempt = 1; ; attempt++) {
    child = trackChild(spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    fs.writeFileSync(pidFile, String(child.pid));
    let head = '';
    let tail = '';
    const collect = (b: Buffer) => {
      if (head.length < 4_000) head += b.toString();
      else tail = (tail + b.toString()).slice(-3_000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    try {
      // a Go panic prints its reason first, then every goroutine: keep the beginning and the end
      await waitReady(address, child, () => (tail ? `${head.slice(0, 4_000)}\n…\n${tail}` : head));
      break;
    } catch (err) {
      child.kill('SIGKILL');
      if (!(err instanceof StartupExit) || attempt >= 2) throw err;
      const reason = (err.message.match(/^(panic|.*error).*$/im)?.[0] ?? err.message.split('\n')[0]).slice(0, 500);
      opts.log(`Temporal-Server beim Start abgestürzt, zweiter Versuch: ${reason}`);
    }
  }
  let stopped: Promise<void> | undefined;
  return {
    address,
    uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : undefined,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        const done = () => {
          fs.rmSync(pidFile, { force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      });
      return stopped;
    },
  };
}

/** Last resort on machines without Go: the SDK downloads the dev server (needs the internet). */
async function startDownloaded(opts: { dataDir: string; port: number; uiPort?: number; namespace?: string }): Promise<TemporalServer> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: opts.port,
      ui: Boolean(opts.uiPort),
      uiPort: opts.uiPort,
      dbFilename: path.join(opts.dataDir, 'temporal.sqlite'),
      namespace: opts.namespace,
      searchAttributes: Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) =>
        defineSearchAttributeKey(name, type === 'Bool' ? SearchAttributeType.BOOL : SearchAttributeType.KEYWORD),
      ),
      extraArgs: ['--sqlite-pragma', 'journal_mode=WAL'],
    },
  });
  return { address: env.address, uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : undefined, stop: () => env.teardown() };
}
