#!/usr/bin/env bash
# A hostile or broken Jikan: each case of tests/fixtures/jikan_server.py's variants and faults
# against catlog etl run (and one nightly). Asserted: the exit code, the previous snapshot
# intact, nothing archived or published from a refused answer, one clear line, and memory
# bounded for a gzip bomb and an endless body.
set -u
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OPT_CATLOG="$ROOT/build/catlog"   # without sanitizers: for the memory figures

export DATABASE_URL=$(fresh_db hostile)
q() { psql "$DATABASE_URL" -qAt -c "$1"; }
"$CATLOG" db migrate >/dev/null
start_jikan
RAW="$T_TMP/raw"
run() { "$CATLOG" etl run --pages 2 --raw-dir "$RAW" "$@"; }

jikan_control '{"pages": 4}'
run --date 2026-11-20 >/dev/null 2>&1
expect_eq "a clean day first" 50 "$(q "SELECT count(*) FROM \"DailyRankings\" WHERE \"snapshotDate\" = '2026-11-20'")"
BEFORE=$(q "SELECT md5(string_agg(\"malId\" || ':' || coalesce(rank, -1) || ':' || coalesce(score, -1), ',' ORDER BY \"malId\")) FROM \"DailyRankings\"")

# blocked: DAY gets no snapshot, the previous one is untouched, the log says why
last_log() { q "SELECT status || ' ' || \"pipelineStep\" || ' ' || coalesce(\"errorMessage\", '') FROM \"EtlLogs\" ORDER BY id DESC LIMIT 1"; }
blocked() {  # $1 = case, $2 = control JSON, $3 = regex the one error line must match, $4 = pages archived
    jikan_control "$2"
    local out rc
    out=$(run --date 2026-11-21 2>&1); rc=$?
    expect_eq "$1: exit 1" 1 "$rc"
    expect_eq "$1: no snapshot for the day" 0 "$(q "SELECT count(*) FROM \"DailyRankings\" WHERE \"snapshotDate\" = '2026-11-21'")"
    expect_eq "$1: previous snapshot intact" "$BEFORE" \
        "$(q "SELECT md5(string_agg(\"malId\" || ':' || coalesce(rank, -1) || ':' || coalesce(score, -1), ',' ORDER BY \"malId\")) FROM \"DailyRankings\"")"
    expect_eq "$1: one error line" 1 "$(printf '%s\n' "$out" | grep -c '^catlog: error:')"
    expect_match "$1: the line says why" "$3" "$(printf '%s\n' "$out" | grep '^catlog: error:')"
    expect_match "$1: EtlLogs says why" "^FAILED .*$3" "$(last_log)"
    expect_eq "$1: archived only the pages that were accepted" "$4" "$(ls "$RAW/2026-11-21" 2>/dev/null | tr '\n' ' ')"
    rm -rf "$RAW/2026-11-21"
}
blocked "every score a string" '{"pages": 4, "variants": {"all": "scorestrings"}}' "TRANSFORM.*50 rejected; first: score not a number" "top-anime-p1.json top-anime-p2.json "
blocked "every rank 0" '{"pages": 4, "variants": {"all": "rankzero"}}' "QUALITY.*expect_column_values_to_be_at_least\(rank\): 50 below 1" "top-anime-p1.json top-anime-p2.json "
blocked "one mal_id for every record" '{"pages": 4, "variants": {"all": "sameid"}}' \
    "QUALITY.*expect_column_proportion_of_unique_values_to_be_at_least\(malId\): 2 distinct of 50 rows" "top-anime-p1.json top-anime-p2.json "
blocked "5,000 records on a page" '{"pages": 4, "variants": {"1": "manyrecords"}}' "page 1: 5000 records, more than the 100" ""
blocked "a gzip bomb" '{"pages": 4, "always": {"1": {"gzip_bomb": true}}}' "larger than 8 MiB \(jikan.max_response" ""
blocked "an endless body" '{"pages": 4, "always": {"2": {"endless": true}}}' "page=2.*larger than 8 MiB" "top-anime-p1.json "

