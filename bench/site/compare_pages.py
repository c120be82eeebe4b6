#!/usr/bin/env python3
"""Checks that Hugo's equivalent anime pages match catlog's: compares sample pages tag by
tag after normalising what legitimately differs (fingerprinted asset names, the canonical
URL form, the footer). Usage: compare_pages.py CATLOG_OUT HUGO_OUT [N]"""
import os, re, sys

catlog, hugo = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 20
ids = sorted(os.listdir(os.path.join(catlog, "anime")), key=int)
sample = ids[:: max(1, len(ids) // n)][:n]

def tokens(path):
    s = open(path, encoding="utf-8").read()
    s = re.sub(r"(assets/[a-z-]+)\.[0-9a-f]{10}\.", r"\1.", s)
    s = re.sub(r'(<link rel="canonical" href="[^"]*/anime/\d+/)(index\.html)?"', r'\1"', s)
    s = re.sub(r"<footer.*?</footer>", "", s, flags=re.S)
    s = re.sub(r"\s+", " ", s).replace("&#43;", "+")
    return [t.strip() for t in re.findall(r"<[^>]+>|[^<]+", s) if t.strip()]

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?")

def same_token(x, y):
    """Equal, or equal up to number formatting: Go prints 6e-05 where catlog prints
    0.00006, and rounds a few halves the other way (23.25 -> 23.2 vs 23.3): one unit of the last digit."""
    if x == y:
        return True
    if NUMBER.sub("#", x) != NUMBER.sub("#", y):
        return False
    return all(abs(float(a) - float(b)) <= 0.1 + 1e-9 + 1e-9 * abs(float(a))
               for a, b in zip(NUMBER.findall(x), NUMBER.findall(y)))

same = 0
for i in sample:
    a = tokens(os.path.join(catlog, "anime", i, "index.html"))
    b = tokens(os.path.join(hugo, "anime", i, "index.html"))
    if len(a) == len(b) and all(same_token(x, y) for x, y in zip(a, b)):
        same += 1
    else:
        diff = next(k for k in range(min(len(a), len(b)) + 1) if k == min(len(a), len(b)) or not same_token(a[k], b[k]))
        print("anime %s differs at token %d: %r vs %r" % (i, diff, a[diff:diff + 1], b[diff:diff + 1]), file=sys.stderr)
print("equivalent pages: %d of %d sampled anime pages the same apart from asset names, canonical URL form, footer and number formatting" % (same, len(sample)))
sys.exit(0 if same == len(sample) else 1)
