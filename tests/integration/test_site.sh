#!/usr/bin/env bash
# catlog build on a real PostgreSQL: every page kind, escaping of hostile data everywhere,
# byte-identical rebuilds, the manifest, atomic failure, progressive widgets, valid HTML.
set -u
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

export DATABASE_URL=$(fresh_db site)
q() { psql "$DATABASE_URL" -qAt -c "$1"; }
"$CATLOG" db migrate >/dev/null
"$CATLOG" demo-data --anime 120 --days 60 --end 2026-03-31 --seed 3 >/dev/null

# Hostile data: markup, attribute breakers and a spreadsheet formula, ranked so it shows up everywhere.
HOSTILE='<img src=x onerror=alert(1)>'
q "INSERT INTO \"ProcessedAnime\" (\"malId\", title, \"titleEnglish\", genres, score, rank, members, season, year, studios, synopsis)
   VALUES (999999, '$HOSTILE', '\"><script>alert(2)</script>', '{Action}', 9.99, 1, 5000000, 'spring', 2026, '{\"<b>Studio</b>\"}', 'Ends with </script><script>alert(3)</script>'),
          (999998, '=HYPERLINK(\"http://evil\")', NULL, '{Action}', 9.98, 2, 4000000, 'spring', 2026, '{}', NULL)" >/dev/null
q "INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", rank, popularity, score, members, genres)
   SELECT m, d::date, CASE WHEN m = 999999 THEN 1 ELSE 2 END, 1, 9.99 - (DATE '2026-03-31' - d::date) * 0.01, 5000000, '{Action}'
   FROM generate_series(DATE '2026-02-20', DATE '2026-03-31', interval '1 day') d, (VALUES (999999), (999998)) v(m)" >/dev/null
"$CATLOG" analytics refresh --as-of 2026-03-31 >/dev/null 2>&1
expect_eq "analytics refresh for the build" 0 "$?"

OUT="$T_TMP/out"
export CATLOG_MERMAID_CACHE="$T_TMP/mermaid-cache"   # a cold cache: the first build draws the diagrams
out=$("$CATLOG" build --out "$OUT" --site-url https://catlog.example/ 2>&1); rc=$?
first_build_out=$out
expect_eq "build exits 0" 0 "$rc"
expect_match "build summary" "built [0-9]+ pages \([0-9]+ files\) into" "$out"

# --- every page kind
missing=""
for f in index.html trending/index.html anime/999999/index.html anime/999998/index.html seasons/index.html \
         seasons/2026-spring/index.html genres/index.html genres/action/index.html genres/slice-of-life/index.html \
         analytics/index.html analytics/momentum/index.html analytics/significance/index.html \
         analytics/volatility/index.html analytics/percentiles/index.html analytics/correlation/index.html \
         quality/index.html pipeline/index.html docs/index.html docs/architecture/index.html docs/methodology/index.html \
         docs/api/index.html api/openapi.json anime/index.html search/index.json \
         404.html sitemap.xml feed.xml robots.txt widgets/trending-tabs.html widgets/trending-rotating.html \
         widgets/trending-compact.html widgets/trending-cards.html widgets/demo.html api/index.json \
         api/trending-now.json api/anime/999999.json api/seasons/2026-spring.json api/genres/action.json \
         reports/index.html reports/anime.csv reports/anime.json reports/analytics-momentum.csv \
         reports/analytics-significance.json reports/etl-logs.csv reports/quality-results.csv manifest.json; do
    [ -s "$OUT/$f" ] || missing="$missing $f"
done
expect_eq "every page kind is built" "" "$missing"
# every statistical table (one list in analytics/stat_tables.c; tests/unit/test_stat_tables.c
# checks each has a page) has its page, its CSV and JSON report, and a line in the reports index
missing=$(python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
pages = [l["href"].split("/")[1] for l in json.load(open(out + "/api/analytics.json"))["links"]]
reports = [l["text"][len("analytics-"):] for l in json.load(open(out + "/api/reports.json"))["links"]
           if l["text"].startswith("analytics-")]
bad = [s for s in pages if not all(os.path.isfile(out + "/" + f % s) for f in
       ("analytics/%s/index.html", "reports/analytics-%s.csv", "reports/analytics-%s.json"))]
print(" ".join(bad) if pages == reports and pages else "pages %s, reports %s" % (pages, reports))
PY
) || missing="the check did not run"
expect_eq "every statistical table has its page and its report" "" "$missing"
n_anime=$(ls "$OUT/anime" | grep -c '^[0-9]*$')
expect_eq "one page per anime" "$(q 'SELECT count(*) FROM "ProcessedAnime"')" "$n_anime"
expect_eq "one API document per anime" "$n_anime" "$(ls "$OUT/api/anime" | wc -l)"

# --- the all-anime index and the search index: every anime linked once, found by its title;
# hostile titles are JSON strings in the search files, never markup
expect_eq "the all-anime index, the genre pages and the search index" "" "$(python3 tests/integration/search_index.py check "$OUT" 2>&1)"
expect_eq "a hostile title is a JSON string in the search index" "1" "$(python3 - "$OUT" <<'PY'
import glob, json, sys
found = {e[1] for f in glob.glob(sys.argv[1] + "/search/*.json") for e in json.load(open(f))["a"]}
raw = [f for f in glob.glob(sys.argv[1] + "/search/*.json") if "<img" in open(f).read() or "<script" in open(f).read()]
print(int("<img src=x onerror=alert(1)>" in found and not raw))
PY
)"
expect_eq "the seasons index is a year x season grid linking every season page once" "" "$(python3 - "$OUT" <<'PY'
import os, re, sys
out = sys.argv[1]
text = open(out + "/seasons/index.html").read()
grid = re.search(r'<table class="data season-grid">(.*?)</table>', text, re.S)
if not grid:
    print("no grid"); sys.exit()
