#!/usr/bin/env bash
# Site build benchmark: `catlog build` over 30,000 anime x 365 days of demo rankings on a
# throwaway PostgreSQL, side by side with Hugo (Debian's) rendering the anime pages from the
# same data (exported as JSON front matter), in two variants:
#   equivalent  hugo-full/: the same page as catlog's, byte for byte apart from asset names
#               (four SVG charts computed from the whole history, analytics, the 30-row
#               table) plus its JSON twin, as catlog writes api/anime/<id>.json;
#   light       hugo/: one 90-day rank line from a pre-cut series and the 30-row table.
# catlog builds its whole site (every page kind, JSON twins, reports) with its default
# workers (one per core) and with --jobs 1.
#
#   bench/site/run.sh     ANIME=30000 DAYS=365 RUNS=3 HUGO_FULL_RUNS=1 OUT_FS=/dev/shm by default
#   ANIME=2000 DAYS=120 RUNS=1 bench/site/run.sh
#
# Reports wall seconds (median), pages per second and peak RSS, plus the demo-data load
# time; keeps the summary in bench/out/site.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
ANIME=${ANIME:-30000}
DAYS=${DAYS:-365}
RUNS=${RUNS:-3}
HUGO_FULL_RUNS=${HUGO_FULL_RUNS:-1}   # minutes per run at full size
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
# measure a settled database, not the writeback of the load
psql "$DATABASE_URL" -qAt -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null; sync

# catlog: full builds into a fresh directory each time (default workers, then one process)
c_walls=""; c_rss=0; s_walls=""; pages=0
"$CATLOG" build --out "$WORK/catlog-out" >/dev/null 2>&1   # repacks nothing after demo-data; warms the caches
for i in $(seq "$RUNS"); do
    rm -rf "$WORK/catlog-out"
    read -r w rss < <(timed "$CATLOG" build --out "$WORK/catlog-out")
    c_walls="$c_walls $w"; [ "$rss" -gt "$c_rss" ] && c_rss=$rss
    rm -rf "$WORK/catlog-out"
    read -r w _ < <(timed "$CATLOG" build --jobs 1 --out "$WORK/catlog-out")
    s_walls="$s_walls $w"
done
pages=$(find "$WORK/catlog-out" -name '*.html' | wc -l)
anime_pages=$(ls "$WORK/catlog-out/anime" | wc -l)

# hugo_runs NAME RUNS: builds $WORK/NAME-src RUNS times; sets walls, rss (KB), hpages
hugo_runs() {
    walls=""; rss=0
    local i w r
    for i in $(seq "$2"); do
        rm -rf "$WORK/$1-out"
        read -r w r < <(timed hugo --quiet -s "$WORK/$1-src" -d "$WORK/$1-out")
        walls="$walls $w"; [ "$r" -gt "$rss" ] && rss=$r
    done
    hpages=$(find "$WORK/$1-out" -name '*.html' | wc -l)
}

# Hugo, light pages
python3 bench/site/export_hugo.py "$WORK/hugo-src" < <(psql "$DATABASE_URL" -qAt -f bench/site/export.sql)
cp -r bench/site/hugo/. "$WORK/hugo-src/"
hugo_runs hugo "$RUNS"
h_walls=$walls; h_rss=$rss; h_pages=$hpages

# Hugo, equivalent pages
psql "$DATABASE_URL" -qAt -v asof="$END" -f bench/site/export-full.sql | python3 bench/site/export_hugo.py "$WORK/hugo-full-src"
cp -r bench/site/hugo-full/. "$WORK/hugo-full-src/"
hugo_runs hugo-full "$HUGO_FULL_RUNS"
f_walls=$walls; f_rss=$rss; f_pages=$hpages
same=$(python3 bench/site/compare_pages.py "$WORK/catlog-out" "$WORK/hugo-full-out" 50 2>"$WORK/compare.err") \
    || { cat "$WORK/compare.err" >&2; echo "hugo's equivalent pages differ from catlog's" >&2; exit 1; }

c_med=$(echo "$c_walls" | median); s_med=$(echo "$s_walls" | median)
h_med=$(echo "$h_walls" | median); f_med=$(echo "$f_walls" | median)
rate() { awk -v p="$1" -v t="$2" 'BEGIN { printf "%.0f", p / t }'; }
ratio() { awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" 'BEGIN { printf "%.1f", (a / b) / (c / d) }'; }
{
    echo "site build benchmark: $ANIME anime x $DAYS days ($rows daily rankings), output on $OUT_FS"
    echo "machine: $(nproc) cores, $(hugo version | cut -d' ' -f1-2), $(psql --version)"
    echo "demo-data load: $load_s s"
    echo "catlog build:   runs$c_walls s; median $c_med s; $pages HTML pages ($anime_pages anime pages, every other page kind too, plus JSON twins and reports);"
    echo "                $(rate "$pages" "$c_med") pages/s; peak RSS $((c_rss / 1024)) MB (largest process)"
    echo "catlog --jobs 1: runs$s_walls s; median $s_med s; $(rate "$pages" "$s_med") pages/s"
    echo "hugo equivalent: runs$f_walls s; median $f_med s; $f_pages HTML pages (anime pages + JSON twins);"
    echo "                $same"
    echo "                $(rate "$f_pages" "$f_med") pages/s; peak RSS $((f_rss / 1024)) MB"
    echo "hugo light:     runs$h_walls s; median $h_med s; $h_pages HTML pages (anime pages only);"
    echo "                $(rate "$h_pages" "$h_med") pages/s; peak RSS $((h_rss / 1024)) MB"
    echo "ratio (pages/s) catlog vs hugo equivalent: $(ratio "$pages" "$c_med" "$f_pages" "$f_med")x; vs hugo light: $(ratio "$pages" "$c_med" "$h_pages" "$h_med")x"
} | tee "$REPORT"
