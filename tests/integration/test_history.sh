#!/usr/bin/env bash
# "AnimeHistory" (migration 007): the packed per-anime histories the site build reads must
# always say what "DailyRankings" says. After every kind of change (bulk demo load, an
# appended day, a replaced day, a backfill, updates, deletes, truncate) the packed rows are
# compared with a repack of "DailyRankings" done from scratch in SQL, and the anime pages
# built from them are checked against the rows.
set -u
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

export DATABASE_URL=$(fresh_db history)
q() { psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 -c "$1"; }
"$CATLOG" db migrate >/dev/null

# differences between the packed rows and a from-scratch repack (0 = in step), and stale marks
REFERENCE="WITH ref AS (SELECT \"malId\", max(\"snapshotDate\") AS last,
    string_agg(catlog_history_point(\"snapshotDate\", rank, score, members), ''::bytea ORDER BY \"snapshotDate\") AS points
    FROM \"DailyRankings\" GROUP BY \"malId\")
  SELECT (SELECT count(*) FROM ((SELECT * FROM ref EXCEPT SELECT * FROM \"AnimeHistory\")
                             UNION ALL (SELECT * FROM \"AnimeHistory\" EXCEPT SELECT * FROM ref)) x)"
differences() { q "$REFERENCE"; }
stale() { q 'SELECT count(*) FROM "AnimeHistoryStale"'; }
build() { "$CATLOG" build --out "$T_TMP/out" "$@" >/dev/null 2>"$T_TMP/build.err"; }

# --- the point format, byte for byte: 2026-03-31 = day 20543, NULLs as -1
expect_eq "point encoding" "\\x0000503f0000000c0399000f4240" \
    "$(q "SELECT catlog_history_point(DATE '2026-03-31', 12, 9.21, 1000000)")"
expect_eq "NULLs encode as -1" "\\x0000503fffffffffffffffffffff" \
    "$(q "SELECT catlog_history_point(DATE '2026-03-31', NULL, NULL, NULL)")"

# --- demo-data writes the packed rows itself
"$CATLOG" demo-data --anime 150 --days 40 --end 2026-03-31 --seed 5 >/dev/null
expect_eq "demo-data: one packed row per anime with snapshots" \
    "$(q 'SELECT count(DISTINCT "malId") FROM "DailyRankings"')" "$(q 'SELECT count(*) FROM "AnimeHistory"')"
expect_eq "demo-data: packed rows equal a repack" 0 "$(differences)"
expect_eq "demo-data: nothing stale" 0 "$(stale)"
expect_eq "demo-data: the insert trigger is on again" "O" \
    "$(q "SELECT tgenabled FROM pg_trigger WHERE tgname = 'DailyRankings_history_insert'")"

# --- the nightly case: a new day is appended in place
q "INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", rank, popularity, score, members, genres)
   SELECT \"malId\", DATE '2026-04-01', rank, popularity, score, members + 7, genres
   FROM \"DailyRankings\" WHERE \"snapshotDate\" = DATE '2026-03-31'" >/dev/null
expect_eq "appended day: nothing stale" 0 "$(stale)"
expect_eq "appended day: packed rows equal a repack" 0 "$(differences)"
expect_eq "appended day: lastDay moves" "2026-04-01" "$(q 'SELECT max("lastDay") FROM "AnimeHistory"')"

# --- two writers appending different days to one anime at once: the later day commits
# first, so the earlier one must not be appended after it (it goes stale instead)
q "INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", rank) VALUES (777002, DATE '2026-04-01', 9)" >/dev/null
psql "$DATABASE_URL" -qAt -c "BEGIN" \
     -c "INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", rank) VALUES (777002, DATE '2026-04-03', 7)" \
     -c "SELECT pg_sleep(1)" -c "COMMIT" >/dev/null 2>&1 &
sleep 0.4
q "INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", rank) VALUES (777002, DATE '2026-04-02', 8)" >/dev/null
wait
expect_eq "concurrent appends: the out-of-order day marks the anime stale" 1 \
    "$(q 'SELECT count(*) FROM "AnimeHistoryStale" WHERE "malId" = 777002')"
expect_eq "concurrent appends: lastDay stays the latest" "2026-04-03" \
    "$(q 'SELECT "lastDay" FROM "AnimeHistory" WHERE "malId" = 777002')"
q 'DELETE FROM "DailyRankings" WHERE "malId" = 777002' >/dev/null
q 'DELETE FROM "AnimeHistory" WHERE "malId" = 777002; DELETE FROM "AnimeHistoryStale" WHERE "malId" = 777002' >/dev/null

# --- a brand-new anime gets a packed row
q "INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", rank, score, members) VALUES (777001, DATE '2026-04-01', NULL, NULL, NULL)" >/dev/null
expect_eq "new anime: packed at once" "1 0" "$(q 'SELECT count(*) FROM "AnimeHistory" WHERE "malId" = 777001') $(stale)"

# --- the same day replaced (an ETL re-run): stale, then repacked by the build
q "BEGIN; DELETE FROM \"DailyRankings\" WHERE \"snapshotDate\" = DATE '2026-04-01';
   INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", rank, popularity, score, members, genres)
   SELECT \"malId\", DATE '2026-04-01', rank, popularity, score, members + 9, genres
   FROM \"DailyRankings\" WHERE \"snapshotDate\" = DATE '2026-03-31'; COMMIT" >/dev/null
n=$(stale)
if [ "$n" -gt 0 ]; then pass "replaced day: anime marked stale ($n)"; else fail "replaced day marks stale" "$n"; fi
expect_eq "replaced day: packed rows lag behind until a build" 1 "$([ "$(differences)" -gt 0 ] && echo 1)"
"$CATLOG" analytics refresh --as-of 2026-04-01 >/dev/null 2>&1
build; expect_eq "build after a replaced day exits 0" 0 "$?"
expect_eq "build repacked: nothing stale" 0 "$(stale)"
expect_eq "build repacked: packed rows equal a repack" 0 "$(differences)"
expect_eq "anime gone from the day loses its packed row" 0 "$(q 'SELECT count(*) FROM "AnimeHistory" WHERE "malId" = 777001')"

# --- the page shows what the rows say (members of the replaced day)
id=$(q 'SELECT min("malId") FROM "DailyRankings" WHERE "snapshotDate" = DATE '"'2026-04-01'"' AND members IS NOT NULL')
want=$(q "SELECT members FROM \"DailyRankings\" WHERE \"malId\" = $id AND \"snapshotDate\" = DATE '2026-04-01'")
got=$(python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["history"]; print(h[0]["date"], h[0]["members"], len(h))' "$T_TMP/out/api/anime/$id.json")
expect_eq "anime page history comes from the rows" "2026-04-01 $want 30" "$got"

# --- a backfill (a day before the packed ones) and an update of a charted value
q "INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", rank, score, members) VALUES ($id, DATE '2026-01-01', 5, 8.5, 100)" >/dev/null
q "UPDATE \"DailyRankings\" SET score = 1.23 WHERE \"malId\" = $id AND \"snapshotDate\" = DATE '2026-03-31'" >/dev/null
expect_eq "backfill + update: one anime stale" 1 "$(stale)"
q "UPDATE \"DailyRankings\" SET genres = '{Changed}' WHERE \"snapshotDate\" = DATE '2026-03-30'" >/dev/null
expect_eq "updating uncharted columns marks nothing" 1 "$(stale)"
build --as-of 2026-03-31; expect_eq "build --as-of after a backfill exits 0" 0 "$?"
expect_eq "backfill: packed rows equal a repack" 0 "$(differences)"
got=$(python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["history"]; print(h[0]["date"], h[0]["score"])' "$T_TMP/out/api/anime/$id.json")
expect_eq "--as-of cuts the packed history; the updated score shows" "2026-03-31 1.23" "$got"
grep -q '2026-01-01' "$T_TMP/out/anime/$id/index.html" && pass "all-time chart starts at the backfilled day" \
    || fail "all-time chart starts at the backfilled day" "$(grep -o 'ranged[^<]*' "$T_TMP/out/anime/$id/index.html" | head -2)"

# --- deletes and truncate
q "DELETE FROM \"DailyRankings\" WHERE \"malId\" = $id" >/dev/null
build; expect_eq "build after deleting an anime's rows exits 0" 0 "$?"
expect_eq "deleted rows: packed row gone" 0 "$(q "SELECT count(*) FROM \"AnimeHistory\" WHERE \"malId\" = $id")"
expect_eq "deleted rows: packed rows equal a repack" 0 "$(differences)"
q 'TRUNCATE "DailyRankings"' >/dev/null
expect_eq "truncate empties the packed rows" "0 0" "$(q 'SELECT count(*) FROM "AnimeHistory"') $(stale)"

# --- a repack waits for a writer in progress, so none of its rows slip past the marks
"$CATLOG" demo-data --replace --anime 150 --days 40 --end 2026-03-31 --seed 5 >/dev/null
q 'INSERT INTO "AnimeHistoryStale" SELECT "malId" FROM "AnimeHistory"' >/dev/null
psql "$DATABASE_URL" -qAt -c "BEGIN" \
     -c "INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", rank) SELECT \"malId\", DATE '2026-01-02', 1 FROM \"AnimeHistory\" LIMIT 3" \
     -c "SELECT pg_sleep(1.5)" -c "COMMIT" >/dev/null 2>&1 &
