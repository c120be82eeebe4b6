#!/usr/bin/env bash
# ./build.sh deb: build/catlog_<version>_<arch>.deb with Debian's own tools (dpkg-shlibdeps for
# Depends, dpkg-deb to pack): /usr/bin/catlog, /usr/share/catlog, the man page, systemd units
# running as the catlog system user with /etc/catlog for configuration and /var/lib/catlog for state.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(cat VERSION)
ARCH=$(dpkg --print-architecture)
STAGE=build/deb/root
OUT="build/catlog_${VERSION}_${ARCH}.deb"
rm -rf build/deb
make -s install DESTDIR="$PWD/$STAGE" PREFIX=/usr UNITDIR=/lib/systemd/system SYSCONFDIR=/etc STATEDIR=/var/lib/catlog
strip --strip-unneeded "$STAGE/usr/bin/catlog"
gzip -9n "$STAGE/usr/share/man/man1/catlog.1"

# configuration: the commented catlog.yaml of `catlog init`, and the credentials file
mkdir -p "$STAGE/etc/catlog" "$STAGE/usr/share/doc/catlog"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CATLOG_DATA_DIR="$PWD/$STAGE/usr/share/catlog" "$STAGE/usr/bin/catlog" init "$tmp/project" >/dev/null
sed -e 's|^  # out: "output"|  out: "/var/lib/catlog/output"|' -e 's|^  # raw_dir: "data/raw"|  raw_dir: "/var/lib/catlog/raw"|' \
    "$tmp/project/catlog.yaml" > "$STAGE/etc/catlog/catlog.yaml"
install -m 640 "$STAGE/usr/share/catlog/examples/env" "$STAGE/etc/catlog/env"
cp README.md "$STAGE/usr/share/doc/catlog/README.md"

# Depends from the binary's shared libraries, the Debian way
mkdir -p "$tmp/debian"
printf 'Source: catlog\n\nPackage: catlog\nArchitecture: any\n' > "$tmp/debian/control"
depends=$(cd "$tmp" && dpkg-shlibdeps -O "$OLDPWD/$STAGE/usr/bin/catlog" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "mkdeb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

mkdir -p "$STAGE/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: catlog
Version: $VERSION
Architecture: $ARCH
Maintainer: CatLog Pages <catlog@localhost>
Installed-Size: $size
Depends: $depends, passwd
Recommends: postgresql-client
Section: web
Priority: optional
Description: anime rankings from the Jikan API into a static site
 catlog runs a nightly ETL from the Jikan API (MyAnimeList data) into PostgreSQL behind
 a data-quality gate, computes trending and statistical analytics, renders dashboards,
 per-anime pages with SVG charts, embeddable widgets and a static JSON API, and publishes
 only what changed to S3-compatible storage behind a CDN.
CONTROL
printf '/etc/catlog/catlog.yaml\n/etc/catlog/env\n' > "$STAGE/DEBIAN/conffiles"
cat > "$STAGE/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    getent group catlog >/dev/null || groupadd --system catlog
    getent passwd catlog >/dev/null || useradd --system --gid catlog --home-dir /var/lib/catlog \
        --shell /usr/sbin/nologin --comment "CatLog Pages" catlog
    install -d -o catlog -g catlog -m 750 /var/lib/catlog
    chown root:catlog /etc/catlog/env
    chmod 640 /etc/catlog/env
    if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
fi
POSTINST
cat > "$STAGE/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ "$1" = purge ]; then rm -rf /var/lib/catlog; fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
POSTRM
chmod 755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$OUT" >/dev/null
echo "built $OUT"
