#!/usr/bin/env bash
# Analytics benchmark: `catlog analytics trending` + `catlog analytics refresh` over
# 30,000 anime x 365 days of demo rankings (~9.9M rows) on a throwaway PostgreSQL, against
# the same statistics written as plain SQL aggregates (sql_peer.sql). Loading the data is
# timed separately and not counted. Target: trending + refresh under 5 s.
#
#   bench/analytics/run.sh                 ANIME=30000 DAYS=365 RUNS=3 PEER=1 by default
#   ANIME=5000 DAYS=120 bench/analytics/run.sh
#
# Prints a summary and keeps it in bench/out/analytics.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
ANIME=${ANIME:-30000}
DAYS=${DAYS:-365}
RUNS=${RUNS:-3}
PEER=${PEER:-1}
END=2026-11-23
CATLOG=${CATLOG:-build/catlog}
[ -x "$CATLOG" ] || make -s "$CATLOG"
mkdir -p bench/out
OUT=bench/out/analytics.txt

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
median() { tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

eval "$(tests/pg.sh start)"
trap 'tests/pg.sh stop "$CATLOG_PG_DIR"' EXIT
"$CATLOG" db migrate >/dev/null
t=$(now)
"$CATLOG" demo-data --anime "$ANIME" --days "$DAYS" --end "$END" >/dev/null
load=$(since "$t")
rows=$(psql "$DATABASE_URL" -qAt -c 'SELECT count(*) FROM "DailyRankings"')

{
echo "catlog analytics benchmark: $ANIME anime x $DAYS days ($rows daily rankings), as of $END"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), PostgreSQL $(psql "$DATABASE_URL" -qAt -c 'SHOW server_version')"
echo "load (not counted): ${load} s"
echo
printf '%-5s %-10s %-10s %-8s %s\n' run trending refresh total "refresh kind"
} | tee "$OUT"

trending=() refresh=() totals=()
for i in $(seq 1 "$RUNS"); do
    t=$(now)
    "$CATLOG" analytics trending > bench/out/analytics-trending.json
    tt=$(since "$t")
    t=$(now)
    "$CATLOG" analytics refresh > bench/out/analytics-refresh.txt
    rt=$(since "$t")
    kind=$([ "$i" = 1 ] && echo "new as-of date" || echo "replaces the as-of date's rows")
    tot=$(awk -v a="$tt" -v b="$rt" 'BEGIN { printf "%.2f", a + b }')
    trending+=("$tt") refresh+=("$rt") totals+=("$tot")
    printf '%-5s %-10s %-10s %-8s %s\n' "$i" "${tt} s" "${rt} s" "${tot} s" "$kind" | tee -a "$OUT"
done
{
echo
echo "median: trending $(echo "${trending[*]}" | median) s, refresh $(echo "${refresh[*]}" | median) s, total $(echo "${totals[*]}" | median) s (target: under 5 s)"
echo "refresh detail (last run): $(cat bench/out/analytics-refresh.txt)"
} | tee -a "$OUT"

if [ "$PEER" = 1 ]; then
    t=$(now)
    peer=$(psql "$DATABASE_URL" -qAt -v asof="$END" -f bench/analytics/sql_peer.sql)
    pt=$(since "$t")
    {
    echo
    echo "peer, plain SQL aggregates (no p-values): ${pt} s"
    echo "  $peer"
    } | tee -a "$OUT"
fi
