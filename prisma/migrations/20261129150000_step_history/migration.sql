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

-- Reports to the committees (ASWDG, JHA) and the integration centre (KI): definitions and the archive.
-- CreateTable
CREATE TABLE "ReportDefinition" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "sections" TEXT[],
    "recipients" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportDefinition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL,
    "definitionId" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "figures" JSONB NOT NULL,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Report_definitionId_from_to_key" ON "Report"("definitionId", "from", "to");

-- CreateIndex
CREATE INDEX "Report_createdAt_idx" ON "Report"("createdAt");

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_definitionId_fkey" FOREIGN KEY ("definitionId") REFERENCES "ReportDefinition"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The three recipients of the programme; recipients' addresses are set by an admin.
INSERT INTO "ReportDefinition" ("id", "title", "period", "sections", "recipients") VALUES
  ('aswdg', 'Bericht an den Ausschuss für Soziales, Wohnungswesen, Demografie und Gleichstellung (ASWDG)', 'half_year',
   ARRAY['cases_by_topic', 'chains_by_type', 'moves', 'move_out_duration', 'step_durations', 'handoffs_by_department', 'placements', 'group_offers', 'partners', 'housing_situation'], ARRAY[]::TEXT[]),
  ('jha', 'Bericht an den Jugendhilfeausschuss (JHA)', 'year',
   ARRAY['age_groups', 'cases_by_topic', 'chains_by_type', 'placements', 'group_offers'], ARRAY[]::TEXT[]),
  ('ki', 'Bericht an das Kommunale Integrationszentrum (KI)', 'quarter',
   ARRAY['cases_by_topic', 'chains_by_type', 'moves', 'move_out_duration', 'step_durations', 'handoffs_by_department', 'placements', 'age_groups', 'group_offers', 'partners', 'housing_situation'], ARRAY[]::TEXT[]);
