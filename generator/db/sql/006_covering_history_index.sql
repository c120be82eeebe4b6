-- Per-anime histories ("malId", "snapshotDate" order with rank, score, members) are read by
-- every site build and analytics refresh: carrying those columns in the unique index lets
-- PostgreSQL answer from the index alone instead of visiting the heap row by row.
ALTER TABLE "DailyRankings" DROP CONSTRAINT "DailyRankings_malId_snapshotDate_key";
ALTER TABLE "DailyRankings" ADD CONSTRAINT "DailyRankings_malId_snapshotDate_key"
    UNIQUE ("malId", "snapshotDate") INCLUDE ("rank", "score", "members");
