#!/usr/bin/env bash
# Site projects and settings, as a user outside the checkout meets them: catlog init, catlog.yaml
# (precedence, errors naming file:line:col), template/asset/doc overrides, running from any
# directory, the site address (local viewing line, absolute 404 links, publish refusal).
set -u
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

export DATABASE_URL=$(fresh_db config)
"$CATLOG" db migrate >/dev/null
"$CATLOG" demo-data --anime 40 --days 20 --end 2026-03-31 >/dev/null
"$CATLOG" analytics refresh >/dev/null 2>&1
ELSEWHERE="$T_TMP/elsewhere"
mkdir -p "$ELSEWHERE"
cd "$ELSEWHERE"   # nothing below may depend on running in the checkout

# --- version and help
expect_eq "--version from VERSION" "catlog $(cat "$ROOT/VERSION")" "$("$CATLOG" --version)"
out=$("$CATLOG" nightly --help); rc=$?
expect_eq "nightly --help exits 0" 0 "$rc"
for flag in --delete --cache-page --asset-grace --purge-url --jobs --templates --site-title --jikan-retries --allow-local-url; do
    expect_match "nightly takes $flag" "^  $flag\b" "$out"
done
expect_match "watch takes every publish setting" "^  --delete\b" "$("$CATLOG" watch --help)"
expect_match "help names each setting's key and variable" "file: site.url; env: CATLOG_SITE_URL" "$("$CATLOG" build --help)"

# --- catlog init
P="$T_TMP/mysite"
out=$("$CATLOG" init "$P" 2>&1); rc=$?
expect_eq "init exits 0" 0 "$rc"
for f in catlog.yaml .gitignore README.md templates assets content/docs/about.md; do
    [ -e "$P/$f" ] && pass "init made $f" || fail "init made $f"
done
expect_match ".gitignore keeps output and raw archives out" "/output/" "$(cat "$P/.gitignore")"
expect_match "catlog.yaml lists every setting, commented" "# purge_url:" "$(cat "$P/catlog.yaml")"
out=$("$CATLOG" -C "$P" config 2>&1); rc=$?
expect_eq "the generated catlog.yaml is valid" 0 "$rc"
expect_match "config names the file" "configuration file: catlog.yaml" "$out"
expect_match "defaults say so" "site.title +CatLog +# default" "$out"
out=$("$CATLOG" init "$P" 2>&1); rc=$?
expect_eq "init refuses an existing project" 1 "$rc"
expect_match "init says why" "already exists" "$out"
"$CATLOG" init --copy-templates "$T_TMP/copied" >/dev/null 2>&1
expect_eq "--copy-templates copies every built-in template" \
    "$(cd "$ROOT/templates" && find . -type f | sort)" "$(cd "$T_TMP/copied/templates" && find . -name '*.mustache' | sort)"

# --- precedence: flag > env > file > default
cat > "$P/catlog.yaml" <<'YAML'
# a site project
site:
  title: "From the file"
  url: https://catlog.example.org
build:
  jobs: 2
  out: public
publish:
  delete: true
YAML
cfg() { "$CATLOG" -C "$P" config "$@" 2>&1; }
expect_match "file value and its line" "site.title +From the file +# catlog.yaml:3" "$(cfg)"
expect_match "file path is relative to the project" "build.out +public +# catlog.yaml:7" "$(cfg)"
expect_match "env beats the file" "site.title +From env +# env CATLOG_SITE_TITLE" "$(CATLOG_SITE_TITLE='From env' cfg)"
expect_match "flag beats env" "site.title +From flag +# --site-title" "$(CATLOG_SITE_TITLE='From env' cfg --site-title 'From flag')"
expect_match "a boolean flag turns off the file's true" "publish.delete +false +# --no-delete" "$(cfg --no-delete)"
expect_match "--config FILE from elsewhere" "site.title +From the file" "$("$CATLOG" --config "$P/catlog.yaml" config)"
expect_match "CATLOG_CONFIG" "build.out +$P/public" "$(CATLOG_CONFIG="$P/catlog.yaml" "$CATLOG" config)"
expect_match "database.url shown without its password" "database.url +postgresql://u:\*\*\*@h/db" \
    "$(DATABASE_URL=postgresql://u:pw@h/db "$CATLOG" config)"

