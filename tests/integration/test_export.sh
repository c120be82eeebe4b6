#!/usr/bin/env bash
# catlog export: Hive-partitioned Parquet read back by two independent readers (DuckDB and
# hyparquet) and compared with PostgreSQL, hostile text included; incremental runs write only
# changed partitions and remove emptied ones; a failed run keeps the previous manifest; the
# same export to S3 (s3rver) is byte-identical; nightly --export-to runs it last.
set -u
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
test_node_deps
export DATABASE_URL=$(fresh_db export)
q() { psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 -c "$1"; }
"$CATLOG" db migrate >/dev/null
"$CATLOG" demo-data --anime 400 --days 40 --end 2026-11-23 >/dev/null
# hostile text: tabs, newlines, backslashes, quotes, commas and braces in titles and list items
q "INSERT INTO \"ProcessedAnime\" (\"malId\", title, \"titleEnglish\", genres, score, members, studios, synopsis)
   VALUES (990001, E'Tab\there \"quoted\" \\\\back <script>alert(1)</script>', NULL,
           ARRAY['Sci-Fi, Fantasy', 'a\"b', 'NULL', E'back\\\\slash', '{x}'], 9.99, 1, ARRAY[]::text[], E'line1\nline2')"
q "INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", rank, score, members, genres)
   VALUES (990001, '2026-11-23', NULL, NULL, NULL, ARRAY['Sci-Fi, Fantasy', NULL])"
"$CATLOG" analytics refresh >/dev/null
"$CATLOG" build --out "$T_TMP/site" >/dev/null 2>&1   # stores the day's trending lists
OUT=$T_TMP/export

out=$("$CATLOG" export --to "$OUT" 2>&1); rc=$?
expect_eq "export exits 0" 0 "$rc"
expect_match "export says what it wrote" "exported to .*: [0-9]+ partitions written \([0-9]+ rows" "$out"
expect_eq "one daily_rankings partition per snapshot date" "$(q 'SELECT count(DISTINCT "snapshotDate") FROM "DailyRankings"')" \
    "$(ls "$OUT/daily_rankings" | grep -c '^snapshot_date=[0-9-]*$')"
expect_eq "files named part-00000.parquet" "" "$(find "$OUT" -type f ! -name part-00000.parquet ! -name _catlog_export.json)"
for d in anime etl_logs rolling_momentum trend_significance volatility_rankings genre_percentiles trend_correlation trending; do
    [ -n "$(find "$OUT/$d" -name '*.parquet' 2>/dev/null)" ] && pass "dataset $d written" || fail "dataset $d written"
done
expect_eq "nothing staged is left behind" "" "$(find "$OUT" -name '*.tmp*')"
expect_match "the manifest lists partitions with versions and checksums" '"sha256"' "$(cat "$OUT/_catlog_export.json")"

