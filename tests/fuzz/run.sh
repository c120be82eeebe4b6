#!/usr/bin/env bash
# Builds every libFuzzer target (tests/fuzz/fuzz_*.c) with ASan + UBSan against the whole
# library (generator/ but main.c) and runs each for SECONDS.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     (default 60 s, every target)
# Each target starts from its seeds in tests/fuzz/corpus/NAME/; the working corpus and any
# crash file go to build/fuzz/NAME/. One line per target: executions, coverage, findings.
# Last line: "fuzz: N passed, M failed" (a crash, leak or timeout is a failure).
set -uo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-60}
shift || true
OUT=build/fuzz
mkdir -p "$OUT/obj"
PKGS="libcjson libcurl libcmark openssl zlib yaml-0.1 libzstd"
CFLAGS="-g -O1 -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -DCATLOG_VERSION=\"fuzz\" -Igenerator -I$(pg_config --includedir) $(pkg-config --cflags $PKGS)"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"

# the library, instrumented once (objects rebuilt when their source is newer)
sh tools/embed_sql.sh generator/db/sql/*.sql > "$OUT/migrations_embedded.c"
objs=()
for src in $(find generator -name '*.c' ! -name main.c | sort) "$OUT/migrations_embedded.c"; do
    obj="$OUT/obj/$(echo "$src" | tr / _).o"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find generator -name '*.h' -newer "$obj" | head -n 1)" ]; then
        clang $CFLAGS $SAN -fsanitize=fuzzer-no-link -c -o "$obj" "$src" || exit 1
    fi
    objs+=("$obj")
done

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||'))
passed=0
failed=0
for t in "${targets[@]}"; do
    dir="$OUT/$t"
    mkdir -p "$dir/corpus"
    clang $CFLAGS $SAN -fsanitize=fuzzer -o "$dir/fuzz_$t" "tests/fuzz/fuzz_$t.c" "${objs[@]}" \
        -lpq $(pkg-config --libs $PKGS) -lm || { failed=$((failed + 1)); echo "FAIL $t: does not build"; continue; }
    cp -n tests/fuzz/corpus/$t/* "$dir/corpus/" 2>/dev/null || true
    dict=()
    [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="$PWD/tests/fuzz/$t.dict")
    rm -f "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*
    (cd "$dir" && ASAN_OPTIONS=detect_leaks=1 ./"fuzz_$t" -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=10 \
        "${dict[@]}" -artifact_prefix=./ -print_final_stats=1 corpus >fuzz.log 2>&1)
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -n 1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$dir/fuzz.log" | tail -n 1)
    entries=$(ls "$dir/corpus" | wc -l)
    findings=$(ls "$dir" | grep -cE '^(crash|leak|timeout|oom)-')
    if [ "$rc" -eq 0 ] && [ "$findings" -eq 0 ]; then
        passed=$((passed + 1))
        printf 'ok   fuzz_%-10s %4s s, %s execs, %s, %s corpus entries, no finding\n' "$t" "$SECS" "${execs:-?}" "${cov:-?}" "$entries"
    else
        failed=$((failed + 1))
        printf 'FAIL fuzz_%-10s exit %s, %s finding(s) in %s (log: %s/fuzz.log)\n' "$t" "$rc" "$findings" "$dir" "$dir"
        grep -m 3 -E 'ERROR|SUMMARY' "$dir/fuzz.log" | sed 's/^/    /'
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
