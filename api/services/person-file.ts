// The person's file (issue 13): read and edit a person with optimistic concurrency (version), the
// household's members. A change of the benefit type moves the open handoffs that the chains route by
// benefit type to the now responsible office (services/benefit-reroute.ts). Every read and change
// is audited with field names, never values.
import type { Client } from '@temporalio/client';
import { audit, auditRefused, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { Prisma } from '../../core/db/generated/client';
import { householdSizeOf } from '../../core/domain/household';
import type { HouseholdMemberInput, PersonPatch } from '../../core/domain/person-file';
import type { Logger } from '../../core/log';
import { worksOnCases } from '../access';
import type { AuthUser } from '../auth';
import { conflict, forbidden, notFound } from '../errors';
import { refuseAnonymized } from './anonymized';
import { rerouteForBenefit, type RerouteResult } from './benefit-reroute';
import { personInScope } from './cases';

export interface PersonFileDeps {
  db: Db;
  temporal: Client;
  log?: Logger;
}

const TX = { timeout: 20_000, maxWait: 5_000 };
const day = (v: string) => new Date(v + 'T00:00:00Z');

export const STALE_PERSON_MESSAGE =
  'Die Person wurde inzwischen von jemand anderem geändert. Nichts wurde gespeichert — bitte die Seite neu laden und die Änderung erneut eintragen.';

const includeFile = {
  cases: { select: { id: true, caseworkerId: true, departmentId: true } },
  householdMembers: { where: { removedAt: null }, orderBy: [{ birthDate: 'asc' as const }, { id: 'asc' as const }] },
  shelterStays: { where: { releasedAt: null }, include: { shelter: { select: { id: true, name: true } } } },
} satisfies Prisma.PersonInclude;

async function loadInScope(db: Db, user: AuthUser, actor: Actor, id: string, attempted: string) {
  const p = await db.person.findUnique({ where: { id }, include: includeFile });
  if (!p || !(await personInScope(db, user, p))) {
    await auditRefused(db, actor, { type: 'Person', id }, attempted);
    throw notFound('Person');
  }
  return p;
}

/** The other persons with a file in a household, with their current members (for the derived size). */
const otherPersons = (db: Db, householdId: string | null, personId: string) =>
  householdId
    ? db.person.findMany({
        where: { householdId, id: { not: personId }, anonymizedAt: null },
        orderBy: { id: 'asc' },
        select: { id: true, firstName: true, lastName: true, householdSize: true, householdMembers: { where: { removedAt: null } } },
      })
    : Promise.resolve([]);

/** The person with members and place; audited as person.read. */
export async function readPersonFile({ db }: PersonFileDeps, user: AuthUser, actor: Actor, id: string) {
  const p = await loadInScope(db, user, actor, id, 'person.read');
  await audit(db, actor, 'person.read', { type: 'Person', id });
  return { ...p, derivedHouseholdSize: householdSizeOf([p, ...(await otherPersons(db, p.householdId, p.id))]) };
}
export type PersonFile = Awaited<ReturnType<typeof readPersonFile>>;

export async function personForChange(db: Db, user: AuthUser, actor: Actor, id: string, attempted: string) {
  if (!worksOnCases(user)) throw forbidden('Nur das Fallmanagement kann Personen ändern.');
  const p = await loadInScope(db, user, actor, id, attempted);
  refuseAnonymized(p, 'Person');
  return p;
}

/** The columns a patch writes (undefined = unchanged, null = cleared). */
function patchData(input: PersonPatch): Prisma.PersonUpdateManyMutationInput {
  const d: Prisma.PersonUpdateManyMutationInput = {};
  if (input.firstName !== undefined) d.firstName = input.firstName;
  if (input.lastName !== undefined) d.lastName = input.lastName;
  if (input.birthDate !== undefined) d.birthDate = input.birthDate ? day(input.birthDate) : null;
  if (input.gender !== undefined) d.gender = input.gender;
  if (input.languages !== undefined) d.languages = [...new Set(input.languages)];
  if (input.letterLanguage !== undefined) d.letterLanguage = input.letterLanguage;
  if (input.interpreterNeeded !== undefined) d.interpreterNeeded = input.interpreterNeeded;
  if (input.prospectOfStaying !== undefined) d.prospectOfStaying = input.prospectOfStaying;
  if (input.benefitType !== undefined) d.benefitType = input.benefitType;
  const c = input.contact;
  if (c) {
    if (c.phone !== undefined) d.phone = c.phone || null;
    if (c.email !== undefined) d.email = c.email || null;
    if (c.postalAddress !== undefined) d.postalAddress = c.postalAddress || null;
    if (c.careOfShelter !== undefined) d.careOfShelter = c.careOfShelter;
  }
  const r = input.residence;
  if (r) {
    if (r.title !== undefined) d.residenceTitle = r.title;
    if (r.validUntil !== undefined) d.residenceValidUntil = r.validUntil ? day(r.validUntil) : null;
    if (r.obligation12a !== undefined) {
      d.obligation12a = r.obligation12a;
      if (!r.obligation12a) d.obligation12aPlace = null;
    }
    if (r.obligation12aPlace !== undefined && r.obligation12a !== false) d.obligation12aPlace = r.obligation12aPlace || null;
  }
  return d;
}

/**
 * PATCH /api/persons/{id}: one atomic `updateMany where {id, version}` — a stale version changes
 * nothing and answers 409. A changed benefit type then moves the open handoffs routed by it.
 */
export async function patchPerson(
  deps: PersonFileDeps,
  user: AuthUser,
  actor: Actor,
  id: string,
  input: PersonPatch,
  submission?: string,
): Promise<{ version: number; reroute?: RerouteResult }> {
  const { db } = deps;
  const before = await personForChange(db, user, actor, id, 'person.update');
  const data = patchData(input);
  const fields = Object.keys(data);
  const benefitChanged = input.benefitType !== undefined && input.benefitType !== before.benefitType;
  const version = await db.$transaction(async (tx) => {
    const r = await tx.person.updateMany({
      where: { id, version: input.version, anonymizedAt: null },
      data: { ...data, version: { increment: 1 } },
    });
    if (r.count === 0) throw conflict(STALE_PERSON_MESSAGE);
    await audit(
      tx,
      actor,
      'person.update',
      { type: 'Person', id },
      {
        fields,
        version: input.version + 1,
        ...(submission ? { submission } : {}),
        ...(benefitChanged ? { benefitType: { from: before.benefitType, to: input.benefitType! } } : {}),
      },
    );
    return input.version + 1;
  }, TX);
  if (!benefitChanged) return { version };
  const reroute = await rerouteForBenefit(deps, actor, id);
  return { version, reroute };
}

// ---------------------------------------------------------------------------------------------
// Household members
// ---------------------------------------------------------------------------------------------

export async function addHouseholdMember(
  deps: PersonFileDeps,
  user: AuthUser,
  actor: Actor,
  personId: string,
  input: HouseholdMemberInput,
  idempotencyKey?: string,
) {
  const { db } = deps;
  await personForChange(db, user, actor, personId, 'person.household.add');
  const find = () =>
    idempotencyKey
      ? db.householdMember.findUnique({ where: { createdById_idempotencyKey: { createdById: user.id, idempotencyKey } } })
      : Promise.resolve(null);
  const existing = await find();
  if (existing) return existing;
  const create = () =>
    db.$transaction(async (tx) => {
      // the first member makes the household; the person's cases belong to it (row lock: one household per person)
      const [{ householdId: current }] = await tx.$queryRaw<{ householdId: string | null }[]>`
      SELECT "householdId" FROM "Person" WHERE "id" = ${personId} FOR UPDATE`;
      let householdId = current;
      if (!householdId) {
        householdId = (await tx.household.create({ data: {} })).id;
        await tx.person.update({ where: { id: personId }, data: { householdId } });
        await tx.case.updateMany({ where: { personId, householdId: null }, data: { householdId } });
        await audit(tx, actor, 'household.create', { type: 'Household', id: householdId }, { personId });
      }
      const m = await tx.householdMember.create({
        data: {
          personId,
          firstName: input.firstName,
          lastName: input.lastName,
          birthDate: day(input.birthDate),
          relationship: input.relationship,
          createdById: user.id,
          idempotencyKey: idempotencyKey ?? null,
        },
      });
      await audit(tx, actor, 'person.household.add', { type: 'HouseholdMember', id: m.id }, { personId, relationship: input.relationship });
      return m;
    }, TX);
  try {
    return await create();
  } catch (err) {
    const again = (err as { code?: string })?.code === 'P2002' ? await find() : null;
    if (again) return again;
    throw err;
  }
}

export async function listHouseholdMembers(deps: PersonFileDeps, user: AuthUser, actor: Actor, personId: string) {
  const p = await loadInScope(deps.db, user, actor, personId, 'person.household.read');
  await audit(deps.db, actor, 'person.household.read', { type: 'Person', id: personId }, { count: p.householdMembers.length });
  return { members: p.householdMembers, size: householdSizeOf([p, ...(await otherPersons(deps.db, p.householdId, p.id))]) };
}

export async function removeHouseholdMember(deps: PersonFileDeps, user: AuthUser, actor: Actor, personId: string, memberId: string) {
  const { db } = deps;
  await personForChange(db, user, actor, personId, 'person.household.remove');
  return db.$transaction(async (tx) => {
    const r = await tx.householdMember.updateMany({ where: { id: memberId, personId, removedAt: null }, data: { removedAt: new Date() } });
    if (r.count === 0) throw notFound('Haushaltsmitglied');
    await audit(tx, actor, 'person.household.remove', { type: 'HouseholdMember', id: memberId }, { personId });
  }, TX);
}

/** The case's household for the case page: its person's members, other persons of it with a file, the derived size (the case read is audited by the page). */
export async function caseHousehold(db: Db, c: { personId: string; householdId: string | null }) {
  const p = await db.person.findUnique({ where: { id: c.personId }, include: includeFile });
  if (!p) return undefined;
  const others = await otherPersons(db, c.householdId, p.id);
  return { id: c.householdId, members: p.householdMembers, others, size: householdSizeOf([p, ...others]), stay: p.shelterStays[0] };
}

/** A form submitted twice: the first submission (same one-time key) already changed the person. */
export async function alreadySubmitted(db: Db, personId: string, submission: string | undefined) {
  if (!submission) return false;
  return (
    (await db.auditEvent.count({
      where: { action: 'person.update', entityId: personId, details: { path: ['submission'], equals: submission } },
    })) > 0
  );
}