# what PostgreSQL says, one check per line (tests/node/check_export.mjs reads them)
checks() {
    psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 <<'SQL'
SELECT json_build_object('dataset', d, 'agg', a, 'column', c, 'pg', v) FROM (
          SELECT 'daily_rankings' d, 'rows' a, NULL c, count(*)::text v FROM "DailyRankings"
UNION ALL SELECT 'daily_rankings', 'partitions', 'snapshot_date', count(DISTINCT "snapshotDate")::text FROM "DailyRankings"
UNION ALL SELECT 'daily_rankings', 'sum', 'rank', sum(rank)::text FROM "DailyRankings"
UNION ALL SELECT 'daily_rankings', 'sum', 'score', sum(score)::text FROM "DailyRankings"
UNION ALL SELECT 'daily_rankings', 'sum', 'members', sum(members)::text FROM "DailyRankings"
UNION ALL SELECT 'daily_rankings', 'sum', 'popularity', sum(popularity)::text FROM "DailyRankings"
UNION ALL SELECT 'daily_rankings', 'sum', 'scored_by', sum("scoredBy")::text FROM "DailyRankings"
UNION ALL SELECT 'daily_rankings', 'min', 'score', min(score)::text FROM "DailyRankings"
UNION ALL SELECT 'daily_rankings', 'max', 'mal_id', max("malId")::text FROM "DailyRankings"
UNION ALL SELECT 'daily_rankings', 'min', 'snapshot_date', min("snapshotDate")::text FROM "DailyRankings"
UNION ALL SELECT 'daily_rankings', 'items', 'genres', sum(cardinality(genres))::text FROM "DailyRankings"
UNION ALL SELECT 'daily_rankings', 'max', 'etl_run_id', max("etlRunId" COLLATE "C") FROM "DailyRankings"
UNION ALL SELECT 'anime', 'rows', NULL, count(*)::text FROM "ProcessedAnime"
UNION ALL SELECT 'anime', 'sum', 'members', sum(members)::text FROM "ProcessedAnime"
UNION ALL SELECT 'anime', 'sum', 'score', sum(score)::text FROM "ProcessedAnime"
UNION ALL SELECT 'anime', 'sum', 'episodes', sum(episodes)::text FROM "ProcessedAnime"
UNION ALL SELECT 'anime', 'min', 'title', min(title COLLATE "C") FROM "ProcessedAnime"
UNION ALL SELECT 'anime', 'max', 'title', max(title COLLATE "C") FROM "ProcessedAnime"
UNION ALL SELECT 'anime', 'items', 'genres', sum(cardinality(genres))::text FROM "ProcessedAnime"
UNION ALL SELECT 'anime', 'items', 'studios', sum(cardinality(studios))::text FROM "ProcessedAnime"
UNION ALL SELECT 'etl_logs', 'rows', NULL, count(*)::text FROM "EtlLogs"
UNION ALL SELECT 'etl_logs', 'sum', 'rows_processed', sum("rowsProcessed")::text FROM "EtlLogs"
UNION ALL SELECT 'rolling_momentum', 'rows', NULL, count(*)::text FROM "RollingMomentumAnalysis"
UNION ALL SELECT 'rolling_momentum', 'sum', 'rank_momentum', sum("rankMomentum")::text FROM "RollingMomentumAnalysis"
UNION ALL SELECT 'rolling_momentum', 'sum', 'avg_rank', sum("avgRank")::text FROM "RollingMomentumAnalysis"
UNION ALL SELECT 'rolling_momentum', 'sum', 'score_momentum', sum("scoreMomentum")::text FROM "RollingMomentumAnalysis"
UNION ALL SELECT 'trend_significance', 'rows', NULL, count(*)::text FROM "TrendSignificance"
UNION ALL SELECT 'trend_significance', 'sum', 'slope', sum(slope)::text FROM "TrendSignificance"
UNION ALL SELECT 'trend_significance', 'min', 'p_value', min("pValue")::text FROM "TrendSignificance"
UNION ALL SELECT 'volatility_rankings', 'rows', NULL, count(*)::text FROM "VolatilityRankings"
UNION ALL SELECT 'volatility_rankings', 'sum', 'volatility30', sum(volatility30)::text FROM "VolatilityRankings"
UNION ALL SELECT 'volatility_rankings', 'sum', 'stability_rank', sum("stabilityRank")::text FROM "VolatilityRankings"
UNION ALL SELECT 'genre_percentiles', 'rows', NULL, count(*)::text FROM "GenrePercentiles"
UNION ALL SELECT 'genre_percentiles', 'sum', 'p50', sum(p50)::text FROM "GenrePercentiles"
UNION ALL SELECT 'trend_correlation', 'rows', NULL, count(*)::text FROM "TrendCorrelation"
UNION ALL SELECT 'trend_correlation', 'sum', 'r', sum(r)::text FROM "TrendCorrelation"
UNION ALL SELECT 'trending', 'rows', NULL, sum(jsonb_array_length(l))::text
          FROM "TrendingSnapshots", jsonb_each(document) e(k, l) WHERE jsonb_typeof(l) = 'array'
) t;
SELECT json_build_object('dataset', 'anime', 'agg', 'row', 'where', json_build_object('mal_id', 990001),
                         'pg', json_build_object('title', title, 'genres', genres, 'score', score, 'synopsis', synopsis,
                                                 'title_english', "titleEnglish", 'studios', studios))
FROM "ProcessedAnime" WHERE "malId" = 990001;
SELECT json_build_object('dataset', 'daily_rankings', 'agg', 'row',
                         'where', json_build_object('mal_id', 990001, 'snapshot_date', '2026-11-23'),
                         'pg', json_build_object('rank', rank, 'score', score, 'genres', genres))
FROM "DailyRankings" WHERE "malId" = 990001;
SELECT json_build_object('dataset', 'daily_rankings', 'agg', 'row',
                         'where', json_build_object('mal_id', "malId", 'snapshot_date', "snapshotDate"),
                         'pg', json_build_object('rank', rank, 'popularity', popularity, 'score', score, 'scored_by', "scoredBy",
                                                 'members', members, 'favorites', favorites, 'genres', genres,
                                                 'etl_run_id', "etlRunId"))
FROM (SELECT * FROM "DailyRankings" WHERE "malId" <> 990001 ORDER BY "snapshotDate" DESC, "malId" LIMIT 3) s;
SQL
}
checks >"$T_TMP/checks.jsonl"
node tests/node/check_export.mjs "$OUT" "$T_TMP/checks.jsonl" >"$T_TMP/readers.log" 2>&1; rc=$?
expect_eq "DuckDB and hyparquet read what PostgreSQL holds (row counts, sums, min/max, hostile rows)" 0 "$rc"
[ "$rc" = 0 ] || grep -v '^ok' "$T_TMP/readers.log" | head -20
expect_match "every check ran against both readers" "ok   [0-9]+ checks against two readers, 0 failed" "$(tail -n 1 "$T_TMP/readers.log")"