head = re.findall(r'<th scope="col">([^<]*)</th>', grid.group(1))
links = re.findall(r'href="(?:\.\./)*(seasons/[^"]*)/index\.html"', grid.group(1))
pages = sorted("seasons/" + d for d in os.listdir(out + "/seasons") if d != "index.html")
rows = re.findall(r'<tr><th scope="row">(\d+)</th>(.*?)</tr>', grid.group(1), re.S)
bad = [y for y, cells in rows if len(re.findall(r'<td>', cells)) != 4]
years = [int(y) for y, _ in rows]
print(" ".join(p for p in [
    "" if head == ["Year", "Winter", "Spring", "Summer", "Fall"] else "columns %s" % head,
    "" if sorted(links) == pages else "links %d, pages %d" % (len(links), len(pages)),
    "" if years == sorted(set(years), reverse=True) else "years %s" % years[:5],
    "" if not bad else "rows without 4 seasons: %s" % bad] if p))
PY
)"
expect_match "the header links to the index without script" 'class="site-search" data-root="../../"><a href="../../anime/index.html">' "$(cat "$OUT/anime/999999/index.html")"
expect_match "the nav links to the index" '<a href="anime/index.html">All anime</a>' "$(cat "$OUT/index.html")"

# --- the API serves what the page shows
python3 - "$OUT" <<'PY' && pass "API documents parse and match the page data" || fail "API documents parse and match the page data"
import json, sys, glob
out = sys.argv[1]
for f in glob.glob(out + "/api/**/*.json", recursive=True):
    json.load(open(f))
