// Shelters (Notunterkünfte) and a person's place (issue 13): occupancy per shelter, who has been
// waiting longest, assigning and releasing a place. The move-out chain's shelter release frees the
// place by itself (activities/handoff.ts → releaseShelterPlace). Audited; names only for roles that
// see case files.
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { Prisma } from '../../core/db/generated/client';
import type { ShelterInput, ShelterPlaceInput } from '../../core/domain/person-file';
import type { AuthUser } from '../auth';
import { conflict, notFound } from '../errors';
import { canReadCase } from '../access';

type Tx = Prisma.TransactionClient;
const TX = { timeout: 20_000, maxWait: 5_000 };
const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === 'P2002';

export async function createShelter(db: Db, actor: Actor, input: ShelterInput) {
  try {
    return await db.$transaction(async (tx) => {
      const s = await tx.shelter.create({ data: { name: input.name, address: input.address || null, capacity: input.capacity } });
      await audit(tx, actor, 'shelter.create', { type: 'Shelter', id: s.id }, { capacity: s.capacity });
      return s;
    }, TX);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Eine Unterkunft „${input.name}“ gibt es schon.`);
    throw err;
  }
}

/** Change a shelter's name, address or places; never fewer places than are occupied (409). */
export async function updateShelter(db: Db, actor: Actor, id: string, input: ShelterInput) {
  try {
    return await db.$transaction(async (tx) => {
      if (!(await lockShelter(tx, id))) throw notFound('Unterkunft');
      const occupied = await tx.shelterStay.count({ where: { shelterId: id, releasedAt: null } });
      if (input.capacity < occupied)
        throw conflict(`Es sind ${occupied} Plätze belegt: die Unterkunft kann nicht auf ${input.capacity} Plätze verkleinert werden.`);
      const s = await tx.shelter.update({
        where: { id },
        data: { name: input.name, address: input.address || null, capacity: input.capacity },
      });
      await audit(tx, actor, 'shelter.update', { type: 'Shelter', id }, { capacity: s.capacity });
      return s;
    }, TX);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Eine Unterkunft „${input.name}“ gibt es schon.`);
    throw err;
  }
}

/** Occupancy per shelter: places, occupied, free. Figures only — no persons. */
export async function shelterOccupancy(db: Db) {
  const [shelters, open] = await Promise.all([
    db.shelter.findMany({ orderBy: { name: 'asc' } }),
    db.shelterStay.groupBy({ by: ['shelterId'], where: { releasedAt: null }, _count: { _all: true } }),
  ]);
  return shelters.map((s) => {
    const occupied = open.find((o) => o.shelterId === s.id)?._count._all ?? 0;
    return { id: s.id, name: s.name, address: s.address, capacity: s.capacity, occupied, free: Math.max(0, s.capacity - occupied) };
  });
}

/**
 * Who has been waiting longest: open places oldest first, with the person's case in the user's scope
 * (supervisors: all). Audited as one read listing the case ids.
 */
export async function longestWaiting(db: Db, user: AuthUser, actor: Actor, take = 20) {
  const stays = await db.shelterStay.findMany({
    where: { releasedAt: null, person: { anonymizedAt: null } },
    orderBy: [{ since: 'asc' }, { id: 'asc' }],
    take: 500,
    include: {
      shelter: { select: { name: true } },
      person: {
        select: {
          id: true,
          firstName: true,
          lastName: true,
          cases: { where: { status: { not: 'closed' } }, select: { id: true, reference: true, caseworkerId: true, departmentId: true } },
        },
      },
    },
  });
  const visible = stays
    .map((s) => ({ stay: s, c: s.person.cases.find((c) => canReadCase(user, c)) }))
    .filter((x) => x.c)
    .slice(0, take);
  if (visible.length)
    await audit(
      db,
      actor,
      'shelter.waiting.read',
      { type: 'ShelterStay' },
      { count: visible.length, caseIds: visible.map((x) => x.c!.id) },
    );
  return visible.map(({ stay, c }) => ({
    personId: stay.person.id,
    name: `${stay.person.firstName} ${stay.person.lastName}`,
    caseId: c!.id,
    caseReference: c!.reference,
    shelterName: stay.shelter.name,
    place: stay.place,
    since: stay.since,
  }));
}

/** Lock the shelter row: two assignments racing for its last place cannot both win. */
async function lockShelter(tx: Tx, id: string) {
  const rows = await tx.$queryRaw<{ id: string; capacity: number }[]>`SELECT id, capacity FROM "Shelter" WHERE id = ${id} FOR UPDATE`;
  return rows[0];
}

/** Give a person a place (a current place is released first: a move between shelters). */
export async function assignShelterPlace(db: Db, user: AuthUser, actor: Actor, personId: string, input: ShelterPlaceInput) {
  return db.$transaction(async (tx) => {
    const shelter = await lockShelter(tx, input.shelterId);
    if (!shelter) throw notFound('Unterkunft');
    const current = await tx.shelterStay.findFirst({ where: { personId, releasedAt: null } });
    if (current?.shelterId === input.shelterId && (current.place ?? null) === (input.place ?? null)) return current;
    const occupied = await tx.shelterStay.count({ where: { shelterId: input.shelterId, releasedAt: null, NOT: { personId } } });
    if (occupied >= shelter.capacity) throw conflict('Die Unterkunft ist voll belegt: kein freier Platz.');
    if (current)
      await tx.shelterStay.update({ where: { id: current.id }, data: { releasedAt: new Date(), releasedBy: `user:${user.id}` } });
    const stay = await tx.shelterStay.create({
      data: {
        shelterId: input.shelterId,
        personId,
        place: input.place || null,
        since: input.since ? new Date(input.since + 'T00:00:00Z') : new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z'),
      },
    });
    await audit(tx, actor, 'person.shelter.assign', { type: 'ShelterStay', id: stay.id }, { personId, shelterId: input.shelterId });
    return stay;
  }, TX);
}

export async function releaseShelterPlaceByUser(db: Db, user: AuthUser, actor: Actor, personId: string) {
  return db.$transaction(async (tx) => {
    const r = await tx.shelterStay.updateMany({
      where: { personId, releasedAt: null },
      data: { releasedAt: new Date(), releasedBy: `user:${user.id}` },
    });
    if (r.count === 0) throw notFound('Platz in einer Notunterkunft');
    await audit(tx, actor, 'person.shelter.release', { type: 'Person', id: personId }, { by: 'user' });
  }, TX);
}
