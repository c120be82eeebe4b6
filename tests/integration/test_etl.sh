#!/usr/bin/env bash
# The nightly ETL against a fixture Jikan server and a real PostgreSQL: clean runs,
# idempotent re-runs, retries, failures that leave yesterday's data intact, rejected
# records, the quality gate, rate limits and NOTIFY.
set -u
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

python3 "$ROOT/tests/fixtures/jikan_server.py" --port-file "$T_TMP/port" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$T_TMP"' EXIT
for _ in $(seq 50); do [ -s "$T_TMP/port" ] && break; sleep 0.1; done
PORT=$(cat "$T_TMP/port")
export JIKAN_BASE_URL="http://127.0.0.1:$PORT/v4"
control() { curl -s -X POST --data "$1" "http://127.0.0.1:$PORT/_control" >/dev/null; }
server_log() { curl -s "http://127.0.0.1:$PORT/_log"; }

export DATABASE_URL=$(fresh_db etl)
"$CATLOG" db migrate >/dev/null
q() { psql "$DATABASE_URL" -qAt -c "$1"; }
RAW="$T_TMP/raw"
run() { "$CATLOG" etl run --raw-dir "$RAW" "$@"; }
snapshot_hash() { q "SELECT md5(string_agg(\"malId\" || ':' || coalesce(rank::text, '') || ':' || coalesce(score::text, '') || ':' || members, ',' ORDER BY \"malId\")) FROM \"DailyRankings\" WHERE \"snapshotDate\" = '$1'"; }

# --- a clean 4-page run
control '{"pages": 10}'
out=$(run --pages 4 --date 2026-11-20 2>&1); rc=$?
expect_eq "clean run exits 0" 0 "$rc"
expect_match "clean run summary" "4 pages, 100 anime loaded, 0 rejected, 4 requests" "$out"
expect_match "quality summary printed" "quality: 25 expectations, [0-9]+ passed" "$out"
expect_eq "100 rankings for the day" 100 "$(q "SELECT count(*) FROM \"DailyRankings\" WHERE \"snapshotDate\" = '2026-11-20'")"
expect_eq "100 anime upserted" 100 "$(q 'SELECT count(*) FROM "ProcessedAnime"')"
expect_eq "100 raw records" 100 "$(q "SELECT count(*) FROM \"RawAnimeData\" WHERE endpoint = 'top'")"
expect_eq "run logged as SUCCESS/COMPLETE" "SUCCESS|COMPLETE|100|4" "$(q 'SELECT status, "pipelineStep", "rowsProcessed", "apiRequestCount" FROM "EtlLogs" ORDER BY id DESC LIMIT 1')"
expect_eq "4 pages archived" 4 "$(ls "$RAW/2026-11-20" | grep -c '^top-anime-p[1-4].json$')"
if cmp -s "$RAW/2026-11-20/top-anime-p1.json" "$ROOT/tests/fixtures/jikan/top-anime-page1.json"; then
    pass "page archived exactly as received"; else fail "page archived exactly as received"; fi
expect_eq "recorded fields transformed" "Fullmetal Alchemist: Brotherhood|{Action,Adventure,Drama,Fantasy}|9.11|1|{Bones}|spring|2009" \
    "$(q 'SELECT title, genres, score, rank, studios, season, year FROM "ProcessedAnime" WHERE "malId" = 5114')"
expect_eq "rank tie kept (918 and 4181 at 16)" "16,16" "$(q "SELECT string_agg(rank::text, ',') FROM \"DailyRankings\" WHERE \"malId\" IN (918, 4181)")"
expect_eq "quality results stored with the run" 25 "$(q 'SELECT count(*) FROM "QualityResults" WHERE "runId" = (SELECT "runId" FROM "EtlLogs" ORDER BY id DESC LIMIT 1)')"
expect_eq "rank tie is a warning, not critical" "f|f" "$(q "SELECT critical, success FROM \"QualityResults\" WHERE expectation = 'expect_column_values_to_be_unique' AND \"column\" = 'rank' LIMIT 1")"

# rate limit measured at the server: >= 1 s between requests
gaps=$(server_log | python3 -c 'import json,sys; t=[r["t"] for r in json.load(sys.stdin)]; print(min(b-a for a,b in zip(t,t[1:])))')
if python3 -c "import sys; sys.exit(0 if $gaps >= 1.0 else 1)"; then pass "requests at most 1/s (min gap ${gaps}s)"; else fail "requests at most 1/s" "min gap $gaps"; fi
before=$(snapshot_hash 2026-11-20)

