-- The household of a case (issue 13): a case belongs to its person's household where there is one. The
-- household's size is derived from its persons and their members (never typed), its shelter place is
-- the person's ShelterStay: the typed columns "size" and "shelterId" go, their data carried over first.

-- a typed household size stays as the person's legacy size (used while no members are recorded)
UPDATE "Person" p SET "householdSize" = h."size"
FROM "Household" h
WHERE h."id" = p."householdId" AND p."householdSize" IS NULL AND h."size" IS NOT NULL;

-- a household's shelter becomes an open place of each of its persons without one
INSERT INTO "ShelterStay" ("id", "shelterId", "personId", "since", "createdAt")
SELECT gen_random_uuid()::text, s."id", p."id", h."createdAt"::date, CURRENT_TIMESTAMP
FROM "Person" p
JOIN "Household" h ON h."id" = p."householdId"
JOIN "Shelter" s ON s."id" = h."shelterId"
WHERE p."anonymizedAt" IS NULL
  AND NOT EXISTS (SELECT 1 FROM "ShelterStay" st WHERE st."personId" = p."id" AND st."releasedAt" IS NULL);

ALTER TABLE "Household" DROP COLUMN "size", DROP COLUMN "shelterId";

-- a person with recorded members gets a household (its id taken from the person's: one statement each, no temp table)
INSERT INTO "Household" ("id", "createdAt")
SELECT p."id", CURRENT_TIMESTAMP FROM "Person" p
WHERE p."householdId" IS NULL AND EXISTS (SELECT 1 FROM "HouseholdMember" m WHERE m."personId" = p."id");
UPDATE "Person" p SET "householdId" = p."id"
WHERE p."householdId" IS NULL AND EXISTS (SELECT 1 FROM "HouseholdMember" m WHERE m."personId" = p."id");

-- AlterTable: the case's household
ALTER TABLE "Case" ADD COLUMN "householdId" TEXT;
UPDATE "Case" c SET "householdId" = p."householdId" FROM "Person" p WHERE p."id" = c."personId" AND p."householdId" IS NOT NULL;

-- CreateIndex
CREATE INDEX "Case_householdId_idx" ON "Case"("householdId");

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE SET NULL ON UPDATE CASCADE;
