#!/usr/bin/env python3
"""Counts of the peace-talks corpus: every annotated-document *.jsonl under corpora/peace-talks.

    stats.py [PATH ...]      files or folders (default: the corpus folder, recursively)

Prints Markdown: per file (provenance, documents, sentences, pairs), then pairs per stance label,
per actor and per proposal (with the label split), and sentences per sentiment, each table split
by provenance (seed / written) with a total. Files that are not annotated documents (no `stances`
field on their first record) are skipped with a message on stderr.
"""

import json
import signal
import sys
from collections import Counter, defaultdict
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent
STANCES = ("support", "oppose", "neutral")
SENTIMENTS = ("positive", "negative", "neutral")


def jsonl_files(paths):
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(p.rglob("*.jsonl"))
        else:
            yield p


def read_docs(path):
    docs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            line = line.rstrip("\r\n")
            if not line:
                sys.exit(f"{path}:{n}: blank line")
            try:
                docs.append(json.loads(line))
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{n}: not JSON: {e}")
    return docs


def pct(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "–"


def label_table(title, key_name, rows, labels):
    """rows: {key: Counter(label -> n)} → Markdown table with a total column and row."""
    out = [f"### {title}", "", f"| {key_name} | " + " | ".join(labels) + " | total |"]
    out.append("|---|" + "---:|" * (len(labels) + 1))
    totals = Counter()
    for key in sorted(rows, key=lambda k: (-sum(rows[k].values()), k)):
        c = rows[key]
        totals.update(c)
        out.append(f"| {key} | " + " | ".join(str(c[l]) for l in labels) + f" | {sum(c.values())} |")
    n = sum(totals.values())
    out.append(
        "| **total** | "
        + " | ".join(f"{totals[l]} ({pct(totals[l], n)})" for l in labels)
        + f" | {n} |"
    )
    return out


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    paths = sys.argv[1:] or [CORPUS]
    per_file = []
    pairs = defaultdict(Counter)  # provenance -> label counts
    actors = defaultdict(Counter)
    proposals = defaultdict(Counter)
    sentiments = defaultdict(Counter)
    for path in jsonl_files(paths):
        docs = read_docs(path)
        if not docs or "stances" not in docs[0]:
            print(f"skipped {path}: not annotated documents", file=sys.stderr)
            continue
        n_sent = n_pairs = 0
        provs = Counter()
        for d in docs:
            prov = d.get("provenance", "?")
            provs[prov] += 1
            for st in d.get("stances", []):
                pairs[prov][st["stance"]] += 1
                actors[st["actor"]][st["stance"]] += 1
                proposals[st["proposal"]][st["stance"]] += 1
                n_pairs += 1
            for s in d.get("sentences", []):
                sentiments[prov][s["sentiment"]] += 1
                n_sent += 1
        rel = path.resolve().relative_to(CORPUS) if path.resolve().is_relative_to(CORPUS) else path
        per_file.append((str(rel), "/".join(sorted(provs)), len(docs), n_sent, n_pairs))

    out = ["### Files", "", "| file | provenance | documents | sentences | pairs |", "|---|---|---:|---:|---:|"]
    for row in per_file:
        out.append("| `{}` | {} | {} | {} | {} |".format(*row))
    t = [sum(r[i] for r in per_file) for i in (2, 3, 4)]
    out.append(f"| **total** | | {t[0]} | {t[1]} | {t[2]} |")
    out.append("")
    out += label_table("Pairs per stance label and provenance", "provenance", pairs, STANCES)
    out.append("")
    out += label_table("Pairs per actor", "actor", actors, STANCES)
    out.append("")
    out += label_table("Pairs per proposal", "proposal", proposals, STANCES)
    out.append("")
    out += label_table("Sentences per sentiment and provenance", "provenance", sentiments, SENTIMENTS)
    print("\n".join(out))


if __name__ == "__main__":
    main()
