#!/usr/bin/env bash
# Builds the Mustache fuzz target with libFuzzer + ASan + UBSan and runs it.
#   tests/fuzz/run.sh [SECONDS]     (default 60)
# New inputs go to build/fuzz/corpus (seeded from tests/fuzz/corpus); crashes to build/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-60}
OUT=build/fuzz
mkdir -p "$OUT/corpus"
clang -g -O1 -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Igenerator \
    $(pkg-config --cflags libcjson) \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -o "$OUT/fuzz_mustache" tests/fuzz/fuzz_mustache.c \
    generator/render/escape.c generator/render/mst_*.c generator/core/buf.c generator/core/file.c \
    $(pkg-config --libs libcjson) -lm
cp -n tests/fuzz/corpus/* "$OUT/corpus/" 2>/dev/null || true
cd "$OUT"
exec ./fuzz_mustache -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=10 \
    -dict=../../tests/fuzz/mustache.dict -artifact_prefix=./ -print_final_stats=1 corpus
