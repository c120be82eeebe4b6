#!/usr/bin/env bash
# catlog analytics: trending document and statistical tables on hand-made histories with
# known answers (ties, gaps, NULLs, rows after the as-of date, one anime, empty database,
# short history), then an independent recomputation (tests/fixtures/analytics/reference.py,
# exact arithmetic) on demo data.
set -u
source "$(dirname "$0")/lib.sh"
FIX="$(cd "$(dirname "$0")/../fixtures/analytics" && pwd)"

q() { psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 -c "$1"; }
# jget FILE EXPR: evaluates a Python expression over the JSON document d.
jget() {
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
def num(x): return "None" if x is None else format(x, "g")
print(eval(sys.argv[2]))' "$1" "$2"
}
# A list as "malId:field:field ..." for compact comparison.
jlist() { jget "$1" "' '.join(':'.join(str(o[k]) if not isinstance(o[k], float) else num(o[k]) for k in $3) for o in d['$2'])"; }
reference() {   # reference NAME AS_OF TRENDING.json
    local out
    out=$(python3 "$FIX/reference.py" "$2" "$3" 2>&1)
    if [ $? -eq 0 ]; then pass "$1 ($(echo "$out" | tail -n 1 | sed 's/^reference: //'))"
    else fail "$1" "$(echo "$out" | tail -n 12 | tr '\n' '|')"; fi
}

# --- command line
for c in "analytics --help" "analytics trending --help" "analytics refresh --help"; do
    out=$("$CATLOG" $c 2>&1); rc=$?
    expect_eq "$c exits 0" 0 "$rc"
    expect_match "$c prints usage" "usage: catlog analytics" "$out"
done
out=$("$CATLOG" analytics 2>&1); expect_eq "analytics without subcommand exits 2" 2 "$?"
out=$("$CATLOG" analytics frobnicate 2>&1); expect_eq "unknown subcommand exits 2" 2 "$?"
out=$("$CATLOG" analytics refresh --bogus 2>&1); rc=$?
expect_eq "unknown flag exits 2" 2 "$rc"
expect_match "unknown flag prints usage" "usage: catlog analytics refresh" "$out"
out=$("$CATLOG" analytics trending --as-of 2026-02-30 2>&1); rc=$?
expect_eq "bad --as-of exits 2" 2 "$rc"
expect_match "bad --as-of is named" "--as-of expects a date" "$out"
out=$("$CATLOG" analytics refresh --pretty 2>&1); expect_eq "refresh has no --pretty" 2 "$?"
out=$("$CATLOG" analytics refresh extra 2>&1); expect_eq "extra argument exits 2" 2 "$?"

# --- empty database
export DATABASE_URL=$(fresh_db analytics_empty)
"$CATLOG" db migrate >/dev/null
"$CATLOG" analytics trending > "$T_TMP/empty.json"; rc=$?
expect_eq "trending on an empty database exits 0" 0 "$rc"
expect_eq "empty: asOf is null" "None" "$(jget "$T_TMP/empty.json" 'd["asOf"]')"
expect_eq "empty: every list empty" "0" "$(jget "$T_TMP/empty.json" 'sum(len(v) for v in d.values() if isinstance(v, list))')"
expect_eq "empty: nothing ready" "False False No snapshots yet None" \
    "$(jget "$T_TMP/empty.json" 'str(any(s["ready"] for s in d["availability"].values())) + " " + str(d["availability"]["longestRunning"]["ready"]) + " " + d["availability"]["biggestClimbersWeek"]["message"] + " " + str(d["availability"]["biggestClimbersWeek"]["availableInDays"])')"
"$CATLOG" analytics trending --as-of 2026-01-01 > "$T_TMP/empty2.json"
expect_eq "empty with --as-of" "2026-01-01 No snapshots on or before 2026-01-01" \
    "$(jget "$T_TMP/empty2.json" 'd["asOf"] + " " + d["availability"]["newToTop50"]["message"]')"
