// Inventory from the API's side (issue 15): partners and their contact log, housing offers (row +
// workflow together), landlord form links, KdU rent caps, matching and proposing a flat to a waiting
// household. Proposals claim the offer in PostgreSQL first (one wins), then complete the household's
// offer step through the chains service, as a caseworker's outcome does; a failure undoes the claim.
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { Prisma } from '../../core/db/generated/client';
import { matchesForHousehold, matchesForOffer } from '../../core/domain/inventory/matching';
import {
  housingOfferWorkflowId,
  nextOfferStatus,
  OFFER_STATUSES,
  type OfferAction,
  type OfferStatus,
} from '../../core/domain/inventory/offer-lifecycle';
import { DEFAULT_MUNICIPALITY, type HousingOfferFields, type PartnerInput } from '../../core/domain/inventory/records';
import { isoDay } from '../../core/format/dates';
import { housingOfferWorkflow, offerActionUpdate } from '../../workflows/housing-offer';
import { canChangeCase, caseListFilter, recordsStepOutcomes } from '../access';
import type { AuthUser } from '../auth';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../errors';
import { completeStep, type ChainDeps } from './chains';
import { loadWaitingHouseholds, matchOffer, openOffers } from '../../core/inventory-data';
import { callUpdate } from './workflow-calls';

const day = (s: string) => new Date(s + 'T00:00:00Z');
const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002';

// ---- partners ----

export async function createPartner(db: Db, user: AuthUser, actor: Actor, input: PartnerInput, key?: string) {
  if (key) {
    const first = await db.partner.findUnique({ where: { createdById_idempotencyKey: { createdById: user.id, idempotencyKey: key } } });
    if (first) return { id: first.id, created: false };
  }
  if (input.responsibleId) {
    const r = await db.user.findUnique({ where: { id: input.responsibleId } });
    if (!r || r.role !== 'caseworker' || !r.active)
      throw badRequest('Zuständige/r unbekannt.', [{ field: 'responsibleId', message: 'unbekannt' }]);
  }
  try {
    return await db.$transaction(async (tx) => {
      const p = await tx.partner.create({
        data: {
          ...input,
          responsibleId: input.responsibleId ?? (input.contactEveryDays ? user.id : null),
          createdById: user.id,
          idempotencyKey: key,
        },
      });
      await audit(tx, actor, 'partner.create', { type: 'Partner', id: p.id }, { kind: input.kind });
      return { id: p.id, created: true };
    });
  } catch (err) {
    if (key && isUniqueViolation(err)) return createPartner(db, user, actor, input, key);
    throw err;
  }
}

export async function partnerOr404(db: Db, id: string) {
  const p = await db.partner.findUnique({ where: { id } });
  if (!p) throw notFound('Partner');
  return p;
}

export const contactDueAt = (p: { contactEveryDays: number | null; lastContactAt: Date | null; createdAt: Date }) =>
  p.contactEveryDays ? new Date((p.lastContactAt ?? p.createdAt).getTime() + p.contactEveryDays * 86_400_000) : null;

export function partnerView(p: Prisma.PartnerGetPayload<object>, now = new Date()) {
  const due = contactDueAt(p);
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    email: p.email,
    phone: p.phone,
    address: p.address,
    areas: p.areas,
    contactPersons: p.contactPersons as unknown[],
    agreements: p.agreements as unknown[],
    contactEveryDays: p.contactEveryDays,
    responsibleId: p.responsibleId,
    lastContactAt: p.lastContactAt?.toISOString() ?? null,
    contactDueAt: due?.toISOString() ?? null,
    contactOverdue: !!due && due < now,
  };
}

export async function listPartners(db: Db, filter: { kind?: string; overdue?: boolean }, now = new Date()) {
  const rows = await db.partner.findMany({
    where: filter.kind ? { kind: filter.kind as PartnerInput['kind'] } : {},
    orderBy: { name: 'asc' },
    take: 1000,
  });
  const items = rows.map((r) => partnerView(r, now));
  return filter.overdue ? items.filter((i) => i.contactOverdue) : items;
}

