#!/usr/bin/env bash
# Schema, migrations, demo data and the command-line contract, on a real PostgreSQL.
set -u
source "$(dirname "$0")/lib.sh"

# --- command-line contract
out=$("$CATLOG" 2>&1); rc=$?
expect_eq "no command exits 2" 2 "$rc"
out=$("$CATLOG" frobnicate 2>&1); rc=$?
expect_eq "unknown command exits 2" 2 "$rc"
expect_match "unknown command prints usage" "usage: catlog" "$out"
out=$("$CATLOG" demo-data --bogus 2>&1); rc=$?
expect_eq "unknown flag exits 2" 2 "$rc"
expect_match "unknown flag prints usage" "usage: catlog demo-data" "$out"
out=$("$CATLOG" demo-data --days zero 2>&1); rc=$?
expect_eq "bad flag value exits 2" 2 "$rc"
expect_match "bad flag value is named" "--days expects a whole number" "$out"
out=$("$CATLOG" --help); rc=$?
expect_eq "--help exits 0" 0 "$rc"
for c in analytics build db demo-data etl nightly publish quality render watch; do
    "$CATLOG" $c --help >/dev/null 2>&1; expect_eq "$c --help exits 0" 0 "$?"
done

# --- unreachable database: one line, names the target, never the password
out=$(DATABASE_URL="postgresql://alice:s3cretpw@127.0.0.1:1/nowhere?connect_timeout=2" "$CATLOG" db migrate 2>&1); rc=$?
expect_eq "unreachable database exits 1" 1 "$rc"
expect_eq "unreachable database: one line" 1 "$(printf '%s\n' "$out" | wc -l)"
expect_match "unreachable database names the target" "host=127.0.0.1 port=1 dbname=nowhere user=alice" "$out"
expect_no_match "unreachable database hides the password" "s3cretpw" "$out"

