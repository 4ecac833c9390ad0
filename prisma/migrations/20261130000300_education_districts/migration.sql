-- Issue 15 (education15): the district of a course and of an education need, for the situation
-- analysis filtered by municipality district.
ALTER TABLE "Course" ADD COLUMN "district" TEXT;
ALTER TABLE "EducationNeed" ADD COLUMN "district" TEXT;