export async function addContact(
  db: Db,
  user: AuthUser,
  actor: Actor,
  partnerId: string,
  c: { at: string; kind: string; topic: string; outcome?: string },
) {
  await partnerOr404(db, partnerId);
  const at = new Date(c.at.length === 10 ? c.at + 'T12:00:00Z' : c.at);
  return db.$transaction(async (tx) => {
    const row = await tx.partnerContact.create({
      data: { partnerId, at, kind: c.kind, topic: c.topic, outcome: c.outcome, createdById: user.id },
    });
    // the rhythm counts from the latest contact
    await tx.partner.updateMany({
      where: { id: partnerId, OR: [{ lastContactAt: null }, { lastContactAt: { lt: at } }] },
      data: { lastContactAt: at },
    });
    await audit(tx, actor, 'partner.contact', { type: 'Partner', id: partnerId }, { contactId: row.id, kind: c.kind });
    return { id: row.id };
  });
}

// ---- housing offers ----

export interface OfferDeps extends ChainDeps {
  publicUrl: string;
}

/** Ask the landlord after 14 days open, expire 7 days later (tests and demos shrink a day to workingDaySeconds). */
export function offerTimers(deps: Pick<ChainDeps, 'workingDaySeconds'>) {
  const d = deps.workingDaySeconds > 0 ? deps.workingDaySeconds : 86_400;
  return { askAfterSeconds: 14 * d, expireAfterSeconds: 7 * d };
}

export async function createOffer(
  deps: OfferDeps,
  actor: Actor,
  input: HousingOfferFields & { partnerId: string },
  origin: { source: 'caseworker' | 'landlord'; createdById?: string; linkId?: string; idempotencyKey?: string },
  tx0?: (tx: Prisma.TransactionClient) => Promise<void>,
) {
  if (origin.createdById && origin.idempotencyKey) {
    const first = await deps.db.housingOffer.findUnique({
      where: { createdById_idempotencyKey: { createdById: origin.createdById, idempotencyKey: origin.idempotencyKey } },
    });
    if (first) return { id: first.id, reference: first.reference, created: false };
  }
  const partner = await deps.db.partner.findUnique({ where: { id: input.partnerId } });
  if (!partner) throw badRequest('Partner unbekannt.', [{ field: 'partnerId', message: 'unbekannt' }]);
  const id = crypto.randomUUID();
  const reference = `W-${new Date().getFullYear()}-${id.slice(0, 6).toUpperCase()}`;
  try {
    await deps.db.$transaction(
      async (tx) => {
        if (tx0) await tx0(tx);
        await tx.housingOffer.create({
          data: {
            id,
            reference,
            partnerId: input.partnerId,
            municipality: input.municipality ?? DEFAULT_MUNICIPALITY,
            district: input.district,
            address: input.address,
            rooms: input.rooms,
            livingSpace: input.livingSpace,
            coldRent: input.coldRent,
            serviceCharges: input.serviceCharges,
            heating: input.heating ?? null,
            availableFrom: day(input.availableFrom),
            wbsRequired: input.wbsRequired,
            barrierFree: input.barrierFree,
            groundFloor: input.groundFloor,
            pets: input.pets,
            conditions: input.conditions ?? null,
            source: origin.source,
            linkId: origin.linkId,
            createdById: origin.createdById,
            idempotencyKey: origin.idempotencyKey,
          },
        });
        await audit(tx, actor, 'offer.create', { type: 'HousingOffer', id }, { source: origin.source, partnerId: input.partnerId });
        await deps.temporal.workflow.start(housingOfferWorkflow, {
          workflowId: housingOfferWorkflowId(id),
          taskQueue: deps.taskQueue,
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
          args: [{ offerId: id, ...offerTimers(deps) }],
        });
      },
      { timeout: 20_000, maxWait: 5_000 },
    );
  } catch (err) {
    if (origin.idempotencyKey && origin.createdById && isUniqueViolation(err)) return createOffer(deps, actor, input, origin);
    throw err;
  }
  return { id, reference, created: true };
}

export function offerView(o: Prisma.HousingOfferGetPayload<object>) {
  return {
    id: o.id,
    reference: o.reference,
    partnerId: o.partnerId,
    municipality: o.municipality,
    district: o.district,
    address: o.address,
    rooms: o.rooms,
    livingSpace: o.livingSpace,
    coldRent: o.coldRent,
    serviceCharges: o.serviceCharges,
    heating: o.heating,
    availableFrom: isoDay(o.availableFrom),
    wbsRequired: o.wbsRequired,
    barrierFree: o.barrierFree,
    groundFloor: o.groundFloor,
    pets: o.pets,
    conditions: o.conditions,
    status: o.status as OfferStatus,
    processId: o.processId,
    leaseDate: o.leaseDate ? isoDay(o.leaseDate) : null,
    source: o.source,
    createdAt: o.createdAt.toISOString(),
  };
}

