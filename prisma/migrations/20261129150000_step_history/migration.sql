-- Step history for bottleneck analytics (issue: reports). Each ProcessStep row now records when the step
-- became active (not merely waiting for a date or a consent), who held it (the handoff's department, else
-- the case's team), its deadline (instant and granted working days), the chain type (so analytics need
-- no join), and on leaving the working days it took (Mon–Fri without NRW holidays, as deadlines count;
-- computed by core/domain/working-days.ts when the row is written). Analytics aggregate these columns in
-- SQL (percentile_cont). Existing rows are back-filled from what they have.
ALTER TABLE "ProcessStep" ADD COLUMN "chainType" TEXT;
ALTER TABLE "ProcessStep" ADD COLUMN "activeAt" TIMESTAMP(3);
ALTER TABLE "ProcessStep" ADD COLUMN "holderDepartment" TEXT;
ALTER TABLE "ProcessStep" ADD COLUMN "deadlineAt" TIMESTAMP(3);
ALTER TABLE "ProcessStep" ADD COLUMN "deadlineDays" INTEGER;
ALTER TABLE "ProcessStep" ADD COLUMN "workingDays" INTEGER;

UPDATE "ProcessStep" s SET
  "chainType" = p."type",
  "activeAt" = CASE WHEN s."status" IN ('waiting', 'consent') THEN NULL ELSE s."startedAt" END,
  "holderDepartment" = COALESCE(s."department", c."departmentId"),
  "deadlineAt" = s."dueAt"
FROM "Process" p JOIN "Case" c ON c."id" = p."caseId"
WHERE p."id" = s."processId";

-- CreateIndex
CREATE INDEX "ProcessStep_chainType_completedAt_idx" ON "ProcessStep"("chainType", "completedAt");

-- CreateIndex
CREATE INDEX "ProcessStep_holderDepartment_completedAt_idx" ON "ProcessStep"("holderDepartment", "completedAt");

-- CreateIndex
CREATE INDEX "ProcessStep_completedAt_idx" ON "ProcessStep"("completedAt");

-- CreateIndex
CREATE INDEX "ProcessStep_activeAt_idx" ON "ProcessStep"("activeAt");
