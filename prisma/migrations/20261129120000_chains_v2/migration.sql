-- Chains v2: how a chain ended (its definition's end code; reports count by it)
ALTER TABLE "Process" ADD COLUMN "endCode" TEXT;
CREATE INDEX "Process_type_endCode_idx" ON "Process"("type", "endCode");
