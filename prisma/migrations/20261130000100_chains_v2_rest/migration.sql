-- Chains v2 (issue 14): a chain definition keeps the order of its steps, outcomes and fields. jsonb
-- stores object keys sorted (by length, then bytes), so a city version read back listed its steps out of
-- definition order; json keeps the text as written. Rows stored before keep the order jsonb gave them
-- (the shipped ones are matched to their definitions in code at load, core/domain/chains/index.ts).
ALTER TABLE "ChainDefinitionVersion" ALTER COLUMN "definition" SET DATA TYPE JSON USING "definition"::json;

-- Hold per branch (issue 14): since when one open step (a branch of a fork) alone is held.
ALTER TABLE "ProcessStep" ADD COLUMN "heldAt" TIMESTAMP(3);
