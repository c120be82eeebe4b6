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
psql "$DATABASE_URL" -qAt -c '
SELECT format(E''%s anime, %s daily rankings over %s days, %s ETL runs logged'',
  (SELECT count(*) FROM "ProcessedAnime"), (SELECT count(*) FROM "DailyRankings"),
  (SELECT count(DISTINCT "snapshotDate") FROM "DailyRankings"), (SELECT count(*) FROM "EtlLogs"))'
echo
echo "Next: ./build.sh test runs every test; build/catlog --help lists the commands."
echo "The demo database was throwaway and is removed now; keep one with: eval \"\$(tests/pg.sh start)\""
