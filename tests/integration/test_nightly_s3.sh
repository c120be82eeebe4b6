#!/usr/bin/env bash
# catlog nightly end to end on real parts: fixture Jikan -> PostgreSQL -> site -> s3rver
# (S3) -> nginx (CDN edge), two days in a row, then a publish refused with 403.
set -u
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
start_jikan
start_webhook
start_s3 catlog
start_edge catlog
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_ENDPOINT_URL="http://127.0.0.1:$S3PORT"
# pages expire from the edge after a second, so the next day shows through it
export CATLOG_CACHE_PAGE="public, max-age=1"
unset AWS_SESSION_TOKEN CATLOG_PURGE_URL CATLOG_CACHE_IMMUTABLE

export DATABASE_URL=$(fresh_db nightly_s3)
"$CATLOG" db migrate >/dev/null
nightly() { "$CATLOG" nightly --out "$T_TMP/out" --publish-to s3://catlog --allow-local-url --raw-dir "$T_TMP/raw" --webhook "$WEBHOOK_URL" --retry-delay 0 --pages 4 "$@"; }
edge() { curl -s "$EDGE/$1"; }

jikan_control '{"pages": 10}'
out=$(nightly --date 2026-11-20 2>&1); rc=$?
expect_eq "day 1 nightly to S3 exits 0" 0 "$rc"
expect_match "day 1 through the edge" "as of 2026-11-20" "$(edge index.html)"
expect_eq "anime page through the edge" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$EDGE/anime/5114/index.html")"
expect_match "pages carry the configured Cache-Control" "public, max-age=1" "$(curl -s -D - -o /dev/null "$EDGE/index.html" | tr -d '\r' | grep -i '^cache-control:')"
expect_match "assets are immutable at the edge" "immutable" "$(curl -s -D - -o /dev/null "$EDGE/$(cd "$T_TMP/out" && ls assets/site.*.css)" | tr -d '\r' | grep -i '^cache-control:')"

jikan_control '{"pages": 10, "day": 1}'
out=$(nightly --date 2026-11-21 2>&1); rc=$?
expect_eq "day 2 nightly to S3 exits 0" 0 "$rc"
expect_match "day 2 uploads only what changed" "uploaded [0-9]+ \([0-9.]+ [kM]?B\), unchanged [1-9][0-9]*," "$out"
sleep 1.2
expect_match "day 2 shows through the edge" "as of 2026-11-21" "$(edge index.html)"
expect_match "the new day's members through the edge" "<td>2026-11-21</td><td class=\"num\">[0-9]+</td><td class=\"num\">[0-9.]+</td><td class=\"num\">100,100</td>" "$(edge anime/100000/index.html)"
python3 - "$EDGE" "$T_TMP/out" <<'PY' && pass "every page and every asset it references loads through the edge" || fail "site whole through the edge"
import json, re, sys, urllib.request
edge, out = sys.argv[1], sys.argv[2]
files = [f["path"] for f in json.load(open(out + "/manifest.json"))["files"]]
for p in [f for f in files if f.endswith(".html")][:200] + ["index.html"]:
    html = urllib.request.urlopen(edge + "/" + p).read().decode()
    base = p.rsplit("/", 1)[0] + "/" if "/" in p else ""
    for ref in re.findall(r'(?:href|src)="([^"#:]+\.(?:css|js|svg))"', html):
        parts = (base + ref).split("/")
        stack = []
        for s in parts:
            if s == "..": stack.pop()
            elif s and s != ".": stack.append(s)
        urllib.request.urlopen(edge + "/" + "/".join(stack)).read()
PY

# a 403 from the bucket: the step is named, the published site stays as it was
jikan_control '{"pages": 10, "day": 2}'
out=$(AWS_ACCESS_KEY_ID=NOSUCHKEY nightly --date 2026-11-22 2>&1); rc=$?
expect_eq "S3 403: exit 8 (publish)" 8 "$rc"
expect_match "S3 403: one clear line naming bucket and key id" "403.*catlog.*NOSUCHKEY|NOSUCHKEY.*catlog" "$out"
expect_no_match "S3 403: no secret printed" "S3RVER" "$out"
expect_match "S3 403: alert names the step" "FAILED at step publish .*exit 8" "$(tail -n 1 "$WEBHOOK_LOG")"
sleep 1.2
expect_match "S3 403: published site untouched" "as of 2026-11-21" "$(edge index.html)"

finish
