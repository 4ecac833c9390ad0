// Settings of `npm run cluster` beyond the common configuration (core/config.ts): how many workers
// and API instances, and the ports of the API instances and of the Temporal server's inner services.
import { z } from 'zod';
import { ConfigError, type Config } from '../config';

const port = z.coerce.number().int().min(1).max(65535);
const ports = (count: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.split(',').map((p) => Number(p.trim())) : undefined))
    .refine((v) => v === undefined || (v.length === count && v.every((p) => Number.isInteger(p) && p > 0 && p < 32768)), {
      // the server stores membership ports as smallint (PostgreSQL): above 32767 it does not start
      message: `erwartet ${count} Ports unter 32768, durch Komma getrennt`,
    });

const schema = z.object({
  KIM_CLUSTER_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  KIM_CLUSTER_APIS: z.coerce.number().int().min(1).max(16).default(2),
  /** port of the first API instance; the next ones follow (default: PORT+1, PORT+2, …) */
  KIM_CLUSTER_API_PORT: port.optional(),
  /** the Temporal server's eight inner ports (membership, http, history, matching, worker); default KIM_TEMPORAL_PORT+1 … +8 */
  KIM_CLUSTER_TEMPORAL_PORTS: ports(8),
  /** "dev": the embedded Temporal dev server of `npm start` instead of the Temporal server on PostgreSQL
   *  (the same processes around it: the fault run on the dev-server shape, test/cluster) */
  KIM_CLUSTER_TEMPORAL: z.enum(['server', 'dev']).default('server'),
});

export interface ClusterSettings {
  workers: number;
  apiPorts: number[];
  temporalInternalPorts: number[];
  temporal: 'server' | 'dev';
}

export function clusterSettings(config: Config, env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  const parsed = schema.safeParse(env, { error: z.locales.de().localeError });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Ungültige Konfiguration:\n${lines.join('\n')}`);
  }
  const s = parsed.data;
  const firstApi = s.KIM_CLUSTER_API_PORT ?? config.PORT + 1;
  return {
    workers: s.KIM_CLUSTER_WORKERS,
    apiPorts: Array.from({ length: s.KIM_CLUSTER_APIS }, (_, i) => firstApi + i),
    temporalInternalPorts: s.KIM_CLUSTER_TEMPORAL_PORTS ?? Array.from({ length: 8 }, (_, i) => config.KIM_TEMPORAL_PORT + 1 + i),
    temporal: s.KIM_CLUSTER_TEMPORAL,
  };
}
