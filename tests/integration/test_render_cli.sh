#!/usr/bin/env bash
# `catlog render` from the outside: exact bytes out, partials from a folder, stdin data,
# error lines with file:line:col, and exit codes 0/1/2.
set -u
source "$(dirname "$0")/lib.sh"

D=$T_TMP/render
mkdir -p "$D/tpl/partials" "$D/other"

# expect_file NAME EXPECTED_FILE ACTUAL_FILE: byte-for-byte.
expect_file() {
    if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$(diff "$2" "$3" | head -5)"; fi
}

printf '%s\n' \
    '<ul>' \
    '  {{#rows}}' \
    '  {{>partials/row}}' \
    '  {{/rows}}' \
    '</ul>' \
    '{{! no trailing newline after this comment }}' > "$D/tpl/page.mustache"
printf '<li>{{rank}}. {{title}} ({{score}})</li>\n' > "$D/tpl/partials/row.mustache"
printf '{"rows":[{"rank":1,"title":"Frieren & Fern","score":9.31},{"rank":2,"title":"<Gintama>","score":9}]}' \
    > "$D/data.json"
printf '<ul>\n  <li>1. Frieren &amp; Fern (9.31)</li>\n  <li>2. &lt;Gintama&gt; (9)</li>\n</ul>\n' \
    > "$D/want.html"

"$CATLOG" render "$D/tpl/page.mustache" "$D/data.json" > "$D/got.html"; rc=$?
expect_eq "render exits 0" 0 "$rc"
expect_file "partial from the template's folder, exact bytes" "$D/want.html" "$D/got.html"

"$CATLOG" render "$D/tpl/page.mustache" - < "$D/data.json" > "$D/got-stdin.html"; rc=$?
expect_eq "data from stdin exits 0" 0 "$rc"
expect_file "data from stdin gives the same bytes" "$D/want.html" "$D/got-stdin.html"

printf '{{title}}' > "$D/other/t.mustache"
out=$("$CATLOG" render "$D/other/t.mustache"; echo "rc=$?")
expect_eq "no data renders against an empty object" "rc=0" "$out"
printf 'x' > "$D/other/nl.mustache"
"$CATLOG" render "$D/other/nl.mustache" > "$D/nl.out"
expect_eq "adds no trailing newline" 1 "$(stat -c %s "$D/nl.out")"

mkdir -p "$D/elsewhere/partials"
printf '<p>{{title}}</p>\n' > "$D/elsewhere/partials/row.mustache"
"$CATLOG" render "$D/tpl/page.mustache" "$D/data.json" --partials "$D/elsewhere" > "$D/got-p.html"
expect_match "--partials DIR overrides the folder" "<p>Frieren &amp; Fern</p>" "$(cat "$D/got-p.html")"

# Missing partial: empty by default, an error with file:line:col under --strict.
printf 'a\n  {{>nope}}\nb\n' > "$D/tpl/missing.mustache"
out=$("$CATLOG" render "$D/tpl/missing.mustache" 2>&1); rc=$?
expect_eq "missing partial renders as nothing" "0:a
b" "$rc:$out"
out=$("$CATLOG" render --strict "$D/tpl/missing.mustache" 2>&1 >/dev/null); rc=$?
expect_eq "--strict missing partial exits 1" 1 "$rc"
expect_match "--strict error names file:line:col" \
    "^catlog: error: .*/tpl/missing.mustache:2:3: partial 'nope' not found" "$out"
expect_eq "--strict error is one line" 1 "$(printf '%s\n' "$out" | wc -l)"

# Template errors.
printf '<table>\n  {{#rows}}\n    <tr>{{x}}</tr>\n</table>\n' > "$D/tpl/unclosed.mustache"
out=$("$CATLOG" render "$D/tpl/unclosed.mustache" "$D/data.json" 2>&1 >/dev/null); rc=$?
expect_eq "unclosed section exits 1" 1 "$rc"
expect_match "unclosed section names file:line:col and the expected tag" \
    "^catlog: error: .*/tpl/unclosed.mustache:2:3: unclosed section 'rows' \(expected \{\{/rows\}\}\)$" "$out"
printf '{{#a}}\n{{/b}}\n' > "$D/tpl/mismatch.mustache"
out=$("$CATLOG" render "$D/tpl/mismatch.mustache" 2>&1); rc=$?
expect_match "mismatched close tag names file:line:col" "mismatch.mustache:2:1: mismatched closing tag \{\{/b\}\} \(expected \{\{/a\}\}" "$out"

printf '{"rows": [1, 2,\n  oops]}' > "$D/bad.json"
out=$("$CATLOG" render "$D/tpl/page.mustache" "$D/bad.json" 2>&1); rc=$?
expect_eq "bad JSON exits 1" 1 "$rc"
expect_match "bad JSON names file and position" "bad.json:2:3: invalid JSON near 'oops\]\}'" "$out"
out=$("$CATLOG" render "$D/nothing-here.mustache" 2>&1); rc=$?
expect_eq "missing template exits 1" 1 "$rc"
expect_match "missing template is named" "cannot read template .*nothing-here.mustache" "$out"

# Usage.
out=$("$CATLOG" render --bogus "$D/tpl/page.mustache" 2>&1 >/dev/null); rc=$?
expect_eq "unknown flag exits 2" 2 "$rc"
expect_match "unknown flag prints usage on stderr" "usage: catlog render" "$out"
out=$("$CATLOG" render 2>&1); rc=$?
expect_eq "no template exits 2" 2 "$rc"
out=$("$CATLOG" render --help 2>/dev/null); rc=$?
expect_eq "--help exits 0" 0 "$rc"
expect_match "--help prints usage on stdout" "usage: catlog render TEMPLATE" "$out"

finish
