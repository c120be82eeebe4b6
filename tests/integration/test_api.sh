#!/usr/bin/env bash
# The JSON API, described and guarded: api/openapi.json of a built site describes every file
# under api/ and reports/ (ajv, JSON Schema 2020-12) for demo data and for hostile rows, every
# path has a file, the README's TypeScript compiles against the types generated from it, the
# reference page renders it, and it keeps the contract of its major version.
set -u
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
test_node_deps
validate() { node tests/node/validate_api.mjs "$@" 2>/dev/null; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
q() { psql "$DATABASE_URL" -qAt -c "$1"; }

export DATABASE_URL=$(fresh_db api)
"$CATLOG" db migrate >/dev/null
"$CATLOG" demo-data --anime 150 --days 60 --end 2026-11-23 >/dev/null
"$CATLOG" analytics refresh >/dev/null 2>&1
SITE="$T_TMP/site"
"$CATLOG" build --out "$SITE" --site-url https://catlog.example/ >/dev/null 2>&1
expect_eq "the demo site builds" 0 "$?"
DESC="$SITE/api/openapi.json"

# --- the description
expect_eq "OpenAPI 3.1" "3.1.0" "$(json "$DESC" 'd["openapi"]')"
expect_eq "info.version is catlog's version" "$(cat VERSION)" "$(json "$DESC" 'd["info"]["version"]')"
expect_eq "the server is the site's address" "https://catlog.example" "$(json "$DESC" 'd["servers"][0]["url"]')"
expect_eq "one list per trending metric, as the trending document has them" \
    "$(json "$SITE/api/trending-now.json" '" ".join(sorted(k for k in d if k not in ("asOf", "availability")))')" \
    "$(json "$DESC" '" ".join(sorted(d["components"]["schemas"]["MetricKey"]["enum"]))')"
undescribed=$(python3 - "$DESC" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
def target(s):
    while "$ref" in s: s = doc["components"]["schemas"][s["$ref"].split("/")[-1]]
    return s
bad = []
for name, schema in doc["components"]["schemas"].items():
    if "description" not in schema: bad.append(name)
    for key, p in schema.get("properties", {}).items():
        if "description" not in p and "description" not in target(p): bad.append(f"{name}.{key}")
for path, item in doc["paths"].items():
    if not item["get"].get("summary") or not item["get"].get("description"): bad.append(path)
print(" ".join(bad))
PY
)
expect_eq "every shape, field and path says what it is" "" "$undescribed"

# --- every document against it
expect_eq "demo data: every file under api/ and reports/ has a path, validates and has only described fields; every path has a file" \
    "" "$(validate documents "$SITE")"
# the checker itself: a stray file, an undescribed field, a wrong type, a path without a file
BAD="$T_TMP/bad"
cp -r "$SITE" "$BAD"
echo '{}' > "$BAD/api/stray.json"
python3 - "$BAD" <<'PY'
import json, os, sys
d = sys.argv[1] + "/api/index.json"
doc = json.load(open(d))
doc["figures"]["surprise"] = 1
doc["top10"]["rows"][0]["rank"] = "first"
json.dump(doc, open(d, "w"))
os.remove(sys.argv[1] + "/api/pipeline.json")
PY
out=$(validate documents "$BAD")
expect_match "the checker names a file no path describes" "^/api/stray.json: no path of the description names it" "$out"
expect_match "the checker names an undescribed field" "/api/index.json: /figures/surprise is a field the description does not have" "$out"
expect_match "the checker names a wrong type" "/api/index.json: /top10/rows/0/rank must be integer" "$out"
expect_match "the checker names a path without a file" "^/api/pipeline.json: no file of the site has this path" "$out"

# --- hostile rows: markup, NULLs, empty and NULL-holding arrays, unknown seasons, an anime
# without history or analytics, a genre slug collision, a day without analytics, early widgets
export DATABASE_URL=$(fresh_db api_hostile)
"$CATLOG" db migrate >/dev/null
"$CATLOG" demo-data --anime 40 --days 15 --end 2026-03-31 >/dev/null
ids=($(q 'SELECT "malId" FROM "ProcessedAnime" ORDER BY "malId" LIMIT 6'))
q "UPDATE \"ProcessedAnime\" SET title = '<script>alert(1)</script>', \"titleEnglish\" = NULL, score = NULL, \"scoredBy\" = NULL,
     rank = NULL, popularity = NULL, members = NULL, favorites = NULL, episodes = NULL, status = NULL, season = NULL,
     year = NULL, rating = NULL, synopsis = NULL, genres = '{}', studios = '{}' WHERE \"malId\" = ${ids[0]}" >/dev/null
q "UPDATE \"ProcessedAnime\" SET title = '\"><img src=x onerror=alert(2)>', genres = ARRAY['Action', NULL],
     studios = ARRAY[NULL, '<b>Studio</b>'], season = '../../escaped', \"imageUrl\" = 'javascript:alert(3)' WHERE \"malId\" = ${ids[1]}" >/dev/null
q "UPDATE \"ProcessedAnime\" SET season = 'autumn', year = 2024, genres = ARRAY['Sci Fi'], \"imageUrl\" = 'https://cdn.example/a.jpg',
     synopsis = repeat('</script> long ', 400) WHERE \"malId\" = ${ids[2]}" >/dev/null
q "UPDATE \"ProcessedAnime\" SET genres = ARRAY['Sci-Fi', 'アクション'] WHERE \"malId\" = ${ids[3]}" >/dev/null
q "UPDATE \"DailyRankings\" SET rank = NULL, score = NULL, members = NULL WHERE \"malId\" = ${ids[4]} AND \"snapshotDate\" = '2026-03-31'" >/dev/null
q "INSERT INTO \"ProcessedAnime\" (\"malId\", title) VALUES (999999, 'No history <i>at all</i>')" >/dev/null
q "INSERT INTO \"EtlLogs\" (\"runId\", \"startTime\", \"endTime\", status, \"pipelineStep\", \"errorMessage\")
   VALUES ('bad-run', '2026-03-31 05:00', '2026-03-31 05:01', 'FAILED', 'QUALITY', '<script>alert(4)</script>')" >/dev/null
"$CATLOG" analytics refresh >/dev/null 2>&1
q "DELETE FROM \"VolatilityRankings\" WHERE \"malId\" = ${ids[5]}" >/dev/null
CONTENT="$T_TMP/content"
mkdir -p "$CONTENT/docs"
printf -- '---\ntitle: <Odd> doc\ncustom: <b>x</b>\norder: 9\n---\n# Odd\n\n<script>alert(5)</script>\n' > "$CONTENT/docs/odd.md"
printf '# Taken\n' > "$CONTENT/docs/api.md"
HOSTILE="$T_TMP/hostile"
out=$("$CATLOG" build --out "$HOSTILE" --jobs 2 --content "$CONTENT" 2>&1)
expect_eq "hostile rows: the site builds" 0 "$?"
expect_match "a doc named api is refused: docs/api/ is the reference" "docs/api.md skipped: docs/api/index.html is the API reference" "$out"
expect_eq "hostile rows: every document validates" "" "$(validate documents "$HOSTILE")"
expect_eq "an anime without history: no analytics, no snapshots" "[false, 0]" \
    "$(json "$HOSTILE/api/anime/999999.json" 'json.dumps(["analytics" in d, len(d["history"])])')"
expect_eq "NULL array elements and unknown seasons stay out of the API" '[["Action"], ["<b>Studio</b>"], null, null]' \
    "$(json "$HOSTILE/api/anime/${ids[1]}.json" 'json.dumps([d["anime"][k] for k in ("genres", "studios", "season", "seasonSlug")])')"
"$CATLOG" build --out "$T_TMP/again" --jobs 1 --content "$CONTENT" >/dev/null 2>&1
if diff -r "$HOSTILE" "$T_TMP/again" >/dev/null; then pass "hostile rows: the same bytes with 1 and 2 workers"
else fail "hostile rows: the same bytes with 1 and 2 workers" "$(diff -rq "$HOSTILE" "$T_TMP/again" | head -3)"; fi
EARLY="$T_TMP/early"
"$CATLOG" build --out "$EARLY" --as-of 2026-03-19 >/dev/null 2>&1
expect_eq "three days of history (early widgets, lists not ready): every document validates" "" "$(validate documents "$EARLY")"
expect_eq "and the widgets are at the early stage" "early" "$(json "$EARLY/api/widgets.json" 'd["stage"]')"

# --- the reference page
PAGE="$SITE/docs/api/index.html"
expect_eq "the reference page passes tidy -errors" "" "$(tidy -errors -q "$PAGE" 2>&1 | grep -i error | head -3)"
missing=$(python3 - "$DESC" "$PAGE" "$SITE" <<'PY'
import html, json, os, re, sys
doc, page, site = json.load(open(sys.argv[1])), open(sys.argv[2]).read(), sys.argv[3]
bad = [p for p in doc["paths"] if "<code>%s</code>" % html.escape(p, quote=False) not in page]
bad += [s for s in doc["components"]["schemas"] if 'id="schema-%s"' % s not in page]
bad += ["#" + a for a in set(re.findall(r'href="#([^"]+)"', page)) if 'id="%s"' % a not in page]
bad += [h for h in re.findall(r'href="\.\./\.\./([^"#]+)"', page) if not os.path.isfile(os.path.join(site, h))]
examples = re.findall(r"<pre[^>]*><code>(.*?)</code></pre>", page, re.S)
for e in examples: json.loads(html.unescape(e))
if len(examples) != len(doc["paths"]) - 1: bad.append("%d examples" % len(examples))
print(" ".join(bad))
PY
) || missing="the check did not run"
expect_eq "every path and shape on the page, its anchors and links resolve, each example is JSON" "" "$missing"
expect_match "a field's row: name, type, required, description" \
    '<tr><td><code>titleEnglish</code></td><td>string or null</td><td>yes</td><td>Its English title, when it has one.</td></tr>' "$(cat "$PAGE")"
expect_match "nested shapes link to their own section" '<td>array of <a href="#schema-GenreLink">GenreLink</a></td>' "$(cat "$PAGE")"
expect_match "closed value sets are listed" 'one of &quot;winter&quot;, &quot;spring&quot;, &quot;summer&quot;, &quot;fall&quot;' "$(cat "$PAGE")"
expect_match "the page is in the nav of every page" '<a href="docs/api/index.html">API</a>' "$(cat "$SITE/index.html")"
expect_match "and in the sitemap" "<loc>https://catlog.example/docs/api/index.html</loc>" "$(cat "$SITE/sitemap.xml")"
expect_eq "hostile rows reach the page's examples as text only" "" "$(grep -F -e '<script>alert' -e '<img src=x' "$HOSTILE/docs/api/index.html")"
expect_eq "the hostile page passes tidy -errors" "" "$(tidy -errors -q "$HOSTILE/docs/api/index.html" 2>&1 | grep -i error | head -3)"

# --- what a TypeScript app does: generate the types, compile the README's example against them
TS="$T_TMP/ts"
mkdir -p "$TS"
tests/node/node_modules/.bin/openapi-typescript "$DESC" -o "$TS/catlog-api.d.ts" >"$TS/generate.log" 2>&1
expect_eq "openapi-typescript generates the types" 0 "$?"
awk '/^## The JSON API/ { on = 1 } on && /^```ts$/ { code = 1; next } code && /^```$/ { exit } code' README.md > "$TS/app.ts"
[ -s "$TS/app.ts" ] && pass "the README has a TypeScript example" || fail "the README has a TypeScript example"
out=$(tests/node/node_modules/.bin/tsc --strict --noEmit --target es2022 --module es2022 --moduleResolution bundler \
      --lib es2022,dom "$TS/app.ts" 2>&1)
expect_eq "the README's example compiles against the generated types" "" "$out"
printf 'import type { components } from "./catlog-api";\nconst x: components["schemas"]["Anime"]["titleEnglish"] = 5;\nexport { x };\n' > "$TS/wrong.ts"
out=$(tests/node/node_modules/.bin/tsc --strict --noEmit --lib es2022 "$TS/wrong.ts" 2>&1)
expect_match "and the types are strict (a number is no titleEnglish)" "not assignable to type 'string'" "$out"

# --- the contract
CONTRACT=tests/fixtures/api-contract
expect_eq "the description keeps the contract of its major version" "" "$(validate contract "$CONTRACT" "$DESC")"
changed() {  # $1 = Python changing d (the description; s = its schemas): writes $T_TMP/changed.json
    python3 - "$DESC" "$T_TMP/changed.json" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["components"]["schemas"]
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
}
breaking() {  # $1 = name, $2 = the change, $3 = what the failure must say
    changed "$2"
    out=$(validate contract "$CONTRACT" "$T_TMP/changed.json"); rc=$?
    expect_eq "$1 breaks the contract" 1 "$rc"
    expect_match "$1: the failure says what" "$3" "$out"
}
breaking "a removed field" 'del s["Anime"]["properties"]["titleEnglish"]' "^Anime\.titleEnglish: removed$"
breaking "a retyped field" 's["HistoryPoint"]["properties"]["rank"]["type"] = ["string", "null"]' "^HistoryPoint\.rank: can now be string"
breaking "a field that can now be null" 's["TopRow"]["properties"]["title"]["type"] = ["string", "null"]' "^TopRow\.title: can now be null"
breaking "a required field made optional" 's["Cell"]["required"].remove("text")' "^Cell\.text: was required, now optional$"
breaking "another format" 's["Link"]["properties"]["href"]["format"] = "uri"' "^Link\.href: format uri-reference became uri$"
breaking "a removed shape" 'del s["Chart"]; s["TablePage"]["properties"]["charts"]["items"] = {"type": "object"}' "^Chart: shape removed$"
breaking "a removed path" 'del d["paths"]["/api/widgets.json"]' "^/api/widgets.json: path removed$"
breaking "a removed trending list" 'del s["TrendingNow"]["properties"]["longestRunning"]' "^TrendingNow\.longestRunning: removed$"
MAJOR2='del s["Anime"]["properties"]["titleEnglish"]; d["info"]["version"] = "2.0.0"'
breaking "a removed field with a new major version but no contract for it" "$MAJOR2" "^no contract for major version 2"
changed 's["Anime"]["properties"]["note"] = {"type": "string", "description": "New."}; s["Anime"]["required"].append("note");
d["paths"]["/api/new.json"] = d["paths"]["/api/index.json"]; s["Season"]["enum"].append("rainy")'
expect_eq "new fields, paths and enum values keep the contract" "" "$(validate contract "$CONTRACT" "$T_TMP/changed.json")"
mkdir -p "$T_TMP/contract2"
cp "$CONTRACT"/openapi-*.json "$T_TMP/contract2/"
changed "$MAJOR2"
cp "$T_TMP/changed.json" "$T_TMP/contract2/openapi-2.json"
expect_eq "a new major version with its contract committed may break the previous one" "" \
    "$(validate contract "$T_TMP/contract2" "$T_TMP/changed.json")"

finish
