#!/usr/bin/env bash
# Mustache benchmark: catlog's engine vs mustache.js rendering 10,000 anime pages (layout
# + partials + a 30-row table each) from the same JSON, templates compiled once on both
# sides. Checks that both produce identical bytes (SHA-256 of all pages), then prints the
# median pages/s of each side over RUNS runs and the ratio.
#   bench/mustache/run.sh            (env: PAGES=10000 RUNS=5)
set -euo pipefail
cd "$(dirname "$0")"
PAGES=${PAGES:-10000}
RUNS=${RUNS:-5}
OUT=../out/mustache
ROOT=../..
mkdir -p "$OUT"

[ -d node_modules/mustache ] || npm ci --silent --no-audit --no-fund
node gen_data.js "$PAGES" "$OUT/pages.json"

cc -std=c11 -O2 -D_DEFAULT_SOURCE -D_GNU_SOURCE -I"$ROOT/generator" \
    $(pkg-config --cflags libcjson openssl) -o "$OUT/bench_c" bench_c.c \
    "$ROOT"/generator/render/escape.c "$ROOT"/generator/render/mst_*.c "$ROOT/generator/core/buf.c" "$ROOT/generator/core/file.c" \
    $(pkg-config --libs libcjson openssl) -lm

# Rounds alternate the three contenders so that load from anything else on the machine
# spreads over all of them alike. In each round a contender renders all pages once
# untimed (hash), then twice timed; the second timed pass counts (warm caches and JIT).
: > "$OUT/c.txt"; : > "$OUT/c-inherit.txt"; : > "$OUT/js.txt"
last() { awk '/^run 2:/ { v = $3 } END { print v }' "$1"; }
for r in $(seq "$RUNS"); do
    "$OUT/bench_c" templates "$OUT/pages.json" 2 >> "$OUT/c.txt"
    "$OUT/bench_c" templates-inherit "$OUT/pages.json" 2 >> "$OUT/c-inherit.txt"
    node bench_js.js templates "$OUT/pages.json" 2 >> "$OUT/js.txt"
    echo "round $r/$RUNS: catlog $(last "$OUT/c.txt"), catlog inheritance" \
         "$(last "$OUT/c-inherit.txt"), mustache.js $(last "$OUT/js.txt") pages/s"
done

median() { awk '/^run 2:/ { print $3 }' "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
hashes() { awk '$1 == "sha256" { print $2 }' "$@" | sort -u; }
c=$(median "$OUT/c.txt")
ci=$(median "$OUT/c-inherit.txt")
js=$(median "$OUT/js.txt")
echo
if [ "$(hashes "$OUT/c.txt" "$OUT/c-inherit.txt" "$OUT/js.txt" | wc -l)" -ne 1 ]; then
    echo "output differs between catlog and mustache.js: FAIL"
    hashes "$OUT/c.txt" "$OUT/c-inherit.txt" "$OUT/js.txt"
    exit 1
fi
echo "output identical: sha256 $(hashes "$OUT/c.txt") over $PAGES pages"
echo "catlog: C, cc -O2; mustache.js $(node -p 'require("mustache/package.json").version') on node $(node --version)"
awk -v c="$c" -v ci="$ci" -v js="$js" -v runs="$RUNS" 'BEGIN {
    printf "median of %d runs, pages/s: catlog %d (inheritance layout %d), mustache.js %d\n", runs, c, ci, js
    printf "ratio catlog/mustache.js: %.1fx (inheritance layout %.1fx)\n", c / js, ci / js
}'
