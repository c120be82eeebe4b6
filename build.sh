#!/usr/bin/env bash
# CatLog Pages: the one entry point.
#   ./build.sh          install what is missing (Debian packages, the site's browser libraries), compile build/catlog
#   ./build.sh test     also build with ASan+UBSan and run every unit and integration test
#   ./build.sh demo     throwaway PostgreSQL + demo data + pipeline; leaves the site in output/
#   ./build.sh deb      build/catlog_<version>_<arch>.deb (make install PREFIX=/usr, packed by dpkg-deb)
#   ./build.sh fuzz [SECONDS]  every libFuzzer target for SECONDS each (default 60)
#   ./build.sh bench    run the benchmarks in bench/
#   ./build.sh clean    remove build products
set -euo pipefail
cd "$(dirname "$0")"

JOBS=$(nproc 2>/dev/null || echo 2)
# Debian packages the build and the tests need.
PACKAGES=(gcc make pkg-config libpq-dev libcjson-dev libcurl4-openssl-dev libcmark-dev libssl-dev
          zlib1g-dev libyaml-dev libzstd-dev libcmocka-dev postgresql postgresql-contrib python3 curl tidy chromium
          nginx python3-botocore dpkg-dev time clang libclang-rt-dev)

say() { printf '%s\n' "$*" >&2; }

deps() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Debian starts a system-wide cluster on install; nothing here uses it.
}

# Browser libraries shipped inside the site (mermaid), from the npm registry.
node_deps() {
    [ -f node_modules/mermaid/dist/mermaid.min.js ] && [ -f node_modules/playwright-core/package.json ] && return 0
    if ! command -v npm >/dev/null 2>&1; then
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
    fi
    say "installing site vendor libraries (npm ci)"
    mkdir -p build
    npm ci --no-audit --no-fund --loglevel=error >build/npm-ci.log 2>&1 && return 0
    say "npm ci failed (build/npm-ci.log says why)"
    return 1
}

compile() { make -s -j"$JOBS" all; }

cmd_test() {
    deps
    node_deps
    compile
    make -s -j"$JOBS" SAN=1 tests
    tests/run.sh
}

cmd_demo() {
    deps
    node_deps
    compile
    tests/demo.sh
}

case "${1:-build}" in
build) deps; node_deps 2>/dev/null || say "warning: npm could not install the site's browser libraries (mermaid; build/npm-ci.log says why): docs will show diagram sources as text; rerun ./build.sh when the npm registry is reachable"
       compile; say "built build/catlog" ;;
test) cmd_test ;;
demo) cmd_demo ;;
bench) deps; compile; shift; bench/run.sh "$@" ;;
fuzz) deps; shift; tests/fuzz/run.sh "${1:-60}" ;;
deb) deps; node_deps 2>/dev/null || say "warning: npm could not install mermaid (build/npm-ci.log says why): the package's docs will show diagram sources as text"
     tools/mkdeb.sh ;;
clean) make -s clean; rm -rf output ;;
-h|--help|help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' ;;
*) say "usage: ./build.sh [build|test|demo|deb|fuzz [SECONDS]|bench|clean]"; exit 2 ;;
esac
