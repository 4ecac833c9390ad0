// Loading the inventory's matching input from PostgreSQL (issue 15): waiting households (move-out
// chains at the offer step, figures only), open flats, the KdU caps valid on a day, and the situation
// analysis built from them. Used by the API services and the worker's activities (snapshot).
import type { Db } from './db/client';
import { Prisma } from './db/generated/client';
import { householdSize } from './domain/person-file';
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

/**
 * Move-out chains waiting at the offer step within `caseWhere`, as matching input (no names).
 * Two statements: the chains visible under `caseWhere` (Prisma), then one set-based SQL statement
 * (aggregates joined by hash, no per-row subqueries: with fresh statistics the planner chose a bitmap
 * AND over the step key index per row, 4 s at 5,000) for what matching reads of each: household size,
 * benefit type, the latest search profile and WBS outcome, the first entry into the offer step, the
 * barrier-free need. It replaces a nested Prisma read (a query per relation level; education15; same
 * result: test/inventory/situation.test.ts compares both).
 */
export async function loadWaitingHouseholds(db: Db, caseWhere: Prisma.CaseWhereInput, processId?: string): Promise<MatchHousehold[]> {
  const visible = await db.process.findMany({
    where: { type: 'move-out', status: 'running', currentStep: 'offer', case: caseWhere, ...(processId ? { id: processId } : {}) },
    select: { id: true },
  });
  if (!visible.length) return [];
  const rows = await db.$queryRaw<WaitingRow[]>(waitingHouseholdsSql(visible.map((v) => v.id)));
  const caps = await validRentCaps(db, DEFAULT_MUNICIPALITY);
  return rows.map((r) => {
    // householdSizeOf: the household's persons with a file (one: its own size) or else the case's person
    const size =
      r.hhPersons > 1
        ? r.hhTotal || 1
        : r.hhPersons === 1
          ? householdSize(r.hhLegacy1, current(r.hhMembers1))
          : householdSize(r.legacySize, current(r.members));
    const profileData = (r.profileData ?? {}) as Record<string, unknown>;
    const kdu = r.benefitType === 'none' ? null : rentCapFor(size, caps);
    const profileCap = typeof profileData.rentCap === 'number' ? profileData.rentCap : null;
    return {
      processId: r.processId,
      caseReference: r.caseReference,
      size,
      rentCap: kdu ?? profileCap,
      hasWbs: r.wbsOutcome === 'issued',
      needsBarrierFree: r.barrierFree,
      wishDistricts: wishDistrictsOf(profileData.area),
      waitingSince: (r.firstOffer ?? new Date(0)).toISOString(),
    };
  });
}
const current = (n: number | null) => Array.from({ length: n ?? 0 }, () => ({ removedAt: null }));
/** The statement of loadWaitingHouseholds (exported for EXPLAIN in the benchmark). */
export const waitingHouseholdsSql = (ids: string[]) => Prisma.sql`
    WITH ids AS (SELECT unnest(${ids}::text[]) AS "id"),
    members AS (
      SELECT m."personId", count(*)::int AS "current" FROM "HouseholdMember" m WHERE m."removedAt" IS NULL GROUP BY m."personId"
    ),
    households AS (
      SELECT hp."householdId", count(*)::int AS "n", sum(1 + coalesce(mm."current", 0))::int AS "total",
        max(hp."householdSize") AS "legacy1", max(coalesce(mm."current", 0))::int AS "members1"
      FROM "Person" hp LEFT JOIN members mm ON mm."personId" = hp."id"
      WHERE hp."householdId" IS NOT NULL AND hp."anonymizedAt" IS NULL
      GROUP BY hp."householdId"
    ),
    steps AS (
      SELECT s."processId",
        (array_agg(s."data" ORDER BY s."seq" DESC) FILTER (WHERE s."key" = 'search-profile' AND coalesce(s."outcome", '') <> ''))[1] AS "profileData",
        (array_agg(s."outcome" ORDER BY s."seq" DESC) FILTER (WHERE s."key" = 'wbs' AND coalesce(s."outcome", '') <> ''))[1] AS "wbsOutcome",
        (array_agg(s."startedAt" ORDER BY s."seq") FILTER (WHERE s."key" = 'offer'))[1] AS "firstOffer"
      FROM "ProcessStep" s JOIN ids ON ids."id" = s."processId"
      WHERE s."key" IN ('search-profile', 'wbs', 'offer')
      GROUP BY s."processId"
    )
    SELECT p."id" AS "processId", c."reference" AS "caseReference",
      per."householdSize" AS "legacySize", per."benefitType"::text AS "benefitType", coalesce(pm."current", 0) AS "members",
      coalesce(hh."n", 0) AS "hhPersons", hh."total" AS "hhTotal", hh."legacy1" AS "hhLegacy1", hh."members1" AS "hhMembers1",
      st."profileData", st."wbsOutcome", st."firstOffer", coalesce(hn."barrierFree", false) AS "barrierFree"
    FROM ids
    JOIN "Process" p ON p."id" = ids."id"
    JOIN "Case" c ON c."id" = p."caseId"
    JOIN "Person" per ON per."id" = c."personId"
    LEFT JOIN members pm ON pm."personId" = per."id"
    LEFT JOIN households hh ON hh."householdId" = c."householdId"
    LEFT JOIN steps st ON st."processId" = p."id"
    LEFT JOIN "HousingNeed" hn ON hn."personId" = per."id"`;
interface WaitingRow {
  processId: string;
  caseReference: string;
  legacySize: number | null;
  benefitType: string;
  members: number;
  hhPersons: number;
  hhTotal: number | null;
  hhLegacy1: number | null;
  hhMembers1: number | null;
  profileData: unknown;
  wbsOutcome: string | null;
  firstOffer: Date | null;
  barrierFree: boolean;
}

/** The open flats as matching input: only the columns matching reads (a full Prisma read of 5,000 rows took ≈0.4 s). */
export async function openOffers(db: Db): Promise<Array<MatchOffer & { reference: string }>> {
  const rows = await db.$queryRaw<Array<Omit<MatchOffer, 'availableFrom'> & { reference: string; availableFrom: Date }>>`
    SELECT "id", "reference", "district", "rooms", "livingSpace", "coldRent", "serviceCharges", "wbsRequired", "barrierFree", "availableFrom"
    FROM "HousingOffer" WHERE "status" = 'open'`;
  return rows.map((o) => ({ ...o, availableFrom: isoDay(o.availableFrom) }));
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