blocked "every score null" '{"pages": 4, "variants": {"all": "nullscores"}}' \
    "QUALITY.*expect_column_null_proportion_to_not_grow\(score\): 100% null" "top-anime-p1.json top-anime-p2.json "

jikan_control '{"pages": 4}'
out=$(run --date 2026-11-21 --max-response 1 2>&1); rc=$?
expect_eq "a tight --max-response still fits a normal page" 0 "$rc"
q "DELETE FROM \"DailyRankings\" WHERE \"snapshotDate\" = '2026-11-21'" >/dev/null

# memory: the bomb and the endless body stop at the limit (peak RSS of the optimised build)
for fault in gzip_bomb endless; do
    jikan_control "{\"pages\": 4, \"always\": {\"1\": {\"$fault\": true}}}"
    rss=$(/usr/bin/time -f '%M' "$OPT_CATLOG" etl run --pages 2 --raw-dir "$RAW" --date 2026-11-21 2>&1 >/dev/null | tail -n 1)
    echo "     peak RSS with $fault: $rss KB"
    [ "$rss" -lt 65536 ] && pass "$fault: under 64 MB RSS ($rss KB)" || fail "$fault: under 64 MB RSS" "$rss KB"
done

# accepted, with the bad parts dropped
accepted() {  # $1 = case, $2 = control JSON; leaves the run's output in $out
    jikan_control "$2"
    local rc
    out=$(run --date 2026-11-22 2>&1); rc=$?
    expect_eq "$1: exit 0" 0 "$rc"
}
accepted "image URLs that are not https" '{"pages": 4, "variants": {"all": "badimage"}}'
expect_eq "only https image URLs stored" "0" \
    "$(q "SELECT count(*) FROM \"ProcessedAnime\" WHERE \"imageUrl\" IS NOT NULL AND \"imageUrl\" NOT LIKE 'https://%'")"
accepted "a title 100,000 characters long" '{"pages": 4, "variants": {"1": "longtitle"}}'
expect_eq "the record is rejected, not cut" 0 "$(q "SELECT count(*) FROM \"ProcessedAnime\" WHERE length(title) > 500")"
expect_match "the run logs the rejection" "1 record rejected \(first: a text field too long" "$out"
accepted "null genre elements" '{"pages": 4, "variants": {"all": "nullgenre"}}'
expect_eq "no NULL genre stored" 0 "$(q "SELECT count(*) FROM \"ProcessedAnime\" WHERE array_position(genres, NULL) IS NOT NULL")"

# a blocked snapshot in the nightly: exit 5, nothing published
PUB="$T_TMP/published"
jikan_control '{"pages": 4}'
"$CATLOG" nightly --pages 2 --raw-dir "$RAW" --date 2026-11-23 --out "$T_TMP/site" --to "$PUB" --retry-delay 0 >/dev/null 2>&1
published=$(cd "$PUB" && find . -type f -exec sha256sum {} + | sort | sha256sum)
jikan_control '{"pages": 4, "variants": {"all": "rankzero"}}'
out=$("$CATLOG" nightly --pages 2 --raw-dir "$RAW" --date 2026-11-24 --out "$T_TMP/site" --to "$PUB" --retry-delay 0 2>&1); rc=$?
expect_eq "nightly: a blocked snapshot exits 5" 5 "$rc"
expect_eq "nightly: nothing published" "$published" "$(cd "$PUB" && find . -type f -exec sha256sum {} + | sort | sha256sum)"
expect_match "nightly: the alert line says which expectation" "FAILED at step quality.*rank.*below 1" "$(printf '%s\n' "$out" | tail -n 1)"

# --- secrets in URLs never print
out=$("$CATLOG" etl run --pages 1 --raw-dir "$RAW" --date 2026-11-25 --retries 0 \
      --jikan-url 'http://jikanuser:pw9secret@127.0.0.1:9/v4?key=k3ysecret' 2>&1)
expect_match "a failed fetch names the URL" "GET http://jikanuser:\*\*\*@127.0.0.1:9/v4" "$out"
expect_no_match "without its password or key" "pw9secret|k3ysecret" "$out$(last_log)"

