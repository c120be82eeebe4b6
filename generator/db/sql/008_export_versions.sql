-- "ExportVersions": which partitions of the Parquet export (`catlog export`) changed, so a
-- nightly export rewrites one day's partition and the small current tables, not ten million
-- rows. Every statement on an exported table gives each partition it touched (a snapshot
-- date, an as-of date, or '' for an unpartitioned table) a new version from one sequence;
-- the export's manifest records the version it wrote, and a partition whose version moved is
-- written again (one that lost all its rows is removed).
CREATE SEQUENCE "ExportVersions_seq";
CREATE TABLE "ExportVersions" (
    "dataset"   TEXT NOT NULL,      -- the export's directory name: daily_rankings, anime, ...
    "partition" TEXT NOT NULL,      -- the partition key as text; '' when unpartitioned
    "version"   BIGINT NOT NULL,
    PRIMARY KEY ("dataset", "partition")
);

-- Statement triggers: TG_ARGV[0] is the dataset, TG_ARGV[1] the key column ('' for none).
-- They run as the schema's owner (SECURITY DEFINER, with the search_path of this migration):
-- a role allowed to write a table need not be granted "ExportVersions" as well.
CREATE FUNCTION catlog_export_touched() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    key text := CASE WHEN TG_ARGV[1] = '' THEN '''''' ELSE format('%I::text', TG_ARGV[1]) END;
    rows text := CASE TG_OP WHEN 'INSERT' THEN format('SELECT %s AS k FROM new_rows', key)
                            WHEN 'DELETE' THEN format('SELECT %s AS k FROM old_rows', key)
                            ELSE format('SELECT %s AS k FROM new_rows UNION SELECT %s FROM old_rows', key, key) END;
BEGIN
    EXECUTE format('INSERT INTO "ExportVersions" SELECT %L, k, nextval(''"ExportVersions_seq"'')'
                   ' FROM (SELECT DISTINCT k FROM (%s) r) d'
                   ' ON CONFLICT ("dataset", "partition") DO UPDATE SET "version" = EXCLUDED."version"',
                   TG_ARGV[0], rows);
    RETURN NULL;
END $$;

CREATE FUNCTION catlog_export_truncated() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE "ExportVersions" SET "version" = nextval('"ExportVersions_seq"') WHERE "dataset" = TG_ARGV[0];
    RETURN NULL;
END $$;

-- One set of triggers per exported table.
CREATE FUNCTION catlog_export_follow(tbl text, dataset text, key text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION catlog_export_touched(%L, %L)', tbl || '_export_ins', tbl, dataset, key);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION catlog_export_touched(%L, %L)', tbl || '_export_upd', tbl, dataset, key);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION catlog_export_touched(%L, %L)', tbl || '_export_del', tbl, dataset, key);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION catlog_export_truncated(%L)', tbl || '_export_trunc', tbl, dataset);
    -- what is already there counts as changed once
    EXECUTE format('INSERT INTO "ExportVersions" SELECT %L, k, nextval(''"ExportVersions_seq"'')'
                   ' FROM (SELECT DISTINCT %s AS k FROM %I) d',
                   dataset, CASE WHEN key = '' THEN '''''' ELSE format('%I::text', key) END, tbl);
END $$;

SELECT catlog_export_follow('DailyRankings', 'daily_rankings', 'snapshotDate');
SELECT catlog_export_follow('ProcessedAnime', 'anime', '');
SELECT catlog_export_follow('EtlLogs', 'etl_logs', '');
SELECT catlog_export_follow('RollingMomentumAnalysis', 'rolling_momentum', 'asOf');
SELECT catlog_export_follow('TrendSignificance', 'trend_significance', 'asOf');
SELECT catlog_export_follow('VolatilityRankings', 'volatility_rankings', 'asOf');
SELECT catlog_export_follow('GenrePercentiles', 'genre_percentiles', 'asOf');
SELECT catlog_export_follow('TrendCorrelation', 'trend_correlation', 'asOf');
SELECT catlog_export_follow('TrendingSnapshots', 'trending', 'asOf');
DROP FUNCTION catlog_export_follow(text, text, text);
