-- Working days in SQL (issue 17, P1): the chain record (activities/chain.ts) writes a step's history —
-- deadlineDays (activeAt → deadlineAt) and workingDays (activeAt → completedAt) — in ONE statement, and the
-- activeAt it counts from is the stored row's. These functions count exactly as workingDaysBetween in
-- core/domain/working-days.ts does (test/unit/working-days-sql.test.ts compares both): Monday–Friday without
-- the 11 NRW public holidays, judged on the Europe/Berlin calendar; the days after the start's date up to and
-- including the end's; 0 when the end is on the start's date or before. Timestamps are UTC (TIMESTAMP(3), as
-- Prisma stores them). NULL in → NULL out.

-- The NRW public holidays of a year (Easter: anonymous Gregorian algorithm, Meeus/Jones/Butcher).
CREATE FUNCTION kim_nrw_holidays(y integer) RETURNS date[]
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  a int := y % 19; b int := y / 100; c int := y % 100; d int; e int; f int; g int; h int; i int; k int; l int; m int;
  easter date;
BEGIN
  d := b / 4; e := b % 4; f := (b + 8) / 25; g := (b - f + 1) / 3;
  h := (19 * a + b - d - g + 15) % 30; i := c / 4; k := c % 4;
  l := (32 + 2 * e + 2 * i - h - k) % 7; m := (a + 11 * h + 22 * l) / 451;
  easter := make_date(y, (h + l - 7 * m + 114) / 31, ((h + l - 7 * m + 114) % 31) + 1);
  RETURN ARRAY[make_date(y, 1, 1), easter - 2, easter + 1, make_date(y, 5, 1), easter + 39, easter + 50, easter + 60,
    make_date(y, 10, 3), make_date(y, 11, 1), make_date(y, 12, 25), make_date(y, 12, 26)];
END $$;

CREATE FUNCTION kim_working_days(start_at timestamp, end_at timestamp) RETURNS integer
LANGUAGE sql STABLE STRICT AS $$
  SELECT count(*)::int
  FROM (SELECT ((start_at AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Berlin')::date AS f,
               ((end_at AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Berlin')::date AS t) r
  CROSS JOIN LATERAL generate_series(1, r.t - r.f) AS g(i)
  CROSS JOIN LATERAL (SELECT r.f + g.i AS day) d
  WHERE extract(isodow FROM d.day) < 6 AND d.day <> ALL (kim_nrw_holidays(extract(year FROM d.day)::int))
$$;
