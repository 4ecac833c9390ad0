-- Retention: closed cases are anonymised after KIM_RETENTION_DAYS (workflows/retention.ts).
ALTER TABLE "Case" ADD COLUMN "anonymizedAt" TIMESTAMP(3);
ALTER TABLE "Person" ADD COLUMN "birthYear" INTEGER,
ADD COLUMN "anonymizedAt" TIMESTAMP(3);

CREATE INDEX "Case_status_closedAt_idx" ON "Case"("status", "closedAt");
