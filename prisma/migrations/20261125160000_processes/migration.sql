-- CreateEnum
CREATE TYPE "ProcessStatus" AS ENUM ('running', 'on_hold', 'completed', 'cancelled');

-- CreateTable
CREATE TABLE "Process" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "workflowId" TEXT NOT NULL,
    "status" "ProcessStatus" NOT NULL DEFAULT 'running',
    "currentStep" TEXT,
    "currentTitle" TEXT,
    "currentDepartment" TEXT,
    "currentStatus" TEXT,
    "assigneeId" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3),
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT,
    "startedById" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "Process_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessStep" (
    "id" TEXT NOT NULL,
    "processId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "department" TEXT,
    "taskId" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "data" JSONB,

    CONSTRAINT "ProcessStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessEvent" (
    "id" BIGSERIAL NOT NULL,
    "processId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "step" TEXT,
    "details" JSONB,

    CONSTRAINT "ProcessEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Process_status_type_idx" ON "Process"("status", "type");

-- CreateIndex
CREATE INDEX "Process_caseId_idx" ON "Process"("caseId");

-- CreateIndex
CREATE INDEX "Process_currentDepartment_status_idx" ON "Process"("currentDepartment", "status");

-- CreateIndex
CREATE INDEX "Process_assigneeId_status_idx" ON "Process"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "Process_overdue_status_idx" ON "Process"("overdue", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ProcessStep_processId_seq_key" ON "ProcessStep"("processId", "seq");

-- CreateIndex
CREATE INDEX "ProcessEvent_processId_at_idx" ON "ProcessEvent"("processId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ProcessEvent_processId_seq_key" ON "ProcessEvent"("processId", "seq");

-- AddForeignKey
ALTER TABLE "Process" ADD CONSTRAINT "Process_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcessStep" ADD CONSTRAINT "ProcessStep_processId_fkey" FOREIGN KEY ("processId") REFERENCES "Process"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcessEvent" ADD CONSTRAINT "ProcessEvent_processId_fkey" FOREIGN KEY ("processId") REFERENCES "Process"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- One running (or held) chain per case and type.
CREATE UNIQUE INDEX "Process_one_running_per_case_type" ON "Process"("caseId", "type") WHERE status IN ('running', 'on_hold');
