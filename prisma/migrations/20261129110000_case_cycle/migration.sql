-- Case-management cycle (issue 13): assessments, help plans with goals/actions/review, goal → chain
-- links, journal with edit history, case documents (metadata + bytes in PostgreSQL).
-- CreateTable
CREATE TABLE "Assessment" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "areas" JSONB NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Assessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Plan" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "reviewDate" TIMESTAMP(3) NOT NULL,
    "reviewedAt" TIMESTAMP(3),
    "reviewedById" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanGoal" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "area" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "targetDate" TIMESTAMP(3) NOT NULL,
    "fromGoalId" TEXT,
    "rating" TEXT,
    "ratingNote" TEXT,

    CONSTRAINT "PlanGoal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanAction" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "dueDate" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PlanAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GoalChain" (
    "goalId" TEXT NOT NULL,
    "processId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GoalChain_pkey" PRIMARY KEY ("goalId","processId")
);

-- CreateTable
CREATE TABLE "JournalEntry" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "authorId" TEXT NOT NULL,
    "goalId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JournalEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JournalRevision" (
    "id" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "editedById" TEXT NOT NULL,
    "editedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JournalRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseDocument" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "processId" TEXT,
    "stepKey" TEXT,
    "uploadedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseDocumentBlob" (
    "documentId" TEXT NOT NULL,
    "content" BYTEA NOT NULL,

    CONSTRAINT "CaseDocumentBlob_pkey" PRIMARY KEY ("documentId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Assessment_caseId_version_key" ON "Assessment"("caseId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Plan_caseId_version_key" ON "Plan"("caseId", "version");

-- CreateIndex
CREATE INDEX "Plan_reviewDate_reviewedAt_idx" ON "Plan"("reviewDate", "reviewedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PlanGoal_planId_seq_key" ON "PlanGoal"("planId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "PlanAction_planId_seq_key" ON "PlanAction"("planId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "GoalChain_processId_key" ON "GoalChain"("processId");

-- CreateIndex
CREATE INDEX "JournalEntry_caseId_at_idx" ON "JournalEntry"("caseId", "at");

-- CreateIndex
CREATE INDEX "JournalRevision_entryId_editedAt_idx" ON "JournalRevision"("entryId", "editedAt");

-- CreateIndex
CREATE INDEX "CaseDocument_caseId_createdAt_idx" ON "CaseDocument"("caseId", "createdAt");

-- CreateIndex
CREATE INDEX "CaseDocument_processId_stepKey_idx" ON "CaseDocument"("processId", "stepKey");

-- AddForeignKey
ALTER TABLE "PlanGoal" ADD CONSTRAINT "PlanGoal_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanAction" ADD CONSTRAINT "PlanAction_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JournalRevision" ADD CONSTRAINT "JournalRevision_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "JournalEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;
