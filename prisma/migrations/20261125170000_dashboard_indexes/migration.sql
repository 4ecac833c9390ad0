-- Indexes for the process list filters and sorts, the CSV export, the dashboard and the workload view.
-- pg_trgm is a trusted extension (PostgreSQL >= 13): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- q= (case reference, contains, case-insensitive)
CREATE INDEX "Case_reference_idx" ON "Case" USING GIN ("reference" gin_trgm_ops);

-- step= ; sort=startedAt / olderThanDays= ; sort=dueAt ; dashboard (started this month, running by type)
CREATE INDEX "Process_currentStep_status_idx" ON "Process"("currentStep", "status");
CREATE INDEX "Process_startedAt_id_idx" ON "Process"("startedAt", "id");
CREATE INDEX "Process_dueAt_id_idx" ON "Process"("dueAt", "id");
CREATE INDEX "Process_status_startedAt_idx" ON "Process"("status", "startedAt");
CREATE INDEX "Process_type_completedAt_idx" ON "Process"("type", "completedAt");

-- dashboard: oldest open steps; median days to the move-out chain's `move` step
CREATE INDEX "ProcessStep_status_startedAt_idx" ON "ProcessStep"("status", "startedAt");
CREATE INDEX "ProcessStep_key_status_idx" ON "ProcessStep"("key", "status");

-- workload: median hours from creation to acceptance per department
CREATE INDEX "Task_departmentId_acceptedAt_idx" ON "Task"("departmentId", "acceptedAt");