export async function offerOr404(db: Db, id: string) {
  const o = await db.housingOffer.findUnique({ where: { id } });
  if (!o) throw notFound('Wohnungsangebot');
  return o;
}

export async function listOffers(db: Db, status?: string) {
  const rows = await db.housingOffer.findMany({
    where: status ? { status } : {},
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: 1000,
  });
  return rows.map(offerView);
}

// ---- rent caps (KdU) ----

export async function setRentCaps(
  db: Db,
  user: AuthUser,
  actor: Actor,
  input: { municipality: string; validFrom: string; caps: { householdSize: number; amount: number }[] },
) {
  await db.$transaction(async (tx) => {
    for (const c of input.caps)
      await tx.rentCap.upsert({
        where: {
          municipality_householdSize_validFrom: {
            municipality: input.municipality,
            householdSize: c.householdSize,
            validFrom: day(input.validFrom),
          },
        },
        create: {
          municipality: input.municipality,
          householdSize: c.householdSize,
          amount: c.amount,
          validFrom: day(input.validFrom),
          createdById: user.id,
        },
        update: { amount: c.amount },
      });
    await audit(
      tx,
      actor,
      'rent-caps.set',
      { type: 'RentCap' },
      { municipality: input.municipality, validFrom: input.validFrom, sizes: input.caps.length },
    );
  });
}

export async function listRentCaps(db: Db) {
  const rows = await db.rentCap.findMany({ orderBy: [{ municipality: 'asc' }, { validFrom: 'desc' }, { householdSize: 'asc' }] });
  return rows.map((r) => ({
    municipality: r.municipality,
    householdSize: r.householdSize,
    amount: r.amount,
    validFrom: isoDay(r.validFrom),
  }));
}

// ---- waiting households and matching ----

/** Move-out chains waiting at the offer step that the user may see, as matching input (no names). */
export const waitingHouseholds = (db: Db, user: AuthUser, processId?: string) => loadWaitingHouseholds(db, caseListFilter(user), processId);

export async function offerMatches(db: Db, user: AuthUser, actor: Actor, offerId: string) {
  const o = await offerOr404(db, offerId);
  const households = await waitingHouseholds(db, user);
  await audit(db, actor, 'offer.matches', { type: 'HousingOffer', id: offerId }, { households: households.length });
  return matchesForOffer(matchOffer(o), households).map((m) => ({
    processId: m.household.processId,
    caseReference: m.household.caseReference,
    waitingSince: m.household.waitingSince,
    fits: m.fits,
    reasons: m.reasons,
  }));
}

export async function processMatches(db: Db, user: AuthUser, actor: Actor, processId: string) {
  const p = await db.process.findUnique({
    where: { id: processId },
    include: { case: { select: { caseworkerId: true, departmentId: true } } },
  });
  if (!p || !(user.role === 'supervisor' || canChangeCase(user, p.case))) throw notFound('Prozess');
  const [h] = await waitingHouseholds(db, user, processId);
  if (!h) throw conflict('Der Haushalt wartet nicht auf ein Wohnungsangebot (Schritt „Wohnungsangebot abwarten“ nicht aktuell).');
  const offers = await openOffers(db); // the matching columns only (a full read of 5,000 rows took ≈0.4 s)
  await audit(db, actor, 'process.matches', { type: 'Process', id: processId, caseId: p.caseId }, { offers: offers.length });
  const byId = new Map(offers.map((o) => [o.id, o]));
  return matchesForHousehold(h, offers).map((m) => ({
    offerId: m.offer.id,
    reference: byId.get(m.offer.id)!.reference,
    district: m.offer.district,
    fits: m.fits,
    reasons: m.reasons,
  }));
}

// ---- proposing and the offer's lifecycle ----

async function offerWorkflowAction(deps: ChainDeps, offerId: string, action: OfferAction) {
  return callUpdate(() =>
    deps.temporal.workflow.getHandle(housingOfferWorkflowId(offerId)).executeUpdate(offerActionUpdate, { args: [{ action }] }),
  );
}