# --- stopped runs end cleanly: SIGTERM marks the run FAILED "interrupted"; kill -9 leaves a
# RUNNING row that the next run marks FAILED
wait_for_request() {  # $1 = page: until the fixture server has seen a request for it
    for _ in $(seq 100); do jikan_log | grep -q "page=$1" && return 0; sleep 0.1; done
    return 1
}
jikan_control '{"pages": 4, "plan": {"2": [{"slow": 20}]}}'
"$CATLOG" etl run --pages 2 --raw-dir "$RAW" --date 2026-11-26 >"$T_TMP/term.log" 2>&1 &
pid=$!
wait_for_request 2
kill -TERM $pid
wait $pid
expect_eq "SIGTERM during etl run: exit 1" 1 "$?"
expect_match "SIGTERM: the run is FAILED, interrupted" "^FAILED EXTRACT .*interrupted" "$(last_log)"
expect_match "SIGTERM: one line says so" "failed at EXTRACT: .*interrupted" "$(cat "$T_TMP/term.log")"
expect_eq "SIGTERM: no snapshot" 0 "$(q "SELECT count(*) FROM \"DailyRankings\" WHERE \"snapshotDate\" = '2026-11-26'")"
jikan_control '{"pages": 4, "plan": {"2": [{"slow": 20}]}}'
"$CATLOG" etl run --pages 2 --raw-dir "$RAW" --date 2026-11-26 >/dev/null 2>&1 &
pid=$!
wait_for_request 2
kill -KILL $pid
wait $pid 2>/dev/null
killed=$(q 'SELECT "runId" FROM "EtlLogs" ORDER BY id DESC LIMIT 1')
expect_eq "kill -9 leaves the row RUNNING" "RUNNING" "$(q "SELECT status FROM \"EtlLogs\" WHERE \"runId\" = '$killed'")"
jikan_control '{"pages": 4}'
run --date 2026-11-26 >/dev/null 2>&1
expect_eq "the next run marks it FAILED" "FAILED|interrupted: the run ended without finishing (its process is gone)" \
    "$(q "SELECT status || '|' || \"errorMessage\" FROM \"EtlLogs\" WHERE \"runId\" = '$killed'")"
expect_eq "and a run still going is left alone" 0 "$(q "SELECT count(*) FROM \"EtlLogs\" WHERE status = 'RUNNING'")"

# the nightly: SIGTERM in its ETL step -> exit 4, "PipelineRuns" FAILED interrupted, no lock left
jikan_control '{"pages": 4, "plan": {"2": [{"slow": 20}]}}'
"$CATLOG" nightly --pages 2 --raw-dir "$RAW" --date 2026-11-27 --out "$T_TMP/site" --retry-delay 0 >"$T_TMP/nterm.log" 2>&1 &
pid=$!
wait_for_request 2
kill -TERM $pid
wait $pid
expect_eq "SIGTERM during nightly: exit 4" 4 "$?"
expect_match "nightly: PipelineRuns FAILED, interrupted" "^FAILED\|etl\|.*interrupted" \
    "$(q 'SELECT status || '"'|'"' || "failedStep" || '"'|'"' || "errorMessage" FROM "PipelineRuns" ORDER BY "startTime" DESC LIMIT 1')"
expect_eq "nightly: no advisory lock left" 0 "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")"

