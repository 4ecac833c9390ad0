// The numbering rule of chain definition versions (README "Chain definition versions",
// api/services/chain-definitions.ts): shipped versions (code) and city versions (/admin/ketten) share one
// number line per type that belongs to the installation's table. A new installation stores the shipped
// versions under their own numbers and starts new chains on the newest; a shipped v2 arriving by upgrade
// where the city already published its own v2 is stored as v3 — nothing collides, the city's v2 stays
// what it is and stays in force until the admin adopts the shipped one by publishing it.
import { chainDefinitionFor, shippedChainDefinitions, type ChainDefinition } from '../../core/domain/chains';
import { moveOutV1 } from '../../core/domain/chains/move-out';
import { moveOutWithIntake } from '../support/chain-variants';
import { moveOutV2 } from '../../core/domain/chains/move-out-v2';
import { createDb, type Db } from '../../core/db/client';
import { seedDemo } from '../../core/db/seed';
import {
  currentChainDefinition,
  listChainDefinitions,
  publishChainDefinition,
  syncChainDefinitions,
} from '../../api/services/chain-definitions';
import { createTestDatabase } from '../support/stack';

const dbs: Db[] = [];
async function freshDb(): Promise<Db> {
  const db = createDb(await createTestDatabase(), 5);
  dbs.push(db);
  await seedDemo(db, 'Versionen-Test-1!');
  return db;
}
afterAll(async () => {
  for (const db of dbs) await db.$disconnect();
});

const rows = async (db: Db, type: string) =>
  (
    await db.chainDefinitionVersion.findMany({
      where: { type },
      orderBy: { version: 'asc' },
      select: { version: true, source: true, shippedVersion: true, title: true },
    })
  ).map((r) => [r.version, r.source, r.shippedVersion, r.title]);

const cityVariant = (title: string) => moveOutWithIntake(title);

it('a new installation stores the shipped versions under their own numbers; new chains start on the newest', async () => {
  const db = await freshDb();
  await syncChainDefinitions(db);
  expect(await rows(db, 'move-out')).toEqual([
    [1, 'shipped', 1, 'Auszug aus der Notunterkunft'],
    [2, 'shipped', 2, 'Auszug aus der Notunterkunft'],
  ]);
  expect((await rows(db, 'education-work')).map((r) => r[0])).toEqual([1, 2]);
  expect((await rows(db, 'health')).map((r) => r[0])).toEqual([1]);
  expect((await currentChainDefinition(db, 'move-out'))?.version).toBe(2);
  expect((await currentChainDefinition(db, 'education-work'))?.version).toBe(2);
  expect((await currentChainDefinition(db, 'health'))?.version).toBe(1);
  // loaded back from the table (jsonb keeps no key order), the steps keep the order the process page lists them in
  expect(Object.keys(chainDefinitionFor('move-out', 2)!.steps)).toEqual(Object.keys(moveOutV2.steps));
  // again (every start of API and worker, also at the same time): nothing stored twice
  await Promise.all([syncChainDefinitions(db), syncChainDefinitions(db)]);
  expect(await db.chainDefinitionVersion.count()).toBe(shippedChainDefinitions().length);
});

it('upgrade: the city published its own v2 before v2 shipped — the shipped v2 becomes v3, the city’s v2 stays and stays in force', async () => {
  const db = await freshDb();
  // the installation before the upgrade: shipped v1 stored, the city's v2 published after it
  const { version: _v, ...v1 } = moveOutV1;
  await db.chainDefinitionVersion.create({
    data: { type: 'move-out', version: 1, shippedVersion: 1, title: v1.title, definition: moveOutV1 as object, source: 'shipped' },
  });
  const city = { ...cityVariant('Auszug (Variante Stadt)'), version: 2 };
  await db.chainDefinitionVersion.create({
    data: { type: 'move-out', version: 2, title: city.title, definition: city as object, source: 'city' },
  });

  // the upgrade starts: the shipped v2 is stored after the highest number
  await Promise.all([syncChainDefinitions(db), syncChainDefinitions(db)]);
  expect(await rows(db, 'move-out')).toEqual([
    [1, 'shipped', 1, 'Auszug aus der Notunterkunft'],
    [2, 'city', null, 'Auszug (Variante Stadt)'],
    [3, 'shipped', 2, 'Auszug aus der Notunterkunft'],
  ]);
  const stored3 = await db.chainDefinitionVersion.findUniqueOrThrow({ where: { type_version: { type: 'move-out', version: 3 } } });
  expect((stored3.definition as unknown as ChainDefinition).version).toBe(3); // a chain started on it says 3
  // this process knows each number as the table says: 2 is the city's, 3 the shipped v2
  expect(chainDefinitionFor('move-out', 2)?.title).toBe('Auszug (Variante Stadt)');
  expect(chainDefinitionFor('move-out', 2)?.start).toBe('intake');
  expect(Object.keys(chainDefinitionFor('move-out', 3)!.steps)).toEqual(Object.keys(moveOutV2.steps));
  // the city's version stays the one new chains start on; the shipped one is listed, not in force
  const current = await currentChainDefinition(db, 'move-out');
  expect(current).toMatchObject({ version: 2, title: 'Auszug (Variante Stadt)' });
  const listed = (await listChainDefinitions(db)).find((t) => t.type === 'move-out')!;
  expect(listed.current).toBe(2);
  expect(listed.versions.map((v) => [v.version, v.source])).toEqual([
    [3, 'shipped'],
    [2, 'city'],
    [1, 'shipped'],
  ]);

  // the admin adopts the shipped v2 (or a new variant): published as the next number, in force
  const admin = await db.user.findUniqueOrThrow({ where: { email: 'admin@kim.example' } });
  const adopted = chainDefinitionFor('move-out', 3)!;
  const { version: _n, ...body } = adopted;
  const published = await publishChainDefinition(db, { id: admin.id, role: 'admin' }, body);
  expect(published).toEqual({ type: 'move-out', version: 4 });
  expect((await currentChainDefinition(db, 'move-out'))?.version).toBe(4);
  // a restart changes nothing
  await syncChainDefinitions(db);
  expect((await rows(db, 'move-out')).map((r) => r[0])).toEqual([1, 2, 3, 4]);
});

it('upgrade without city versions: the shipped v2 keeps its number and new chains start on it', async () => {
  const db = await freshDb();
  await db.chainDefinitionVersion.create({
    data: { type: 'move-out', version: 1, shippedVersion: 1, title: moveOutV1.title, definition: moveOutV1 as object, source: 'shipped' },
  });
  expect((await currentChainDefinition(db, 'move-out'))?.version).toBe(1); // before the upgrade
  await syncChainDefinitions(db);
  expect((await rows(db, 'move-out')).map((r) => [r[0], r[1], r[2]])).toEqual([
    [1, 'shipped', 1],
    [2, 'shipped', 2],
  ]);
  expect((await currentChainDefinition(db, 'move-out'))?.version).toBe(2);
});