a = json.load(open(out + "/api/anime/999999.json"))
assert a["anime"]["title"] == "<img src=x onerror=alert(1)>", a["anime"]["title"]
assert len(a["history"]) == 30 and a["history"][0]["date"] == "2026-03-31"
assert a["history"][0]["score"] == 9.99 and a["history"][0]["rank"] == 1, a["history"][0]
assert a["history"][1]["score"] == 9.98 and a["history"][1]["members"] == 5000000, a["history"][1]
assert "charts" not in a
PY
# polish: OpenGraph/Twitter tags with absolute URLs on every page kind, the apple-touch icon,
# the MyAnimeList link, the last ETL run in the footer (from the data), print styles
bad_og=$(python3 - "$OUT" <<'PY'
import os, re, sys
out = sys.argv[1]
bad = []
for page in ["index.html", "trending/index.html", "anime/999999/index.html", "genres/index.html", "docs/index.html", "docs/api/index.html", "404.html"]:
    html = open(os.path.join(out, page)).read()
    for prop in ["og:type", "og:site_name", "og:title", "og:description", "og:image"]:
        if f'property="{prop}"' not in html: bad.append(f"{page}: {prop}")
    if 'name="twitter:card" content="summary"' not in html: bad.append(f"{page}: twitter:card")
    img = re.search(r'property="og:image" content="https://catlog\.example/(assets/[^"]+\.png)"', html)
    if not img or not os.path.isfile(os.path.join(out, img.group(1))): bad.append(f"{page}: og:image absolute and present")
    url = re.search(r'property="og:url" content="([^"]+)"', html)
    canon = re.search(r'rel="canonical" href="([^"]+)"', html)
    if page != "404.html" and (not url or not canon or url.group(1) != canon.group(1)): bad.append(f"{page}: og:url = canonical")
    touch = re.search(r'rel="apple-touch-icon" href="([^"]+)"', html)
    if not touch: bad.append(f"{page}: apple-touch-icon")
print(" ".join(bad) if bad else "")
PY
) || bad_og="the check did not run"
expect_eq "OpenGraph and Twitter tags, absolute, on every page kind" "" "$bad_og"
expect_eq "apple-touch icon is a 180x180 PNG" "180x180" "$(python3 -c 'import struct,sys,glob; d=open(glob.glob(sys.argv[1]+"/assets/img/apple-touch-icon.*.png")[0],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]) if d[:8]==b"\x89PNG\r\n\x1a\n" else "not png")' "$OUT")"
expect_match "anime page links to MyAnimeList" 'href="https://myanimelist.net/anime/999999"' "$(cat "$OUT/anime/999999/index.html")"
expect_match "footer says when the last ETL run was (from the data)" "last ETL run [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC" "$(cat "$OUT/index.html")"
expect_match "print styles ship" "@media print" "$(cat "$OUT"/assets/site.*.css)"

# direction words as a reader means them: a falling rank number is a climb
climber=$(q "SELECT \"malId\" FROM \"TrendSignificance\" WHERE \"asOf\" = '2026-03-31' AND metric = 'rank' AND \"windowDays\" = 30 AND significant AND slope < 0 ORDER BY \"malId\" LIMIT 1")
faller=$(q "SELECT \"malId\" FROM \"TrendSignificance\" WHERE \"asOf\" = '2026-03-31' AND metric = 'rank' AND \"windowDays\" = 30 AND significant AND slope > 0 ORDER BY \"malId\" LIMIT 1")
expect_match "rank number falling reads 'climbing'" "rank trend, 30 days</dt><dd>climbing" "$(cat "$OUT/anime/$climber/index.html")"
expect_match "rank number rising reads 'falling'" "rank trend, 30 days</dt><dd>falling" "$(cat "$OUT/anime/$faller/index.html")"

# empty states explain, and the dashboard's quality figure agrees with the quality page
if [ "$(q 'SELECT count(*) FROM "QualityResults"')" = 0 ]; then
    expect_match "no evaluation: the dashboard says so" "no quality run yet" "$(cat "$OUT/index.html")"
    expect_no_match "no evaluation: no made-up pass rate" "[0-9.]+%</span> quality checks passed" "$(cat "$OUT/index.html")"
    expect_match "no evaluation: the quality page explains" "No quality run for this date yet: the gate runs with each ETL" "$(cat "$OUT/quality/index.html")"
fi
expect_eq "the significance page ranks only fits of 10 points or more" "0" \
    "$(python3 -c 'import json,sys; rows=json.load(open(sys.argv[1]))["tables"][0]["rows"]; print(sum(1 for r in rows if int(r["cells"][3]["text"]) < 10))' "$OUT/api/analytics/significance.json")"
expect_match "and says so" "at least 10 points" "$(cat "$OUT/analytics/significance/index.html")"