# build: SIGTERM mid-build leaves the previous site, no staging directory, no worker
"$CATLOG" demo-data --anime 1500 --days 30 --end 2026-11-27 --replace >/dev/null
"$CATLOG" build --out "$T_TMP/site-term" >/dev/null 2>&1
before=$(cd "$T_TMP/site-term" && find . -type f -exec sha256sum {} + | sort | sha256sum)
q "UPDATE \"ProcessedAnime\" SET title = title || ' (changed)'" >/dev/null
"$CATLOG" build --out "$T_TMP/site-term" --jobs 2 >"$T_TMP/bterm.log" 2>&1 &
pid=$!
for _ in $(seq 200); do ls -d "$T_TMP"/site-term.staging-* >/dev/null 2>&1 && [ -n "$(ls "$T_TMP"/site-term.staging-*/anime 2>/dev/null | head -n 1)" ] && break; sleep 0.05; done
kill -TERM $pid
wait $pid
expect_eq "SIGTERM during build: exit 1" 1 "$?"
expect_match "build: says it was interrupted" "interrupted" "$(cat "$T_TMP/bterm.log")"
expect_eq "build: the previous site is whole" "$before" "$(cd "$T_TMP/site-term" && find . -type f -exec sha256sum {} + | sort | sha256sum)"
expect_eq "build: no staging directory left" "" "$(ls -d "$T_TMP"/site-term.staging-* 2>/dev/null)"
sleep 0.5
expect_eq "build: no worker left" "" "$(pgrep -f "$CATLOG build --out $T_TMP/site-term" || true)"

