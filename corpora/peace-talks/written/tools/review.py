#!/usr/bin/env python3
"""Print compiled documents with every pair spelled out, for proofreading.

usage: review.py [FILE.jsonl ...]   (default: written/batch-*.jsonl)
"""

import glob
import json
import os
import sys

WRITTEN = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

files = sys.argv[1:] or sorted(glob.glob(os.path.join(WRITTEN, "batch-*.jsonl")))
for f in files:
    for line in open(f, encoding="utf-8"):
        d = json.loads(line)
        t = d["text"]
        sent = " ".join(s["sentiment"][:3] for s in d["sentences"])
        print(f"{d['id']} [{sent}] {t}")
        for s in d["stances"]:
            a, p = s["actor_span"], s["proposal_span"]
            note = f"  ({s['note']})" if "note" in s else ""
            print(f"    {t[a[0]:a[1]]!r}={s['actor']} / {t[p[0]:p[1]]!r}: {s['stance'].upper()}{note}")