# --- the same date again: replaced, no duplicates
control '{"pages": 10, "day": 1}'
out=$(run --pages 4 --date 2026-11-20 2>&1); rc=$?
expect_eq "re-run exits 0" 0 "$rc"
expect_eq "re-run replaces the day (no duplicates)" 100 "$(q "SELECT count(*) FROM \"DailyRankings\" WHERE \"snapshotDate\" = '2026-11-20'")"
expect_eq "anime upserted, not duplicated" 100 "$(q 'SELECT count(*) FROM "ProcessedAnime"')"
expect_eq "members updated by the upsert" 100100 "$(q 'SELECT members FROM "ProcessedAnime" WHERE "malId" = 100000')"
control '{"pages": 10}'
run --pages 4 --date 2026-11-20 >/dev/null 2>&1
expect_eq "day restored by a third run" "$before" "$(snapshot_hash 2026-11-20)"

# --- 429 then success: waits Retry-After and counts the retry
control '{"pages": 10, "plan": {"2": [{"status": 429, "retry_after": 2}]}}'
out=$(run --pages 4 --date 2026-11-21 2>&1); rc=$?
expect_eq "429 then success exits 0" 0 "$rc"
expect_match "retry counted" "5 requests \(1 retry\)" "$out"
expect_eq "apiRequestCount includes the retry" 5 "$(q 'SELECT "apiRequestCount" FROM "EtlLogs" ORDER BY id DESC LIMIT 1')"
wait429=$(server_log | python3 -c '
import json,sys
log=json.load(sys.stdin)
i=[k for k,r in enumerate(log) if r["status"]==429][0]
print(round(log[i+1]["t"]-log[i]["t"],2))')
if python3 -c "import sys; sys.exit(0 if $wait429 >= 1.98 else 1)"; then pass "Retry-After honoured (${wait429}s)"; else fail "Retry-After honoured" "$wait429 s"; fi

# --- timeout then success
control '{"pages": 10, "plan": {"1": [{"slow": 4}]}}'
out=$(run --pages 2 --date 2026-11-22 --timeout 2 2>&1); rc=$?
expect_eq "timeout is retried" 0 "$rc"

# --- persistent 500: FAILED, clear message, yesterday intact
control '{"pages": 10, "always": {"3": {"status": 500}}}'
out=$(run --pages 4 --date 2026-11-20 --retries 2 2>&1); rc=$?
expect_eq "persistent 500 exits 1" 1 "$rc"
expect_match "500 error names the page and status" "failed at EXTRACT: GET .*page=3.*HTTP 500 \(after 3 attempts\)" "$out"
expect_eq "FAILED run logged with step" "FAILED|EXTRACT" "$(q 'SELECT status, "pipelineStep" FROM "EtlLogs" ORDER BY id DESC LIMIT 1')"
expect_match "error stored in EtlLogs" "HTTP 500" "$(q 'SELECT "errorMessage" FROM "EtlLogs" ORDER BY id DESC LIMIT 1')"
expect_eq "previous snapshot intact after a failure" "$before" "$(snapshot_hash 2026-11-20)"

# --- malformed JSON: FAILED, page named
control '{"pages": 10, "plan": {"2": [{"truncate": true}]}}'
out=$(run --pages 4 --date 2026-11-23 2>&1); rc=$?
expect_eq "malformed JSON exits 1" 1 "$rc"
expect_match "malformed JSON names the page" "failed at TRANSFORM: page 2: malformed JSON" "$out"
expect_eq "nothing loaded for the failed day" 0 "$(q "SELECT count(*) FROM \"DailyRankings\" WHERE \"snapshotDate\" = '2026-11-23'")"

# --- rejected records are counted, nulls become NULL, hostile titles stored verbatim
control '{"pages": 10, "variants": {"2": "hostile", "3": "nulls"}}'
out=$(run --pages 4 --date 2026-11-23 2>&1); rc=$?
expect_eq "run with rejects exits 0" 0 "$rc"
expect_match "rejected records counted" "98 anime loaded, 2 rejected" "$out"
expect_eq "null fields stored as NULL" "|||||{}" "$(q 'SELECT score, "titleEnglish", season, year, members, genres FROM "ProcessedAnime" WHERE "malId" = 100028')"
expect_eq "unknown seasons are not stored" 0 "$(q "SELECT count(*) FROM \"ProcessedAnime\" WHERE season NOT IN ('winter', 'spring', 'summer', 'fall')")"
expect_eq "hostile title stored verbatim" "<script>alert(1)</script>" "$(q 'SELECT title FROM "ProcessedAnime" WHERE "malId" = 100000')"

