// Prisma Client on the JS engine through the pg driver adapter (DESIGN.md §5).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;
export * as DbTypes from './generated/client';

export function createDb(databaseUrl: string, max = 20): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max, connectionTimeoutMillis: 3_000 });
  return new PrismaClient({ adapter });
}
