-- One JSON line per anime: what its page shows (facts, the last 30 snapshots, 90 days of ranks).
SELECT json_build_object('malId', a."malId", 'title', a.title, 'titleEnglish', a."titleEnglish", 'genres', a.genres,
       'studios', a.studios, 'score', a.score, 'rank', a.rank, 'members', a.members, 'season', a.season, 'year', a.year,
       'status', a.status, 'synopsis', a.synopsis,
       'history', (SELECT json_agg(json_build_object('date', h."snapshotDate", 'rank', h.rank, 'score', h.score, 'members', h.members)
                   ORDER BY h."snapshotDate" DESC) FROM (SELECT * FROM "DailyRankings" d WHERE d."malId" = a."malId"
                   ORDER BY d."snapshotDate" DESC LIMIT 30) h),
       'ranks90', (SELECT json_agg(d.rank ORDER BY d."snapshotDate") FROM "DailyRankings" d WHERE d."malId" = a."malId"
                   AND d."snapshotDate" > (SELECT max("snapshotDate") FROM "DailyRankings") - 90))
FROM "ProcessedAnime" a ORDER BY a."malId";
