#!/usr/bin/env bash
# Runs every test: the unit test binaries (cmocka, built with ASan+UBSan) and the
# integration scripts (tests/integration/test_*.sh) against one throwaway PostgreSQL.
# Last line: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."

export CATLOG="$PWD/build/asan/catlog"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p tests/artifacts

passed=0
failed=0
failures=()

count_cmocka() {  # $1 = log file
    local p f
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
    echo "${p:-0} ${f:-0}"
}

count_plain() {  # last "N passed, M failed" line of a script's output
    local line
    line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    if [ -z "$line" ]; then echo "0 1"; return; fi
    echo "$line" | sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2 \3/'
}

run_one() {  # $1 = name, $2 = counter, rest = command
    local name=$1 counter=$2 log rc p f
    shift 2
    log="tests/artifacts/$name.log"
    "$@" >"$log" 2>&1
    rc=$?
    read -r p f < <($counter "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -ne 0 ]; then
        failures+=("$name")
        printf 'FAIL %-32s %d passed, %d failed (log: %s)\n' "$name" "$p" "$f" "$log"
        tail -n 30 "$log" | sed 's/^/    /'
    else
        printf 'ok   %-32s %d passed\n' "$name" "$p"
    fi
}

for t in build/asan/tests/test_*; do
    [ -x "$t" ] || continue
    run_one "$(basename "$t")" count_cmocka "$t"
done

eval "$(tests/pg.sh start)"
trap 'tests/pg.sh stop "$CATLOG_PG_DIR"' EXIT
for t in tests/integration/test_*.sh; do
    [ -f "$t" ] || continue
    run_one "$(basename "$t" .sh)" count_plain bash "$t"
done

# every parser of outside input, fuzzed briefly (./build.sh fuzz SECONDS for longer runs)
run_one fuzz count_plain tests/fuzz/run.sh "${CATLOG_FUZZ_SECONDS:-30}"

[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
