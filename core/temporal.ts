// The Temporal connection for API and worker: the embedded dev server, or a cluster given by
// TEMPORAL_ADDRESS (+ namespace, TLS / API key).
import fs from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Config } from './config';

/** What both the client's Connection and the worker's NativeConnection take (an API key as text only). */
export type TemporalConnectionOptions = Pick<ConnectionOptions, 'address' | 'tls' | 'connectTimeout'> & { apiKey?: string };

export function connectionOptions(config: Config, address: string): TemporalConnectionOptions {
  const tls =
    config.TEMPORAL_TLS || config.TEMPORAL_TLS_CERT || config.TEMPORAL_API_KEY
      ? {
          clientCertPair:
            config.TEMPORAL_TLS_CERT && config.TEMPORAL_TLS_KEY
              ? { crt: fs.readFileSync(config.TEMPORAL_TLS_CERT), key: fs.readFileSync(config.TEMPORAL_TLS_KEY) }
              : undefined,
          serverRootCACertificate: config.TEMPORAL_TLS_CA ? fs.readFileSync(config.TEMPORAL_TLS_CA) : undefined,
        }
      : undefined;
  return { address, tls, apiKey: config.TEMPORAL_API_KEY, connectTimeout: 5_000 };
}

/** A lazy connection: the API starts even while Temporal is down and recovers when it is back.
 *  `codec`: the encrypting payload codec (core/codec.ts, resolvePayloadCodec in app/boot.ts). */
export function createTemporalClient(config: Config, address: string, codec?: PayloadCodec): Client {
  const connection = Connection.lazy(connectionOptions(config, address));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, ...(codec ? { dataConverter: { payloadCodecs: [codec] } } : {}) });
}

/** Temporal reachable? (for /healthz) */
export async function temporalHealthy(client: Client, timeoutMs = 2_000): Promise<boolean> {
  try {
    await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}
