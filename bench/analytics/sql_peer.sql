-- The peer: the same statistics written as plain PostgreSQL aggregates (regr_*, stddev_samp,
-- percent_rank, percentile_cont, corr), the way the seed platform would have written them,
-- into temporary tables. It stops short of p-values (PostgreSQL has no Student t CDF), so
-- it does a little less than `catlog analytics refresh`. Run: psql -v asof=YYYY-MM-DD -f.
\set ON_ERROR_STOP 1
SET jit = off;
BEGIN;

CREATE TEMP TABLE w ON COMMIT DROP AS
SELECT "malId", "snapshotDate" - (DATE :'asof' - 89) AS x90, "snapshotDate" - (DATE :'asof' - 29) AS x30,
       "snapshotDate", "rank", "score"
FROM "DailyRankings"
WHERE "snapshotDate" BETWEEN DATE :'asof' - 89 AND DATE :'asof';

-- RollingMomentumAnalysis
CREATE TEMP TABLE peer_momentum ON COMMIT DROP AS
WITH d AS (
    SELECT "malId", "snapshotDate", "rank", "score",
           "rank" - lag("rank") OVER (PARTITION BY "malId" ORDER BY "snapshotDate") AS change
    FROM w WHERE x30 >= 0)
SELECT "malId",
       (array_agg("rank" ORDER BY "snapshotDate") FILTER (WHERE "rank" IS NOT NULL))[1] AS "firstRank",
       (array_agg("rank" ORDER BY "snapshotDate" DESC) FILTER (WHERE "rank" IS NOT NULL))[1] AS "lastRank",
       avg("rank") AS "avgRank", stddev_samp(change) AS "rankVolatility",
       (array_agg("score" ORDER BY "snapshotDate" DESC) FILTER (WHERE "score" IS NOT NULL))[1]
         - (array_agg("score" ORDER BY "snapshotDate") FILTER (WHERE "score" IS NOT NULL))[1] AS "scoreMomentum",
       count(*) AS "nDays"
FROM d GROUP BY "malId" HAVING count(*) >= 2;

-- TrendSignificance (without p-values)
CREATE TEMP TABLE peer_trend ON COMMIT DROP AS
SELECT "malId", metric, "windowDays", count(y) AS n, regr_slope(y, x) AS slope,
       regr_intercept(y, x) AS intercept, regr_r2(y, x) AS "rSquared",
       sqrt(greatest(regr_syy(y, x) - regr_sxy(y, x) ^ 2 / regr_sxx(y, x), 0)
            / (count(y) - 2) / regr_sxx(y, x)) AS "stdErr"
FROM (
    SELECT "malId", 'score' AS metric, 30 AS "windowDays", x30 AS x, "score"::float8 AS y FROM w WHERE x30 >= 0
    UNION ALL SELECT "malId", 'score', 90, x90, "score"::float8 FROM w
    UNION ALL SELECT "malId", 'rank', 30, x30, "rank" FROM w WHERE x30 >= 0
    UNION ALL SELECT "malId", 'rank', 90, x90, "rank" FROM w) s
GROUP BY "malId", metric, "windowDays" HAVING count(y) >= 3;

-- VolatilityRankings
CREATE TEMP TABLE peer_volatility ON COMMIT DROP AS
SELECT "malId", v7, v30, v90,
       CASE WHEN v30 IS NOT NULL THEN rank() OVER (PARTITION BY v30 IS NULL ORDER BY v30) END AS "stabilityRank"
FROM (
    SELECT "malId", stddev_samp("rank") FILTER (WHERE x90 >= 83) AS v7,
           stddev_samp("rank") FILTER (WHERE x30 >= 0) AS v30, stddev_samp("rank") AS v90
    FROM w GROUP BY "malId" HAVING count("rank") >= 2) s;

-- GenrePercentiles
CREATE TEMP TABLE peer_percentiles ON COMMIT DROP AS
WITH snap AS (
    SELECT u.genre, d."malId", d."score", d."members", m."rankMomentum" AS momentum
    FROM "DailyRankings" d
    JOIN "ProcessedAnime" p ON p."malId" = d."malId"
    CROSS JOIN LATERAL (SELECT DISTINCT unnest(p.genres) AS genre) u
    LEFT JOIN (SELECT "malId", "firstRank" - "lastRank" AS "rankMomentum" FROM peer_momentum) m
      ON m."malId" = d."malId"
    WHERE d."snapshotDate" = DATE :'asof')
SELECT genre, "malId",
       CASE WHEN score IS NOT NULL THEN percent_rank() OVER (PARTITION BY genre, score IS NULL ORDER BY score) END AS sp,
       CASE WHEN members IS NOT NULL THEN percent_rank() OVER (PARTITION BY genre, members IS NULL ORDER BY members) END AS mp,
       CASE WHEN momentum IS NOT NULL THEN percent_rank() OVER (PARTITION BY genre, momentum IS NULL ORDER BY momentum) END AS kp,
       NULL::float8 AS p25, NULL::float8 AS p50, NULL::float8 AS p75, NULL::float8 AS p90
FROM snap
UNION ALL
SELECT genre, NULL, NULL, NULL, NULL,
       percentile_cont(0.25) WITHIN GROUP (ORDER BY score::float8),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY score::float8),
       percentile_cont(0.75) WITHIN GROUP (ORDER BY score::float8),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY score::float8)
FROM snap GROUP BY genre;

-- TrendCorrelation: genre pairs over daily mean scores, and each anime against the market
CREATE TEMP TABLE peer_correlation ON COMMIT DROP AS
WITH means AS (
    SELECT u.genre, w."snapshotDate", avg(w."score") AS mean
    FROM w JOIN "ProcessedAnime" p ON p."malId" = w."malId"
    CROSS JOIN LATERAL (SELECT DISTINCT unnest(p.genres) AS genre) u
    WHERE w."score" IS NOT NULL GROUP BY 1, 2),
changes AS (
    SELECT "malId", "snapshotDate",
           "score" - lag("score") OVER (PARTITION BY "malId" ORDER BY "snapshotDate") AS change
    FROM w WHERE x30 >= 0),
market AS (SELECT "snapshotDate", avg(change) AS m FROM changes WHERE change IS NOT NULL GROUP BY 1)
SELECT 'genre_pair' AS kind, a.genre AS "genreA", b.genre AS "genreB", NULL::int AS "malId",
       corr(a.mean, b.mean) AS r, count(*) AS n
FROM means a JOIN means b ON b."snapshotDate" = a."snapshotDate" AND a.genre < b.genre COLLATE "C"
GROUP BY a.genre, b.genre HAVING count(*) >= 10
UNION ALL
SELECT 'market', NULL, NULL, c."malId", corr(c.change, k.m), count(*)
FROM changes c JOIN market k USING ("snapshotDate")
WHERE c.change IS NOT NULL GROUP BY c."malId" HAVING count(*) >= 10;

SELECT format('peer rows: %s momentum, %s trend fits, %s volatility, %s percentile, %s correlation',
              (SELECT count(*) FROM peer_momentum), (SELECT count(*) FROM peer_trend),
              (SELECT count(*) FROM peer_volatility), (SELECT count(*) FROM peer_percentiles),
              (SELECT count(*) FROM peer_correlation));
COMMIT;
