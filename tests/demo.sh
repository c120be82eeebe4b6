#!/usr/bin/env bash
# ./build.sh demo: a throwaway PostgreSQL with demo data, then every pipeline step that exists.
set -euo pipefail
cd "$(dirname "$0")/.."
CATLOG=build/catlog

eval "$(tests/pg.sh start)"
trap 'tests/pg.sh stop "$CATLOG_PG_DIR"' EXIT

echo "== schema"
$CATLOG db migrate
echo "== demo data (500 anime, 120 days)"
$CATLOG demo-data --anime 500 --days 120
echo "== current top 10"
psql "$DATABASE_URL" -q -P footer=off -c '
SELECT d.rank AS "#", p.title, d.score, d.members
FROM "DailyRankings" d JOIN "ProcessedAnime" p USING ("malId")
WHERE d."snapshotDate" = (SELECT max("snapshotDate") FROM "DailyRankings") AND d.rank <= 10
ORDER BY d.rank'
psql "$DATABASE_URL" -qAt <<'SQL'
SELECT format('%s anime, %s daily rankings over %s days, %s ETL runs logged',
  (SELECT count(*) FROM "ProcessedAnime"), (SELECT count(*) FROM "DailyRankings"),
  (SELECT count(DISTINCT "snapshotDate") FROM "DailyRankings"), (SELECT count(*) FROM "EtlLogs"));
SQL

echo "== analytics"
$CATLOG analytics refresh
echo "== site"
rm -rf output
$CATLOG build --out output
echo
echo "== one nightly cycle against the local fixture Jikan server (its own database)"
python3 tests/fixtures/jikan_server.py --port-file "$CATLOG_PG_DIR/jikan.port" &
JIKAN_PID=$!
trap 'kill $JIKAN_PID 2>/dev/null; tests/pg.sh stop "$CATLOG_PG_DIR"' EXIT
for _ in $(seq 50); do [ -s "$CATLOG_PG_DIR/jikan.port" ] && break; sleep 0.1; done
[ -s "$CATLOG_PG_DIR/jikan.port" ] || { echo "demo: the fixture Jikan server did not start (see its error above)" >&2; exit 1; }
psql "$DATABASE_URL" -qc 'CREATE DATABASE nightly_demo'
(
    export DATABASE_URL="postgresql:///nightly_demo?host=$CATLOG_PG_DIR&user=postgres"
    export JIKAN_BASE_URL="http://127.0.0.1:$(cat "$CATLOG_PG_DIR/jikan.port")/v4"
    $CATLOG db migrate >/dev/null
    $CATLOG nightly --pages 4 --raw-dir "$CATLOG_PG_DIR/raw" --out "$CATLOG_PG_DIR/nightly-build" \
        --publish-to data/published --export-to data/lake --retry-delay 0
    $CATLOG etl logs --limit 3
)
echo
echo "The site is in output/. To look at it:"
echo "    python3 -m http.server 8000 --bind 127.0.0.1 --directory output   # then open http://127.0.0.1:8000/"
echo "or open output/index.html directly in a browser (links are relative)."
echo "The nightly cycle published its site (fixture data) to data/published/ and exported its tables"
echo "as Parquet to data/lake/ (the docs page \"Querying the data in a lake engine\" says how to read them)."
echo "Next: ./build.sh test runs every test; build/catlog --help lists the commands."
echo "The demo database was throwaway and is removed now; keep one with: eval \"\$(tests/pg.sh start)\""