out=$("$CATLOG" analytics refresh 2>&1); rc=$?
expect_eq "refresh on an empty database exits 0" 0 "$rc"
expect_match "refresh on an empty database says so" "nothing to refresh" "$out"
out=$("$CATLOG" analytics refresh --as-of 2026-01-01 2>&1); rc=$?
expect_eq "refresh --as-of on an empty database exits 0" 0 "$rc"
expect_eq "empty: no rows anywhere" "0" "$(q 'SELECT (SELECT count(*) FROM "RollingMomentumAnalysis") + (SELECT count(*) FROM "TrendSignificance") + (SELECT count(*) FROM "VolatilityRankings") + (SELECT count(*) FROM "GenrePercentiles") + (SELECT count(*) FROM "TrendCorrelation")')"
cols=$(q "SELECT string_agg(table_name || '.' || column_name, ',' ORDER BY table_name, ordinal_position) FROM information_schema.columns WHERE table_name IN ('RollingMomentumAnalysis', 'TrendSignificance', 'VolatilityRankings', 'GenrePercentiles', 'TrendCorrelation')")
expect_eq "analytics tables and columns" "GenrePercentiles.asOf,GenrePercentiles.genre,GenrePercentiles.malId,GenrePercentiles.scorePercentile,GenrePercentiles.membersPercentile,GenrePercentiles.momentumPercentile,GenrePercentiles.p25,GenrePercentiles.p50,GenrePercentiles.p75,GenrePercentiles.p90,RollingMomentumAnalysis.asOf,RollingMomentumAnalysis.malId,RollingMomentumAnalysis.firstRank,RollingMomentumAnalysis.lastRank,RollingMomentumAnalysis.rankMomentum,RollingMomentumAnalysis.avgRank,RollingMomentumAnalysis.rankVolatility,RollingMomentumAnalysis.scoreMomentum,RollingMomentumAnalysis.nDays,TrendCorrelation.asOf,TrendCorrelation.kind,TrendCorrelation.genreA,TrendCorrelation.genreB,TrendCorrelation.malId,TrendCorrelation.r,TrendCorrelation.n,TrendSignificance.asOf,TrendSignificance.malId,TrendSignificance.metric,TrendSignificance.windowDays,TrendSignificance.n,TrendSignificance.slope,TrendSignificance.intercept,TrendSignificance.rSquared,TrendSignificance.stdErr,TrendSignificance.tStat,TrendSignificance.pValue,TrendSignificance.significant,TrendSignificance.direction,VolatilityRankings.asOf,VolatilityRankings.malId,VolatilityRankings.volatility7,VolatilityRankings.volatility30,VolatilityRankings.volatility90,VolatilityRankings.stabilityRank,VolatilityRankings.class" "$cols"

# --- hand-made history (tests/fixtures/analytics/small.sql), A = 2026-03-31
export DATABASE_URL=$(fresh_db analytics_small)
"$CATLOG" db migrate >/dev/null
psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 -f "$FIX/small.sql" >/dev/null
"$CATLOG" analytics trending > "$T_TMP/latest.json"
expect_eq "default as-of is the latest snapshot" "2026-04-02" "$(jget "$T_TMP/latest.json" 'd["asOf"]')"
S="$T_TMP/small.json"
"$CATLOG" analytics trending --as-of 2026-03-31 --pretty > "$S"; rc=$?
expect_eq "trending --as-of exits 0" 0 "$rc"
expect_eq "document keys in the widget order" "asOf biggestClimbersWeek biggestClimbersMonth newToTop50 scoreSurgingWeek scoreSurgingMonth longestRunning availability" "$(jget "$S" '" ".join(d)')"
expect_eq "all ready with 95 days of history" "True" "$(jget "$S" 'all(s["ready"] and s["message"] is None and s["availableInDays"] == 0 for s in d["availability"].values())')"
# before = latest in A-14..A-7 (Alpha: A-10, not A-14; Charlie: A-7, which is in both
# windows); recent = latest in A-7..A (Charlie has no row on A); NULL rank dropped (Echo);
# ties on rankChange by currentRank then malId (Charlie 3 before Golf 7); Bravo's rank 1
# on A+1 ignored.
expect_eq "climbers week" "1:Alpha:10:28:18:week 2:Bravo:22:40:18:week 3:Charlie:32:50:18:week 7:Golf:32:50:18:week 8:Hotel:79:80:1:week" \
    "$(jlist "$S" biggestClimbersWeek '("malId","title","currentRank","previousRank","rankChange","timeframe")')"
expect_eq "climbers month (before A-37..A-30)" "6:65:90:25:month" \
    "$(jlist "$S" biggestClimbersMonth '("malId","currentRank","previousRank","rankChange","timeframe")')"
# latest non-null score: Juliet's A row has none (uses A-1); Hotel's +0.02 is not > 0.02;
# Charlie and India tie at +0.10 (malId order).
expect_eq "score surging week" "10:7.5:7:0.5 1:7.4:7.2:0.2 3:6.6:6.5:0.1 9:6.1:6:0.1 2:6.95:6.9:0.05" \
    "$(jlist "$S" scoreSurgingWeek '("malId","currentScore","previousScore","scoreChange")')"
