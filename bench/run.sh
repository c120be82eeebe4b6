#!/usr/bin/env bash
# Runs the benchmarks side by side with their peers on this machine; each keeps its summary
# in bench/out/. `./build.sh bench [NAME...]` with NAME in: mustache analytics site publish export
# (default: all). They take minutes each; the site, analytics and export ones load 30,000 x 365 rows.
set -euo pipefail
cd "$(dirname "$0")/.."
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(mustache analytics site publish export)
for n in "${names[@]}"; do
    [ -x "bench/$n/run.sh" ] || { echo "bench: no benchmark named $n" >&2; exit 2; }
    echo "== bench/$n"
    "bench/$n/run.sh"
done
