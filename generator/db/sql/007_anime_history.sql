-- "AnimeHistory": each anime's ranking history packed into one value, so a site build reads
-- one row per anime (30,000 rows) instead of every snapshot (10 million).
--
-- It is derived from "DailyRankings" and kept in step by the triggers below: snapshots dated
-- after an anime's last packed day are appended in place (the nightly ETL); any other change
-- (a replaced day, an update, a delete, a backfill) marks the anime in "AnimeHistoryStale",
-- and `catlog build` repacks the marked anime before it reads (db/history.c). Invariant: an
-- anime with snapshots has a packed row or a stale mark.
--
-- points: 14 bytes per snapshot in date order, big-endian: int4 day (days since
-- 1970-01-01), int4 rank, int2 score in hundredths, int4 members; -1 stands for NULL.
CREATE FUNCTION catlog_history_point(day date, rank integer, score numeric, members integer)
RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT int4send(day - DATE '1970-01-01') || int4send(coalesce(rank, -1))
       || int2send(coalesce((score * 100)::smallint, -1::smallint)) || int4send(coalesce(members, -1)) $$;

CREATE TABLE "AnimeHistory" (
    "malId" INTEGER PRIMARY KEY,
    "lastDay" DATE NOT NULL,
    "points" BYTEA NOT NULL
);
-- read whole and often: stored out of line but uncompressed, so reading it is a copy
ALTER TABLE "AnimeHistory" ALTER COLUMN "points" SET STORAGE EXTERNAL;

CREATE TABLE "AnimeHistoryStale" ("malId" INTEGER PRIMARY KEY);

-- the first day of packed points
CREATE FUNCTION catlog_history_first_day(points bytea) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT DATE '1970-01-01' + ((get_byte(points, 0) << 24) | (get_byte(points, 1) << 16)
                                | (get_byte(points, 2) << 8) | get_byte(points, 3)) $$;

-- New rows are appended only when they all come after the packed history; the condition
-- sits on the upsert itself, so it is checked against the newest committed row even when
-- another transaction appended to the same anime meanwhile. Everything else goes stale.
CREATE FUNCTION catlog_history_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH a AS (
        SELECT n."malId", max(n."snapshotDate") AS last,
               string_agg(catlog_history_point(n."snapshotDate", n.rank, n.score, n.members), ''::bytea
                          ORDER BY n."snapshotDate") AS points
        FROM new_rows n
        WHERE NOT EXISTS (SELECT 1 FROM "AnimeHistoryStale" s WHERE s."malId" = n."malId")
        GROUP BY n."malId"),
    appended AS (
        INSERT INTO "AnimeHistory" AS h ("malId", "lastDay", "points") SELECT "malId", last, points FROM a
        ON CONFLICT ("malId") DO UPDATE SET "lastDay" = EXCLUDED."lastDay", "points" = h."points" || EXCLUDED."points"
        WHERE h."lastDay" < catlog_history_first_day(EXCLUDED."points")
        RETURNING h."malId")
    INSERT INTO "AnimeHistoryStale"
    SELECT a."malId" FROM a WHERE NOT EXISTS (SELECT 1 FROM appended p WHERE p."malId" = a."malId")
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION catlog_history_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "AnimeHistoryStale" SELECT DISTINCT "malId" FROM old_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION catlog_history_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "AnimeHistoryStale"
    SELECT o."malId" FROM old_rows o JOIN new_rows n USING (id)
    WHERE (o."malId", o."snapshotDate", o.rank, o.score, o.members)
          IS DISTINCT FROM (n."malId", n."snapshotDate", n.rank, n.score, n.members)
    UNION
    SELECT n."malId" FROM old_rows o JOIN new_rows n USING (id)
    WHERE (o."malId", o."snapshotDate", o.rank, o.score, o.members)
          IS DISTINCT FROM (n."malId", n."snapshotDate", n.rank, n.score, n.members)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION catlog_history_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM "AnimeHistory";
    DELETE FROM "AnimeHistoryStale";
    RETURN NULL;
END $$;

CREATE TRIGGER "DailyRankings_history_insert" AFTER INSERT ON "DailyRankings"
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION catlog_history_inserted();
CREATE TRIGGER "DailyRankings_history_delete" AFTER DELETE ON "DailyRankings"
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION catlog_history_deleted();
CREATE TRIGGER "DailyRankings_history_update" AFTER UPDATE ON "DailyRankings"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION catlog_history_updated();
CREATE TRIGGER "DailyRankings_history_truncate" AFTER TRUNCATE ON "DailyRankings"
    FOR EACH STATEMENT EXECUTE FUNCTION catlog_history_truncated();

-- what is already there gets packed by the next build
INSERT INTO "AnimeHistoryStale" SELECT DISTINCT "malId" FROM "DailyRankings";
