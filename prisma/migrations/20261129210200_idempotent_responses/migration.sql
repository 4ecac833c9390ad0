-- The first answer to a request with an Idempotency-Key per user and route (issue 13: the cycle's
-- POST routes). A row with body NULL is the claim of the request still running.
CREATE TABLE "IdempotentResponse" (
    "userId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "body" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotentResponse_pkey" PRIMARY KEY ("userId","scope","key")
);

-- CreateIndex
CREATE INDEX "IdempotentResponse_createdAt_idx" ON "IdempotentResponse"("createdAt");
