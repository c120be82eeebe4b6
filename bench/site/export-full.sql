-- One JSON line per anime with everything its catlog page shows: facts, the whole ranking
-- history as arrays (the charts and the 30-row table are computed by the templates, as
-- catlog computes them at build time) and its analytics. :asof is the build date.
WITH h AS (
    SELECT "malId", json_agg("snapshotDate" - DATE '1970-01-01' ORDER BY "snapshotDate") AS days,
           json_agg("snapshotDate"::text ORDER BY "snapshotDate") AS dates,
           json_agg(rank ORDER BY "snapshotDate") AS ranks, json_agg(score ORDER BY "snapshotDate") AS scores,
           json_agg(members ORDER BY "snapshotDate") AS members
    FROM "DailyRankings" WHERE "snapshotDate" <= :'asof'::date GROUP BY "malId"),
m AS (SELECT "malId", json_build_object('firstRank', "firstRank", 'lastRank', "lastRank", 'rankMomentum', "rankMomentum",
        'scoreMomentum', "scoreMomentum") AS j FROM "RollingMomentumAnalysis" WHERE "asOf" = :'asof'::date),
v AS (SELECT "malId", json_build_object('class', class, 'stabilityRank', "stabilityRank") AS j
      FROM "VolatilityRankings" WHERE "asOf" = :'asof'::date),
t AS (SELECT "malId", json_agg(json_build_object('metric', metric, 'windowDays', "windowDays", 'slope', round(slope::numeric, 5),
        'pValue', CASE WHEN "pValue" IS NULL THEN NULL ELSE trim(to_char("pValue", '9.999EEEE')) END, 'direction', direction)
        ORDER BY metric, "windowDays") AS j FROM "TrendSignificance" WHERE "asOf" = :'asof'::date GROUP BY "malId"),
g AS (SELECT "malId", json_agg(json_build_object('genre', genre, 'scorePercentile', round("scorePercentile"::numeric, 3),
        'membersPercentile', round("membersPercentile"::numeric, 3)) ORDER BY genre) AS j
      FROM "GenrePercentiles" WHERE "asOf" = :'asof'::date AND "malId" IS NOT NULL GROUP BY "malId")
SELECT json_build_object('malId', a."malId", 'title', a.title, 'titleEnglish', a."titleEnglish", 'genres', a.genres,
       'studios', a.studios, 'score', a.score, 'rank', a.rank, 'members', a.members, 'season', a.season, 'year', a.year,
       'status', a.status, 'episodes', a.episodes, 'synopsis', a.synopsis, 'imageUrl', a."imageUrl", 'asOfDay', :'asof'::date - DATE '1970-01-01',
       'days', h.days, 'dates', h.dates, 'ranks', h.ranks, 'scores', h.scores, 'membersHistory', h.members,
       'analytics', CASE WHEN m.j IS NULL AND v.j IS NULL AND t.j IS NULL AND g.j IS NULL THEN NULL
                    ELSE json_build_object('momentum', m.j, 'volatility', v.j, 'trends', t.j, 'percentiles', g.j) END)
FROM "ProcessedAnime" a LEFT JOIN h USING ("malId") LEFT JOIN m USING ("malId") LEFT JOIN v USING ("malId")
     LEFT JOIN t USING ("malId") LEFT JOIN g USING ("malId")
ORDER BY a."malId";
