#!/usr/bin/env bash
# Installed catlog runs from anywhere: make install (PREFIX, DESTDIR), a moved install tree,
# make uninstall, and the Debian package unpacked with dpkg -x running a full build.
set -u
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VERSION=$(cat "$ROOT/VERSION")

export DATABASE_URL=$(fresh_db install)
"$CATLOG" db migrate >/dev/null
"$CATLOG" demo-data --anime 30 --days 15 --end 2026-03-31 >/dev/null
"$CATLOG" analytics refresh >/dev/null 2>&1

# built pages a site from an installed tree must have (docs with diagrams included)
check_site() {  # $1 = label, $2 = site directory
    for f in index.html 404.html docs/architecture/index.html docs/api/index.html api/openapi.json manifest.json sitemap.xml; do
        [ -s "$2/$f" ] || { fail "$1: $f built"; return; }
    done
    pass "$1: every page kind built"
    if [ -f "$ROOT/node_modules/mermaid/dist/mermaid.min.js" ]; then
        ls "$2"/assets/mermaid.*.js >/dev/null 2>&1 && pass "$1: Mermaid vendored" || fail "$1: Mermaid vendored"
    fi
}

# --- make install into a DESTDIR, then move the tree: it still finds its data
D="$T_TMP/destdir"
make -s -C "$ROOT" install DESTDIR="$D" PREFIX=/opt/catlog >"$T_TMP/install.log" 2>&1
expect_eq "make install exits 0" 0 "$?"
for f in bin/catlog share/catlog/templates/layouts/base.mustache share/catlog/assets/css/site.css \
         share/catlog/content/docs/architecture.md share/catlog/content/api/openapi.json share/man/man1/catlog.1 lib/systemd/system/catlog-nightly.service \
         lib/systemd/system/catlog-nightly.timer lib/systemd/system/catlog-watch.service; do
    [ -f "$D/opt/catlog/$f" ] && pass "installed $f" || fail "installed $f"
done
expect_match "unit runs the installed binary with the configuration file" \
    "^ExecStart=/opt/catlog/bin/catlog --config /opt/catlog/etc/catlog/catlog.yaml nightly$" \
    "$(cat "$D/opt/catlog/lib/systemd/system/catlog-nightly.service")"
expect_no_match "units name no checkout" "/srv|build/catlog" "$(cat "$D"/opt/catlog/lib/systemd/system/*)"
man=$(MANWIDTH=100 man -l "$D/opt/catlog/share/man/man1/catlog.1" 2>/dev/null)
expect_match "man page carries the version" "catlog $VERSION" "$man"
for section in "EXIT STATUS" ENVIRONMENT FILES CONFIGURATION; do expect_match "man page: $section" "^$section" "$man"; done
for c in init config "db migrate" "etl run" quality demo-data "analytics refresh" build publish nightly watch render; do
    expect_match "man page: $c" "$c" "$man"
done
mv "$D/opt/catlog" "$T_TMP/moved"
cd "$T_TMP"
expect_eq "moved binary: --version" "catlog $VERSION" "$("$T_TMP/moved/bin/catlog" --version)"
out=$("$T_TMP/moved/bin/catlog" build --out "$T_TMP/site-moved" 2>&1); rc=$?
expect_eq "moved install builds from another directory" 0 "$rc"
check_site "moved install" "$T_TMP/site-moved"
mkdir -p "$D/opt" && mv "$T_TMP/moved" "$D/opt/catlog"
make -s -C "$ROOT" uninstall DESTDIR="$D" PREFIX=/opt/catlog >/dev/null 2>&1
expect_eq "make uninstall leaves no file" "" "$(find "$D" -type f)"

# --- the Debian package
(cd "$ROOT" && ./build.sh deb) >"$T_TMP/deb.log" 2>&1
expect_eq "./build.sh deb exits 0" 0 "$?"
DEB="$ROOT/build/catlog_${VERSION}_$(dpkg --print-architecture).deb"
[ -f "$DEB" ] && pass "package named catlog_<version>_<arch>.deb" || fail "package named catlog_<version>_<arch>.deb"
info=$(dpkg-deb -f "$DEB" Package Version Depends)
expect_match "package version" "Version: $VERSION" "$info"
for lib in libpq5 libcurl4 libcjson1 libyaml-0-2 libssl3 libc6; do expect_match "Depends on $lib" "Depends:.*$lib" "$info"; done
files=$(dpkg-deb -c "$DEB" | awk '{print $6}')
for f in ./usr/bin/catlog ./usr/share/catlog/templates/layouts/base.mustache ./usr/share/man/man1/catlog.1.gz \
         ./lib/systemd/system/catlog-nightly.service ./lib/systemd/system/catlog-watch.service ./etc/catlog/catlog.yaml; do
    expect_match "package holds $f" "^$(printf '%s' "$f" | sed 's/\./\\./g')$" "$files"
done
expect_match "conffiles" "/etc/catlog/catlog.yaml" "$(dpkg-deb -I "$DEB" conffiles)"
expect_match "postinst makes the catlog system user" "useradd --system" "$(dpkg-deb -I "$DEB" postinst)"
X="$T_TMP/dpkg-root"
dpkg -x "$DEB" "$X"
unit=$(cat "$X/lib/systemd/system/catlog-nightly.service")
expect_match "unit: catlog user" "^User=catlog$" "$unit"
expect_match "unit: /etc/catlog" "^ExecStart=/usr/bin/catlog --config /etc/catlog/catlog.yaml nightly$" "$unit"
expect_match "unit: /var/lib/catlog" "^WorkingDirectory=/var/lib/catlog$" "$unit"
expect_match "packaged configuration keeps state in /var/lib/catlog" 'out: "/var/lib/catlog/output"' "$(cat "$X/etc/catlog/catlog.yaml")"
out=$("$X/usr/bin/catlog" --config "$X/etc/catlog/catlog.yaml" config --out "$T_TMP/x" 2>&1); rc=$?
expect_eq "packaged catlog.yaml is valid" 0 "$rc"
out=$("$X/usr/bin/catlog" build --out "$T_TMP/site-deb" --site-url https://catlog.example.org 2>&1); rc=$?
expect_eq "unpacked package builds the site" 0 "$rc"
check_site "unpacked package" "$T_TMP/site-deb"

# --- plain ./build.sh in a fresh clone with the npm registry out of reach: it still builds,
# and one line says what is missing
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    git clone -q "$ROOT" "$T_TMP/offline"
    out=$(cd "$T_TMP/offline" && npm_config_registry=http://127.0.0.1:9/ npm_config_fetch_retries=0 ./build.sh 2>&1); rc=$?
    expect_eq "./build.sh without npm still exits 0" 0 "$rc"
    [ -x "$T_TMP/offline/build/catlog" ] && pass "./build.sh without npm builds catlog" || fail "./build.sh without npm builds catlog"
    expect_eq "one warning line says what is missing" 1 "$(printf '%s\n' "$out" | grep -c 'warning: npm could not install.*mermaid')"
    out=$("$T_TMP/offline/build/catlog" build --out "$T_TMP/site-offline" 2>&1); rc=$?
    expect_eq "its catlog still builds a site" 0 "$rc"
    expect_match "and says the diagrams are text" "mermaid.min.js not found" "$out"
fi

finish
