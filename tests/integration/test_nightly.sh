#!/usr/bin/env bash
# catlog nightly and catlog watch end to end: fixture Jikan -> PostgreSQL -> analytics ->
# site -> published directory, failures in every step, the lock, alerts, LISTEN/NOTIFY.
set -u
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
start_jikan
start_webhook

export DATABASE_URL=$(fresh_db nightly)
q() { psql "$DATABASE_URL" -qAt -c "$1"; }
"$CATLOG" db migrate >/dev/null
OUT="$T_TMP/out"
PUB="$T_TMP/published"
nightly() { "$CATLOG" nightly --out "$OUT" --publish-to "$PUB" --raw-dir "$T_TMP/raw" --webhook "$WEBHOOK_URL" --retry-delay 0 --pages 4 "$@"; }
pub_state() { find "$PUB" -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64; }
last_hook() { tail -n 1 "$WEBHOOK_LOG"; }

# --- day 1: the whole chain
jikan_control '{"pages": 10}'
out=$(nightly --date 2026-11-20 2>&1); rc=$?
expect_eq "nightly exits 0" 0 "$rc"
expect_match "each step logged with its duration" "nightly: etl +ok +[0-9.]+ s" "$out"
expect_match "build step logged" "nightly: build +ok" "$out"
expect_match "publish step logged" "nightly: publish +ok" "$out"
expect_eq "site published" 1 "$([ -s "$PUB/index.html" ] && [ -s "$PUB/anime/5114/index.html" ] && echo 1)"
expect_match "published page shows the day" "as of 2026-11-20" "$(cat "$PUB/index.html")"
expect_match "success alert sent" '"text":"CatLog nightly nightly-.*: SUCCESS' "$(last_hook)"
expect_eq "run recorded" "SUCCESS|0|5" "$(q 'SELECT status, "exitCode", jsonb_array_length(steps) FROM "PipelineRuns" ORDER BY id DESC LIMIT 1')"

# --- day 2: the new day's data reaches the published pages; fingerprinted assets stay
assets_before=$(ls "$PUB/assets")
jikan_control '{"pages": 10, "day": 1}'
out=$(nightly --date 2026-11-21 2>&1); rc=$?
expect_eq "second day exits 0" 0 "$rc"
expect_match "published page shows the new day" "as of 2026-11-21" "$(cat "$PUB/index.html")"
expect_match "anime page shows the new day's members" "<td>2026-11-21</td><td class=\"num\">[0-9]+</td><td class=\"num\">[0-9.]+</td><td class=\"num\">100,100</td>" "$(cat "$PUB/anime/100000/index.html")"
expect_eq "assets unchanged between days" "$assets_before" "$(ls "$PUB/assets")"
expect_eq "both days in the published history" 2 "$(grep -c '<td>2026-11-2[01]</td>' "$PUB/anime/100000/index.html")"
expect_eq "analytics refreshed for the new day" 1 "$(q "SELECT count(DISTINCT \"asOf\") FROM \"RollingMomentumAnalysis\" WHERE \"asOf\" = '2026-11-21'")"
good=$(pub_state)

# --- failures: each step, previous published site untouched, alert names the step
jikan_control '{"pages": 10, "always": {"2": {"status": 500}}}'
out=$(nightly --date 2026-11-22 2>&1); rc=$?
expect_eq "Jikan 500s: exit 4 (ETL)" 4 "$rc"
expect_eq "Jikan 500s: published site untouched" "$good" "$(pub_state)"
expect_match "Jikan 500s: alert names the step" "FAILED at step etl .*exit 4.*HTTP 500" "$(last_hook)"
expect_match "extract was retried" "nightly: etl +FAILED .*retried" "$out"

jikan_control '{"pages": 10, "variants": {"2": "badscore"}}'
out=$(nightly --date 2026-11-22 2>&1); rc=$?
expect_eq "quality gate failure: exit 5" 5 "$rc"
expect_eq "quality gate failure: published site untouched" "$good" "$(pub_state)"
expect_match "quality gate failure: alert names the step" "FAILED at step quality .*exit 5" "$(last_hook)"

jikan_control '{"pages": 10, "day": 2}'
cp -r templates "$T_TMP/broken"
printf '{{#rows}}\n' > "$T_TMP/broken/pages/index.mustache"
out=$(nightly --date 2026-11-22 --templates "$T_TMP/broken" 2>&1); rc=$?
expect_eq "template error: exit 7 (build)" 7 "$rc"
expect_eq "template error: published site untouched" "$good" "$(pub_state)"
expect_match "template error: alert names the step" "FAILED at step build .*exit 7" "$(last_hook)"
expect_eq "failed run recorded with its step" "FAILED|build|7" "$(q 'SELECT status, "failedStep", "exitCode" FROM "PipelineRuns" ORDER BY id DESC LIMIT 1')"
expect_match "template error: alert says why" "site build failed \\(rendering index.html with pages/index: .*index.mustache:1:1" "$(last_hook)"
# the same from a page a build worker renders: its error line travels back to the alert
rm -rf "$T_TMP/broken" && cp -r templates "$T_TMP/broken"
printf '{{#anime}}\n' > "$T_TMP/broken/pages/anime.mustache"
out=$(nightly --date 2026-11-22 --templates "$T_TMP/broken" 2>&1); rc=$?
expect_eq "template error in a worker: exit 7" 7 "$rc"
expect_match "template error in a worker: alert says why" "site build failed \\(rendering anime/[0-9]+/index.html with pages/anime: .*anime.mustache" "$(last_hook)"
expect_match "template error in a worker: recorded with the reason" "anime.mustache" \
    "$(q 'SELECT "errorMessage" FROM "PipelineRuns" ORDER BY id DESC LIMIT 1')"

