-- The user's own session list (/sitzungen) shows each session's browser and address at login.
-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "ip" TEXT,
ADD COLUMN     "userAgent" TEXT;
