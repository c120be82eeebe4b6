#!/usr/bin/env bash
# Behaviour-neutral check for a refactor: builds revision REV (default HEAD~1) beside this
# checkout and runs both binaries on one demo database: the five statistical tables each
# refresh writes must be equal row for row, and the sites they build must be byte-identical
# (`diff -r`). Both read templates, assets and docs from this checkout (CATLOG_DATA_DIR), so
# only the code differs. Then times `catlog build` of both with farm-bench (when installed), this
# checkout as A and REV as B.
#
#   bench/same_output.sh [REV]             ANIME=3000 DAYS=120 by default
#   ANIME=30000 DAYS=365 bench/same_output.sh 0e8c5ee
#   DATABASE_URL=... bench/same_output.sh REV   an existing database with demo data (no load)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REV=${1:-HEAD~1}
ANIME=${ANIME:-3000}
DAYS=${DAYS:-120}
NEW=$ROOT/build/catlog
make -s all
WORK=$(mktemp -d "${OUT_FS:-/dev/shm}/catlog-same.XXXXXX")   # tmpfs: time the build, not the disk
cleanup() {
    [ -n "${CATLOG_PG_DIR:-}" ] && tests/pg.sh stop "$CATLOG_PG_DIR" >/dev/null 2>&1 || true
    git -C "$ROOT" worktree remove --force "$WORK/old" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
git -C "$ROOT" worktree add --detach -q "$WORK/old" "$REV"
make -s -C "$WORK/old" all >/dev/null
OLD=$WORK/old/build/catlog

export CATLOG_DATA_DIR=$ROOT
if [ -z "${DATABASE_URL:-}" ]; then
    eval "$(tests/pg.sh start)"
    "$NEW" db migrate >/dev/null
    "$NEW" demo-data --anime "$ANIME" --days "$DAYS" --end 2026-11-23 >/dev/null
else
    CATLOG_PG_DIR=""   # not ours to stop
    "$NEW" db migrate >/dev/null
fi

tables() {  # every statistical table, ordered, as one digest per table
    for t in RollingMomentumAnalysis TrendSignificance VolatilityRankings GenrePercentiles TrendCorrelation; do
        printf '%s %s\n' "$t" "$(psql "$DATABASE_URL" -qAt -c "COPY (SELECT * FROM \"$t\" ORDER BY 1, 2, 3, 4, 5) TO STDOUT" | md5sum)"
    done
}
"$OLD" analytics refresh >/dev/null
tables >"$WORK/tables-old"
"$NEW" analytics refresh >/dev/null
tables >"$WORK/tables-new"
if diff "$WORK/tables-old" "$WORK/tables-new"; then echo "statistical tables: identical"; else echo "statistical tables DIFFER"; exit 1; fi

"$OLD" build --out "$WORK/site-old" >/dev/null 2>&1
"$NEW" build --out "$WORK/site-new" >/dev/null 2>&1
files=$(find "$WORK/site-new" -type f | wc -l)
if diff -r "$WORK/site-old" "$WORK/site-new" >"$WORK/diff"; then
    echo "site: $files files, byte-identical"
else
    head -20 "$WORK/diff"
    echo "site DIFFERS"
    exit 1
fi

if command -v farm-bench >/dev/null; then
    farm-bench -n "${RUNS:-5}" --timeout 900 --vs "sh -c \"rm -rf '$WORK/b' && '$OLD' build --out '$WORK/b' >/dev/null 2>&1\"" \
        -- sh -c "rm -rf '$WORK/a' && '$NEW' build --out '$WORK/a' >/dev/null 2>&1"
fi
