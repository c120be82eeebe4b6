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

echo "== catlog (C), layout via partials"
"$OUT/bench_c" templates "$OUT/pages.json" "$RUNS" | tee "$OUT/c.txt"
echo "== catlog (C), layout via {{<parent}} inheritance"
"$OUT/bench_c" templates-inherit "$OUT/pages.json" "$RUNS" | tee "$OUT/c-inherit.txt"
echo "== mustache.js $(node -p 'require("mustache/package.json").version') on node $(node --version), layout via partials"
node bench_js.js templates "$OUT/pages.json" "$RUNS" | tee "$OUT/js.txt"

field() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
c=$(field median "$OUT/c.txt")
ci=$(field median "$OUT/c-inherit.txt")
js=$(field median "$OUT/js.txt")
echo
if [ "$(field sha256 "$OUT/c.txt")" != "$(field sha256 "$OUT/js.txt")" ] ||
   [ "$(field sha256 "$OUT/c-inherit.txt")" != "$(field sha256 "$OUT/js.txt")" ]; then
    echo "output differs between catlog and mustache.js: FAIL"
    exit 1
fi
echo "output identical: sha256 $(field sha256 "$OUT/c.txt") over $PAGES pages"
awk -v c="$c" -v ci="$ci" -v js="$js" 'BEGIN {
    printf "median pages/s: catlog %d (inheritance layout %d), mustache.js %d\n", c, ci, js
    printf "ratio catlog/mustache.js: %.1fx (inheritance layout %.1fx)\n", c / js, ci / js
}'
