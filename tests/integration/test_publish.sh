#!/usr/bin/env bash
# catlog publish against real parts: s3rver (npm) as the bucket, a checking proxy in front
# of it (botocore re-signs every request and must agree byte for byte; it also injects 500s
# and holds requests so the publish can be killed mid-way), nginx as the caching CDN edge,
# and headless Chromium reading the site through the edge. Plus --to DIR.
set -u
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX="$ROOT/tests/fixtures/publish"
PYDEB=/usr/bin/python3          # Debian's python, where python3-botocore lives
PIDS=()
cleanup() {
    for p in "${PIDS[@]}" ${T_PIDS:-}; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$T_TMP"
}
trap cleanup EXIT
wait_file() { for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }

# ---------------------------------------------------------------- servers
start_s3 site other

SECRET="S3RVER"                                  # s3rver's built-in key pair: S3RVER / S3RVER
$PYDEB "$FIX/s3proxy.py" --upstream "127.0.0.1:$S3PORT" --port-file "$T_TMP/proxy.port" --secret "$SECRET" \
    >"$T_TMP/proxy.log" 2>&1 &
PIDS+=($!)
wait_file "$T_TMP/proxy.port" || { fail "proxy started" "$(cat "$T_TMP/proxy.log")"; finish; exit 1; }
PROXY="http://127.0.0.1:$(cat "$T_TMP/proxy.port")"

start_edge site

export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=$SECRET AWS_REGION=us-east-1 AWS_ENDPOINT_URL=$PROXY
unset AWS_SESSION_TOKEN AWS_ENDPOINT_URL_S3 CATLOG_PURGE_URL CATLOG_CACHE_PAGE CATLOG_CACHE_IMMUTABLE

plog() { curl -s "$PROXY/_proxy/log"; }
preset() { curl -s -X POST "$PROXY/_proxy/reset" >/dev/null; }
pctl() { curl -s -X POST --data "$1" "$PROXY/_proxy/control" >/dev/null; }
# logq EXPR: a Python expression over l, the proxy's request log
logq() { plog | python3 -c "import json,sys; l=json.load(sys.stdin); print($1)"; }
puts() { logq "sum(1 for e in l if e['method']=='PUT' and e['status']!='held')"; }
stored() { find "$S3_DATA/$1" -name '*._S3rver_object' 2>/dev/null | sed -e "s|^$S3_DATA/$1/||" -e 's|\._S3rver_object$||' | sort; }
site_files() { python3 -c "import json,sys; print('\n'.join(sorted([f['path'] for f in json.load(open(sys.argv[1]+'/manifest.json'))['files']]+['manifest.json'])))" "$1"; }
pages_of() { python3 -c "import json,sys; print('\n'.join(f['path'] for f in json.load(open(sys.argv[1]+'/manifest.json'))['files'] if f['path'].endswith('.html')))" "$1"; }
mksite() { python3 "$FIX/mksite.py" "$@" 2>/dev/null; }
pub() { "$CATLOG" publish "$@"; }

SITE="$T_TMP/site"
mksite --out "$SITE" --files 40 --version 1 --asset-version 1
NFILES=$(site_files "$SITE" | wc -l)