# numbers as a reader reads them on pages (the JSON reports and CSV keep raw numbers)
expect_match "members with thousands separators, right-aligned" '<dt>Members</dt><dd>5,000,000</dd>' "$(cat "$OUT/anime/999999/index.html")"
expect_match "scores with two decimals" '<dt>Score</dt><dd>9.99</dd>' "$(cat "$OUT/anime/999999/index.html")"
expect_match "dashboard top 10: numeric cells right-aligned and formatted" '<td class="num">5,000,000</td>' "$(cat "$OUT/index.html")"
expect_match "p-values readable" '<td class="num">(&lt; 0\.001|0\.[0-9]{3})</td>' "$(cat "$OUT/analytics/significance/index.html")"
expect_no_match "no exponent notation on the significance page" '[0-9]e-[0-9]' "$(cat "$OUT/analytics/significance/index.html")"
expect_match "percentiles as percentages" 'score above [0-9.]+% of the genre' "$(cat "$OUT/anime/999999/index.html")"
expect_match "the report keeps raw numbers" '"members": ?5000000' "$(cat "$OUT/reports/anime.json")"

# each list says what it means: new to the top 50 is an entry date and today's rank
out=$(echo '{"items":[{"malId":5,"title":"X","currentRank":51,"firstAppearance":"2026-03-30"}]}' | \
      "$CATLOG" render templates/partials/trending-list.mustache - --partials templates)
expect_match "new to the top 50 reads as an entry and today's rank" "entered the top 50 on 2026-03-30; now #51" "$out"
expect_match "and the list explains itself" "Entered the top 50 this week, after 90 days without a day in it" "$(cat "$OUT/trending/index.html")"

# every trending list (one table in analytics/trending.c) reaches the dashboard, the trending
# page, the widgets and, where the table says so, the feed: nothing else lists them
missing=$(python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
doc = json.load(open(out + "/api/trending-now.json"))
keys = [k for k in doc if k not in ("asOf", "availability")]
page = open(out + "/index.html").read()
trend = open(out + "/trending/index.html").read()
widgets = [m["key"] for m in json.load(open(out + "/api/widgets.json"))["metrics"]]
views = {m["key"]: m for m in json.load(open(out + "/api/trending.json"))["metrics"]}
bad = [k for k in keys if "trending/index.html#%s\"" % k not in page or 'id="%s"' % k not in trend
       or k not in widgets or not views.get(k, {}).get("label") or not views[k].get("explain")]
print(" ".join(bad) if keys else "no lists")
PY
) || missing="the check did not run"
expect_eq "every trending list on the dashboard, the trending page and the widgets" "" "$missing"
expect_eq "trending API equals catlog analytics trending" "same" "$(python3 -c '
import json,sys
a=json.load(open(sys.argv[1])); b=json.loads(sys.stdin.read())
print("same" if a==b else "differ")' "$OUT/api/trending-now.json" < <("$CATLOG" analytics trending --as-of 2026-03-31 2>/dev/null))"

# --- hostile text is text everywhere
raw=$(grep -rl --include='*.html' -F "$HOSTILE" "$OUT" | head -3)
expect_eq "no raw <img onerror> in any HTML" "" "$raw"
raw=$(grep -rl --include='*.html' -F '<script>alert(' "$OUT" | head -3)
expect_eq "no injected <script> in any HTML" "" "$raw"
expect_match "title escaped in the page" "&lt;img src=x onerror=alert\(1\)&gt;" "$(cat "$OUT/anime/999999/index.html")"
expect_match "title escaped in attributes" 'alt="Cover of &lt;img|aria-label' "$(cat "$OUT/anime/999999/index.html")"
expect_match "title escaped in SVG <title>" "<title id=\"rank90-t\">Rank of &lt;img src=x onerror=alert\(1\)&gt;" "$(cat "$OUT/anime/999999/index.html")"
expect_match "title escaped in widgets" "&lt;img src=x" "$(cat "$OUT/widgets/trending-tabs.html" "$OUT/index.html")"
expect_match "formula cell neutralised in CSV" "^999998,\"'=HYPERLINK\(\"\"http://evil\"\"\)\"" "$(cat "$OUT/reports/anime.csv")"
expect_match "negative numbers stay numbers in CSV" "^[0-9-]+,[0-9]+,-?[0-9]+," "$(sed -n 2p "$OUT/reports/analytics-momentum.csv")"
python3 -c "import xml.etree.ElementTree as E,sys; E.parse(sys.argv[1]); E.parse(sys.argv[2])" "$OUT/feed.xml" "$OUT/sitemap.xml" \
    && pass "feed.xml and sitemap.xml are well-formed" || fail "feed.xml and sitemap.xml are well-formed"