# --- hostile rows in the database reach the site builder (written by anything, not only our ETL)
export DATABASE_URL=$(fresh_db hostile_site)
"$CATLOG" db migrate >/dev/null
"$CATLOG" demo-data --anime 30 --days 10 --end 2026-03-31 >/dev/null
ids=($(q 'SELECT "malId" FROM "ProcessedAnime" ORDER BY "malId" LIMIT 6'))
LONG_GENRE=$(printf 'G%.0s' $(seq 300))
LONG_TITLE=$(python3 -c 'print("\u3042" * 200)')   # 600 bytes of a 3-byte character
q "UPDATE \"ProcessedAnime\" SET genres = ARRAY['Action', NULL] WHERE \"malId\" = ${ids[0]}" >/dev/null
q "UPDATE \"ProcessedAnime\" SET genres = ARRAY['Sci Fi', 'アクション'] WHERE \"malId\" = ${ids[1]}" >/dev/null
q "UPDATE \"ProcessedAnime\" SET genres = ARRAY['Sci-Fi', '$LONG_GENRE', 'ドラマ'] WHERE \"malId\" = ${ids[2]}" >/dev/null
q "UPDATE \"ProcessedAnime\" SET title = 'Nonchar ' || chr(65534) || ' and ' || chr(65535) || ' end', \"imageUrl\" = 'javascript:alert(1)' WHERE \"malId\" = ${ids[3]}" >/dev/null
q "UPDATE \"ProcessedAnime\" SET title = '$LONG_TITLE', \"imageUrl\" = '//evil.example/x.jpg' WHERE \"malId\" = ${ids[4]}" >/dev/null
q "UPDATE \"ProcessedAnime\" SET \"imageUrl\" = 'https://cdn.example/ok.jpg' WHERE \"malId\" = ${ids[5]}" >/dev/null
"$CATLOG" analytics refresh >/dev/null 2>&1
DOCS="$T_TMP/content"
mkdir -p "$DOCS/docs"
for name in '...md' '..md' "$(printf 'bad\nname.md')" 'README.md' 'fine-doc.md'; do printf '# %s\n' x > "$DOCS/docs/$name"; done
for jobs in 1 3; do
    SITE="$T_TMP/site-hostile-$jobs"
    out=$("$CATLOG" build --out "$SITE" --jobs $jobs --content "$DOCS" --site-url https://catlog.example.org 2>&1); rc=$?
    expect_eq "hostile rows (--jobs $jobs): build exits 0" 0 "$rc"
done
SITE="$T_TMP/site-hostile-3"
expect_eq "bad doc names refused, one line each" 4 "$(printf '%s\n' "$out" | grep -c 'skipped: a doc.s file name must be')"
expect_match "the dashboard is still the dashboard" "dashboard</h1>" "$(cat "$SITE/index.html")"
[ -f "$SITE/docs/fine-doc/index.html" ] && pass "a good doc name still builds" || fail "a good doc name still builds"
expect_eq "sitemap: every line one well-formed URL" 0 \
    "$(python3 -c 'import sys,re,xml.etree.ElementTree as E; locs=[l.text for l in E.parse(sys.argv[1]).getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]; print(sum(1 for l in locs if not re.fullmatch(r"https://catlog\.example\.org/[a-z0-9/._-]*", l)))' "$SITE/sitemap.xml")"
expect_eq "same bytes with 1 and 3 workers" "$(cd "$T_TMP/site-hostile-1" && find . -type f ! -name '*.staging*' -exec sha256sum {} + | sort | sha256sum)" \
    "$(cd "$SITE" && find . -type f -exec sha256sum {} + | sort | sha256sum)"
out=$("$CATLOG" publish --out "$SITE" --to "$T_TMP/pub-hostile" 2>&1); rc=$?
expect_eq "the manifest agrees with the files (publish accepts the site)" 0 "$rc"
genre_dirs=$(ls "$SITE/genres")
expect_eq "Sci Fi and Sci-Fi get two pages" 2 "$(printf '%s\n' "$genre_dirs" | grep -c '^sci-fi-[0-9a-f]\{8\}$')"
expect_eq "two names without a Latin letter get two pages" 2 "$(printf '%s\n' "$genre_dirs" | grep -c '^x-[0-9a-f]\{8\}$')"
expect_eq "every genre link of an anime page exists" 0 \
    "$(for f in "$SITE"/anime/*/index.html; do grep -o 'href="\.\./\.\./genres/[^"]*"' "$f"; done | sed 's|href="\.\./\.\./||; s|"$||' | sort -u | while read -r l; do [ -f "$SITE/$l" ] || echo "$l"; done | wc -l)"
longest=$(printf '%s\n' "$genre_dirs" | awk '{ print length }' | sort -n | tail -n 1)
[ "$longest" -le 69 ] && pass "a 300-character genre gets a short path ($longest)" || fail "a 300-character genre gets a short path" "$longest"
expect_eq "the NULL genre element is skipped" 1 "$(grep -c 'class="tag"' "$SITE/anime/${ids[0]}/index.html")"
python3 -c 'import sys,xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$SITE/feed.xml" 2>/dev/null && pass "feed.xml well-formed with U+FFFE/U+FFFF in a title" || fail "feed.xml well-formed with U+FFFE/U+FFFF in a title"
expect_eq "no XML-forbidden character in any page" 0 "$(grep -rlP '\x{FFFE}|\x{FFFF}' "$SITE" --include='*.html' --include='*.xml' | wc -l)"
expect_eq "every page is valid UTF-8 (chart labels not cut mid-character)" 0 \
    "$(find "$SITE" -name '*.html' -exec python3 -c 'import sys; bad=0
for p in sys.argv[1:]:
    try: open(p, "rb").read().decode("utf-8")
    except UnicodeDecodeError: bad += 1
print(bad)' {} + | awk '{ s += $1 } END { print s + 0 }')"
expect_no_match "javascript: image not rendered" 'src="javascript:' "$(cat "$SITE/anime/${ids[3]}/index.html")"
expect_no_match "protocol-relative image not rendered" 'src="//evil' "$(cat "$SITE/anime/${ids[4]}/index.html")"
expect_match "https image rendered" 'src="https://cdn.example/ok.jpg"' "$(cat "$SITE/anime/${ids[5]}/index.html")"
expect_match "nor in the API" '"imageUrl": ?null' "$(cat "$SITE/api/anime/${ids[3]}.json")"
q "UPDATE \"ProcessedAnime\" SET title = title || '!' WHERE \"malId\" = ${ids[5]}" >/dev/null
"$CATLOG" build --out "$SITE" >/dev/null 2>&1   # one page changed since the publish above
out=$("$CATLOG" publish --out "$SITE" --to "$T_TMP/pub-hostile" --purge-url 'http://hookuser:hunter2@127.0.0.1:9/purge?token=s3cr3t&zone=1' 2>&1)
expect_match "a failed purge hook is named" "purge hook http://hookuser:\*\*\*@127.0.0.1:9/purge\?token=\*\*\*&zone=1" "$out"
expect_no_match "without its password or token" "hunter2|s3cr3t" "$out"

finish
