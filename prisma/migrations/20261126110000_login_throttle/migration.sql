-- Login limits are counted atomically before the password check (INSERT … ON CONFLICT DO UPDATE … RETURNING),
-- per address and per (address, account); the hard account lock by e-mail alone (User.lockedUntil) is no longer used.
-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("key")
);