python3 -c "
import sys, re
locs = re.findall(r'<loc>([^<]*)</loc>', open(sys.argv[1]).read())
sys.exit(0 if locs == sorted(locs) and len(locs) > 100 else 1)" "$OUT/sitemap.xml" && pass "sitemap sorted by URL" || fail "sitemap sorted by URL"
expect_match "sitemap uses the site URL" "<loc>https://catlog.example/anime/999999/index.html</loc>" "$(cat "$OUT/sitemap.xml")"
expect_match "feed has an entry for the as-of date" "<title>Trending on 2026-03-31</title>" "$(cat "$OUT/feed.xml")"

# --- links: relative inside the site, so it works from any host, prefix or file://
abs=$(grep -rhoE --include='*.html' '(href|src)="/[^"]*"' "$OUT" | sort -u | head -3)
expect_eq "no root-absolute internal links" "" "$abs"
expect_match "nested pages climb to the root" 'href="../../assets/site\.[0-9a-f]{10}\.css"' "$(cat "$OUT/anime/999999/index.html")"
expect_match "widget links are absolute to the site URL" 'href="https://catlog.example/anime/' "$(cat "$OUT/widgets/trending-cards.html")"
ext=$(grep -hoE '(src|href)="https?://[^"]*"' "$OUT/widgets/trending-"*.html | grep -v 'https://catlog.example/' | head -3)
expect_eq "widgets request nothing from elsewhere" "" "$ext"
expect_eq "widgets carry no scripts" "" "$(grep -l '<script' "$OUT"/widgets/trending-*.html)"

# --- manifest: every other file, sorted, with true hashes and cache classes
python3 - "$OUT" <<'PY' && pass "manifest lists every file with sha256, size, type and cache" || fail "manifest lists every file with sha256, size, type and cache"
import hashlib, json, os, sys, re
out = sys.argv[1]
m = json.load(open(out + "/manifest.json"))["files"]
paths = [f["path"] for f in m]
assert paths == sorted(paths), "not sorted"
on_disk = sorted(os.path.relpath(os.path.join(d, f), out) for d, _, fs in os.walk(out) for f in fs)
on_disk.remove("manifest.json")
assert paths == on_disk, set(paths) ^ set(on_disk)
for f in m:
    data = open(os.path.join(out, f["path"]), "rb").read()
    assert hashlib.sha256(data).hexdigest() == f["sha256"], f["path"]
    assert len(data) == f["size"]
    fingerprinted = re.match(r"assets/.*\.[0-9a-f]{10}\.[a-z0-9]+$", f["path"]) is not None
    assert f["cache"] == ("immutable" if fingerprinted else "page"), f
types = {f["path"]: f["contentType"] for f in m}
assert types["index.html"] == "text/html; charset=utf-8"
assert types["feed.xml"] == "application/xml; charset=utf-8"
assert types["reports/anime.csv"] == "text/csv; charset=utf-8"
assert types["api/index.json"] == "application/json; charset=utf-8"
PY

# --- deterministic
"$CATLOG" build --out "$T_TMP/again" --site-url https://catlog.example/ >/dev/null 2>&1
if diff -r "$OUT" "$T_TMP/again" >/dev/null; then pass "same database and as-of give byte-identical output"; else fail "byte-identical rebuild" "$(diff -rq "$OUT" "$T_TMP/again" | head -3)"; fi
# the same bytes whether one process renders everything or workers share it out
for jobs in 1 3; do
    rm -rf "$T_TMP/again"
    "$CATLOG" build --jobs $jobs --out "$T_TMP/again" --site-url https://catlog.example/ >/dev/null 2>&1
    if diff -r "$OUT" "$T_TMP/again" >/dev/null; then pass "--jobs $jobs gives byte-identical output"
    else fail "--jobs $jobs gives byte-identical output" "$(diff -rq "$OUT" "$T_TMP/again" | head -3)"; fi
done

