// Group offers of the KIM staff (issue 15): e.g. the tenancy training „Wohnführerschein“ or an
// application training, with sessions, enrolled persons and attendance per session. A completed
// participation is evidence for the move-out chain's readiness step (shown on the process page).
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { canChangeCase } from '../access';
import type { AuthUser } from '../auth';
import { badRequest, conflict, notFound } from '../errors';

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002';

export async function createGroupOffer(
  db: Db,
  user: AuthUser,
  actor: Actor,
  input: { kind: string; title: string; place?: string },
  key?: string,
) {
  if (key) {
    const first = await db.groupOffer.findUnique({ where: { createdById_idempotencyKey: { createdById: user.id, idempotencyKey: key } } });
    if (first) return { id: first.id, created: false };
  }
  try {
    return await db.$transaction(async (tx) => {
      const g = await tx.groupOffer.create({
        data: { kind: input.kind, title: input.title, place: input.place ?? null, createdById: user.id, idempotencyKey: key },
      });
      await audit(tx, actor, 'group-offer.create', { type: 'GroupOffer', id: g.id }, { kind: input.kind });
      return { id: g.id, created: true };
    });
  } catch (err) {
    if (key && isUniqueViolation(err)) return createGroupOffer(db, user, actor, input, key);
    throw err;
  }
}

export async function groupOfferOr404(db: Db, id: string) {
  const g = await db.groupOffer.findUnique({ where: { id } });
  if (!g) throw notFound('Gruppenangebot');
  return g;
}

export async function listGroupOffers(db: Db) {
  const rows = await db.groupOffer.findMany({
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: 500,
    include: { _count: { select: { sessions: true, enrolments: true } } },
  });
  return rows.map((g) => ({
    id: g.id,
    kind: g.kind,
    title: g.title,
    place: g.place,
    sessions: g._count.sessions,
    enrolments: g._count.enrolments,
  }));
}

/** The offer with its sessions and enrolments (person ids only, no names) and each one's attendance. */
export async function groupOfferDetail(db: Db, actor: Actor, id: string) {
  const g = await db.groupOffer.findUnique({
    where: { id },
    include: {
      sessions: { orderBy: { at: 'asc' } },
      enrolments: { orderBy: { createdAt: 'asc' }, include: { attendance: true } },
    },
  });
  if (!g) throw notFound('Gruppenangebot');
  await audit(db, actor, 'group-offer.read', { type: 'GroupOffer', id }, { enrolments: g.enrolments.length });
  return {
    id: g.id,
    kind: g.kind,
    title: g.title,
    place: g.place,
    sessions: g.sessions.map((s) => ({ id: s.id, at: s.at.toISOString() })),
    enrolments: g.enrolments.map((e) => ({
      id: e.id,
      personId: e.personId,
      completedAt: e.completedAt?.toISOString() ?? null,
      attendance: e.attendance.map((a) => ({ sessionId: a.sessionId, present: a.present })),
    })),
  };
}