expect_eq "score surging month" "6:7.1:7:0.1:month" \
    "$(jlist "$S" scoreSurgingMonth '("malId","currentScore","previousScore","scoreChange","timeframe")')"
# One row per anime; Kilo's latest snapshot has no rank (sorted last); Charlie's A-7 top-50
# day counts as before; Lima's A-95 top-50 day is outside A-90.
expect_eq "new to top 50" "16:7:2026-03-29 13:47:2026-03-26 12:None:2026-03-25" \
    "$(jlist "$S" newToTop50 '("malId","currentRank","firstAppearance")')"
# Mike: A-7..A is 7 snapshot dates (no snapshot at all on A-4); Oscar's ongoing run of 3
# beats November's finished one; Delta's best run (1) is its ongoing one.
expect_eq "longest running" "14:Mike:7:True 16:Oscar:3:True 15:November:3:False 1:Alpha:1:True 4:Delta:1:True" \
    "$(jlist "$S" longestRunning '("malId","title","daysInTop10","ongoing")')"

out=$("$CATLOG" analytics refresh --as-of 2026-03-31); rc=$?
expect_eq "refresh exits 0" 0 "$rc"
expect_match "refresh summary" "refreshed analytics as of 2026-03-31: 16 anime" "$out"
A="\"asOf\" = DATE '2026-03-31'"
f() { echo "coalesce(($1)::text, 'null')"; }
r4() { echo "coalesce(round(($1)::numeric, 4)::text, 'null')"; }
expect_eq "momentum rows" "1:30:10:20:20.0000:8.0829:0.30:4 2:40:22:18:31.0000:null:0.05:2 3:50:32:18:41.0000:null:0.10:2 4:5:8:-3:6.5000:null:-0.10:2 5:60:60:null:60.0000:null:null:2 6:70:65:5:67.5000:null:0.05:2 7:50:32:18:41.0000:null:0.10:2 8:80:79:1:79.5000:null:0.02:2 9:null:null:null:null:null:0.10:2 10:null:null:null:null:null:0.50:3 12:45:60:-15:52.5000:null:0.10:3 13:49:47:2:48.0000:null:0.05:2 14:1:1:0:1.0000:0.0000:0.00:7 15:3:3:0:3.0000:0.0000:null:3 16:9:7:2:8.0000:0.0000:0.20:3" \
    "$(q "SELECT string_agg(concat_ws(':', \"malId\", $(f '"firstRank"'), $(f '"lastRank"'), $(f '"rankMomentum"'), $(r4 '"avgRank"'), $(r4 '"rankVolatility"'), $(f '"scoreMomentum"'), \"nDays\"), ' ' ORDER BY \"malId\") FROM \"RollingMomentumAnalysis\" WHERE $A")"
# Ties share a stability rank (Mike and November at 0; Bravo, Charlie, Golf at 18/sqrt 2).
expect_eq "volatility rows" "1:1.4142:10.4563:10.4563:8:volatile 2:null:12.7279:12.7279:10:volatile 3:null:12.7279:12.7279:10:volatile 4:null:2.1213:2.0817:6:moderate 6:null:3.5355:13.2288:7:moderate 7:null:12.7279:12.7279:10:volatile 8:null:0.7071:0.7071:3:stable 12:10.6066:10.6066:7.6376:9:volatile 13:1.4142:1.4142:1.4142:5:moderate 14:0.0000:0.0000:0.0000:1:stable 15:null:0.0000:0.0000:1:stable 16:1.0000:1.0000:1.0000:4:moderate" \
    "$(q "SELECT string_agg(concat_ws(':', \"malId\", $(r4 volatility7), $(r4 volatility30), $(r4 volatility90), $(f '"stabilityRank"'), $(f class)), ' ' ORDER BY \"malId\") FROM \"VolatilityRankings\" WHERE $A")"
expect_eq "trend fits: n >= 3 non-null values per window" "1:rank:30 1:rank:90 1:score:30 1:score:90 4:rank:90 4:score:90 6:rank:90 6:score:90 12:rank:90 12:score:30 12:score:90 14:rank:30 14:rank:90 14:score:30 14:score:90 15:rank:30 15:rank:90 16:rank:30 16:rank:90 16:score:30 16:score:90" \
    "$(q "SELECT string_agg(concat_ws(':', \"malId\", metric, \"windowDays\"), ' ' ORDER BY \"malId\", metric, \"windowDays\") FROM \"TrendSignificance\" WHERE $A")"
TS() { q "SELECT concat_ws(':', n, $(r4 slope), $(r4 intercept), $(f '"rSquared"'), $(f '"stdErr"'), $(f '"tStat"'), $(f '"pValue"'), significant, direction) FROM \"TrendSignificance\" WHERE $A AND \"malId\" = $1 AND metric = '$2' AND \"windowDays\" = $3"; }
expect_eq "constant metric: slope 0, intercept the constant, flat" "7:0.0000:1.0000:null:0:null:null:f:flat" "$(TS 14 rank 30)"
expect_eq "constant score over 90 days" "9:0.0000:9.0000:null:0:null:null:f:flat" "$(TS 14 score 90)"
expect_eq "perfect line (rank falls 9, 8, 7 on x = 27..29)" "3:-1.0000:36.0000:1:0:-Infinity:0:t:down" "$(TS 16 rank 30)"
expect_eq "perfect line (score 8.00, 8.10, 8.20 on x = 87..89)" "3:0.1000:-0.7000:1:0:Infinity:0:t:up" "$(TS 16 score 90)"
GP() { q "SELECT string_agg(concat_ws(':', \"malId\", $(r4 '"scorePercentile"'), $(r4 '"membersPercentile"'), $(r4 '"momentumPercentile"')), ' ' ORDER BY \"malId\") FROM \"GenrePercentiles\" WHERE $A AND genre = '$1' AND \"malId\" IS NOT NULL"; }
GQ() { q "SELECT concat_ws(':', $(r4 p25), $(r4 p50), $(r4 p75), $(r4 p90)) FROM \"GenrePercentiles\" WHERE $A AND genre = '$1' AND \"malId\" IS NULL"; }
# NULL values get NULL percentiles and are left out of the others' ranks; members 3000 tie.
expect_eq "Action percentiles" "1:0.5000:1.0000:1.0000 2:0.2500:0.6000:0.6667 5:null:0.0000:null 9:0.0000:0.4000:null 14:1.0000:0.6000:0.0000 16:0.7500:0.2000:0.3333" "$(GP Action)"
expect_eq "Action score quantiles" "6.9500:7.4000:8.2000:8.6800" "$(GQ Action)"
expect_eq "Comedy percentiles (only anime with a snapshot on A)" "4:1.0000:1.0000:0.5000 5:null:0.0000:null 7:0.0000:0.7500:1.0000 10:null:0.5000:null 12:0.5000:0.2500:0.0000" "$(GP Comedy)"
expect_eq "Drama percentiles" "1:1.0000:1.0000:1.0000 6:0.6667:0.3333:0.6667 8:0.0000:0.0000:0.0000 13:0.3333:0.6667:0.3333" "$(GP Drama)"
expect_eq "single-anime genre: percent_rank 0, no momentum" "17:0.0000:0.0000:null" "$(GP Sports)"
expect_eq "single-anime genre quantiles" "5.5500:5.5500:5.5500:5.5500" "$(GQ Sports)"
expect_eq "percentile rows: 16 anime rows, 4 genre rows" "16 4" "$(q "SELECT count(\"malId\") || ' ' || count(*) FILTER (WHERE \"malId\" IS NULL) FROM \"GenrePercentiles\" WHERE $A")"
expect_eq "no correlations below 10 dates or changes" "0" "$(q "SELECT count(*) FROM \"TrendCorrelation\" WHERE $A")"
reference "small history agrees with the reference" 2026-03-31 "$S"

counts() { q "SELECT concat_ws(' ', (SELECT count(*) FROM \"RollingMomentumAnalysis\"), (SELECT count(*) FROM \"TrendSignificance\"), (SELECT count(*) FROM \"VolatilityRankings\"), (SELECT count(*) FROM \"GenrePercentiles\"), (SELECT count(*) FROM \"TrendCorrelation\"))"; }
before=$(counts)
"$CATLOG" analytics refresh --as-of 2026-03-31 >/dev/null
expect_eq "refreshing the same as-of date replaces its rows" "$before" "$(counts)"
"$CATLOG" analytics refresh --as-of 2026-03-30 >/dev/null
expect_eq "another as-of date keeps the first's rows" "2026-03-30:7 2026-03-31:15" \
    "$(q 'SELECT string_agg("asOf" || '"':'"' || n, '"' '"' ORDER BY "asOf") FROM (SELECT "asOf", count(*) AS n FROM "RollingMomentumAnalysis" GROUP BY 1) s')"
"$CATLOG" analytics trending --as-of 2026-03-30 > "$T_TMP/small30.json"
reference "as of A-1 (later rows ignored) agrees with the reference" 2026-03-30 "$T_TMP/small30.json"

# --- correlations (tests/fixtures/analytics/corr.sql), A = 2026-06-30
export DATABASE_URL=$(fresh_db analytics_corr)
"$CATLOG" db migrate >/dev/null
psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 -f "$FIX/corr.sql" >/dev/null
"$CATLOG" analytics refresh >/dev/null
r6() { echo "coalesce(round(($1)::numeric, 6)::text, 'null')"; }
# Horror and Romance rise linearly (r = 1); Mystery is constant (NULL); Sci-Fi zigzags up:
# r = corr(k, 800, 803, 802, ...) = 0.964184.
expect_eq "genre pairs" "Horror:Mystery:null:12 Horror:Romance:1.000000:12 Horror:Sci-Fi:0.964184:12 Mystery:Romance:null:12 Mystery:Sci-Fi:null:12 Romance:Sci-Fi:0.964184:12" \
    "$(q "SELECT string_agg(concat_ws(':', \"genreA\", \"genreB\", $(r6 r), n), ' ' ORDER BY \"genreA\", \"genreB\") FROM \"TrendCorrelation\" WHERE kind = 'genre_pair'")"
# Constant own changes give NULL; the market moves linearly with Sci-Fi Four's changes.
expect_eq "market correlation" "101:null:11 102:null:11 103:null:11 104:1.000000:11" \
    "$(q "SELECT string_agg(concat_ws(':', \"malId\", $(r6 r), n), ' ' ORDER BY \"malId\") FROM \"TrendCorrelation\" WHERE kind = 'market'")"
"$CATLOG" analytics trending > "$T_TMP/corr.json"
reference "correlation history agrees with the reference" 2026-06-30 "$T_TMP/corr.json"

# A refresh that fails half-way leaves the previous rows untouched (one transaction).
before=$(counts)
q "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'refused by test'; END\$\$; CREATE TRIGGER refuse BEFORE INSERT ON \"TrendCorrelation\" FOR EACH ROW EXECUTE FUNCTION refuse()" >/dev/null
out=$("$CATLOG" analytics refresh 2>&1); rc=$?
expect_eq "failing refresh exits 1" 1 "$rc"
expect_match "failing refresh names the step" "writing \"TrendCorrelation\".*refused by test" "$out"
expect_eq "failing refresh: one line" 1 "$(printf '%s\n' "$out" | wc -l)"
expect_eq "failing refresh leaves the old rows" "$before" "$(counts)"
q 'DROP TRIGGER refuse ON "TrendCorrelation"' >/dev/null

# One connection only (the second reader cannot connect): same rows, read sequentially.
dump_tables() { q 'SELECT md5(string_agg(t::text, '"'|'"' ORDER BY t::text)) FROM (SELECT row_to_json(x)::text AS t FROM "TrendSignificance" x UNION ALL SELECT row_to_json(x)::text FROM "TrendCorrelation" x UNION ALL SELECT row_to_json(x)::text FROM "GenrePercentiles" x UNION ALL SELECT row_to_json(x)::text FROM "VolatilityRankings" x UNION ALL SELECT row_to_json(x)::text FROM "RollingMomentumAnalysis" x) s'; }
"$CATLOG" analytics refresh >/dev/null
before=$(dump_tables)
q 'DROP ROLE IF EXISTS analytics_one; CREATE ROLE analytics_one LOGIN CONNECTION LIMIT 1;
   GRANT SELECT ON ALL TABLES IN SCHEMA public TO analytics_one;
   GRANT INSERT, DELETE ON "RollingMomentumAnalysis", "TrendSignificance", "VolatilityRankings", "GenrePercentiles", "TrendCorrelation" TO analytics_one' >/dev/null
out=$(DATABASE_URL="postgresql:///analytics_corr?host=$CATLOG_PG_DIR&user=analytics_one" "$CATLOG" analytics refresh 2>&1); rc=$?
expect_eq "refresh over a single connection exits 0" 0 "$rc"
expect_eq "refresh over a single connection gives the same rows" "$before" "$(dump_tables)"
q 'DROP OWNED BY analytics_one; DROP ROLE analytics_one' >/dev/null

# --- a single anime over 40 days
export DATABASE_URL=$(fresh_db analytics_single)
"$CATLOG" db migrate >/dev/null
q "INSERT INTO \"ProcessedAnime\" (\"malId\", title, genres) VALUES (500, 'Solo', '{Drama}');
   INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", rank, score, members)
   SELECT 500, DATE '2026-02-10' - 39 + k, 20 - k % 4, (700 + (k * k) % 7) / 100.0, 1000 + k FROM generate_series(0, 39) k" >/dev/null
"$CATLOG" analytics refresh >/dev/null
expect_eq "single anime: momentum over 30 days" "18:17:1:30" "$(q 'SELECT concat_ws('"':'"', "firstRank", "lastRank", "rankMomentum", "nDays") FROM "RollingMomentumAnalysis"')"
expect_eq "single anime: 4 trend fits" "4" "$(q 'SELECT count(*) FROM "TrendSignificance"')"
expect_eq "single anime: most stable" "1" "$(q 'SELECT "stabilityRank" FROM "VolatilityRankings"')"
expect_eq "single anime: percentiles 0, quantiles its score" "0:0:0 7.02:7.02:7.02:7.02" \
    "$(q "SELECT concat_ws(':', \"scorePercentile\", \"membersPercentile\", \"momentumPercentile\") || ' ' || (SELECT concat_ws(':', p25, p50, p75, p90) FROM \"GenrePercentiles\" WHERE \"malId\" IS NULL) FROM \"GenrePercentiles\" WHERE \"malId\" = 500")"
expect_eq "single anime: it is the market (r = 1 over 29 changes)" "market:1.000000:29" "$(q "SELECT concat_ws(':', kind, $(r6 r), n) FROM \"TrendCorrelation\"")"
"$CATLOG" analytics trending > "$T_TMP/single.json"
reference "single anime agrees with the reference" 2026-02-10 "$T_TMP/single.json"

# --- short history: metrics that need more days are empty and say when they will be ready
export DATABASE_URL=$(fresh_db analytics_short)
"$CATLOG" db migrate >/dev/null
"$CATLOG" demo-data --anime 80 --days 6 --end 2026-05-10 >/dev/null
"$CATLOG" analytics trending > "$T_TMP/short.json"
av() { jget "$T_TMP/short.json" "' '.join(str(x) for x in (d['availability']['$1']['ready'], d['availability']['$1']['message'], d['availability']['$1']['availableInDays'], len(d['$1'])))"; }
expect_eq "short: climbers week" "False Need 14 days of history, have 5 9 0" "$(av biggestClimbersWeek)"
expect_eq "short: climbers month" "False Need 37 days of history, have 5 32 0" "$(av biggestClimbersMonth)"
expect_eq "short: new to top 50" "False Need 90 days of history, have 5 85 0" "$(av newToTop50)"
expect_eq "short: score surging week" "False Need 10 days of history, have 5 5 0" "$(av scoreSurgingWeek)"
expect_eq "short: score surging month" "False Need 37 days of history, have 5 32 0" "$(av scoreSurgingMonth)"
expect_eq "short: longest running is ready" "True None 0 10" "$(av longestRunning)"
"$CATLOG" analytics refresh >/dev/null
reference "short history agrees with the reference" 2026-05-10 "$T_TMP/short.json"

# --- demo data: everything against the independent recomputation
export DATABASE_URL=$(fresh_db analytics_demo)
"$CATLOG" db migrate >/dev/null
"$CATLOG" demo-data --anime 300 --days 120 --end 2026-11-23 --seed 3 >/dev/null
out=$("$CATLOG" analytics refresh); rc=$?
expect_eq "demo refresh exits 0" 0 "$rc"
"$CATLOG" analytics trending > "$T_TMP/demo.json"
reference "demo data agrees with the reference" 2026-11-23 "$T_TMP/demo.json"
"$CATLOG" analytics refresh --as-of 2026-11-13 >/dev/null
"$CATLOG" analytics trending --as-of 2026-11-13 > "$T_TMP/demo13.json"
reference "demo data as of A-10 agrees with the reference" 2026-11-13 "$T_TMP/demo13.json"
"$CATLOG" analytics trending > "$T_TMP/demo_again.json"
expect_eq "trending is reproducible" "$(sha256sum < "$T_TMP/demo.json")" "$(sha256sum < "$T_TMP/demo_again.json")"

finish
