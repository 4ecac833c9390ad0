// Stale PID files (core/runtime/postgres.ts, temporal-server.ts): after a crash the next start ends the
// orphaned postgres / dev server it finds there (test/runtime/embedded.test.ts). After a reboot the PID
// in such a file may belong to any other process — that one must survive (as root, it would not).
// Own services in a temp dir; the test run's shared services are not touched.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres } from '../../core/runtime/postgres';
import { startTemporalServer, type TemporalServer } from '../../core/runtime/temporal-server';
import { freePort } from '../support/ports';
import { proc } from './kim-process';

const toolsDir = process.env.KIM_TOOLS_DIR ?? path.join(os.homedir(), '.cache', 'kim-flow');
let dir: string;
const bystanders: ChildProcess[] = [];
const servers: TemporalServer[] = [];

/** An unrelated process whose PID we plant in a pid file. */
function bystander(): number {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  bystanders.push(child);
  return child.pid!;
}

const running = (pid: number) => {
  const p = proc(pid);
  return !!p && p.state !== 'Z';
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-stale-'));
  fs.chmodSync(dir, 0o755);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const b of bystanders) b.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('postmaster.pid naming an unrelated live process: that process survives, postgres starts', async () => {
  const dataDir = path.join(dir, 'pg');
  const port = await freePort();
  const first = await startPostgres({ dataDir, port, password: 'pw' });
  await first.stop();

  const pid = bystander();
  fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), `${pid}\n${dataDir}\n0\n${port}\n`);
  const pg = await startPostgres({ dataDir, port, password: 'pw' });
  try {
    expect(running(pid)).toBe(true);
    expect(Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])).not.toBe(pid);
  } finally {
    await pg.stop();
  }
}, 60_000);

test("temporal.pid naming another data directory's dev server (or any process): it survives", async () => {
  const start = async (name: string) => {
    const s = await startTemporalServer({
      dataDir: path.join(dir, name),
      port: await freePort(),
      toolsDir,
      cliPath: process.env.TEMPORAL_CLI_PATH,
      log: () => {},
    });
    servers.push(s);
    return s;
  };
  const other = await start('temporal-a');
  const otherPid = Number(fs.readFileSync(path.join(dir, 'temporal-a', 'temporal.pid'), 'utf8'));
  expect(proc(otherPid)?.cmd).toContain('start-dev');

  fs.mkdirSync(path.join(dir, 'temporal-b'));
  fs.writeFileSync(path.join(dir, 'temporal-b', 'temporal.pid'), String(otherPid));
  await start('temporal-b');
  expect(running(otherPid)).toBe(true);

  const pid = bystander();
  fs.mkdirSync(path.join(dir, 'temporal-c'));
  fs.writeFileSync(path.join(dir, 'temporal-c', 'temporal.pid'), String(pid));
  await start('temporal-c');
  expect(running(pid)).toBe(true);
  expect(other.address).toMatch(/^127\.0\.0\.1:/);
}, 90_000);
