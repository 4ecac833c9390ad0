-- Education offers (courses, seat proposals, needs), group offers (sessions, enrolments, attendance),
-- working meetings with to-dos, a household's barrier-free need (issue 15, branch education-offers).
-- CreateEnum
CREATE TYPE "CourseKind" AS ENUM ('integration_course', 'job_language_course', 'literacy', 'vocational_measure', 'school_place');

-- CreateTable
CREATE TABLE "Course" (
    "id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "partnerId" TEXT NOT NULL,
    "kind" "CourseKind" NOT NULL,
    "level" TEXT,
    "title" TEXT NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE,
    "seats" INTEGER NOT NULL,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "taken" INTEGER NOT NULL DEFAULT 0,
    "place" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Course_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SeatProposal" (
    "id" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "processId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "stepKey" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SeatProposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EducationNeed" (
    "processId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "kind" "CourseKind" NOT NULL,
    "level" TEXT,
    "updatedById" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EducationNeed_pkey" PRIMARY KEY ("processId")
);

-- CreateTable
CREATE TABLE "HousingNeed" (
    "personId" TEXT NOT NULL,
    "barrierFree" BOOLEAN NOT NULL DEFAULT false,
    "updatedById" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HousingNeed_pkey" PRIMARY KEY ("personId")
);

-- CreateTable
CREATE TABLE "GroupOffer" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "place" TEXT,
    "createdById" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GroupOffer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupSession" (
    "id" TEXT NOT NULL,
    "groupOfferId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GroupSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupEnrolment" (
    "id" TEXT NOT NULL,
    "groupOfferId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "note" TEXT,
    "enrolledById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "GroupEnrolment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupAttendance" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "enrolmentId" TEXT NOT NULL,
    "present" BOOLEAN NOT NULL,
    "recordedById" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GroupAttendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingSeries" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeetingSeries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL,
    "seriesId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "participants" TEXT[],
    "agenda" TEXT[],
    "minutes" TEXT,
    "caseIds" TEXT[],
    "createdById" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingTodo" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "caseId" TEXT,
    "doneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeetingTodo_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Course_reference_key" ON "Course"("reference");
CREATE INDEX "Course_kind_startDate_idx" ON "Course"("kind", "startDate");
CREATE UNIQUE INDEX "Course_createdById_idempotencyKey_key" ON "Course"("createdById", "idempotencyKey");
CREATE INDEX "SeatProposal_caseId_idx" ON "SeatProposal"("caseId");
CREATE UNIQUE INDEX "SeatProposal_courseId_processId_key" ON "SeatProposal"("courseId", "processId");
CREATE INDEX "EducationNeed_caseId_idx" ON "EducationNeed"("caseId");
CREATE UNIQUE INDEX "GroupOffer_createdById_idempotencyKey_key" ON "GroupOffer"("createdById", "idempotencyKey");
CREATE UNIQUE INDEX "GroupSession_groupOfferId_at_key" ON "GroupSession"("groupOfferId", "at");
CREATE INDEX "GroupEnrolment_personId_idx" ON "GroupEnrolment"("personId");
CREATE UNIQUE INDEX "GroupEnrolment_groupOfferId_personId_key" ON "GroupEnrolment"("groupOfferId", "personId");
CREATE INDEX "GroupAttendance_enrolmentId_idx" ON "GroupAttendance"("enrolmentId");
CREATE UNIQUE INDEX "GroupAttendance_sessionId_enrolmentId_key" ON "GroupAttendance"("sessionId", "enrolmentId");
CREATE UNIQUE INDEX "MeetingSeries_createdById_idempotencyKey_key" ON "MeetingSeries"("createdById", "idempotencyKey");
CREATE INDEX "Meeting_seriesId_at_idx" ON "Meeting"("seriesId", "at");
CREATE UNIQUE INDEX "Meeting_createdById_idempotencyKey_key" ON "Meeting"("createdById", "idempotencyKey");
CREATE INDEX "MeetingTodo_ownerId_doneAt_idx" ON "MeetingTodo"("ownerId", "doneAt");
CREATE INDEX "MeetingTodo_caseId_idx" ON "MeetingTodo"("caseId");

-- AddForeignKey
ALTER TABLE "SeatProposal" ADD CONSTRAINT "SeatProposal_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "GroupSession" ADD CONSTRAINT "GroupSession_groupOfferId_fkey" FOREIGN KEY ("groupOfferId") REFERENCES "GroupOffer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "GroupEnrolment" ADD CONSTRAINT "GroupEnrolment_groupOfferId_fkey" FOREIGN KEY ("groupOfferId") REFERENCES "GroupOffer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "GroupAttendance" ADD CONSTRAINT "GroupAttendance_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "GroupSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "GroupAttendance" ADD CONSTRAINT "GroupAttendance_enrolmentId_fkey" FOREIGN KEY ("enrolmentId") REFERENCES "GroupEnrolment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "MeetingSeries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "MeetingTodo" ADD CONSTRAINT "MeetingTodo_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