# --- migrations: versioned, idempotent
export DATABASE_URL=$(fresh_db foundation_a)
out=$("$CATLOG" db migrate 2>&1); rc=$?
expect_eq "migrate exits 0" 0 "$rc"
expect_match "migrate applies 001" "applied 001_seed_tables" "$out"
out=$("$CATLOG" db migrate 2>&1); rc=$?
expect_eq "second migrate exits 0" 0 "$rc"
expect_match "second migrate applies nothing" "\(0 applied now\)" "$out"
n=$(psql "$DATABASE_URL" -qAt -c 'SELECT count(*) FROM "SchemaMigrations"')
expect_eq "each migration recorded once" "$("$CATLOG" db status | wc -l)" "$n"
cols=$(psql "$DATABASE_URL" -qAt -c "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'DailyRankings'")
expect_eq "DailyRankings columns" "id:integer,malId:integer,snapshotDate:date,rank:integer,popularity:integer,score:numeric,scoredBy:integer,members:integer,favorites:integer,genres:ARRAY,etlRunId:text" "$cols"
cols=$(psql "$DATABASE_URL" -qAt -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'ProcessedAnime'")
expect_eq "ProcessedAnime columns" "id,malId,title,titleEnglish,genres,score,scoredBy,rank,popularity,members,favorites,episodes,status,season,year,rating,studios,imageUrl,synopsis,processedAt,etlRunId" "$cols"
cols=$(psql "$DATABASE_URL" -qAt -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'EtlLogs'")
expect_eq "EtlLogs columns" "id,runId,startTime,endTime,status,pipelineStep,rowsProcessed,errorMessage,apiRequestCount,createdAt" "$cols"
cols=$(psql "$DATABASE_URL" -qAt -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'RawAnimeData'")
expect_eq "RawAnimeData columns" "id,malId,rawJson,sourceApi,endpoint,ingestedAt,etlRunId" "$cols"

# A migration missing from the record is applied even when later ones already are
# (branches merged in another order than they were numbered).
psql "$DATABASE_URL" -qAt -c 'DROP TABLE "TrendingSnapshots"' -c 'DELETE FROM "SchemaMigrations" WHERE version = 5' >/dev/null
out=$("$CATLOG" db migrate 2>&1); rc=$?
expect_eq "a missing earlier migration is applied" "0|applied 005_trending_snapshots" "$rc|$(printf '%s\n' "$out" | head -n 1)"
expect_eq "and its table exists again" "TrendingSnapshots" "$(psql "$DATABASE_URL" -qAt -c "SELECT to_regclass('\"TrendingSnapshots\"')" | tr -d '"')"

# A broken migration leaves nothing behind (each runs in one transaction).
out=$(psql "$DATABASE_URL" -qAt -c 'BEGIN; CREATE TABLE half_done(x int); SELECT 1/0; COMMIT;' 2>&1)
expect_eq "transactional DDL rolls back" "" "$(psql "$DATABASE_URL" -qAt -c "SELECT to_regclass('half_done')")"

# --- demo data: deterministic, COPY-loaded, refuses to overwrite without --replace
out=$("$CATLOG" demo-data --anime 200 --days 60 --end 2026-03-31 --seed 7 2>&1); rc=$?
expect_eq "demo-data exits 0" 0 "$rc"
expect_match "demo-data summary" "loaded 200 anime" "$out"
out=$("$CATLOG" demo-data --anime 200 --days 60 --end 2026-03-31 --seed 7 2>&1); rc=$?
expect_eq "demo-data over existing data exits 1" 1 "$rc"
expect_match "demo-data says how to overwrite" "pass --replace" "$out"

dump() {
    psql "$1" -qAt -c "COPY (SELECT * FROM \"DailyRankings\" ORDER BY id) TO STDOUT" \
                   -c "COPY (SELECT * FROM \"ProcessedAnime\" ORDER BY id) TO STDOUT" \
                   -c "COPY (SELECT * FROM \"EtlLogs\" ORDER BY id) TO STDOUT" | sha256sum | cut -c1-64
}
url_b=$(fresh_db foundation_b)
DATABASE_URL=$url_b "$CATLOG" db migrate >/dev/null
DATABASE_URL=$url_b "$CATLOG" demo-data --anime 200 --days 60 --end 2026-03-31 --seed 7 >/dev/null
expect_eq "same arguments give byte-identical tables" "$(dump "$DATABASE_URL")" "$(dump "$url_b")"
DATABASE_URL=$url_b "$CATLOG" demo-data --anime 200 --days 60 --end 2026-03-31 --seed 8 --replace >/dev/null
if [ "$(dump "$DATABASE_URL")" != "$(dump "$url_b")" ]; then pass "another seed gives other data"; else fail "another seed gives other data"; fi

q() { psql "$DATABASE_URL" -qAt -c "$1"; }
expect_eq "60 snapshot dates" 60 "$(q 'SELECT count(DISTINCT "snapshotDate") FROM "DailyRankings"')"
expect_eq "last snapshot is --end" 2026-03-31 "$(q 'SELECT max("snapshotDate") FROM "DailyRankings"')"
expect_eq "one ETL log per day" 60 "$(q 'SELECT count(*) FROM "EtlLogs" WHERE status = '"'SUCCESS'"'')"
expect_eq "ranks unique per day" 0 "$(q 'SELECT count(*) FROM (SELECT "snapshotDate", rank FROM "DailyRankings" WHERE rank IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) d')"
expect_eq "scores within 0..10" 0 "$(q 'SELECT count(*) FROM "DailyRankings" WHERE score < 0 OR score > 10')"
expect_eq "score steps are 0.01 at most" 0 "$(q 'SELECT count(*) FROM (SELECT abs(score - lag(score) OVER (PARTITION BY "malId" ORDER BY "snapshotDate")) AS d FROM "DailyRankings") s WHERE d > 0.01')"
expect_eq "members never shrink" 0 "$(q 'SELECT count(*) FROM (SELECT members - lag(members) OVER (PARTITION BY "malId" ORDER BY "snapshotDate") AS d FROM "DailyRankings") s WHERE d < 0')"
moved=$(q 'SELECT count(*) FROM (SELECT rank - lag(rank) OVER (PARTITION BY "malId" ORDER BY "snapshotDate") AS d FROM "DailyRankings") s WHERE d <> 0')
if [ "$moved" -gt 100 ]; then pass "ranks move ($moved moves)"; else fail "ranks move" "$moved moves"; fi
entries=$(q 'SELECT count(*) FROM (SELECT "malId", min("snapshotDate") AS f FROM "DailyRankings" GROUP BY 1) s WHERE f > DATE '"'2026-01-31'"'')
if [ "$entries" -gt 0 ]; then pass "new entries appear ($entries)"; else fail "new entries appear"; fi
genres=$(q 'SELECT count(DISTINCT g) FROM "ProcessedAnime", unnest(genres) g')
if [ "$genres" -ge 10 ]; then pass "real genre names ($genres)"; else fail "real genre names" "$genres"; fi
expect_eq "genre names are MAL's" 0 "$(q "SELECT count(*) FROM \"ProcessedAnime\", unnest(genres) g WHERE g NOT IN ('Action','Adventure','Avant Garde','Award Winning','Boys Love','Comedy','Drama','Fantasy','Girls Love','Gourmet','Horror','Mystery','Romance','Sci-Fi','Slice of Life','Sports','Supernatural','Suspense')")"

# --- SQL written for the original platform runs unchanged
out=$(psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qAt -f "$(dirname "$0")/../fixtures/sql/seed_queries.sql" 2>&1); rc=$?
expect_eq "seed platform SQL runs unchanged" 0 "$rc"
expect_match "raw JSON round-trips" "jikan\|x\|t" "$out"

finish