touch "$T_TMP/not-a-directory"
out=$("$CATLOG" nightly --out "$OUT" --publish-to "$T_TMP/not-a-directory/site" --raw-dir "$T_TMP/raw" --webhook "$WEBHOOK_URL" --retry-delay 0 --pages 4 --date 2026-11-22 2>&1); rc=$?
expect_eq "publish failure: exit 8" 8 "$rc"
expect_match "publish failure: alert names the step" "FAILED at step publish .*exit 8" "$(last_hook)"
expect_match "publish was retried" "nightly: publish +FAILED .*retried" "$out"

# --- one nightly at a time
jikan_control '{"pages": 10, "plan": {"1": [{"slow": 4}]}}'
nightly --date 2026-11-23 >"$T_TMP/first.log" 2>&1 &
FIRST=$!
sleep 1.5
out=$(nightly --date 2026-11-23 2>&1); rc=$?
expect_eq "a second concurrent nightly exits 3" 3 "$rc"
expect_match "it says who holds the lock" "another nightly is running \(server pid [0-9]+, catlog nightly" "$out"
wait $FIRST
expect_eq "the first one completes" 0 "$?"

# --- watch: NOTIFY -> rebuild, bursts coalesce, database restarts survived, clean stop
WOUT="$T_TMP/watch-out"
"$CATLOG" watch --out "$WOUT" --quiet-period 1 >"$T_TMP/watch.log" 2>&1 &
WATCH=$!
for _ in $(seq 50); do grep -q listening "$T_TMP/watch.log" && break; sleep 0.1; done
for i in 1 2 3 4 5; do q "NOTIFY catlog_etl_done, 'burst-$i'" >/dev/null; sleep 0.1; done
for _ in $(seq 100); do grep -q "rebuilt" "$T_TMP/watch.log" && break; sleep 0.1; done
sleep 2
builds=$(grep -c "rebuilt the site" "$T_TMP/watch.log")
if [ "$builds" -ge 1 ] && [ "$builds" -le 2 ]; then pass "a burst of 5 notifications gives 1-2 builds ($builds)"; else fail "burst coalesced" "$builds builds"; fi
expect_eq "watch built the site" 1 "$([ -s "$WOUT/index.html" ] && echo 1)"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$CATLOG_PG_DIR/data" -m fast -w restart >/dev/null 2>&1
else "$PGBIN/pg_ctl" -D "$CATLOG_PG_DIR/data" -m fast -w restart >/dev/null 2>&1; fi
for _ in $(seq 150); do grep -q "reconnected" "$T_TMP/watch.log" && break; sleep 0.1; done
expect_match "watch reconnects after a database restart" "reconnected" "$(cat "$T_TMP/watch.log")"
before=$(grep -c "rebuilt the site" "$T_TMP/watch.log")
q "NOTIFY catlog_etl_done, 'after-restart'" >/dev/null
for _ in $(seq 100); do [ "$(grep -c "rebuilt the site" "$T_TMP/watch.log")" -gt "$before" ] && break; sleep 0.1; done
expect_eq "NOTIFY after the restart triggers a rebuild" $((before + 1)) "$(grep -c "rebuilt the site" "$T_TMP/watch.log")"
"$CATLOG" etl run --pages 1 --date 2026-11-24 --raw-dir "$T_TMP/raw" >/dev/null 2>&1
for _ in $(seq 100); do [ "$(grep -c "rebuilt the site" "$T_TMP/watch.log")" -gt "$((before + 1))" ] && break; sleep 0.1; done
expect_match "catlog etl run triggers watch" "rebuilt the site for 2026-11-24" "$(cat "$T_TMP/watch.log")"
kill -TERM $WATCH
wait $WATCH
expect_eq "watch stops cleanly on SIGTERM" 0 "$?"
expect_match "watch says it stopped" "watch: stopped" "$(tail -n 1 "$T_TMP/watch.log")"

# a failing rebuild: the alert says which step and why (here a page a build worker renders)
# (a site project whose anime template overrides the built-in one)
mkdir -p "$T_TMP/wbroken/templates/pages" && : > "$T_TMP/wbroken/catlog.yaml"
printf '{{#anime}}\n' > "$T_TMP/wbroken/templates/pages/anime.mustache"
(cd "$T_TMP/wbroken" && exec "$CATLOG" watch --out "$T_TMP/wbroken/out" --quiet-period 1 --webhook "$WEBHOOK_URL") >"$T_TMP/watch2.log" 2>&1 &
WATCH=$!
for _ in $(seq 50); do grep -q listening "$T_TMP/watch2.log" && break; sleep 0.1; done
q "NOTIFY catlog_etl_done, 'broken'" >/dev/null
for _ in $(seq 100); do grep -q "FAILED" "$T_TMP/watch2.log" && break; sleep 0.1; done
expect_match "watch: a failed rebuild says why" "FAILED at step build: rendering anime/[0-9]+/index.html with pages/anime: .*anime.mustache" "$(cat "$T_TMP/watch2.log")"
expect_match "watch: the alert says why" "FAILED at step build: rendering anime/" "$(last_hook)"
kill -TERM $WATCH
wait $WATCH

"$CATLOG" nightly --help >/dev/null; expect_eq "nightly --help exits 0" 0 "$?"
"$CATLOG" watch --bogus >/dev/null 2>&1; expect_eq "watch with a bad flag exits 2" 2 "$?"

finish
