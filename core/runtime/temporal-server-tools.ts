// Finds or builds the production Temporal server and its SQL tool (for `npm run cluster`), cached like
// the dev CLI (core/runtime/temporal-cli.ts): KIM_TOOLS_DIR/temporal-server-1.29.1/{server,sql,schema}.
// Built once with `go install` of both module paths; the PostgreSQL schemas are copied from the Go
// module cache next to them, so later starts need neither Go nor the module cache.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { goBinary } from './temporal-cli';

export const TEMPORAL_SERVER_VERSION = '1.29.1';
export const TEMPORAL_SERVER_MODULES = [
  `go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
  `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
];
export const TEMPORAL_SERVER_DIRNAME = `temporal-server-${TEMPORAL_SERVER_VERSION}`;

export interface TemporalServerTools {
  server: string;
  sql: string;
  /** schema/postgresql/v12 of the server module: temporal/versioned and visibility/versioned */
  schemaDir: string;
}

function goEnv(go: string, name: string): string {
  return spawnSync(go, ['env', name]).stdout?.toString().trim() ?? '';
}

function goInstall(go: string, gobin: string, log: (msg: string) => void): Promise<void> {
  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', ...TEMPORAL_SERVER_MODULES], {
      env: { ...process.env, GOBIN: gobin, GOFLAGS: process.env.GOFLAGS ?? '-mod=mod' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let modules = 0;
    const tick = setInterval(
      () => log(`  … baue Temporal-Server (${Math.round((Date.now() - started) / 1000)} s, ${modules} Module geladen)`),
      15_000,
    );
    let tail = '';
    child.stderr!.on('data', (b: Buffer) => {
      const t = b.toString();
      tail = (tail + t).slice(-4000);
      modules += (t.match(/downloading/g) ?? []).length;
    });
    child.once('exit', (code) => {
      clearInterval(tick);
      if (code === 0) resolve();
      else reject(new Error(`go install ${TEMPORAL_SERVER_MODULES.join(' ')} fehlgeschlagen (Code ${code}):\n${tail}`));
    });
  });
}

/** The schema folder of the module in the Go module cache (there after `go install`). */
function moduleSchemaDir(go: string | undefined): string | undefined {
  const modCache = process.env.GOMODCACHE || (go ? goEnv(go, 'GOMODCACHE') : '');
  if (!modCache) return undefined;
  const dir = path.join(modCache, 'go.temporal.io', `server@v${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  return fs.existsSync(dir) ? dir : undefined;
}

export async function resolveTemporalServerTools(opts: { toolsDir: string; log: (msg: string) => void }): Promise<TemporalServerTools> {
  const dir = path.join(opts.toolsDir, TEMPORAL_SERVER_DIRNAME);
  const tools: TemporalServerTools = { server: path.join(dir, 'server'), sql: path.join(dir, 'sql'), schemaDir: path.join(dir, 'schema') };
  const go = goBinary();
  if (!fs.existsSync(tools.server) || !fs.existsSync(tools.sql)) {
    if (!go) throw new Error(`Temporal-Server nicht in ${dir} und kein Go installiert: bitte Go installieren (https://go.dev/dl/).`);
    fs.mkdirSync(dir, { recursive: true });
    opts.log(`Temporal-Server wird einmalig aus den Go-Modulen gebaut (${TEMPORAL_SERVER_MODULES.join(', ')}).`);
    opts.log(`Das dauert beim ersten Mal einige Minuten; spätere Starts nutzen ${dir}`);
    const started = Date.now();
    const tmp = path.join(dir, `build-${process.pid}`);
    try {
      await goInstall(go, tmp, opts.log);
      // atomic: a half-built binary is never used
      fs.renameSync(path.join(tmp, 'sql'), tools.sql);
      fs.renameSync(path.join(tmp, 'server'), tools.server);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    opts.log(`Temporal-Server gebaut in ${Math.round((Date.now() - started) / 1000)} s: ${dir}`);
  }
  if (!fs.existsSync(tools.schemaDir)) {
    const source = moduleSchemaDir(go);
    if (!source) throw new Error(`PostgreSQL-Schemata des Temporal-Servers fehlen (${tools.schemaDir}) und sind nicht im Go-Modul-Cache.`);
    const tmp = `${tools.schemaDir}-${process.pid}`;
    fs.cpSync(source, tmp, { recursive: true });
    fs.renameSync(tmp, tools.schemaDir);
  }
  return tools;
}