/** Proposes an open flat to a waiting household: one proposal per flat wins, the others get 409 and write nothing. */
export async function proposeOffer(deps: ChainDeps, user: AuthUser, actor: Actor, offerId: string, processId: string) {
  if (!recordsStepOutcomes(user)) throw forbidden('Nur das Fallmanagement schlägt Wohnungen vor.');
  const o = await offerOr404(deps.db, offerId);
  const p = await deps.db.process.findUnique({
    where: { id: processId },
    include: { case: { select: { caseworkerId: true, departmentId: true } } },
  });
  if (!p || !canChangeCase(user, p.case))
    throw badRequest('Prozess unbekannt oder nicht sichtbar.', [{ field: 'processId', message: 'unbekannt' }]);
  if (p.type !== 'move-out' || p.status !== 'running' || p.currentStep !== 'offer')
    throw conflict('Der Haushalt wartet nicht auf ein Wohnungsangebot.');
  const claimed = await deps.db.housingOffer.updateMany({
    where: { id: offerId, status: 'open' },
    data: { status: 'proposed', processId, proposedAt: new Date() },
  });
  if (claimed.count !== 1) throw conflict(`Die Wohnung ${o.reference} ist nicht frei (schon vorgeschlagen, vermietet oder abgelaufen).`);
  try {
    await completeStep(
      deps,
      user,
      processId,
      'offer',
      { outcome: 'received', data: { landlord: `Wohnungsangebot ${o.reference}` } },
      `offer:${offerId}:propose:${processId}`,
    );
  } catch (err) {
    await deps.db.housingOffer.updateMany({
      where: { id: offerId, status: 'proposed', processId },
      data: { status: 'open', processId: null, proposedAt: null },
    });
    if (err instanceof HttpError && err.status === 409) throw conflict('Der Haushalt wartet nicht mehr auf ein Wohnungsangebot.');
    throw err;
  }
  await offerWorkflowAction(deps, offerId, 'propose');
  await audit(deps.db, actor, 'offer.proposed', { type: 'HousingOffer', id: offerId, caseId: p.caseId }, { processId });
  return offerView(await offerOr404(deps.db, offerId));
}

/** viewing, let (lease date), declined (flat open again; the chain at viewing goes back to offer), withdrawn, confirm (still available). */
export async function offerAction(
  deps: ChainDeps,
  user: AuthUser,
  actor: Actor,
  offerId: string,
  body: { action: Exclude<OfferAction, 'propose' | 'expire'>; leaseDate?: string; viewingDate?: string },
) {
  const o = await offerOr404(deps.db, offerId);
  const from = o.status as OfferStatus;
  const to = nextOfferStatus(from, body.action);
  if (!to) throw conflict(`Im Zustand „${from}“ nicht möglich.`);
  if (body.action === 'let' && !body.leaseDate)
    throw badRequest('Mietbeginn fehlt.', [{ field: 'leaseDate', message: 'Mietbeginn fehlt' }]);
  const leaving = to === 'open' || to === 'withdrawn' ? o.processId : null;
  const changed = await deps.db.housingOffer.updateMany({
    where: { id: offerId, status: from, updatedAt: o.updatedAt },
    data: {
      status: to,
      ...(to === 'open' ? { processId: null, proposedAt: null } : {}),
      ...(body.action === 'let' ? { leaseDate: day(body.leaseDate!) } : {}),
    },
  });
  if (changed.count !== 1) throw conflict('Das Angebot wurde gerade geändert. Bitte neu laden.');
  await offerWorkflowAction(deps, offerId, body.action);
  let caseId: string | undefined;
  if (leaving) {
    const p = await deps.db.process.findUnique({ where: { id: leaving }, select: { currentStep: true, status: true, caseId: true } });
    caseId = p?.caseId;
    // the household's viewing of this flat ends declined: its chain loops back to the offer step
    if (p?.status === 'running' && p.currentStep === 'viewing')
      await completeStep(
        deps,
        user,
        leaving,
        'viewing',
        { outcome: 'declined', data: { date: body.viewingDate ?? isoDay(new Date()) } },
        `offer:${offerId}:declined:${leaving}`,
      );
  }
  await audit(deps.db, actor, `offer.${body.action}`, { type: 'HousingOffer', id: offerId, caseId }, { from, to });
  return offerView(await offerOr404(deps.db, offerId));
}

export const OFFER_STATUS_LIST = OFFER_STATUSES;
