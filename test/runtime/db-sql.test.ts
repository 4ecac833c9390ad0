// sql() (core/db/client.ts): statements straight on Prisma's pool must read and write dates exactly as
// Prisma does — UTC in `timestamp` columns — whatever the process's time zone, and inside a transaction
// run on the transaction's connection.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createDb, sql, type Db } from '../../core/db/client';
import { Prisma } from '../../core/db/generated/client';
import { seedDemo } from '../../core/db/seed';
import { createTestDatabase } from '../support/stack';

let db: Db;
let url: string;
beforeAll(async () => {
  url = await createTestDatabase();
  db = createDb(url, 3);
  await seedDemo(db, 'Sql-Test-1!');
});
afterAll(async () => {
  await db.$disconnect();
});

test('in a time zone 5 hours behind UTC a timestamp reads and writes through sql() as through Prisma', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../support/sql-dates-probe.ts')], {
    env: { ...process.env, TZ: 'America/New_York', DATABASE_URL: url },
    encoding: 'utf8',
  });
  expect(JSON.parse(out)).toEqual({
    offsetMinutes: 300, // the zone took effect: a local-time reading would be 5 hours off
    readBySql: '2026-01-15T12:34:56.789Z',
    writtenBySqlReadByPrisma: '2026-07-01T08:00:00.125Z',
  });
});

test('inside a transaction sql() runs on its connection: rolled back with it', async () => {
  const { id: userId } = await db.user.findFirstOrThrow({ select: { id: true } });
  await expect(
    db.$transaction(async (tx) => {
      await sql(
        tx,
        Prisma.sql`INSERT INTO "Session" ("id", "userId", "kind", "csrfToken", "expiresAt") VALUES ('sql-test-2', ${userId}, 'api', 'x', now())`,
      );
      const [seen] = await sql<{ n: number }>(tx, Prisma.sql`SELECT count(*)::int AS "n" FROM "Session" WHERE "id" = 'sql-test-2'`);
      expect(seen.n).toBe(1);
      throw new Error('rollback');
    }),
  ).rejects.toThrow('rollback');
  expect(await db.session.count({ where: { id: 'sql-test-2' } })).toBe(0);
});

test('every connection of the pool runs in UTC, also on a server whose default zone is another', async () => {
  const name = new URL(url).pathname.slice(1);
  await db.$executeRawUnsafe(`ALTER DATABASE "${name}" SET timezone = 'Europe/Berlin'`);
  const other = createDb(url, 1); // new connections: the database's default applies to them
  try {
    const [viaSql] = await sql<{ TimeZone: string }>(other, Prisma.sql`SHOW TimeZone`);
    const [viaPrisma] = await other.$queryRaw<Array<{ TimeZone: string }>>`SHOW TimeZone`;
    expect([viaSql.TimeZone, viaPrisma.TimeZone]).toEqual(['UTC', 'UTC']);
  } finally {
    await other.$disconnect();
    await db.$executeRawUnsafe(`ALTER DATABASE "${name}" RESET timezone`);
  }
});