sleep 0.5
build; expect_eq "build during an open write exits 0" 0 "$?"
wait
expect_eq "the open write's rows are in the packed rows" 0 "$(differences)"
expect_eq "and nothing is left stale" 0 "$(stale)"

# --- upgrading a database that has snapshots but predates migration 007
export DATABASE_URL=$(fresh_db history_upgrade)
"$CATLOG" db migrate >/dev/null
q 'DROP FUNCTION catlog_history_inserted, catlog_history_deleted, catlog_history_updated, catlog_history_truncated CASCADE;
   DROP TABLE "AnimeHistory", "AnimeHistoryStale"; DROP FUNCTION catlog_history_point, catlog_history_first_day;
   DELETE FROM "SchemaMigrations" WHERE version = 7' >/dev/null
q "INSERT INTO \"ProcessedAnime\" (\"malId\", title) SELECT m, 'Anime ' || m FROM generate_series(1, 20) m" >/dev/null
q "INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", rank, score, members)
   SELECT m, DATE '2026-03-01' + d, m + d, 7.5, 1000 * m FROM generate_series(1, 20) m, generate_series(0, 9) d" >/dev/null
out=$("$CATLOG" build --out "$T_TMP/up" 2>&1); rc=$?
expect_eq "build on a schema before 007 exits 1" 1 "$rc"
expect_match "and says to migrate" "run catlog db migrate" "$out"
"$CATLOG" db migrate >/dev/null
expect_eq "migration 007 marks existing anime stale" 20 "$(stale)"
build; expect_eq "first build after the upgrade exits 0" 0 "$?"
expect_eq "upgrade: packed rows equal a repack" "0 0" "$(differences) $(stale)"

finish
