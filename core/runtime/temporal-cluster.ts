// The Temporal part of `npm run cluster`: with TEMPORAL_ADDRESS, an existing cluster (only the
// namespace and search attributes are checked); without, the production server on PostgreSQL —
// built/cached, schemas applied, started, namespace and search attributes registered.
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Config } from '../config';
import type { Logger } from '../log';
import { connectionOptions } from '../temporal';
import { startClusterTemporalServer } from './temporal-cluster-server';
import { ensureNamespaceAndSearchAttributes } from './temporal-namespace';
import { resolveTemporalServerTools } from './temporal-server-tools';
import { ensureTemporalSchemas, sqlTarget } from './temporal-sql-schema';

export interface ClusterTemporal {
  address: string;
  /** the server process we started (none against an existing cluster) */
  pid?: number;
  stop(): Promise<void>;
}

/** `url` with another database name (the Temporal databases live beside KIM's, on the same server). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function startClusterTemporal(opts: { config: Config; kimDatabaseUrl: string; internalPorts: number[]; log: Logger }) {
  const { config, log } = opts;
  const info = (msg: string) => log.info({ component: 'temporal' }, msg);
  let address = config.TEMPORAL_ADDRESS;
  let server: Awaited<ReturnType<typeof startClusterTemporalServer>> | undefined;
  if (!address) {
    const tools = await resolveTemporalServerTools({ toolsDir: config.KIM_TOOLS_DIR, log: info });
    const adminUrl = withDatabase(opts.kimDatabaseUrl, 'postgres');
    await ensureTemporalSchemas({ adminUrl, sqlTool: tools.sql, schemaDir: tools.schemaDir, log: info });
    const t = Date.now();
    server = await startClusterTemporalServer({
      serverBinary: tools.server,
      dir: path.join(config.KIM_DATA_DIR, 'cluster', 'temporal'),
      sql: sqlTarget(adminUrl),
      ports: { frontend: config.KIM_TEMPORAL_PORT, internal: opts.internalPorts },
      log: info,
    });
    address = server.address;
    log.info({ address, ms: Date.now() - t }, 'Temporal-Server (PostgreSQL) läuft');
  }
  try {
    const connection = await Connection.connect(connectionOptions(config, address));
    try {
      await ensureNamespaceAndSearchAttributes({ connection, namespace: config.TEMPORAL_NAMESPACE, log: info });
    } finally {
      await connection.close();
    }
  } catch (err) {
    if (server) {
      await server.stop();
      throw err;
    }
    // an existing cluster whose operator keeps namespaces to himself: say what is missing, go on
    log.warn({ err: err instanceof Error ? err.message : err }, 'Namespace/Suchattribute nicht geprüft (Rechte?)');
  }
  return { address, pid: server?.pid, stop: () => server?.stop() ?? Promise.resolve() } satisfies ClusterTemporal;
}
