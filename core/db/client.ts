// Prisma Client on the JS engine through the pg driver adapter (DESIGN.md §5), and `sql()`: one
// statement straight on the same pool, for the few paths every request or chain step takes.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Prisma, PrismaClient } from './generated/client';

export type Db = PrismaClient;
export * as DbTypes from './generated/client';

const pools = new WeakMap<object, pg.Pool>();

/** `timestamp` columns (Prisma's DateTime) hold UTC: read them as UTC whatever the process's time zone */
const TIMESTAMP_OID = 1114;
const utcTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID
      ? (s: string) => new Date(`${s.replace(' ', 'T')}Z`)
      : (pg.types.getTypeParser as (o: number, f?: 'text' | 'binary') => (s: string) => unknown)(oid, format),
};

/**
 * A refused connection (PostgreSQL down) fails at once and the API answers 503; the timeout covers a
 * slow connect or waiting for a free pool slot. 3 s was too short on a loaded 2-core machine (logins
 * failed with 503 while four test runs shared it); 10 s still ends a hung request.
 */
export function createDb(databaseUrl: string, max = 20): PrismaClient {
  // TimeZone UTC for every connection: `timestamp` columns hold UTC, and raw SQL compares them with now()
  // or CURRENT_TIMESTAMP — on a server whose default zone is Europe/Berlin that would be an hour off
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: 10_000,
    types: utcTypes,
    options: '-c TimeZone=UTC',
  });
  // an idle connection PostgreSQL closed (a restart): the pool drops it and the next query connects anew —
  // without a listener the event would end the process before Prisma has connected and added its own
  pool.on('error', () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * One statement on the pool Prisma uses, without Prisma's query compiler: Prisma 6 compiles every query
 * in WebAssembly on the event loop (≈0.3 ms CPU for a one-row read, ≈1 ms under load), which made up half
 * of an API chain start's time (bench:chains, issue 17 P1). Only for the hot paths — the session read of
 * every request, a chain start, the chain and handoff records, audit rows, the e-mail link's check and
 * spend; everything else stays with Prisma.
 * Dates are sent as ISO strings (UTC, like Prisma) and `timestamp` columns read as UTC. A transaction
 * client (or any other) runs the statement through `$queryRaw` on its own connection.
 */
export async function sql<T>(db: Pick<Db, '$queryRaw'>, query: Prisma.Sql): Promise<T[]> {
  const pool = pools.get(db);
  if (!pool) return db.$queryRaw<T[]>(query);
  const values = query.values.map((v) => (v instanceof Date ? v.toISOString() : v));
  return (await pool.query({ text: query.text, values })).rows as T[];
}
