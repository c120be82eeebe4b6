#!/usr/bin/env bash
# Export benchmark: `catlog export` of 30,000 anime x 365 days of demo rankings (~10M rows) on a
# throwaway PostgreSQL:
#   - a full export to a local directory: wall time and peak RSS (median of RUNS);
#   - bytes on disk against the same rows as gzip CSV (psql COPY ... CSV | gzip -6);
#   - a one-day incremental export (one snapshot date changed), median of RUNS;
#   - "top 10 climbers over the last 30 days": DuckDB over the files against PostgreSQL over
#     its tables, each timed in the engine (median of RUNS) and as whole processes (farm-bench).
#
#   bench/export/run.sh                       ANIME=30000 DAYS=365 RUNS=3 by default
#   ANIME=3000 DAYS=120 bench/export/run.sh
#   DATABASE_URL=... bench/export/run.sh      an existing database with demo data (no load)
# Keeps the summary in bench/export/results.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ANIME=${ANIME:-30000}
DAYS=${DAYS:-365}
RUNS=${RUNS:-3}
END=2026-11-23
CATLOG=${CATLOG:-$ROOT/build/catlog}
REPORT=${BENCH_OUT:-$ROOT/bench/export/results.txt}
[ -x "$CATLOG" ] || make -s all
[ -d tests/node/node_modules/@duckdb/node-api ] || (cd tests/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
WORK=$(mktemp -d "${OUT_FS:-/tmp}/catlog-bench-export.XXXXXX")
started_pg=""
cleanup() { [ -n "$started_pg" ] && tests/pg.sh stop "$CATLOG_PG_DIR" >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
timed() {  # timed CMD...: prints "wall_s rss_kb"
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
    cat "$WORK/time"
}
q() { psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 -c "$1"; }

if [ -z "${DATABASE_URL:-}" ]; then
    eval "$(tests/pg.sh start)"
    started_pg=1
    "$CATLOG" db migrate >/dev/null
    echo "loading $ANIME anime x $DAYS days"
    "$CATLOG" demo-data --anime "$ANIME" --days "$DAYS" --end "$END" >/dev/null
    "$CATLOG" analytics refresh >/dev/null
    "$CATLOG" build --out "$WORK/site" >/dev/null 2>&1   # the day's trending lists
    rm -rf "$WORK/site"
else
    "$CATLOG" db migrate >/dev/null
fi
q "VACUUM ANALYZE" >/dev/null; q "CHECKPOINT" >/dev/null
rows=$(q 'SELECT count(*) FROM "DailyRankings"')

# --- full export
walls=""; rss=0
"$CATLOG" export --to "$WORK/warm" --full >/dev/null 2>&1; rm -rf "$WORK/warm"
for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/lake"
    read -r w r < <(timed "$CATLOG" export --to "$WORK/lake" --full)
    walls="$walls $w"; [ "$r" -gt "$rss" ] && rss=$r
done
full_wall=$(echo "$walls" | median)
parquet_bytes=$(du -sb "$WORK/lake" | cut -f1)
daily_bytes=$(du -sb "$WORK/lake/daily_rankings" | cut -f1)

# --- the same rows as gzip CSV
csv() { psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 -c "COPY ($1) TO STDOUT (FORMAT csv, HEADER)" | gzip -6 | wc -c; }
daily_gz=$(csv 'SELECT "snapshotDate", "malId", rank, popularity, score, "scoredBy", members, favorites, genres, "etlRunId" FROM "DailyRankings"')
rest_gz=0
for t in ProcessedAnime EtlLogs RollingMomentumAnalysis TrendSignificance VolatilityRankings GenrePercentiles TrendCorrelation TrendingSnapshots; do
    rest_gz=$((rest_gz + $(csv "SELECT * FROM \"$t\"")))
done
all_gz=$((daily_gz + rest_gz))

# --- one changed day
inc=""
last=$(q 'SELECT max("snapshotDate") FROM "DailyRankings"')
for i in $(seq "$RUNS"); do
    q "UPDATE \"DailyRankings\" SET members = members + $i WHERE \"snapshotDate\" = '$last' AND \"malId\" = (SELECT min(\"malId\") FROM \"DailyRankings\" WHERE \"snapshotDate\" = '$last')" >/dev/null
    read -r w _ < <(timed "$CATLOG" export --to "$WORK/lake")
    inc="$inc $w"
done
inc_wall=$(echo "$inc" | median)
q "UPDATE \"DailyRankings\" SET members = members + 1 WHERE \"snapshotDate\" = '$last' AND \"malId\" = (SELECT min(\"malId\") FROM \"DailyRankings\" WHERE \"snapshotDate\" = '$last')" >/dev/null
"$CATLOG" export --to "$WORK/lake" >"$WORK/inc.out" 2>&1   # what such a run says

# --- top 10 climbers over the last 30 days: DuckDB on the files, PostgreSQL on its tables
cat >"$WORK/duck.cjs" <<JS
const { DuckDBInstance } = require('$ROOT/tests/node/node_modules/@duckdb/node-api');
(async () => {
  const c = await (await DuckDBInstance.create(':memory:')).connect();
  const lake = process.argv[2], runs = +process.argv[3];
  const sql = \`WITH r AS (SELECT * FROM read_parquet('\${lake}/daily_rankings/*/*.parquet', hive_partitioning = true)),
    last AS (SELECT max(snapshot_date) AS d FROM r)
    SELECT a.title, old.rank - new.rank AS climbed FROM r new
    JOIN last ON new.snapshot_date = last.d
    JOIN r old ON old.mal_id = new.mal_id AND old.snapshot_date = last.d - 30
    JOIN read_parquet('\${lake}/anime/*.parquet') a ON a.mal_id = new.mal_id
    WHERE new.rank IS NOT NULL AND old.rank IS NOT NULL
    ORDER BY climbed DESC, a.title LIMIT 10\`;
  const times = [];
  let rows;
  for (let i = 0; i < runs; i++) { const t = process.hrtime.bigint(); rows = (await c.runAndReadAll(sql)).getRows(); times.push(Number(process.hrtime.bigint() - t) / 1e6); }
  times.sort((a, b) => a - b);
  console.log(times[Math.floor(times.length / 2)].toFixed(1), JSON.stringify(rows.map(r => r[0])));
})();
JS
PG_SQL='WITH last AS (SELECT max("snapshotDate") AS d FROM "DailyRankings")
SELECT a.title, o.rank - n.rank AS climbed FROM "DailyRankings" n
JOIN last ON n."snapshotDate" = last.d
JOIN "DailyRankings" o ON o."malId" = n."malId" AND o."snapshotDate" = last.d - 30
JOIN "ProcessedAnime" a ON a."malId" = n."malId"
WHERE n.rank IS NOT NULL AND o.rank IS NOT NULL
ORDER BY climbed DESC, a.title LIMIT 10'
read -r duck_ms duck_titles < <(node "$WORK/duck.cjs" "$WORK/lake" 5)
pg_times=""
for _ in 1 2 3 4 5; do
    pg_times="$pg_times $(psql "$DATABASE_URL" -qAt -c '\timing on' -c "$PG_SQL" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')"
done
pg_ms=$(echo "$pg_times" | median)
pg_titles=$(psql "$DATABASE_URL" -qAt -c "SELECT json_agg(title) FROM ($PG_SQL) t")
same_answer=no; [ "$(echo "$duck_titles" | tr -d ' ')" = "$(echo "$pg_titles" | tr -d ' ')" ] && same_answer=yes
whole=""
if command -v farm-bench >/dev/null; then
    whole=$(farm-bench -n 5 --timeout 300 --vs "psql $DATABASE_URL -qAt -c '$(echo "$PG_SQL" | tr '\n' ' ')'" \
        -- node "$WORK/duck.cjs" "$WORK/lake" 1 2>&1 | grep -E 'A/B wall|A wall s|B wall s' || true)
fi

{
    echo "# catlog export, $(date -u +%Y-%m-%d), $(nproc) cores; $ANIME anime x $DAYS days = $rows ranking rows"
    echo "full export to a directory:   ${full_wall} s wall (median of $RUNS), peak RSS $((rss / 1024)) MB"
    echo "one changed day, incremental: ${inc_wall} s wall (median of $RUNS): $(cat "$WORK/inc.out")"
    echo "bytes: Parquet $((parquet_bytes / 1000000)) MB in all, gzip -6 CSV of the same rows $((all_gz / 1000000)) MB (ratio $(awk "BEGIN { printf \"%.2f\", $parquet_bytes / $all_gz }"))"
    echo "       daily_rankings: Parquet $((daily_bytes / 1000000)) MB, gzip CSV $((daily_gz / 1000000)) MB (ratio $(awk "BEGIN { printf \"%.2f\", $daily_bytes / $daily_gz }"))"
    echo "top 10 climbers over 30 days, in the engine (median of 5): DuckDB on the files ${duck_ms} ms, PostgreSQL on its tables ${pg_ms} ms; same answer: $same_answer"
    [ -n "$whole" ] && echo "as whole processes (farm-bench, A = node + DuckDB, B = psql):" && echo "$whole"
} | tee "$REPORT"
