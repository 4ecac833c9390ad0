-- Handoffs with context (issue 14): the caseworker's message to the department for a chain's handoff
-- step. Kept only in PostgreSQL (workflows carry ids), shown behind the task's link while a consent covers
-- the department; deleted with the case's data (retention) and part of the Art. 15 export.
CREATE TABLE "HandoffMessage" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "processId" TEXT NOT NULL,
    "stepKey" TEXT NOT NULL,
    "taskId" TEXT,
    "text" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HandoffMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HandoffMessage_processId_stepKey_idx" ON "HandoffMessage"("processId", "stepKey");

-- CreateIndex
CREATE INDEX "HandoffMessage_taskId_idx" ON "HandoffMessage"("taskId");

-- CreateIndex
CREATE INDEX "HandoffMessage_caseId_idx" ON "HandoffMessage"("caseId");
