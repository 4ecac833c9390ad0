-- Inventory (issue 15): partners with contact log and rhythm, housing offers (landlord form links),
-- KdU rent caps by household size per municipality, versioned by validity date.
-- CreateEnum
CREATE TYPE "PartnerKind" AS ENUM ('landlord', 'housing_company', 'cooperative', 'school', 'course_provider', 'training_provider', 'counselling', 'office');

-- CreateTable
CREATE TABLE "Partner" (
    "id" TEXT NOT NULL,
    "kind" "PartnerKind" NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "address" TEXT,
    "areas" TEXT[],
    "contactPersons" JSONB NOT NULL DEFAULT '[]',
    "agreements" JSONB NOT NULL DEFAULT '[]',
    "contactEveryDays" INTEGER,
    "responsibleId" TEXT,
    "lastContactAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Partner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerContact" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "outcome" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PartnerContact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HousingOffer" (
    "id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "municipality" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "rooms" DOUBLE PRECISION NOT NULL,
    "livingSpace" DOUBLE PRECISION NOT NULL,
    "coldRent" DOUBLE PRECISION NOT NULL,
    "serviceCharges" DOUBLE PRECISION NOT NULL,
    "heating" DOUBLE PRECISION,
    "availableFrom" DATE NOT NULL,
    "wbsRequired" BOOLEAN NOT NULL,
    "barrierFree" BOOLEAN NOT NULL DEFAULT false,
    "groundFloor" BOOLEAN NOT NULL DEFAULT false,
    "pets" BOOLEAN NOT NULL DEFAULT false,
    "conditions" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "processId" TEXT,
    "proposedAt" TIMESTAMP(3),
    "leaseDate" DATE,
    "source" TEXT NOT NULL,
    "linkId" TEXT,
    "createdById" TEXT,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HousingOffer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfferLink" (
    "id" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "usedAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OfferLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RentCap" (
    "id" TEXT NOT NULL,
    "municipality" TEXT NOT NULL,
    "householdSize" INTEGER NOT NULL,
    "amount" DOUBLE PRECISION NOT NULL,
    "validFrom" DATE NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RentCap_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Partner_kind_idx" ON "Partner"("kind");
CREATE INDEX "Partner_responsibleId_idx" ON "Partner"("responsibleId");
CREATE UNIQUE INDEX "Partner_createdById_idempotencyKey_key" ON "Partner"("createdById", "idempotencyKey");
CREATE INDEX "PartnerContact_partnerId_at_idx" ON "PartnerContact"("partnerId", "at");
CREATE UNIQUE INDEX "HousingOffer_reference_key" ON "HousingOffer"("reference");
CREATE UNIQUE INDEX "HousingOffer_linkId_key" ON "HousingOffer"("linkId");
CREATE UNIQUE INDEX "HousingOffer_createdById_idempotencyKey_key" ON "HousingOffer"("createdById", "idempotencyKey");
CREATE INDEX "HousingOffer_status_createdAt_idx" ON "HousingOffer"("status", "createdAt");
CREATE INDEX "HousingOffer_processId_idx" ON "HousingOffer"("processId");
CREATE INDEX "OfferLink_partnerId_idx" ON "OfferLink"("partnerId");
CREATE UNIQUE INDEX "RentCap_municipality_householdSize_validFrom_key" ON "RentCap"("municipality", "householdSize", "validFrom");

-- AddForeignKey
ALTER TABLE "PartnerContact" ADD CONSTRAINT "PartnerContact_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "HousingOffer" ADD CONSTRAINT "HousingOffer_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "OfferLink" ADD CONSTRAINT "OfferLink_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "SituationSnapshot" (
    "id" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "figures" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SituationSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SituationSnapshot_month_key" ON "SituationSnapshot"("month");
