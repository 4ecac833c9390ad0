// Run by test/runtime/db-sql.test.ts in a child process with TZ set (jest's sandbox cannot change the
// process's time zone): writes and reads one timestamp through Prisma and through sql(), prints JSON.
import { createDb, sql } from '../../core/db/client';
import { Prisma } from '../../core/db/generated/client';

async function main() {
  const db = createDb(process.env.DATABASE_URL!, 2);
  const user = await db.user.findFirstOrThrow({ select: { id: true } });
  const expiresAt = new Date('2026-01-15T12:34:56.789Z');
  const s = await db.session.create({ data: { id: `probe-${Date.now()}`, userId: user.id, kind: 'api', csrfToken: 'x', expiresAt } });
  const [row] = await sql<{ expiresAt: Date }>(db, Prisma.sql`SELECT "expiresAt" FROM "Session" WHERE "id" = ${s.id}`);
  const seen = new Date('2026-07-01T08:00:00.125Z');
  await sql(db, Prisma.sql`UPDATE "Session" SET "lastSeenAt" = ${seen} WHERE "id" = ${s.id}`);
  const back = await db.session.findUniqueOrThrow({ where: { id: s.id } });
  console.log(
    JSON.stringify({
      offsetMinutes: expiresAt.getTimezoneOffset(),
      readBySql: row.expiresAt.toISOString(),
      writtenBySqlReadByPrisma: back.lastSeenAt.toISOString(),
    }),
  );
  await db.$disconnect();
}
void main();
