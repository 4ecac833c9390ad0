-- The department filter of the process list (issue 17, P3): a chain is at a department when its current
-- step or, while it runs, another open branch is handed over there. Asked as "currentDepartment = $1 OR
-- EXISTS (open step row …)" the total count was a sequential scan of "Process"; the departments now
-- stand on the row itself (written with currentDepartment by the chain record, the handoff record and
-- the reconciliation), found through a GIN index.
ALTER TABLE "Process" ADD COLUMN "departments" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

-- existing rows: the current department and, of running / on-hold chains, every open handoff step's
UPDATE "Process" p SET "departments" = d."departments"
FROM (
  SELECT x."id", array_agg(DISTINCT x."department" ORDER BY x."department") AS "departments"
  FROM (
    SELECT "id", "currentDepartment" AS "department" FROM "Process" WHERE "currentDepartment" IS NOT NULL
    UNION ALL
    SELECT s."processId", s."department" FROM "ProcessStep" s JOIN "Process" q ON q."id" = s."processId"
    WHERE s."status" = 'handoff' AND s."completedAt" IS NULL AND s."department" IS NOT NULL
      AND q."status" IN ('running', 'on_hold')
  ) x
  GROUP BY x."id"
) d
WHERE p."id" = d."id";

-- the current department is always one of them (a writer that forgets the column fails loudly)
ALTER TABLE "Process" ADD CONSTRAINT "Process_currentDepartment_in_departments"
  CHECK ("currentDepartment" IS NULL OR "currentDepartment" = ANY ("departments"));

-- fastupdate off: entries go into the index at once, not into a pending list that every search reads
-- linearly until the next (auto)vacuum: after 50,000 inserted rows (bench:dashboard) the planner chose a
-- sequential scan for the count (17 ms); without the pending list the index is used (3.6 ms). The write cost is
-- one small index entry per non-HOT update of a Process row, as for its btree indexes.
CREATE INDEX "Process_departments_idx" ON "Process" USING GIN ("departments") WITH (fastupdate = off);
