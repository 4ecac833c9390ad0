-- Step analytics rollup (issue 16): a monthly histogram of "ProcessStep" so the unfiltered analytics read
-- a few thousand rows instead of every step. Kept equal to the raw rows by statement-level triggers with
-- transition tables (insert, update, delete — also retention's deletes), in the writing transaction; the
-- deltas are applied in key order, so concurrent writers lock bucket rows in the same order.
CREATE TABLE "StepMonth" (
    "kind" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "chainType" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "workingDays" INTEGER NOT NULL,
    "deadlineDays" INTEGER NOT NULL,
    "onTime" SMALLINT NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "StepMonth_pkey" PRIMARY KEY ("kind", "month", "chainType", "department", "key", "title", "workingDays", "deadlineDays", "onTime")
);

-- the buckets of a set of step rows (%1$s: a relation with ProcessStep's columns, %2$s: +1 or -1)
CREATE FUNCTION "step_month_buckets_sql"(src TEXT, sign INT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $f$
  SELECT format($q$
    SELECT 'left' AS kind, to_char(s."completedAt" AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Berlin', 'YYYY-MM') AS month,
           COALESCE(s."chainType", '') AS "chainType", COALESCE(s."holderDepartment", '') AS department, s."key", s."title",
           s."workingDays", COALESCE(s."deadlineDays", -1) AS "deadlineDays",
           (CASE WHEN s."deadlineAt" IS NULL THEN -1 WHEN s."completedAt" <= s."deadlineAt" THEN 1 ELSE 0 END)::smallint AS "onTime",
           %2$s AS d
      FROM %1$s s WHERE s."status" = 'done' AND s."workingDays" IS NOT NULL AND s."completedAt" IS NOT NULL
    UNION ALL
    SELECT 'entered', to_char(s."activeAt" AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Berlin', 'YYYY-MM'),
           COALESCE(s."chainType", ''), COALESCE(s."holderDepartment", ''), s."key", s."title", -1, -1, (-1)::smallint, %2$s
      FROM %1$s s WHERE s."activeAt" IS NOT NULL $q$, src, sign)
$f$;

CREATE FUNCTION "step_month_apply"() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
  src TEXT;
BEGIN
  src := CASE TG_OP
    WHEN 'INSERT' THEN "step_month_buckets_sql"('new_rows', 1)
    WHEN 'DELETE' THEN "step_month_buckets_sql"('old_rows', -1)
    ELSE "step_month_buckets_sql"('new_rows', 1) || ' UNION ALL ' || "step_month_buckets_sql"('old_rows', -1)
  END;
  EXECUTE format($q$
    INSERT INTO "StepMonth" AS m ("kind", "month", "chainType", "department", "key", "title", "workingDays", "deadlineDays", "onTime", "n")
    SELECT kind, month, "chainType", department, "key", "title", "workingDays", "deadlineDays", "onTime", sum(d)::int
      FROM (%s) x
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 HAVING sum(d) <> 0
     ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT ("kind", "month", "chainType", "department", "key", "title", "workingDays", "deadlineDays", "onTime")
    DO UPDATE SET "n" = m."n" + EXCLUDED."n" $q$, src);
  RETURN NULL;
END
$f$;

CREATE TRIGGER "ProcessStep_month_ins" AFTER INSERT ON "ProcessStep"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "step_month_apply"();
CREATE TRIGGER "ProcessStep_month_upd" AFTER UPDATE ON "ProcessStep"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "step_month_apply"();
CREATE TRIGGER "ProcessStep_month_del" AFTER DELETE ON "ProcessStep"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "step_month_apply"();

-- the steps recorded so far
DO $b$ BEGIN
  EXECUTE format($q$
    INSERT INTO "StepMonth" ("kind", "month", "chainType", "department", "key", "title", "workingDays", "deadlineDays", "onTime", "n")
    SELECT kind, month, "chainType", department, "key", "title", "workingDays", "deadlineDays", "onTime", sum(d)::int
      FROM (%s) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 $q$, "step_month_buckets_sql"('"ProcessStep"', 1));
END $b$;
