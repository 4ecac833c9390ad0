// The production Temporal server (all four services in one process) on PostgreSQL persistence and
// SQL visibility, for `npm run cluster`: writes its config under KIM_DATA_DIR/cluster, starts it as a
// child process and stops it cleanly. Its ports are its own (frontend = KIM_TEMPORAL_PORT).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { trackChild } from './children';
import { TEMPORAL_DATABASES, type SqlTarget } from './temporal-sql-schema';

export interface ClusterTemporalPorts {
  frontend: number;
  /** frontend membership, frontend http, history grpc, history membership, matching grpc, matching membership, worker grpc, worker membership */
  internal: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** YAML of the server config; JSON is valid YAML, so no YAML library is needed. */
export function clusterServerConfig(sql: SqlTarget, ports: ClusterTemporalPorts, dynamicConfigFile: string): string {
  const [feMember, feHttp, hGrpc, hMember, mGrpc, mMember, wGrpc, wMember] = ports.internal;
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${sql.host}:${sql.port}`,
      connectProtocol: 'tcp',
      user: sql.user,
      password: sql.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, unknown> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  const config = {
    log: { stdout: true, level: 'warn', format: 'json' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': store(TEMPORAL_DATABASES.persistence, 20),
        'postgres-visibility': store(TEMPORAL_DATABASES.visibility, 4),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: rpc(ports.frontend, feMember, { httpPort: feHttp }),
      history: rpc(hGrpc, hMember),
      matching: rpc(mGrpc, mMember),
      worker: rpc(wGrpc, wMember),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend}` },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
  return JSON.stringify(config, null, 2) + '\n';
}

/** Search attributes registered just now are visible at once (the SQL visibility caches them otherwise). */
const DYNAMIC_CONFIG = `system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
limit.maxIDLength:
  - value: 255
`;

export interface ClusterTemporalServer {
  address: string;
  pid: number;
  stop(): Promise<void>;
}

async function waitFrontend(address: string, child: ChildProcess, output: () => string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Temporal-Server beendet (Code ${child.exitCode}):\n${output()}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await conn.workflowService.getSystemInfo({});
        return;
      } finally {
        await conn.close();
      }
    } catch {
      await sleep(300);
    }
  }
  throw new Error(`Temporal-Server unter ${address} nicht bereit nach ${timeoutMs / 1000} s:\n${output().slice(-3000)}`);
}

export async function startClusterTemporalServer(opts: {
  serverBinary: string;
  dir: string;
  sql: SqlTarget;
  ports: ClusterTemporalPorts;
  log: (msg: string) => void;
}): Promise<ClusterTemporalServer> {
  const configDir = path.join(opts.dir, 'config');
  fs.mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const dynamicConfigFile = path.join(configDir, 'dynamic.yaml');
  fs.writeFileSync(dynamicConfigFile, DYNAMIC_CONFIG);
  // holds the database password: readable by us only
  fs.writeFileSync(path.join(configDir, 'cluster.yaml'), clusterServerConfig(opts.sql, opts.ports, dynamicConfigFile), { mode: 0o600 });
  const child = trackChild(
    spawn(opts.serverBinary, ['--root', opts.dir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  const collect = (b: Buffer) => {
    output = (output + b.toString()).slice(-8000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const address = `127.0.0.1:${opts.ports.frontend}`;
  try {
    await waitFrontend(address, child, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    address,
    pid: child.pid!,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      });
      return stopped;
    },
  };
}