# --- Mermaid diagrams drawn at build time, cached; without the renderer, left to the browser
ARCH=docs/architecture/index.html
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ] && command -v node >/dev/null && [ -f node_modules/playwright-core/package.json ] \
   && [ -f node_modules/mermaid/dist/mermaid.min.js ]; then
    expect_match "the cold build draws both diagrams" "Mermaid diagrams: 2 drawn" "$first_build_out"
    expect_eq "the architecture page holds both diagrams as inline SVG" 2 "$(grep -o '<svg id="mermaid-[0-9a-f]\{12\}"' "$OUT/$ARCH" | sort -u | wc -l)"
    expect_eq "each diagram is labelled by its source" 2 "$(grep -o 'aria-labelledby="mermaid-[0-9a-f]\{12\}-src"' "$OUT/$ARCH" | wc -l)"
    expect_eq "each diagram's source is on the page" 2 "$(grep -o '<pre id="mermaid-[0-9a-f]\{12\}-src">' "$OUT/$ARCH" | wc -l)"
    expect_no_match "no Mermaid script on the architecture page" "mermaid\.min|mermaid-init|pre class=\"mermaid\"" "$(cat "$OUT/$ARCH")"
    before=$(ls -l --time-style=+%s.%N "$CATLOG_MERMAID_CACHE" | md5sum)
    rm -rf "$T_TMP/warm"
    out=$("$CATLOG" build --out "$T_TMP/warm" --site-url https://catlog.example/ 2>&1)
    expect_no_match "a warm cache draws nothing" "Mermaid diagrams: [0-9]+ drawn" "$out"
    expect_eq "a warm cache leaves the cache untouched" "$before" "$(ls -l --time-style=+%s.%N "$CATLOG_MERMAID_CACHE" | md5sum)"
    if cmp -s "$OUT/$ARCH" "$T_TMP/warm/$ARCH"; then pass "a warm cache gives the same bytes"; else fail "a warm cache gives the same bytes"; fi
    # a second drawing of the same source gives the same SVG bytes
    cp -R "$CATLOG_MERMAID_CACHE" "$T_TMP/cache-first"
    rm -f "$CATLOG_MERMAID_CACHE"/*.svg
    rm -rf "$T_TMP/warm"
    out=$("$CATLOG" build --out "$T_TMP/warm" --site-url https://catlog.example/ 2>&1)
    expect_match "an emptied cache draws again" "Mermaid diagrams: 2 drawn" "$out"
    if diff -r "$T_TMP/cache-first" "$CATLOG_MERMAID_CACHE" >/dev/null && cmp -s "$OUT/$ARCH" "$T_TMP/warm/$ARCH"; then
        pass "drawing a diagram again gives the same SVG bytes"
    else fail "drawing a diagram again gives the same SVG bytes" "$(diff -rq "$T_TMP/cache-first" "$CATLOG_MERMAID_CACHE" | head -2)"; fi
else
    echo "skip Mermaid drawn at build time (needs node, Chromium and ./build.sh's node_modules)"
fi
rm -rf "$T_TMP/nodraw"
out=$(CHROMIUM=/nonexistent CATLOG_MERMAID_CACHE="$T_TMP/nodraw-cache" "$CATLOG" build --out "$T_TMP/nodraw" --site-url https://catlog.example/ 2>&1)
expect_eq "without the renderer: one warning" 1 "$(printf '%s\n' "$out" | grep -c 'warning: Mermaid diagrams left to the browser')"
if [ -f node_modules/mermaid/dist/mermaid.min.js ]; then
    expect_match "without the renderer: the warning names what is missing" "left to the browser: Chromium not found|left to the browser: node not found|left to the browser: playwright-core" "$out"
    expect_match "without the renderer: the diagrams are left to mermaid.js" "pre class=\"mermaid\"" "$(cat "$T_TMP/nodraw/$ARCH")"
    expect_match "without the renderer: the page loads mermaid.js" "<script src=\"../../assets/mermaid\.[0-9a-f]+\.min\.js\"|<script src=\"[^\"]*mermaid[^\"]*\.js\"" "$(cat "$T_TMP/nodraw/$ARCH")"
fi

out=$("$CATLOG" build --jobs 0 --out "$T_TMP/again" 2>&1); rc=$?
expect_eq "--jobs 0 is a usage error" "2" "$rc"
expect_match "--jobs 0 names the flag" "--jobs" "$out"
"$CATLOG" build --out "$T_TMP/older" --as-of 2026-03-20 >/dev/null 2>&1
expect_match "--as-of builds an earlier site" "as of 2026-03-20" "$(cat "$T_TMP/older/index.html")"

# --- atomic: a failing build leaves the previous output untouched
before=$(sha256sum "$OUT/manifest.json")
cp -r templates "$T_TMP/broken-templates"
printf '{{#anime}}\n<h1>{{title}}\n' > "$T_TMP/broken-templates/pages/anime.mustache"
out=$("$CATLOG" build --out "$OUT" --templates "$T_TMP/broken-templates" 2>&1); rc=$?
expect_eq "template error exits 1" 1 "$rc"
expect_match "template error names file:line:col" "pages/anime.mustache:1:1: .*anime" "$out"
expect_match "template error says the output is unchanged" "unchanged" "$out"
expect_eq "output untouched after a failed build" "$before" "$(sha256sum "$OUT/manifest.json")"
expect_eq "no staging directory left behind" "" "$(ls -d "$OUT".staging-* 2>/dev/null)"
out=$(DATABASE_URL="postgresql:///gone?host=$T_TMP" "$CATLOG" build --out "$OUT" 2>&1); rc=$?
expect_eq "database down exits 1" 1 "$rc"
expect_eq "output untouched when the database is down" "$before" "$(sha256sum "$OUT/manifest.json")"

# leftovers of builds that died (their processes are gone) are swept by the next build
mkdir -p "$OUT.staging-3999998/anime/1" "$OUT.old-3999999-1/x"
"$CATLOG" build --out "$OUT" >/dev/null 2>&1
for _ in $(seq 100); do [ -z "$(ls -d "$OUT".staging-* "$OUT".old-* 2>/dev/null)" ] && break; sleep 0.05; done
expect_eq "leftovers of dead builds and the previous site are removed" "" "$(ls -d "$OUT".staging-* "$OUT".old-* 2>/dev/null)"
before=$(sha256sum "$OUT/manifest.json")

# database gone in the middle of a build: one clear line, previous output untouched
big=$(fresh_db site_big)
DATABASE_URL=$big "$CATLOG" db migrate >/dev/null
DATABASE_URL=$big "$CATLOG" demo-data --anime 6000 --days 90 --end 2026-03-31 >/dev/null
DATABASE_URL=$big "$CATLOG" build --out "$T_TMP/big" >/dev/null 2>&1
before_big=$(sha256sum "$T_TMP/big/manifest.json")
DATABASE_URL=$big PGAPPNAME=catlog-midbuild "$CATLOG" build --out "$T_TMP/big" >"$T_TMP/midbuild.log" 2>&1 &
BUILD=$!
# wait until it is writing anime pages (the longest step), then take the database away
for _ in $(seq 200); do [ -d "$(ls -d "$T_TMP"/big.staging-*/anime 2>/dev/null | head -n 1)" ] && break; sleep 0.02; done
psql "$DATABASE_URL" -qAt -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'catlog-midbuild'" >/dev/null
wait $BUILD
rc=$?
expect_eq "database lost mid-build: exit 1" 1 "$rc"
expect_match "database lost mid-build: says what failed" "site build failed; .*big is unchanged" "$(cat "$T_TMP/midbuild.log")"
expect_eq "database lost mid-build: output untouched" "$before_big" "$(sha256sum "$T_TMP/big/manifest.json")"
expect_eq "database lost mid-build: no staging left" "" "$(ls -d "$T_TMP"/big.staging-* 2>/dev/null)"
expect_eq "database lost mid-build: no worker process left" "" "$(pgrep -f "build --out $T_TMP/big" || true)"
# the index in pages of 500 and the search index at 6000 anime; a query fetches at most 300 KB
expect_eq "6000 anime: the index and genre pages in pages of 500, their links, the search index" "" "$(python3 tests/integration/search_index.py check "$T_TMP/big" 2>&1)"
python3 tests/integration/search_index.py measure "$T_TMP/big" 300000 >"$T_TMP/search-measure.txt" 2>&1 \
    && pass "6000 anime: no query fetches more than 300 KB of the search index" \
    || fail "6000 anime: no query fetches more than 300 KB of the search index" "$(cat "$T_TMP/search-measure.txt")"