# --- configuration errors: exit 2, one line with file:line:col and the key, nothing built
bad() {  # $1 = name, $2 = YAML, $3 = expected message regex
    local d="$T_TMP/bad-$RANDOM"
    mkdir -p "$d"
    printf '%s' "$2" > "$d/catlog.yaml"
    local out rc
    out=$("$CATLOG" -C "$d" build 2>&1); rc=$?
    expect_eq "$1: exit 2" 2 "$rc"
    expect_match "$1: says where and what" "$3" "$out"
    expect_eq "$1: one line" 1 "$(printf '%s\n' "$out" | wc -l)"
    [ ! -e "$d/output" ] && pass "$1: nothing built" || fail "$1: nothing built"
}
bad "unknown key" $'site:\n  url: https://a.example\n  tittle: x\n' "catlog.yaml:3:3: unknown key 'site.tittle'"
bad "wrong type" $'build:\n  jobs: lots\n' "catlog.yaml:2:3: build.jobs expects a whole number from 1 to 16, got 'lots'"
bad "YAML syntax" $'site:\n  url: "unterminated\n' "catlog.yaml:[0-9]+:[0-9]+: not valid YAML"
bad "secret-looking key" $'publish:\n  aws_secret_access_key: abc\n' "catlog.yaml:2:3: publish.aws_secret_access_key: looks like a secret"
bad "password in a URL" $'database:\n  url: postgresql://me:hunter2@db/catlog\n' "catlog.yaml:2:8: database.url: holds a password"
bad "a list" $'jikan:\n  pages: [1, 2]\n' "jikan.pages: expects a single value"
out=$(CATLOG_JOBS=zero "$CATLOG" -C "$P" build 2>&1); rc=$?
expect_eq "bad environment value: exit 2" 2 "$rc"
expect_match "bad environment value is named" "CATLOG_JOBS expects a whole number" "$out"

