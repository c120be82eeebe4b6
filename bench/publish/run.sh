#!/usr/bin/env bash
# Publish benchmark: catlog publish vs `aws s3 sync` (Debian awscli) vs
# `rclone sync --fast-list --checksum --transfers 16`, side by side against one local
# s3rver (store on tmpfs), each into its own empty bucket: a first publish of the whole
# site, then an unchanged republish. Reports wall time, client CPU (user+sys of the tool)
# and the server's CPU for each run.
#   bench/publish/run.sh [FILES] [PAGE_BYTES]     default 10000 files, ~20 KB each
#   BASELINE=/path/to/catlog ROUNDS=3 PEERS=0 bench/publish/run.sh
#       this catlog against another build of it (an older revision), each into fresh buckets,
#       ROUNDS times in turn, without the peers
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
FILES=${1:-10000}
PAGE_BYTES=${2:-26000}
CATLOG=${CATLOG:-$ROOT/build/catlog}
OUT=${BENCH_OUT:-$ROOT/bench/publish/results.txt}
BASELINE=${BASELINE:-}
ROUNDS=${ROUNDS:-1}
PEERS=${PEERS:-1}

need=()
[ -x /usr/bin/aws ] || need+=(awscli)
[ -x /usr/bin/rclone ] || need+=(rclone)
command -v node >/dev/null || need+=(nodejs)
if [ ${#need[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ -d tests/node/node_modules/s3rver ] || (cd tests/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
[ -x "$CATLOG" ] || make -s all

WORK=$(mktemp -d /dev/shm/catlog-bench.XXXXXX)
S3PID=""
cleanup() { [ -n "$S3PID" ] && kill "$S3PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

echo "generating a $FILES-file site..." >&2
python3 tests/fixtures/publish/mksite.py --out "$WORK/site" --files "$FILES" --page-bytes "$PAGE_BYTES" 2>/dev/null
nfiles=$(find "$WORK/site" -type f | wc -l)
mbytes=$(du -sm --apparent-size "$WORK/site" | cut -f1)

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/s3"
node --openssl-legacy-provider tests/node/node_modules/s3rver/bin/s3rver.js -d "$WORK/s3" -a 127.0.0.1 -p "$PORT" -s \
    --configure-bucket bench-catlog --configure-bucket bench-aws --configure-bucket bench-rclone \
    $(for i in $(seq "$ROUNDS"); do echo --configure-bucket "bench-new-$i" --configure-bucket "bench-base-$i"; done) \
    >"$WORK/s3rver.log" 2>&1 &
S3PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
EP="http://127.0.0.1:$PORT"

export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
unset AWS_CA_BUNDLE AWS_PROFILE AWS_SESSION_TOKEN
export AWS_ENDPOINT_URL=$EP AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export RCLONE_CONFIG=/dev/null RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other
export RCLONE_CONFIG_BENCH_ENDPOINT=$EP RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=S3RVER
export RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=S3RVER RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true

server_ticks() { awk '{print $14 + $15}' "/proc/$S3PID/stat"; }
TCK=$(getconf CLK_TCK)
results=()
# measure NAME CMD...: wall, client CPU (user+sys, children included), server CPU
measure() {
    local name=$1; shift
    local s0 s1
    s0=$(server_ticks)
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >"$WORK/out.log" 2>&1 || {
        echo "$name failed:" >&2; tail -5 "$WORK/out.log" >&2; }
    s1=$(server_ticks)
    read -r wall user sys <"$WORK/time"
    local line
    line=$(awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v sv="$((s1 - s0))" -v t="$TCK" \
        'BEGIN { printf "%-34s %8.2f s %10.2f s %10.2f s\n", n, w, u + s, sv / t }')
    echo "$line" >&2
    results+=("$line")
}

count_objects() { find "$WORK/s3/$1" -name '*._S3rver_object' | wc -l; }

echo "site: $nfiles files, $mbytes MB; s3rver store on tmpfs" >&2
if [ -n "$BASELINE" ]; then
    for i in $(seq "$ROUNDS"); do
        # in turn, who goes first alternating: the server slows as its store grows
        if [ $((i % 2)) = 1 ]; then
            measure "catlog publish (first) #$i"     "$CATLOG" publish --out "$WORK/site" --to "s3://bench-new-$i"
            measure "baseline publish (first) #$i"   "$BASELINE" publish --out "$WORK/site" --to "s3://bench-base-$i"
        else
            measure "baseline publish (first) #$i"   "$BASELINE" publish --out "$WORK/site" --to "s3://bench-base-$i"
            measure "catlog publish (first) #$i"     "$CATLOG" publish --out "$WORK/site" --to "s3://bench-new-$i"
        fi
        measure "catlog publish (unchanged) #$i" "$CATLOG" publish --out "$WORK/site" --to "s3://bench-new-$i"
        measure "baseline publish (unchanged) #$i" "$BASELINE" publish --out "$WORK/site" --to "s3://bench-base-$i"
    done
fi
[ "$PEERS" = 1 ] || { printf '%s\n' "${results[@]}"; exit 0; }
measure "catlog publish (first)"        "$CATLOG" publish --out "$WORK/site" --to s3://bench-catlog
measure "catlog publish (unchanged)"    "$CATLOG" publish --out "$WORK/site" --to s3://bench-catlog
measure "aws s3 sync (first)"           /usr/bin/aws --endpoint-url "$EP" s3 sync "$WORK/site" s3://bench-aws/ --only-show-errors
measure "aws s3 sync (unchanged)"       /usr/bin/aws --endpoint-url "$EP" s3 sync "$WORK/site" s3://bench-aws/ --only-show-errors
measure "rclone sync (first)"           rclone sync --fast-list --checksum --transfers 16 "$WORK/site" bench:bench-rclone
measure "rclone sync (unchanged)"       rclone sync --fast-list --checksum --transfers 16 "$WORK/site" bench:bench-rclone

{
    echo "# catlog publish vs aws s3 sync vs rclone sync ($(date -u +%Y-%m-%d), $(nproc) cores)"
    echo "site: $nfiles files, $mbytes MB; one local s3rver $(node tests/node/node_modules/s3rver/bin/s3rver.js --version 2>/dev/null) on Node $(node --version), store on tmpfs"
    echo "objects stored: catlog $(count_objects bench-catlog), aws $(count_objects bench-aws), rclone $(count_objects bench-rclone)"
    echo "tools: $("$CATLOG" --help >/dev/null 2>&1 && echo catlog), $(/usr/bin/aws --version 2>&1 | cut -d' ' -f1), $(rclone version 2>/dev/null | head -1)"
    echo
    printf '%-34s %10s %12s %12s\n' "run" "wall" "client CPU" "server CPU"
    printf '%s\n' "${results[@]}"
} | tee "$OUT"
