// Prisma Client on the JS engine through the pg driver adapter (DESIGN.md §5).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;
export * as DbTypes from './generated/client';

/**
 * A refused connection (PostgreSQL down) fails at once and the API answers 503; the timeout covers a
 * slow connect or waiting for a free pool slot. 3 s was too short on a loaded 2-core machine (logins
 * failed with 503 while four test runs shared it); 10 s still ends a hung request.
 */
export function createDb(databaseUrl: string, max = 20): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max, connectionTimeoutMillis: 10_000 });
  return new PrismaClient({ adapter });
}