# --- widgets grow with the history
widget_for_days() {
    local url
    url=$(fresh_db "site_w$1")
    DATABASE_URL=$url "$CATLOG" db migrate >/dev/null
    DATABASE_URL=$url "$CATLOG" demo-data --anime 80 --days "$1" --end 2026-03-31 >/dev/null
    DATABASE_URL=$url "$CATLOG" build --out "$T_TMP/w$1" >/dev/null 2>&1
    cat "$T_TMP/w$1/widgets/trending-tabs.html" "$T_TMP/w$1/widgets/trending-cards.html"
}
w=$(widget_for_days 4)
expect_match "under 7 days: current top and a countdown" "Trends available in 3 days" "$w"
w=$(widget_for_days 15)
expect_match "7-29 days: the week's movers" "Climbing this week" "$w"
expect_no_match "7-29 days: no monthly lists yet" "Climbing this month" "$w"
expect_match "7-29 days: says when the full set comes" "Monthly trends in 15 days" "$w"
w=$(cat "$OUT/widgets/trending-tabs.html")
expect_match "from 30 days: the full set" "Climbing this month" "$w"

# --- HTML validity (tidy) on one page of each kind
bad=""
for f in index.html trending/index.html anime/999999/index.html anime/index.html seasons/index.html seasons/2026-spring/index.html genres/action/index.html \
         analytics/index.html analytics/volatility/index.html quality/index.html pipeline/index.html docs/architecture/index.html \
         docs/api/index.html 404.html widgets/demo.html; do
    errs=$(tidy -errors -q "$OUT/$f" 2>&1 | grep -i "error" | head -2)
    [ -n "$errs" ] && bad="$bad $f: $errs"
