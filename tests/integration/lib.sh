# Shared helpers for integration tests (sourced). Each check prints ok/FAIL; `finish`
# prints "N passed, M failed" and sets the exit code.
CATLOG=${CATLOG:-$PWD/build/catlog}
T_PASSED=0
T_FAILED=0
T_TMP=$(mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT

pass() { T_PASSED=$((T_PASSED + 1)); echo "ok   $1"; }
fail() { T_FAILED=$((T_FAILED + 1)); echo "FAIL $1${2:+: $2}"; }

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
    if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "expected [$2], got [$3]"; fi
}

# expect_match NAME REGEX TEXT
expect_match() {
    if printf '%s' "$3" | grep -Eq -- "$2"; then pass "$1"; else fail "$1" "[$3] does not match /$2/"; fi
}

# expect_no_match NAME REGEX TEXT
expect_no_match() {
    if printf '%s' "$3" | grep -Eq -- "$2"; then fail "$1" "[$3] matches /$2/"; else pass "$1"; fi
}

# fresh_db NAME: creates an empty database in the test cluster, prints its URL.
fresh_db() {
    psql "$DATABASE_URL" -qAt -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\"" >/dev/null
    echo "postgresql:///$1?host=$CATLOG_PG_DIR&user=postgres"
}

finish() {
    echo "$T_PASSED passed, $T_FAILED failed"
    [ "$T_FAILED" -eq 0 ]
}