# ---------------------------------------------------------------- usage
pub --to "" >/dev/null 2>&1; expect_eq "no --to: exit 2" 2 $?
pub --to s3:// >/dev/null 2>&1; expect_eq "s3:// without a bucket: exit 2" 2 $?
pub --parallel 0 --to s3://site >/dev/null 2>&1; expect_eq "--parallel 0: exit 2" 2 $?
out=$(pub --help); expect_match "--help documents the environment" "AWS_ENDPOINT_URL" "$out"
out=$(pub --out "$T_TMP/nosite" --to s3://site 2>&1); rc=$?
expect_eq "missing site: exit 1" 1 "$rc"
expect_match "missing site: says what to do" "catlog build" "$out"

# ---------------------------------------------------------------- dry run, first publish
preset
out=$(pub --out "$SITE" --to s3://site --dry-run 2>&1); rc=$?
expect_eq "dry run exits 0" 0 "$rc"
expect_match "dry run lists the plan" "would upload $NFILES files" "$out"
expect_eq "dry run writes nothing" 0 "$(puts)"

preset
out=$(pub --out "$SITE" --to s3://site 2>&1); rc=$?
expect_eq "first publish exits 0" 0 "$rc"
expect_match "first publish summary" "uploaded $NFILES \([0-9.]+ KB\), unchanged 0, deleted 0, failed 0" "$out"
expect_eq "first publish: one PUT per file" "$NFILES" "$(puts)"
expect_eq "bucket holds exactly the site" "$(site_files "$SITE")" "$(stored site)"
expect_eq "botocore agrees with every signature" "0 $(logq 'len(l)')" "$(logq "sum(1 for e in l if e['sig']!='ok'), len(l)" | tr -d '(),')"
expect_eq "every object identical at the origin" "ok" "$(python3 "$FIX/check_site.py" --base "http://127.0.0.1:$S3PORT/site" --site "$SITE" >/dev/null && echo ok)"
order=$(logq "''.join({'assets':'A','anime':'P','api':'P','index.html':'P','sitemap.xml':'S','feed.xml':'S','robots.txt':'S','manifest.json':'M','charts':'A','data':'A'}[e['path'].split('/')[2]] for e in l if e['method']=='PUT')")
expect_match "upload order: assets, pages, sitemap/feed, manifest" "^A+P+S+M$" "$order"

# ---------------------------------------------------------------- headers through the edge
hdr() { curl -s -D - -o /dev/null "$EDGE/$1" | tr -d '\r' | grep -i "^$2:" | head -1 | cut -d' ' -f2-; }
css=$(cd "$SITE" && ls assets/site.*.css)
expect_eq "page Content-Type at the edge" "text/html; charset=utf-8" "$(hdr anime/1/ Content-Type)"
expect_eq "page Cache-Control at the edge" "public, max-age=300, stale-while-revalidate=60" "$(hdr anime/1/ Cache-Control)"
expect_eq "asset Cache-Control at the edge" "public, max-age=31536000, immutable" "$(hdr "$css" Cache-Control)"
expect_eq "css Content-Type" "text/css; charset=utf-8" "$(hdr "$css" Content-Type)"
expect_eq "js Content-Type" "text/javascript; charset=utf-8" "$(hdr "$(cd "$SITE" && ls assets/app.*.js)" Content-Type)"
expect_eq "json Content-Type" "application/json; charset=utf-8" "$(hdr api/anime/1.json Content-Type)"
expect_eq "svg Content-Type" "image/svg+xml; charset=utf-8" "$(hdr charts/trend.svg Content-Type)"
expect_eq "xml Content-Type" "application/xml; charset=utf-8" "$(hdr sitemap.xml Content-Type)"
expect_eq "csv Content-Type" "text/csv; charset=utf-8" "$(hdr data/rankings.csv Content-Type)"
expect_eq "png Content-Type" "image/png" "$(hdr "$(cd "$SITE" && ls assets/dot.*.png)" Content-Type)"
expect_eq "woff2 Content-Type" "font/woff2" "$(hdr "$(cd "$SITE" && ls assets/font.*.woff2)" Content-Type)"
expect_eq "txt Content-Type" "text/plain; charset=utf-8" "$(hdr robots.txt Content-Type)"
curl -s -o /dev/null "$EDGE/anime/2/"
expect_eq "the edge caches pages" "HIT" "$(hdr anime/2/ X-Cache-Status)"

# ---------------------------------------------------------------- unchanged republish
preset
t0=$(date +%s.%N)
out=$(pub --out "$SITE" --to s3://site 2>&1); rc=$?
t1=$(date +%s.%N)
expect_eq "unchanged republish exits 0" 0 "$rc"
expect_eq "unchanged republish: 0 PUTs" 0 "$(puts)"
expect_eq "unchanged republish: one request (the published manifest)" 1 "$(logq 'len(l)')"
expect_match "unchanged republish summary" "uploaded 0 \(0 B\), unchanged $((NFILES - 1)), deleted 0, failed 0" "$out"

# ---------------------------------------------------------------- one changed page
sed -i 's|<h1>Anime 3 |<h1>Anime 3 (edited) |' "$SITE/anime/3/index.html"
mksite --manifest-only "$SITE"
preset
out=$(pub --out "$SITE" --to s3://site 2>&1); rc=$?
expect_eq "changed page: exit 0" 0 "$rc"
expect_eq "changed page: exactly the page and the manifest uploaded" "/site/anime/3/index.html /site/manifest.json" \
    "$(logq "' '.join(e['path'] for e in l if e['method']=='PUT')")"
expect_eq "changed page served by the origin" "ok" "$(curl -s "http://127.0.0.1:$S3PORT/site/anime/3/" | grep -q 'edited' && echo ok)"

# ---------------------------------------------------------------- purge hook
$PYDEB "$FIX/hook.py" --port-file "$T_TMP/hook.port" --out "$T_TMP/hook.jsonl" >/dev/null 2>&1 &
PIDS+=($!)
wait_file "$T_TMP/hook.port"
sed -i 's|<h1>Anime 4 |<h1>Anime 4 (edited) |' "$SITE/anime/4/index.html"
mksite --manifest-only "$SITE"
out=$(CATLOG_PURGE_TOKEN=purge-token-xyz pub --out "$SITE" --to s3://site --purge-url "http://127.0.0.1:$(cat "$T_TMP/hook.port")/purge" -v 2>&1); rc=$?
expect_eq "purge hook publish exits 0" 0 "$rc"
expect_eq "purge hook told the changed page paths" "['/anime/4/index.html', '/anime/4/', '/manifest.json']" \
    "$(python3 -c "import json; print(json.loads(open('$T_TMP/hook.jsonl').readline())['body']['paths'])")"
expect_eq "purge hook got its bearer token" "Bearer purge-token-xyz" "$(python3 -c "import json; print(json.loads(open('$T_TMP/hook.jsonl').readline())['auth'])")"
expect_no_match "purge token never printed" "purge-token-xyz" "$out"

# ---------------------------------------------------------------- 500s: retried, then success
sed -i 's|<h1>Anime 5 |<h1>Anime 5 (edited) |' "$SITE/anime/5/index.html"
sed -i 's|<h1>Anime 6 |<h1>Anime 6 (edited) |' "$SITE/anime/6/index.html"
mksite --manifest-only "$SITE"
preset
pctl '{"fail": {"method": "PUT", "status": 500, "count": 3}}'
out=$(pub --out "$SITE" --to s3://site -v 2>&1); rc=$?
expect_eq "500s then success: exit 0" 0 "$rc"
expect_eq "three 500s answered" 3 "$(logq "sum(1 for e in l if e['status']==500)")"
expect_match "retries counted" "3 retries" "$out"
expect_eq "after retries the bucket is whole" "ok" "$(python3 "$FIX/check_site.py" --base "http://127.0.0.1:$S3PORT/site" --site "$SITE" >/dev/null && echo ok)"
pctl '{"fail": {"method": "PUT", "status": 503, "count": 1000, "path": "anime/7/"}}'
sed -i 's|<h1>Anime 7 |<h1>Anime 7 (edited) |' "$SITE/anime/7/index.html"
mksite --manifest-only "$SITE"
preset
out=$(pub --out "$SITE" --to s3://site --retries 2 2>&1); rc=$?
pctl '{"fail": null}'
expect_eq "persistent 503: exit 1" 1 "$rc"
expect_match "persistent 503: names the file and the status" "not published: anime/7/index.html: PUT s3://site/anime/7/index.html: HTTP 503 .*after 3 attempts" "$out"
expect_match "persistent 503: later stages listed as not attempted" "not published: manifest.json: not attempted" "$out"
expect_match "persistent 503: summary counts failures" "failed [1-9]" "$out"
expect_eq "persistent 503: manifest not replaced" 0 "$(logq "sum(1 for e in l if e['path'].endswith('manifest.json') and e['method']=='PUT')")"
out=$(pub --out "$SITE" --to s3://site 2>&1); rc=$?
expect_eq "rerun after the outage completes" 0 "$rc"
expect_match "rerun uploads what was missing" "uploaded 2 " "$out"

# ---------------------------------------------------------------- integrity: file changed after the manifest
cp "$SITE/anime/8/index.html" "$T_TMP/a8.html"
sed -i 's|<h1>Anime 8 |<h1>Anime 8 (edited) |' "$SITE/anime/8/index.html"
mksite --manifest-only "$SITE"
echo "tampered" >>"$SITE/anime/8/index.html"
out=$(pub --out "$SITE" --to s3://site 2>&1); rc=$?
expect_eq "file differing from the manifest: exit 1" 1 "$rc"
expect_match "file differing from the manifest: named" "anime/8/index.html changed after the manifest was written" "$out"
mksite --manifest-only "$SITE"
pub --out "$SITE" --to s3://site >/dev/null 2>&1

# ---------------------------------------------------------------- credentials and bucket errors
preset
out=$(AWS_ACCESS_KEY_ID=AKIDUNKNOWN0000000 AWS_SECRET_ACCESS_KEY=top-secret-value-123 pub --out "$SITE" --to s3://site --delete -v 2>&1); rc=$?
expect_eq "unknown key id: exit 1" 1 "$rc"
expect_match "unknown key id: one clear line" "s3://site at $PROXY: access key id 'AKIDUNKNOWN0000000' is not known there \(403 InvalidAccessKeyId" "$out"
expect_no_match "no secret, signature or Authorization printed" "top-secret-value-123|Signature=|Authorization|AWS4-HMAC" "$out"
expect_eq "unknown key id: nothing written or deleted" 0 "$(logq "sum(1 for e in l if e['method'] in ('PUT','POST','DELETE'))")"
out=$(AWS_SECRET_ACCESS_KEY=wrong-secret-value-456 pub --out "$SITE" --to s3://site -v 2>&1); rc=$?
expect_eq "wrong secret (botocore disagrees): exit 1" 1 "$rc"
expect_match "wrong secret: says which variable" "SignatureDoesNotMatch.*check AWS_SECRET_ACCESS_KEY" "$out"
expect_no_match "wrong secret: never printed" "wrong-secret-value-456|Signature=" "$out"
out=$(pub --out "$SITE" --to s3://no-such-bucket 2>&1); rc=$?
expect_eq "missing bucket: exit 1" 1 "$rc"
expect_match "missing bucket: clear line" "s3://no-such-bucket at .*: no such bucket \(404 NoSuchBucket\)" "$out"
out=$(AWS_ENDPOINT_URL=http://127.0.0.1:$(free_port) pub --out "$SITE" --to s3://site --retries 1 2>&1); rc=$?
expect_eq "nothing listening: exit 1" 1 "$rc"
expect_match "nothing listening: clear line" "cannot reach http://127.0.0.1:[0-9]+ for site .*is the server up" "$out"
out=$(AWS_ENDPOINT_URL=http://no-such-host.invalid:9000 pub --out "$SITE" --to s3://site --retries 0 2>&1); rc=$?
expect_eq "unknown host: exit 1" 1 "$rc"
expect_match "unknown host: clear line" "cannot resolve the host of http://no-such-host.invalid:9000" "$out"
out=$(env -u AWS_ACCESS_KEY_ID "$CATLOG" publish --out "$SITE" --to s3://site 2>&1); rc=$?
expect_match "no credentials: says which variables" "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" "$out"
preset
out=$(AWS_SESSION_TOKEN=session-token-abc pub --out "$SITE" --to s3://other/tok 2>&1); rc=$?
expect_eq "session token: publish exits 0" 0 "$rc"
expect_eq "session token: signed (botocore agrees)" "0" "$(logq "sum(1 for e in l if e['sig']!='ok')")"
expect_no_match "session token never printed" "session-token-abc" "$out"

# ---------------------------------------------------------------- prefix, --full, --delete
preset
out=$(pub --out "$SITE" --to s3://other/a/b/ 2>&1); rc=$?
expect_eq "prefix publish exits 0" 0 "$rc"
expect_eq "prefix: every key under a/b/" "$(site_files "$SITE" | sed 's|^|a/b/|')" "$(stored other | grep '^a/b/')"
out=$(pub --out "$SITE" --to s3://other/a/b --full 2>&1); rc=$?
expect_match "--full: ETags match, nothing uploaded" "uploaded 0 .*unchanged $((NFILES - 1))" "$out"

# site v2: pages 13..15 gone, new asset fingerprints, all pages changed
SITE2="$T_TMP/site2"
mksite --out "$SITE2" --files 34 --version 2 --asset-version 2
old_assets=$(cd "$SITE" && ls assets | grep -v '^dot\.' | sed 's|^|assets/|')
preset
out=$(pub --out "$SITE2" --to s3://site --delete 2>&1); rc=$?
expect_eq "--delete exits 0" 0 "$rc"
expect_match "--delete: removed pages deleted, old assets kept" "deleted [1-9][0-9]*, failed 0" "$out"
expect_match "--delete: says what it kept" "kept 4 retired assets" "$out"
# (the first D withdraws the old manifest before anything it describes changes)
expect_eq "--delete: the old manifest withdrawn first, deletions after the new one" "D M D" "$(logq "' '.join(('M' if e['path'].endswith('manifest.json') else 'D') for e in l if e['path'].endswith('manifest.json') and e['method']=='PUT' or e['method']=='POST')")"
expect_eq "--delete: no page of v1 left that v2 lacks" "" "$(comm -13 <(site_files "$SITE2") <(stored site) | grep -v '^assets/')"
expect_eq "--delete: retired assets still there (pages cached at the edge use them)" "$old_assets" "$(comm -13 <(site_files "$SITE2") <(stored site))"
# the grace period, on a bucket no edge fronts: retired now -> kept; retired by an earlier
# publish at least --asset-grace ago -> deleted
pub --out "$SITE2" --to s3://other/a/b --delete --asset-grace 2 >"$T_TMP/g1" 2>&1
expect_match "--asset-grace 2: assets retired now are kept" "kept 4 retired" "$(cat "$T_TMP/g1")"
sleep 2.2
out=$(pub --out "$SITE2" --to s3://other/a/b --delete --asset-grace 2 2>&1)
expect_match "--asset-grace 2: two seconds later they go" "uploaded 0 .*deleted 4, failed 0" "$out"
expect_eq "--asset-grace: bucket is exactly site v2" "$(site_files "$SITE2" | sed 's|^|a/b/|')" "$(stored other | grep '^a/b/')"
out=$(pub --out "$SITE" --to s3://other/c --delete --asset-grace 0 2>&1 && pub --out "$SITE2" --to s3://other/c --delete --asset-grace 0 2>&1)
expect_match "--asset-grace 0: retired assets deleted at once" "uploaded [0-9]+ .*deleted [1-9][0-9]*, failed 0" "$out"
expect_eq "--asset-grace 0: bucket is exactly site v2" "$(site_files "$SITE2" | sed 's|^|c/|')" "$(stored other | grep '^c/')"

# ---------------------------------------------------------------- kill -9 mid-publish, then rerun
# The edge must serve, at every moment, pages whose assets exist.
pages_of "$SITE2" >"$T_TMP/pages"
python3 "$FIX/check_site.py" --base "$EDGE" --pages "$T_TMP/pages" >/dev/null   # warm the edge with v2
kill_at() {  # kill_at NAME RULE SITE [SIGNAL]: hold requests per RULE, signal the publish once one is held
    local name=$1 rule=$2 site=$3 sig=${4:-KILL}
    preset
    pctl "{\"hold\": $rule}"
    "$CATLOG" publish --out "$site" --to s3://site --delete >"$T_TMP/kill.out" 2>&1 &
    local pid=$!
    for _ in $(seq 200); do
        [ "$(logq "sum(1 for e in l if e['status']=='held')")" -gt 0 ] && break
        sleep 0.05
    done
    kill -"$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    local prc=$?
    pctl '{"release": true}'
    if [ "$sig" = TERM ]; then   # stopped, not killed: it ends by itself, failed and saying why
        expect_eq "SIGTERM $name: exit 1" 1 "$prc"
        expect_match "SIGTERM $name: says it was interrupted" "interrupted" "$(cat "$T_TMP/kill.out")"
    fi
    pages_of "$site" >"$T_TMP/pages.new"
    out=$(python3 "$FIX/check_site.py" --base "$EDGE" --pages "$T_TMP/pages" --maybe-pages "$T_TMP/pages.new" 2>&1); rc=$?
    expect_eq "$sig $name: every page at the edge has its assets" 0 "$rc"
    [ "$rc" = 0 ] || echo "$out" | head -5
}
SITE3="$T_TMP/site3"
mksite --out "$SITE3" --files 40 --version 3 --asset-version 3
kill_at "during assets" '{"method": "PUT", "after": 2}' "$SITE3"
kill_at "during pages" '{"method": "PUT", "after": 12}' "$SITE3"
kill_at "during sitemap/feed" '{"method": "PUT", "path": "sitemap|feed|robots"}' "$SITE3"
kill_at "before deletions" '{"method": "POST"}' "$SITE3"
SITE4="$T_TMP/site4"
mksite --out "$SITE4" --files 40 --version 4 --asset-version 4
kill_at "during pages" '{"method": "PUT", "after": 12}' "$SITE4" TERM
out=$(pub --out "$SITE3" --to s3://site --delete 2>&1); rc=$?
expect_eq "rerun after kill -9 exits 0" 0 "$rc"
expect_eq "rerun: the whole site v3 is in the bucket" "" "$(comm -23 <(site_files "$SITE3") <(stored site))"
expect_eq "rerun: nothing else but retired assets" "" "$(comm -13 <(site_files "$SITE3") <(stored site) | grep -v '^assets/')"
expect_eq "rerun: every object identical at the origin" "ok" "$(python3 "$FIX/check_site.py" --base "http://127.0.0.1:$S3PORT/site" --site "$SITE3" >/dev/null && echo ok)"
pages_of "$SITE3" >"$T_TMP/pages3"
out=$(python3 "$FIX/check_site.py" --base "$EDGE" --pages "$T_TMP/pages3" 2>&1); rc=$?
expect_eq "rerun: every page and asset through the edge" 0 "$rc"

# ---------------------------------------------------------------- headless Chromium through the edge
if command -v chromium >/dev/null 2>&1; then
    : >"$EDGE_DIR/access.log.mark"
    before=$(wc -l <"$EDGE_DIR/access.log")
    for p in / /anime/1/ /anime/2/; do
        timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
            --user-data-dir="$(mktemp -d -p "$T_TMP")" --virtual-time-budget=3000 --dump-dom "$EDGE$p" \
            >"$T_TMP/dom.html" 2>"$T_TMP/chromium.log"
    done
    seen=$(tail -n +"$((before + 1))" "$EDGE_DIR/access.log" | grep HeadlessChrome)
    expect_match "chromium loaded the page's stylesheet" "^200 GET /assets/site\.[0-9a-f]+\.css" "$seen"
    expect_match "chromium loaded the page's script" "^200 GET /assets/app\.[0-9a-f]+\.js" "$seen"
    expect_match "chromium loaded the chart" "^200 GET /charts/trend\.svg" "$seen"
    expect_eq "chromium: no failed request" "" "$(echo "$seen" | grep -vE '^(200|304) ' | grep -v ' /favicon.ico ')"
    expect_match "chromium ran the page's script" "data-ready=\"1\"" "$(cat "$T_TMP/dom.html")"
else
    fail "chromium installed" "build.sh installs it"
fi

# ---------------------------------------------------------------- --to DIR
DEST="$T_TMP/dest"
out=$(pub --out "$SITE" --to "$DEST" 2>&1); rc=$?
expect_eq "--to DIR: first publish exits 0" 0 "$rc"
expect_match "--to DIR: everything copied" "uploaded $NFILES " "$out"
expect_eq "--to DIR: identical tree" "" "$(diff -r "$SITE" "$DEST")"
out=$(pub --out "$SITE" --to "$DEST" 2>&1)
expect_match "--to DIR: unchanged republish writes nothing" "uploaded 0 \(0 B\)" "$out"
sed -i 's|<h1>Anime 9 |<h1>Anime 9 (edited) |' "$SITE/anime/9/index.html"
mksite --manifest-only "$SITE"
out=$(pub --out "$SITE" --to "$DEST" 2>&1)
expect_match "--to DIR: one changed page" "uploaded 2 " "$out"
out=$(pub --out "$SITE2" --to "$DEST" --delete --asset-grace 0 2>&1); rc=$?
expect_eq "--to DIR --delete exits 0" 0 "$rc"
expect_eq "--to DIR --delete: identical to the new site" "" "$(diff -r "$SITE2" "$DEST")"
expect_eq "--to DIR --delete: no empty folders left" "" "$(find "$DEST" -type d -empty)"
rm -f "$DEST/manifest.json"
out=$(pub --out "$SITE2" --to "$DEST" 2>&1)
expect_match "--to DIR without its manifest: compares contents" "uploaded 1 " "$out"

finish
