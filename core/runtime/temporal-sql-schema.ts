// The Temporal server's two databases (history/persistence and visibility) on a PostgreSQL server:
// created if missing, then brought to the schema version of the server with its SQL tool. Safe on
// every start: setup-schema -v 0.0 only creates the version table, update-schema applies what is new.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureDatabase } from './postgres';

export interface SqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

export const TEMPORAL_DATABASES = { persistence: 'temporal', visibility: 'temporal_visibility' } as const;

/** Host, port and credentials of a postgres:// URL (the database name is ours, not the URL's). */
export function sqlTarget(url: string): SqlTarget {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

export function databaseUrl(t: SqlTarget, database: string): string {
  return `postgresql://${encodeURIComponent(t.user)}:${encodeURIComponent(t.password)}@${t.host}:${t.port}/${database}`;
}

function runSqlTool(sqlTool: string, t: SqlTarget, database: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      sqlTool,
      ['--plugin', 'postgres12', '--endpoint', t.host, '--port', String(t.port), '--user', t.user, '--database', database, ...args],
      // the password through the environment, not the command line (visible in ps)
      { env: { ...process.env, SQL_PASSWORD: t.password }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
    child.stderr!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`temporal-sql-tool ${args[0]} auf ${database} fehlgeschlagen (Code ${code}):\n${out}`)),
    );
  });
}

/**
 * Creates `temporal` and `temporal_visibility` on the server of `adminUrl` (a URL whose user may
 * CREATE DATABASE) unless they exist, and applies the schemas of `schemaDir` (schema/postgresql/v12).
 */
export async function ensureTemporalSchemas(opts: { adminUrl: string; sqlTool: string; schemaDir: string; log: (msg: string) => void }) {
  const target = sqlTarget(opts.adminUrl);
  for (const [kind, database] of Object.entries(TEMPORAL_DATABASES)) {
    const t = Date.now();
    await ensureDatabase(opts.adminUrl, database);
    await runSqlTool(opts.sqlTool, target, database, ['setup-schema', '-v', '0.0']);
    const dir = path.join(opts.schemaDir, kind === 'persistence' ? 'temporal' : 'visibility', 'versioned');
    await runSqlTool(opts.sqlTool, target, database, ['update-schema', '-d', dir]);
    opts.log(`Temporal-Datenbank ${database} bereit (${Date.now() - t} ms)`);
  }
}
