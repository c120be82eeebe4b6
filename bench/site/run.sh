#!/usr/bin/env bash
# Site build benchmark: `catlog build` over 30,000 anime x 365 days of demo rankings on a
# throwaway PostgreSQL, side by side with Hugo (Debian's) rendering the same anime page set
# from the same data (exported as JSON front matter) with equivalent templates: layout,
# partials, facts, a 30-row table and an SVG rank line per page.
#
#   bench/site/run.sh               ANIME=30000 DAYS=365 RUNS=3 OUT_FS=/dev/shm by default
#   ANIME=2000 DAYS=120 RUNS=1 bench/site/run.sh
#
# Reports wall seconds (median), pages per second and peak RSS for both, plus the demo-data
# load time; keeps the summary in bench/out/site.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
ANIME=${ANIME:-30000}
DAYS=${DAYS:-365}
RUNS=${RUNS:-3}
OUT_FS=${OUT_FS:-/dev/shm}
END=2026-11-23
CATLOG=${CATLOG:-build/catlog}
[ -x "$CATLOG" ] || make -s
command -v hugo >/dev/null || { echo "installing hugo"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null; }
mkdir -p bench/out
REPORT=bench/out/site.txt
WORK=$(mktemp -d "$OUT_FS/catlog-bench.XXXXXX")

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
timed() {  # timed LABEL CMD...: prints "wall rss_kb"
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
    cat "$WORK/time"
}

eval "$(tests/pg.sh start)"
trap 'tests/pg.sh stop "$CATLOG_PG_DIR"; rm -rf "$WORK"' EXIT
"$CATLOG" db migrate >/dev/null
read -r load_s _ < <(timed "$CATLOG" demo-data --anime "$ANIME" --days "$DAYS" --end "$END")
rows=$(psql "$DATABASE_URL" -qAt -c 'SELECT count(*) FROM "DailyRankings"')
"$CATLOG" analytics refresh >/dev/null

# catlog: full builds into a fresh directory each time
c_walls=""; c_rss=0; pages=0
for i in $(seq "$RUNS"); do
    rm -rf "$WORK/catlog-out"
    read -r w rss < <(timed "$CATLOG" build --out "$WORK/catlog-out")
    c_walls="$c_walls $w"; [ "$rss" -gt "$c_rss" ] && c_rss=$rss
done
pages=$(find "$WORK/catlog-out" -name '*.html' | wc -l)
anime_pages=$(ls "$WORK/catlog-out/anime" | wc -l)

# Hugo: the same anime pages from the same data
python3 bench/site/export_hugo.py "$WORK/hugo-src" < <(psql "$DATABASE_URL" -qAt -f bench/site/export.sql)
cp -r bench/site/hugo/. "$WORK/hugo-src/"
h_walls=""; h_rss=0
for i in $(seq "$RUNS"); do
    rm -rf "$WORK/hugo-out"
    read -r w rss < <(timed hugo --quiet -s "$WORK/hugo-src" -d "$WORK/hugo-out")
    h_walls="$h_walls $w"; [ "$rss" -gt "$h_rss" ] && h_rss=$rss
done
h_pages=$(find "$WORK/hugo-out" -name '*.html' | wc -l)

c_med=$(echo "$c_walls" | median); h_med=$(echo "$h_walls" | median)
{
    echo "site build benchmark: $ANIME anime x $DAYS days ($rows daily rankings), output on $OUT_FS"
    echo "machine: $(nproc) cores, $(hugo version | cut -d' ' -f1-2), $(psql --version)"
    echo "demo-data load: $load_s s"
    echo "catlog build: runs$c_walls s; median $c_med s; $pages HTML pages ($anime_pages anime pages, every other page kind too, plus JSON twins);"
    echo "              $(awk -v p="$pages" -v t="$c_med" 'BEGIN { printf "%.0f", p / t }') pages/s; peak RSS $((c_rss / 1024)) MB"
    echo "hugo:         runs$h_walls s; median $h_med s; $h_pages HTML pages (anime pages only);"
    echo "              $(awk -v p="$h_pages" -v t="$h_med" 'BEGIN { printf "%.0f", p / t }') pages/s; peak RSS $((h_rss / 1024)) MB"
    echo "ratio (pages/s): $(awk -v a="$pages" -v b="$c_med" -v c="$h_pages" -v d="$h_med" 'BEGIN { printf "%.1f", (a / b) / (c / d) }')x"
} | tee "$REPORT"