# --- quality gate: a critical failure blocks the snapshot
control '{"pages": 10, "variants": {"2": "badscore"}}'
out=$(run --pages 4 --date 2026-11-24 2>&1); rc=$?
expect_eq "quality gate failure exits 1" 1 "$rc"
expect_match "gate failure says which expectation" "CRITICAL expect_column_values_to_be_between\(score\): 1 outside 0..9.99" "$out"
expect_eq "gate failure: snapshot not visible" 0 "$(q "SELECT count(*) FROM \"DailyRankings\" WHERE \"snapshotDate\" = '2026-11-24'")"
expect_eq "gate failure logged" "FAILED|QUALITY" "$(q 'SELECT status, "pipelineStep" FROM "EtlLogs" ORDER BY id DESC LIMIT 1')"
expect_eq "gate failure results stored" "f" "$(q "SELECT success FROM \"QualityResults\" WHERE \"snapshotDate\" = '2026-11-24' AND \"column\" = 'score' AND expectation = 'expect_column_values_to_be_between'")"
out=$("$CATLOG" quality --date 2026-11-23 2>&1); rc=$?
expect_eq "quality on a good snapshot exits 0" 0 "$rc"
"$CATLOG" quality --date 2026-11-23 >/dev/null 2>&1
expect_eq "each manual evaluation is its own run (no doubled rows)" 0 "$(q "SELECT count(*) FROM (SELECT \"runId\", expectation, \"column\" FROM \"QualityResults\" GROUP BY 1, 2, 3 HAVING count(*) > 1) d")"
expect_match "quality summary line" "^2026-11-23: 25 expectations, [0-9]+ passed, [0-9]+ failed" "$(printf '%s\n' "$out" | tail -n 1)"

# --- NOTIFY on success
control '{"pages": 10}'
psql "$DATABASE_URL" -c "LISTEN catlog_etl_done" -c "SELECT pg_sleep(6)" -c "SELECT 1" >"$T_TMP/listen.out" 2>&1 &
LISTENER=$!
sleep 0.5
run --pages 1 --date 2026-11-25 >/dev/null 2>&1
wait $LISTENER
run_id=$(q 'SELECT "runId" FROM "EtlLogs" ORDER BY id DESC LIMIT 1')
expect_match "NOTIFY catlog_etl_done with the run id" "notification \"catlog_etl_done\" with payload \"$run_id\"" "$(cat "$T_TMP/listen.out")"

# --- retention: old raw rows and logs go, rankings stay
q "UPDATE \"RawAnimeData\" SET \"ingestedAt\" = now() - interval '100 days' WHERE \"etlRunId\" = '$run_id'" >/dev/null
q "INSERT INTO \"EtlLogs\" (\"runId\", status, \"pipelineStep\", \"createdAt\") VALUES ('ancient', 'SUCCESS', 'COMPLETE', now() - interval '400 days')" >/dev/null
run --pages 1 --date 2026-11-26 >/dev/null 2>&1
expect_eq "raw rows older than 90 days removed" 0 "$(q "SELECT count(*) FROM \"RawAnimeData\" WHERE \"etlRunId\" = '$run_id'")"
expect_eq "logs older than 365 days removed" 0 "$(q "SELECT count(*) FROM \"EtlLogs\" WHERE \"runId\" = 'ancient'")"
expect_eq "rankings kept" 25 "$(q "SELECT count(*) FROM \"DailyRankings\" WHERE \"snapshotDate\" = '2026-11-25'")"

# --- logs table, usage, database down
out=$("$CATLOG" etl logs --limit 3 2>&1); rc=$?
expect_eq "etl logs exits 0" 0 "$rc"
expect_eq "etl logs prints header + 3 runs" 4 "$(printf '%s\n' "$out" | wc -l)"
"$CATLOG" etl run --pages 0 >/dev/null 2>&1; expect_eq "bad --pages exits 2" 2 "$?"
"$CATLOG" etl frob >/dev/null 2>&1; expect_eq "unknown etl command exits 2" 2 "$?"
out=$(DATABASE_URL="postgresql:///nope?host=$T_TMP" "$CATLOG" etl run --pages 1 2>&1); rc=$?
expect_eq "database down exits 1" 1 "$rc"
expect_match "database down: one clear line" "^catlog: error: cannot connect to PostgreSQL at host=$T_TMP" "$out"

finish