# --- a project overrides built-in files by relative path; the rest is built in
mkdir -p "$P/templates/pages" "$P/assets/css"
sed 's|<h1>Page not found</h1>|<h1>Lost in the project</h1>|' "$ROOT/templates/pages/404.mustache" > "$P/templates/pages/404.mustache"
{ cat "$ROOT/assets/css/site.css"; echo "/* project stylesheet */"; } > "$P/assets/css/site.css"
out=$("$CATLOG" -C "$P" build --site-url https://catlog.example.org 2>&1); rc=$?
expect_eq "project build from another directory exits 0" 0 "$rc"
SITE="$P/public"
expect_match "overridden 404 template" "Lost in the project" "$(cat "$SITE/404.html")"
expect_match "other pages from the built-in templates" "dashboard</h1>" "$(cat "$SITE/index.html")"
css=$(ls "$SITE"/assets/site.*.css)
expect_match "overridden stylesheet ships fingerprinted" "project stylesheet" "$(cat "$css")"
[ -f "$SITE/docs/about/index.html" ] && pass "project doc page" || fail "project doc page"
[ -f "$SITE/docs/architecture/index.html" ] && pass "built-in docs kept" || fail "built-in docs kept"
expect_match "site.title in page titles" "<title>[^<]* · From the file</title>" "$(cat "$SITE/index.html")"
expect_match "site.title in the feed" "<title>From the file: trending anime</title>" "$(cat "$SITE/feed.xml")"
expect_match "manifest records the site address" '"siteUrl": "https://catlog.example.org"' "$(head -n 1 "$SITE/manifest.json")"
if [ -f "$ROOT/node_modules/mermaid/dist/mermaid.min.js" ]; then
    ls "$SITE"/assets/mermaid.*.js >/dev/null 2>&1 && pass "Mermaid shipped from outside the checkout" || fail "Mermaid shipped from outside the checkout"
fi

# --- every file of a project's assets/ ships fingerprinted with its media type, to the bucket too
mkdir -p "$P/assets/fonts" "$P/assets/img" "$P/assets/js"
printf 'wOF2fake' > "$P/assets/fonts/body.woff2"
printf 'avif' > "$P/assets/img/cover.avif"
printf 'export const x = 1;\n' > "$P/assets/js/app.mjs"
"$CATLOG" -C "$P" build --site-url https://catlog.example.org >/dev/null 2>&1
type_of() { python3 -c 'import json,sys,re; m=json.load(open(sys.argv[1])); print(" ".join(f["path"]+"="+f["contentType"] for f in m["files"] if re.fullmatch(sys.argv[2], f["path"])))' "$SITE/manifest.json" "$1"; }
expect_match ".woff2 in the manifest" "^assets/fonts/body\.[0-9a-f]{10}\.woff2=font/woff2$" "$(type_of 'assets/fonts/.*')"
expect_match ".avif in the manifest" "^assets/img/cover\.[0-9a-f]{10}\.avif=image/avif$" "$(type_of 'assets/img/cover.*')"
expect_match ".mjs in the manifest" "^assets/js/app\.[0-9a-f]{10}\.mjs=text/javascript; charset=utf-8$" "$(type_of 'assets/js/.*')"
expect_eq "hidden files (.keep) do not ship" "" "$(type_of '.*keep.*')"
start_s3 assetbucket
out=$(AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:$S3PORT \
      "$CATLOG" publish --out "$SITE" --to s3://assetbucket 2>&1); rc=$?
expect_eq "publish of the project site exits 0" 0 "$rc"
for pair in 'fonts/.*=font/woff2' 'img/cover.*=image/avif' 'js/app.*=text/javascript; charset=utf-8'; do
    key=$(type_of "assets/${pair%%=*}" | cut -d= -f1)
    got=$(curl -sI "http://127.0.0.1:$S3PORT/assetbucket/$key" | tr -d '\r' | sed -n 's/^[Cc]ontent-[Tt]ype: //p')
    expect_eq "on the bucket: $key" "${pair#*=}" "$got"
done

# --- the data directory: next to the executable, else CATLOG_DATA_DIR
mkdir -p "$T_TMP/lonely/bin"
cp "$CATLOG" "$T_TMP/lonely/bin/catlog"
out=$("$T_TMP/lonely/bin/catlog" build --out "$T_TMP/lonely/out" 2>&1); rc=$?
expect_eq "no data directory: exit 1" 1 "$rc"
expect_match "no data directory: says what to do" "set CATLOG_DATA_DIR" "$out"
out=$(CATLOG_DATA_DIR="$ROOT" "$T_TMP/lonely/bin/catlog" build --out "$T_TMP/lonely/out" 2>&1); rc=$?
expect_eq "CATLOG_DATA_DIR found" 0 "$rc"
out=$(CATLOG_DATA_DIR="$T_TMP" "$CATLOG" build --out "$T_TMP/x" 2>&1); rc=$?
expect_match "a wrong CATLOG_DATA_DIR is named" "is not a catlog data directory" "$out"

# --- the site address
LOCAL="$T_TMP/local"
out=$("$CATLOG" build --out "$LOCAL" 2>&1); rc=$?
expect_eq "build without an address exits 0" 0 "$rc"
expect_match "says it builds for local viewing" "building for local viewing at http://127.0.0.1:8000" "$out"
out=$("$CATLOG" publish --out "$LOCAL" --to s3://bucket/site 2>&1); rc=$?
expect_eq "publishing a local site to s3 is refused: exit 2" 2 "$rc"
expect_match "refusal says what to do" "built for http://127.0.0.1:8000.*--allow-local-url" "$out"
expect_eq "refusal is one line" 1 "$(printf '%s\n' "$out" | wc -l)"
out=$(env -u AWS_ACCESS_KEY_ID "$CATLOG" publish --out "$LOCAL" --to s3://bucket/site --allow-local-url 2>&1); rc=$?
expect_no_match "--allow-local-url lets it through" "built for http" "$out"
out=$("$CATLOG" publish --out "$LOCAL" --to "$T_TMP/pub" 2>&1); rc=$?
expect_eq "a local site may go to a directory" 0 "$rc"
runs_before=$(psql "$DATABASE_URL" -qAt -c 'SELECT count(*) FROM "EtlLogs"')
out=$("$CATLOG" nightly --to s3://bucket --out "$T_TMP/n" 2>&1); rc=$?
expect_eq "nightly to s3 without an address: exit 2" 2 "$rc"
expect_eq "nightly refused before any step" "$runs_before" "$(psql "$DATABASE_URL" -qAt -c 'SELECT count(*) FROM "EtlLogs"')"

# the 404 page served at a deep path: every style, icon and link resolves against the site address
port=$(free_port)
mkdir -p "$T_TMP/nginx"
user_line=""; [ "$(id -u)" = 0 ] && user_line="user root;"
cat > "$T_TMP/nginx/nginx.conf" <<NGINX
$user_line
daemon off; pid $T_TMP/nginx/nginx.pid; error_log $T_TMP/nginx/error.log;
events {}
http {
  access_log off; client_body_temp_path $T_TMP/nginx; proxy_temp_path $T_TMP/nginx; fastcgi_temp_path $T_TMP/nginx;
  uwsgi_temp_path $T_TMP/nginx; scgi_temp_path $T_TMP/nginx;
  server { listen 127.0.0.1:$port; root $T_TMP/site404; error_page 404 /404.html; }
}
NGINX
"$CATLOG" build --out "$T_TMP/site404" --site-url "http://127.0.0.1:$port/" >/dev/null 2>&1
/usr/sbin/nginx -p "$T_TMP/nginx" -c "$T_TMP/nginx/nginx.conf" >/dev/null 2>&1 &
T_PIDS="${T_PIDS:-} $!"
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
page=$(curl -s "http://127.0.0.1:$port/no/such/deep/path")
expect_match "deep path serves the 404 page" "Page not found" "$page"
links=$(printf '%s' "$page" | grep -oE '(href|src)="[^"#]+"' | sed -E 's/^(href|src)="//; s/"$//' | sort -u)
bad_links=0
for l in $links; do
    case "$l" in http://127.0.0.1:$port/*) ;; *) bad_links=$((bad_links + 1)); echo "relative link in 404: $l" ;; esac
    code=$(curl -s -o /dev/null -w '%{http_code}' "$l")
    [ "$code" = 200 ] || { bad_links=$((bad_links + 1)); echo "404 link $l answers $code"; }
done
expect_eq "every 404 link is absolute and resolves" 0 "$bad_links"
expect_match "404 stylesheet among them" "/assets/site\.[0-9a-f]+\.css" "$links"

finish
