#!/usr/bin/env bash
# The built site in headless Chromium (Debian's), served on 127.0.0.1.
set -u
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

export DATABASE_URL=$(fresh_db browser)
"$CATLOG" db migrate >/dev/null
"$CATLOG" demo-data --anime 60 --days 45 --end 2026-03-31 >/dev/null
# a hostile title, to be found by the search box and shown as text
psql "$DATABASE_URL" -qAt -c "INSERT INTO \"ProcessedAnime\" (\"malId\", title, \"titleEnglish\", genres, score, rank, members, season, year, studios)
   VALUES (999999, 'Zyx <img src=x onerror=window.__pwned=1>', NULL, '{Action}', 9.99, 1, 5000000, 'spring', 2026, '{}')" >/dev/null
"$CATLOG" analytics refresh >/dev/null 2>&1
OUT="$T_TMP/site"
export CATLOG_MERMAID_CACHE="$T_TMP/mermaid-cache"
"$CATLOG" build --out "$OUT" >/dev/null || { fail "site builds"; finish; exit 1; }
ANIME=$(ls "$OUT/anime" | grep '^[0-9]*$' | head -n 1)

# A static server that answers 404 with the site's 404.html, like the CDN.
cat > "$T_TMP/serve.py" <<'PY'
import http.server, os, sys
root = sys.argv[1]
class H(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k): super().__init__(*a, directory=root, **k)
    def log_message(self, *a): pass
    def send_error(self, code, message=None, explain=None):
        if code != 404: return super().send_error(code, message, explain)
        body = open(os.path.join(root, "404.html"), "rb").read()
        self.send_response(404); self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[2], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
python3 "$T_TMP/serve.py" "$OUT" "$T_TMP/port" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$T_TMP"' EXIT
for _ in $(seq 50); do [ -s "$T_TMP/port" ] && break; sleep 0.1; done
SHOTS="$ROOT/tests/artifacts/screenshots"
mkdir -p "$SHOTS"
node tests/browser/site.mjs "http://127.0.0.1:$(cat "$T_TMP/port")/" "$ANIME" "$SHOTS"
