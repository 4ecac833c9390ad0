-- Case file (issue 13): the person is edited with optimistic concurrency (version) and carries the
-- fields a caseworker needs; household members; shelters (Notunterkünfte) and a person's place.
-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "gender" TEXT,
ADD COLUMN     "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "letterLanguage" TEXT,
ADD COLUMN     "interpreterNeeded" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "phone" TEXT,
ADD COLUMN     "email" TEXT,
ADD COLUMN     "postalAddress" TEXT,
ADD COLUMN     "careOfShelter" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "residenceTitle" TEXT,
ADD COLUMN     "residenceValidUntil" DATE,
ADD COLUMN     "obligation12a" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "obligation12aPlace" TEXT,
ADD COLUMN     "prospectOfStaying" TEXT;

-- CreateTable
CREATE TABLE "HouseholdMember" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "birthDate" DATE NOT NULL,
    "relationship" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "HouseholdMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shelter" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT,
    "capacity" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Shelter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShelterStay" (
    "id" TEXT NOT NULL,
    "shelterId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "place" TEXT,
    "since" DATE NOT NULL,
    "releasedAt" TIMESTAMP(3),
    "releasedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShelterStay_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HouseholdMember_personId_idx" ON "HouseholdMember"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "HouseholdMember_createdById_idempotencyKey_key" ON "HouseholdMember"("createdById", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Shelter_name_key" ON "Shelter"("name");

-- CreateIndex
CREATE INDEX "ShelterStay_shelterId_releasedAt_idx" ON "ShelterStay"("shelterId", "releasedAt");

-- CreateIndex
CREATE INDEX "ShelterStay_personId_idx" ON "ShelterStay"("personId");

-- At most one open place per person (not expressible in schema.prisma)
CREATE UNIQUE INDEX "ShelterStay_open_person_key" ON "ShelterStay"("personId") WHERE "releasedAt" IS NULL;

-- AddForeignKey
ALTER TABLE "HouseholdMember" ADD CONSTRAINT "HouseholdMember_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShelterStay" ADD CONSTRAINT "ShelterStay_shelterId_fkey" FOREIGN KEY ("shelterId") REFERENCES "Shelter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShelterStay" ADD CONSTRAINT "ShelterStay_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