export async function addSession(db: Db, actor: Actor, groupOfferId: string, input: { at: string }) {
  await groupOfferOr404(db, groupOfferId);
  try {
    return await db.$transaction(async (tx) => {
      const s = await tx.groupSession.create({ data: { groupOfferId, at: new Date(input.at) } });
      await audit(tx, actor, 'group-offer.session', { type: 'GroupOffer', id: groupOfferId }, { sessionId: s.id });
      return { id: s.id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('Zu diesem Zeitpunkt gibt es schon einen Termin.');
    throw err;
  }
}

/** A person the user may work with: one of their cases is in the user's scope (or they registered the person). */
async function personInScope(db: Db, user: AuthUser, personId: string) {
  const person = await db.person.findUnique({ where: { id: personId }, select: { id: true, createdById: true, anonymizedAt: true } });
  if (!person || person.anonymizedAt) return null;
  if (user.role === 'supervisor' || person.createdById === user.id) return person;
  const cases = await db.case.findMany({ where: { personId }, select: { caseworkerId: true, departmentId: true } });
  return cases.some((c) => canChangeCase(user, c)) ? person : null;
}

export async function enrol(db: Db, user: AuthUser, actor: Actor, groupOfferId: string, input: { personId: string; note?: string }) {
  await groupOfferOr404(db, groupOfferId);
  if (!(await personInScope(db, user, input.personId)))
    throw badRequest('Person unbekannt oder nicht in Ihrer Zuständigkeit.', [{ field: 'personId', message: 'unbekannt' }]);
  try {
    return await db.$transaction(async (tx) => {
      const e = await tx.groupEnrolment.create({
        data: { groupOfferId, personId: input.personId, note: input.note ?? null, enrolledById: user.id },
      });
      await audit(tx, actor, 'group-offer.enrol', { type: 'Person', id: input.personId }, { groupOfferId, enrolmentId: e.id });
      return { id: e.id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('Die Person ist schon angemeldet.');
    throw err;
  }
}

export async function recordAttendance(
  db: Db,
  user: AuthUser,
  actor: Actor,
  groupOfferId: string,
  sessionId: string,
  items: { enrolmentId: string; present: boolean }[],
) {
  const session = await db.groupSession.findUnique({ where: { id: sessionId } });
  if (!session || session.groupOfferId !== groupOfferId) throw notFound('Termin');
  const enrolments = await db.groupEnrolment.findMany({
    where: { id: { in: items.map((i) => i.enrolmentId) }, groupOfferId },
    select: { id: true },
  });
  const known = new Set(enrolments.map((e) => e.id));
  const unknown = items.findIndex((i) => !known.has(i.enrolmentId));
  if (unknown >= 0)
    throw badRequest('Anmeldung gehört nicht zu diesem Angebot.', [{ field: `items.${unknown}.enrolmentId`, message: 'unbekannt' }]);
  await db.$transaction(async (tx) => {
    for (const i of items)
      await tx.groupAttendance.upsert({
        where: { sessionId_enrolmentId: { sessionId, enrolmentId: i.enrolmentId } },
        create: { sessionId, enrolmentId: i.enrolmentId, present: i.present, recordedById: user.id },
        update: { present: i.present, recordedById: user.id, recordedAt: new Date() },
      });
    await audit(tx, actor, 'group-offer.attendance', { type: 'GroupOffer', id: groupOfferId }, { sessionId, entries: items.length });
  });
  return { recorded: items.length };
}

/** Marks a participation completed; it needs at least one session attended. */
export async function completeEnrolment(db: Db, actor: Actor, groupOfferId: string, enrolmentId: string) {
  const e = await db.groupEnrolment.findUnique({ where: { id: enrolmentId }, include: { attendance: true } });
  if (!e || e.groupOfferId !== groupOfferId) throw notFound('Anmeldung');
  if (!e.attendance.some((a) => a.present)) throw conflict('Ohne einen besuchten Termin kann die Teilnahme nicht abgeschlossen werden.');
  if (e.completedAt) return { id: e.id, completedAt: e.completedAt.toISOString() };
  const at = new Date();
  await db.$transaction(async (tx) => {
    await tx.groupEnrolment.update({ where: { id: enrolmentId }, data: { completedAt: at } });
    await audit(tx, actor, 'group-offer.completed', { type: 'Person', id: e.personId }, { groupOfferId, enrolmentId });
  });
  return { id: e.id, completedAt: at.toISOString() };
}

/** The completed participations of a person (evidence for the readiness step): title, kind, when, sessions attended. */
export async function participationEvidence(db: Db, personId: string) {
  const rows = await db.groupEnrolment.findMany({
    where: { personId, completedAt: { not: null } },
    orderBy: { completedAt: 'asc' },
    include: { groupOffer: { include: { _count: { select: { sessions: true } } } }, attendance: { where: { present: true } } },
  });
  return rows.map((e) => ({
    title: e.groupOffer.title,
    kind: e.groupOffer.kind,
    completedAt: e.completedAt!,
    attended: e.attendance.length,
    sessions: e.groupOffer._count.sessions,
  }));
}
