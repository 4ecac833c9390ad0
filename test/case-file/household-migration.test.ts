// The household migration (prisma/migrations/20261129210210_case_household) on data from before it:
// a typed household size stays as the person's legacy size, a household's shelter becomes the
// person's open place, a person with members gets a household, and cases join their person's household.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS_DIR } from '../../core/db/migrate';
import { ensureDatabase } from '../../core/runtime/postgres';
import { testEnv } from '../support/stack';

const MINE = '20261129210210_case_household';

it('carries the old household table over to the derived model', async () => {
  const env = testEnv();
  const name = `kim_mig_${crypto.randomBytes(5).toString('hex')}`;
  await ensureDatabase(env.adminUrl, name);
  const db = new Client({ connectionString: env.adminUrl.replace(/\/postgres$/, `/${name}`) });
  await db.connect();
  try {
    const names = fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((d) => fs.statSync(path.join(MIGRATIONS_DIR, d)).isDirectory())
      .sort();
    const sql = (n: string) => fs.readFileSync(path.join(MIGRATIONS_DIR, n, 'migration.sql'), 'utf8');
    for (const n of names.filter((n) => n < MINE)) await db.query(sql(n));

    await db.query(`INSERT INTO "User" (id, email, name, role) VALUES ('u1', 'fm@kim.example', 'FM', 'caseworker')`);
    await db.query(`INSERT INTO "Shelter" (id, name, capacity) VALUES ('s1', 'NU Alt', 10)`);
    await db.query(`INSERT INTO "Household" (id, size, "shelterId", "createdAt") VALUES ('h1', 4, 's1', '2025-03-01T10:00:00Z')`);
    await db.query(`INSERT INTO "Person" (id, "firstName", "lastName", "householdId", "createdById") VALUES
      ('p1', 'A', 'Alt', 'h1', 'u1'), ('p2', 'B', 'Mitglieder', NULL, 'u1'), ('p3', 'C', 'Allein', NULL, 'u1')`);
    await db.query(`INSERT INTO "HouseholdMember" (id, "personId", "firstName", "lastName", "birthDate", relationship, "createdById")
      VALUES ('m1', 'p2', 'K', 'Mitglieder', '2018-01-01', 'child', 'u1')`);
    await db.query(`INSERT INTO "Case" (id, reference, "personId", topic, "caseworkerId", "workflowId", "createdById", "updatedAt") VALUES
      ('c1', 'KIM-1', 'p1', 'housing', 'u1', 'w1', 'u1', now()), ('c2', 'KIM-2', 'p2', 'housing', 'u1', 'w2', 'u1', now()),
      ('c3', 'KIM-3', 'p3', 'housing', 'u1', 'w3', 'u1', now())`);

    await db.query('BEGIN');
    await db.query(sql(MINE));
    await db.query('COMMIT');

    const persons = await db.query(`SELECT id, "householdId", "householdSize" FROM "Person" ORDER BY id`);
    expect(persons.rows).toEqual([
      { id: 'p1', householdId: 'h1', householdSize: 4 },
      { id: 'p2', householdId: 'p2', householdSize: null },
      { id: 'p3', householdId: null, householdSize: null },
    ]);
    const cases = await db.query(`SELECT id, "householdId" FROM "Case" ORDER BY id`);
    expect(cases.rows).toEqual([
      { id: 'c1', householdId: 'h1' },
      { id: 'c2', householdId: 'p2' },
      { id: 'c3', householdId: null },
    ]);
    const stays = await db.query(`SELECT "shelterId", "personId", to_char(since, 'YYYY-MM-DD') AS since, "releasedAt" FROM "ShelterStay"`);
    expect(stays.rows).toEqual([{ shelterId: 's1', personId: 'p1', since: '2025-03-01', releasedAt: null }]);
    const cols = await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'Household' ORDER BY column_name`);
    expect(cols.rows.map((r) => r.column_name)).toEqual(['createdAt', 'id']);
  } finally {
    await db.end();
    const admin = new Client({ connectionString: env.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  }
});
