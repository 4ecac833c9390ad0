// Loading the inventory's matching input from PostgreSQL (issue 15): waiting households (move-out
// chains at the offer step, figures only), open flats, the KdU caps valid on a day, and the situation
// analysis built from them. Used by the API services and the worker's activities (snapshot).
import type { Db } from './db/client';
import type { Prisma } from './db/generated/client';
import { householdSizeOf } from './domain/household';
import { rentCapFor, wishDistrictsOf, type MatchHousehold, type MatchOffer } from './domain/inventory/matching';
import { DEFAULT_MUNICIPALITY } from './domain/inventory/records';
import { educationSituationData } from './education-data';
import { situation } from './domain/inventory/situation';
import { isoDay } from './format/dates';

export const matchOffer = (o: Prisma.HousingOfferGetPayload<object>): MatchOffer => ({
  id: o.id,
  district: o.district,
  rooms: o.rooms,
  livingSpace: o.livingSpace,
  coldRent: o.coldRent,
  serviceCharges: o.serviceCharges,
  wbsRequired: o.wbsRequired,
  barrierFree: o.barrierFree,
  availableFrom: isoDay(o.availableFrom),
});

/** The entries valid on `on` for one municipality: per household size the newest validFrom not after it. */
export async function validRentCaps(db: Db, municipality: string, on = new Date()) {
  const rows = await db.rentCap.findMany({
    where: { municipality, validFrom: { lte: on } },
    orderBy: [{ householdSize: 'asc' }, { validFrom: 'desc' }],
  });
  const seen = new Set<number>();
  return rows.filter((r) => (seen.has(r.householdSize) ? false : (seen.add(r.householdSize), true)));
}

/** Move-out chains waiting at the offer step within `caseWhere`, as matching input (no names). */
const CURRENT_MEMBERS = { where: { removedAt: null }, select: { removedAt: true } } as const;

export async function loadWaitingHouseholds(db: Db, caseWhere: Prisma.CaseWhereInput, processId?: string): Promise<MatchHousehold[]> {
  const rows = await db.process.findMany({
    where: {
      type: 'move-out',
      status: 'running',
      currentStep: 'offer',
      case: caseWhere,
      ...(processId ? { id: processId } : {}),
    },
    select: {
      id: true,
      case: {
        select: {
          reference: true,
          person: { select: { id: true, householdSize: true, benefitType: true, householdMembers: CURRENT_MEMBERS } },
          // the case's household: its persons with a file and their members give the size (issue 13)
          household: {
            select: { persons: { where: { anonymizedAt: null }, select: { householdSize: true, householdMembers: CURRENT_MEMBERS } } },
          },
        },
      },
      steps: {
        where: { key: { in: ['offer', 'search-profile', 'wbs'] } },
        orderBy: { seq: 'asc' },
        select: { key: true, outcome: true, data: true, startedAt: true },
      },
    },
  });
  const caps = await validRentCaps(db, DEFAULT_MUNICIPALITY);
  // the household's barrier-free need (HousingNeed, issue 15: education-offers)
  const barrierFree = new Set(
    (
      await db.housingNeed.findMany({
        where: { personId: { in: rows.map((p) => p.case.person.id) }, barrierFree: true },
        select: { personId: true },
      })
    ).map((n) => n.personId),
  );
  return rows.map((p) => {
    const size = householdSizeOf(p.case.household?.persons.length ? p.case.household.persons : [p.case.person]);
    const profile = [...p.steps].reverse().find((s) => s.key === 'search-profile' && s.outcome);
    const profileData = (profile?.data ?? {}) as Record<string, unknown>;
    const wbs = [...p.steps].reverse().find((s) => s.key === 'wbs' && s.outcome);
    const firstOffer = p.steps.find((s) => s.key === 'offer');
    const kdu = p.case.person.benefitType === 'none' ? null : rentCapFor(size, caps);
    const profileCap = typeof profileData.rentCap === 'number' ? profileData.rentCap : null;
    return {
      processId: p.id,
      caseReference: p.case.reference,
      size,
      rentCap: kdu ?? profileCap,
      hasWbs: wbs?.outcome === 'issued',
      needsBarrierFree: barrierFree.has(p.case.person.id),
      wishDistricts: wishDistrictsOf(profileData.area),
      waitingSince: (firstOffer?.startedAt ?? new Date(0)).toISOString(),
    };
  });
}

export async function openOffers(db: Db) {
  return (await db.housingOffer.findMany({ where: { status: 'open' } })).map(matchOffer);
}

/** The situation analysis over every waiting household and open flat (figures only), optionally for one district. */
export async function currentSituation(db: Db, opts: { district?: string; now?: Date } = {}) {
  const [households, offers] = await Promise.all([loadWaitingHouseholds(db, {}), openOffers(db)]);
  return situation(households, offers, { now: opts.now ?? new Date(), district: opts.district });
}

/** The monthly snapshots' totals, oldest first (the last 24 months). */
export async function situationTrend(db: Db) {
  const rows = await db.situationSnapshot.findMany({ orderBy: { month: 'desc' }, take: 24 });
  return rows.reverse().map((r) => {
    const f = r.figures as { waitingTotal?: number; openTotal?: number; education?: { neededTotal?: number; freeSeatsTotal?: number } };
    return {
      month: r.month,
      waitingTotal: f.waitingTotal ?? 0,
      openTotal: f.openTotal ?? 0,
      // education figures: kept since education15 (older snapshots: null)
      educationNeeded: f.education?.neededTotal ?? null,
      freeSeats: f.education?.freeSeatsTotal ?? null,
    };
  });
}

/** Keeps this month's figures (once per month; a second run in the same month keeps the first). */
export async function takeSituationSnapshot(db: Db, now = new Date()) {
  const month = isoDay(now).slice(0, 7);
  const [s, education] = await Promise.all([currentSituation(db, { now }), educationSituationData(db, { now })]);
  const r = await db.situationSnapshot.createMany({
    data: [{ month, figures: { ...s, education } as unknown as Prisma.InputJsonValue }],
    skipDuplicates: true,
  });
  return { month, created: r.count === 1 };
}
