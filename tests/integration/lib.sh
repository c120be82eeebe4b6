# Shared helpers for integration tests (sourced). Each check prints ok/FAIL; `finish`
# prints "N passed, M failed" and sets the exit code.
CATLOG=${CATLOG:-$PWD/build/catlog}
T_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)   # the checkout, wherever a test cd's to
T_PASSED=0
T_FAILED=0
T_TMP=$(mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT

pass() { T_PASSED=$((T_PASSED + 1)); echo "ok   $1"; }
fail() { T_FAILED=$((T_FAILED + 1)); echo "FAIL $1${2:+: $2}"; }

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
    if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "expected [$2], got [$3]"; fi
}

# expect_match NAME REGEX TEXT
expect_match() {
    if printf '%s' "$3" | grep -Eq -- "$2"; then pass "$1"; else fail "$1" "[$3] does not match /$2/"; fi
}

# expect_no_match NAME REGEX TEXT
expect_no_match() {
    if printf '%s' "$3" | grep -Eq -- "$2"; then fail "$1" "[$3] matches /$2/"; else pass "$1"; fi
}

# fresh_db NAME: creates an empty database in the test cluster, prints its URL.
fresh_db() {
    psql "$DATABASE_URL" -qAt -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\"" >/dev/null
    echo "postgresql:///$1?host=$CATLOG_PG_DIR&user=postgres"
}

finish() {
    echo "$T_PASSED passed, $T_FAILED failed"
    [ "$T_FAILED" -eq 0 ]
}

# start_jikan: the fixture Jikan server in the background; exports JIKAN_BASE_URL and
# JIKAN_PORT. jikan_control JSON steers it, jikan_log prints its request log.
start_jikan() {
    python3 "$T_ROOT/tests/fixtures/jikan_server.py" --port-file "$T_TMP/jikan.port" &
    T_PIDS="${T_PIDS:-} $!"
    for _ in $(seq 50); do [ -s "$T_TMP/jikan.port" ] && break; sleep 0.1; done
    JIKAN_PORT=$(cat "$T_TMP/jikan.port")
    export JIKAN_BASE_URL="http://127.0.0.1:$JIKAN_PORT/v4"
}
jikan_control() { curl -s -X POST --data "$1" "http://127.0.0.1:$JIKAN_PORT/_control" >/dev/null; }
jikan_log() { curl -s "http://127.0.0.1:$JIKAN_PORT/_log"; }

# start_webhook: a receiver for alert webhooks; every POST body is appended to
# $WEBHOOK_LOG, one per line. Exports WEBHOOK_URL.
start_webhook() {
    WEBHOOK_LOG="$T_TMP/webhook.log"
    : > "$WEBHOOK_LOG"
    python3 - "$T_TMP/webhook.port" "$WEBHOOK_LOG" <<'PY' &
import http.server, sys
port_file, log = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(log, "ab") as f: f.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(port_file, "w").write(str(s.server_address[1]))
s.serve_forever()
PY
    T_PIDS="${T_PIDS:-} $!"
    for _ in $(seq 50); do [ -s "$T_TMP/webhook.port" ] && break; sleep 0.1; done
    export WEBHOOK_URL="http://127.0.0.1:$(cat "$T_TMP/webhook.port")/hook"
}

# Background helpers started above are stopped on exit.
trap 'for p in ${T_PIDS:-}; do kill $p 2>/dev/null; done; rm -rf "$T_TMP"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# test_node_deps: the npm packages of tests/node/package.json (s3rver, ajv, openapi-typescript...),
# installed with npm ci when one is missing.
test_node_deps() {
    local dir="$T_ROOT/tests/node" dep
    for dep in $(node -e 'console.log(Object.keys(require(process.argv[1]).dependencies).join(" "))' "$dir/package.json"); do
        if [ ! -d "$dir/node_modules/$dep" ]; then
            (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
            return
        fi
    done
}

# start_s3 BUCKET...: s3rver (npm) on 127.0.0.1 with the buckets created, the first one
# configured as a website (index.html, 404.html). Sets S3PORT and S3_DATA.
start_s3() {
    local root fix first=1 args=()
    root=$T_ROOT
    fix="$root/tests/fixtures/publish"
    test_node_deps
    for b in "$@"; do
        if [ $first = 1 ]; then args+=(--configure-bucket "$b" "$fix/website.xml"); first=0
        else args+=(--configure-bucket "$b"); fi
    done
    S3PORT=$(free_port)
    S3_DATA="$T_TMP/s3"
    mkdir -p "$S3_DATA"
    # --openssl-legacy-provider: s3rver's listing tokens use DES, which OpenSSL 3 refuses otherwise
    node --openssl-legacy-provider "$root/tests/node/node_modules/s3rver/bin/s3rver.js" -d "$S3_DATA" -a 127.0.0.1 \
        -p "$S3PORT" -s "${args[@]}" >"$T_TMP/s3rver.log" 2>&1 &
    T_PIDS="${T_PIDS:-} $!"
    for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$S3PORT/" && break; sleep 0.1; done
}

# start_edge BUCKET: nginx as a caching CDN edge in front of s3rver's website endpoint
# for BUCKET. Sets EDGE (its base URL) and EDGE_DIR (config, cache and access.log).
start_edge() {
    local root user_line="" port
    root=$T_ROOT
    port=$(free_port)
    EDGE_DIR="$T_TMP/nginx"
    mkdir -p "$EDGE_DIR"
    [ "$(id -u)" = 0 ] && user_line="user root;"
    sed -e "s|@DIR@|$EDGE_DIR|g" -e "s|@PORT@|$port|g" -e "s|@ORIGIN_PORT@|$S3PORT|g" -e "s|@BUCKET@|$1|g" \
        -e "s|@USER@|$user_line|" "$root/tests/fixtures/publish/nginx.conf.in" >"$EDGE_DIR/nginx.conf"
    /usr/sbin/nginx -p "$EDGE_DIR" -c "$EDGE_DIR/nginx.conf" >"$EDGE_DIR/stdout.log" 2>&1 &
    T_PIDS="${T_PIDS:-} $!"
    EDGE="http://127.0.0.1:$port"
    for _ in $(seq 100); do curl -s -o /dev/null "$EDGE/" && break; sleep 0.1; done
}
