#!/usr/bin/env python3
"""Writes a Hugo site's content/ from JSON lines on stdin (one anime per line)."""
import json, os, sys
root = sys.argv[1]
os.makedirs(os.path.join(root, "content", "anime"), exist_ok=True)
for line in sys.stdin:
    a = json.loads(line)
    with open(os.path.join(root, "content", "anime", "%d.md" % a["malId"]), "w") as f:
        fm = dict(a, title=a["title"], layout="animepage")
        json.dump(fm, f)
        f.write("\n")