done
expect_eq "pages pass tidy -errors" "" "$bad"
expect_match "html has lang" '<html lang="en">' "$(cat "$OUT/index.html")"
expect_match "charts have role img with title and desc" 'role="img" aria-labelledby="rank90-t rank90-d"' "$(cat "$OUT/anime/999999/index.html")"

# --- paths come only from trusted parts: a hostile season makes no page of its own
q "UPDATE \"ProcessedAnime\" SET season = '../../../escaped' WHERE \"malId\" = 999998" >/dev/null
out=$("$CATLOG" build --out "$T_TMP/paths/" 2>&1); rc=$?
expect_eq "build with --out DIR/ (trailing slash) exits 0" 0 "$rc"
expect_eq "nothing written outside the output" "" "$(find "$T_TMP" -maxdepth 2 -name escaped)"
expect_eq "no page for an unknown season" "" "$(ls "$T_TMP/paths/seasons" | grep -v -E '^(index.html|[0-9]{4}-(winter|spring|summer|fall))$')"
expect_match "rotating widget keyframes are valid CSS" "@keyframes clw-rot-show\{0%\{opacity:1\}[0-9]+\.[0-9]{3}%\{opacity:1\}[0-9]+\.[0-9]{3}%\{opacity:0\}100%" "$(cat "$T_TMP/paths/widgets/trending-rotating.html")"

# --- two genres with the same slug: each gets its own page, with a stable hash suffix
q "INSERT INTO \"ProcessedAnime\" (\"malId\", title, genres) VALUES (999997, 'Twin', '{\"Sci Fi\"}')" >/dev/null
out=$("$CATLOG" build --out "$T_TMP/twin" 2>&1); rc=$?
expect_eq "slug collision: the build succeeds" 0 "$rc"
expect_eq "slug collision: two genre pages" 2 "$(ls "$T_TMP/twin/genres" | grep -c '^sci-fi-[0-9a-f]\{8\}$')"
expect_match "slug collision: the anime links to its own" 'genres/sci-fi-[0-9a-f]{8}/index.html">Sci Fi<' "$(cat "$T_TMP/twin/anime/999997/index.html")"
q "DELETE FROM \"ProcessedAnime\" WHERE \"malId\" = 999997" >/dev/null

# --- usage
"$CATLOG" build --help >/dev/null; expect_eq "build --help exits 0" 0 "$?"
"$CATLOG" build --as-of yesterday >/dev/null 2>&1; expect_eq "bad --as-of exits 2" 2 "$?"

finish