# the footer: logical types, statistics and compression, as DuckDB reports them
meta=$(cd tests/node && node -e "
const {DuckDBInstance} = require('@duckdb/node-api');
(async () => { const c = await (await DuckDBInstance.create(':memory:')).connect();
  const f = process.argv[1];
  const t = await c.runAndReadAll(\"DESCRIBE SELECT * FROM read_parquet('\" + f + \"/daily_rankings/**/*.parquet', hive_partitioning = true)\");
  console.log(t.getRowObjectsJson().map(r => r.column_name + ':' + r.column_type).join(' '));
  const m = await c.runAndReadAll(\"SELECT DISTINCT compression, stats_min_value IS NOT NULL AS has_min FROM parquet_metadata('\" + f + \"/daily_rankings/**/*.parquet') WHERE path_in_schema = 'rank'\");
  console.log(JSON.stringify(m.getRowObjectsJson()));
})();" "$OUT")
expect_match "columns typed: INTEGER, DECIMAL(3,2), VARCHAR[], DATE partition" "mal_id:INTEGER rank:INTEGER .*score:DECIMAL\(3,2\).*genres:VARCHAR\[\].*snapshot_date:DATE" "$meta"
expect_match "column chunks are ZSTD with min/max statistics" '"compression":"ZSTD","has_min":true' "$meta"

# --- incremental: nothing changed, one day changed, one day emptied
out=$("$CATLOG" export --to "$OUT" 2>&1)
expect_match "a second run writes nothing" "0 partitions written" "$out"
before=$(stat -c %Y "$OUT/daily_rankings/snapshot_date=2026-11-01/part-00000.parquet")
sha_before=$(sha256sum "$OUT/daily_rankings/snapshot_date=2026-11-20/part-00000.parquet" | cut -c1-64)
q "UPDATE \"DailyRankings\" SET members = members + 5 WHERE \"snapshotDate\" = '2026-11-20' AND \"malId\" = (SELECT min(\"malId\") FROM \"DailyRankings\" WHERE \"snapshotDate\" = '2026-11-20')"
out=$("$CATLOG" export --to "$OUT" 2>&1)
expect_match "one changed day: one partition written" "1 partition written" "$out"
expect_eq "the changed day's file is new" 1 "$([ "$(sha256sum "$OUT/daily_rankings/snapshot_date=2026-11-20/part-00000.parquet" | cut -c1-64)" != "$sha_before" ] && echo 1)"
expect_eq "other days untouched" "$before" "$(stat -c %Y "$OUT/daily_rankings/snapshot_date=2026-11-01/part-00000.parquet")"
q "DELETE FROM \"DailyRankings\" WHERE \"snapshotDate\" = '2026-11-02'"
out=$("$CATLOG" export --to "$OUT" 2>&1)
expect_match "an emptied day is removed" "1 removed" "$out"
expect_eq "its directory holds no file" "" "$(find "$OUT/daily_rankings" -path '*2026-11-02*' -type f)"
checks >"$T_TMP/checks2.jsonl"
node tests/node/check_export.mjs "$OUT" "$T_TMP/checks2.jsonl" >"$T_TMP/readers2.log" 2>&1
expect_eq "after the incremental runs both readers still agree with PostgreSQL" 0 "$?"
out=$("$CATLOG" export --to "$OUT" --full 2>&1)
expect_match "--full rewrites every partition" "[0-9]{2,} partitions written .* 0 unchanged" "$out"

# --- a failed run: the previous manifest stays, the next run completes
q "UPDATE \"DailyRankings\" SET members = members + 1 WHERE \"snapshotDate\" = '2026-11-21'"
manifest=$(cat "$OUT/_catlog_export.json")
blocked="$OUT/daily_rankings/snapshot_date=2026-11-21"
rm -rf "$blocked" && echo "not a directory" >"$blocked"   # the partition's file cannot be put there
out=$("$CATLOG" export --to "$OUT" 2>&1); rc=$?
expect_eq "a file that cannot be written fails the export" 1 "$rc"
expect_match "and names it" "daily_rankings/snapshot_date=2026-11-21/part-00000.parquet not written" "$out"
expect_eq "the previous manifest is kept" "$manifest" "$(cat "$OUT/_catlog_export.json")"
rm -f "$blocked"
out=$("$CATLOG" export --to "$OUT" 2>&1); rc=$?
expect_eq "the next run completes" 0 "$rc"
expect_eq "and writes the day the failed run could not" 1 "$(ls "$blocked/part-00000.parquet" 2>/dev/null | wc -l)"
out=$("$CATLOG" export 2>&1); rc=$?
expect_eq "no target: exit 2" 2 "$rc"
expect_match "no target: one line saying what to pass" "export: no target: pass --to" "$out"
out=$("$CATLOG" export --to ftp://x/y 2>&1); rc=$?
expect_eq "unknown scheme: exit 2" 2 "$rc"
out=$("$CATLOG" export --database-url "$(fresh_db export_unmigrated)" --to "$T_TMP/unmigrated" 2>&1); rc=$?
expect_eq "an unmigrated database: exit 1" 1 "$rc"
expect_match "and the line says to migrate" "run \`catlog db migrate\`" "$out"

# --- the same to S3: byte-identical objects, then incremental against the bucket's manifest
start_s3 lake
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_ENDPOINT_URL="http://127.0.0.1:$S3PORT"
unset AWS_SESSION_TOKEN
"$CATLOG" export --to "$T_TMP/again" >/dev/null 2>&1
out=$("$CATLOG" export --to s3://lake/warehouse/catlog 2>&1); rc=$?
expect_eq "export to s3:// exits 0" 0 "$rc"
same=1
while IFS= read -r f; do
    rel=${f#"$T_TMP/again/"}
    obj="$S3_DATA/lake/warehouse/catlog/$rel._S3rver_object"
    cmp -s "$f" "$obj" || { same=0; echo "differs: $rel"; break; }
done < <(find "$T_TMP/again" -name '*.parquet')
expect_eq "every Parquet object on S3 equals the directory export's file" 1 "$same"
expect_eq "as many objects as files" "$(find "$T_TMP/again" -name '*.parquet' | wc -l)" \
    "$(find "$S3_DATA/lake/warehouse/catlog" -name '*.parquet._S3rver_object' | wc -l)"
out=$("$CATLOG" export --to s3://lake/warehouse/catlog 2>&1)
expect_match "the second S3 run reads the bucket's manifest and writes nothing" "0 partitions written" "$out"
out=$(AWS_ACCESS_KEY_ID=NOSUCHKEY "$CATLOG" export --to s3://lake/warehouse/catlog --full 2>&1); rc=$?
expect_eq "an unknown access key fails the export" 1 "$rc"
expect_match "and says why in one line" "access key id 'NOSUCHKEY'" "$out"

# --- nightly --export-to: the last step
start_jikan
jikan_control '{"pages": 4}'
out=$("$CATLOG" nightly --out "$T_TMP/nsite" --raw-dir "$T_TMP/raw" --pages 4 --date 2026-11-24 --retry-delay 0 \
      --export-to "$T_TMP/nexport" 2>&1); rc=$?
expect_eq "nightly with --export-to exits 0" 0 "$rc"
expect_match "nightly records the export step" "nightly: export +ok" "$out"
expect_eq "the nightly's day is exported" 1 "$(ls -d "$T_TMP/nexport/daily_rankings/snapshot_date=2026-11-24" 2>/dev/null | wc -l)"
finish
