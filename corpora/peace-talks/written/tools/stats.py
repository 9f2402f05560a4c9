#!/usr/bin/env python3
"""Counts and near-duplicate checks for the written peace-talks examples.

usage: stats.py [--articles DIR] [FILE.jsonl ...]
  default files: written/batch-*.jsonl; default articles: ../articles

Prints documents, sentences and pairs; pairs per label, actor, proposal,
label x proposal and label x actor; sentence sentiments. Then the
near-duplicate check over every sentence of the files and of the sample
articles (split naively into sentences):
  * exact duplicates after normalisation (lower-case, punctuation stripped,
    whitespace collapsed);
  * pairs with token-set Jaccard >= 0.8;
  * template pairs: sentences of the files that become identical (or Jaccard
    >= 0.8) once every marked mention is replaced by a placeholder, i.e.
    sentences that differ only by swapped names or proposal words.
Exit status 1 if any check finds something.
"""

from __future__ import annotations

import collections
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ptw  # noqa: E402

WRITTEN = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JACCARD = 0.8


def article_sentences(directory: str) -> list[tuple[str, str]]:
    out = []
    for path in sorted(glob.glob(os.path.join(directory, "*.txt"))):
        text = open(path, encoding="utf-8").read()
        for para in text.split("\n"):
            for s in re.split(r"(?<=[.!?])[\"”’]?\s+", para):
                if len(s.split()) >= 4:
                    out.append((f"{os.path.basename(path)}", s.strip()))
    return out


def table(title: str, counter: collections.Counter, total: int) -> None:
    print(f"\n{title}")
    for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {key:<24}{n:>6}  {100 * n / total:5.1f}%")


def jaccard_pairs(items: list[tuple[str, str, frozenset]], cross_only: set | None = None):
    """Pairs of items with Jaccard >= JACCARD, via an inverted index on tokens."""
    index: dict[str, list[int]] = collections.defaultdict(list)
    for i, (_, _, toks) in enumerate(items):
        for t in toks:
            index[t].append(i)
    hits = []
    for i, (wi, si, ti) in enumerate(items):
        shared: collections.Counter = collections.Counter()
        for t in ti:
            for j in index[t]:
                if j > i:
                    shared[j] += 1
        for j, inter in shared.items():
            tj = items[j][2]
            union = len(ti) + len(tj) - inter
            if union and inter / union >= JACCARD:
                hits.append((inter / union, i, j))
    return hits


def main(argv: list[str]) -> int:
    articles = os.path.join(os.path.dirname(WRITTEN), "articles")
    files = []
    it = iter(argv)
    for a in it:
        if a == "--articles":
            articles = next(it)
        else:
            files.append(a)
    if not files:
        files = sorted(glob.glob(os.path.join(WRITTEN, "batch-*.jsonl")))
    docs = []
    for f in files:
        for i, line in enumerate(open(f, encoding="utf-8"), start=1):
            rec = json.loads(line)
            ptw.check_record(rec, f"{f}:{i}")
            docs.append(rec)

    labels = collections.Counter()
    actors = collections.Counter()
    props = collections.Counter()
    lab_prop = collections.Counter()
    lab_actor = collections.Counter()
    sentiments = collections.Counter()
    n_sent = 0
    for d in docs:
        n_sent += len(d["sentences"])
        for s in d["sentences"]:
            sentiments[s["sentiment"]] += 1
        for st in d["stances"]:
            labels[st["stance"]] += 1
            actors[st["actor"]] += 1
            props[st["proposal"]] += 1
            lab_prop[(st["proposal"], st["stance"])] += 1
            lab_actor[(st["actor"], st["stance"])] += 1
    total = sum(labels.values())
    print(f"files {len(files)}  documents {len(docs)}  sentences {n_sent}  pairs {total}")
    if not total:
        return 1
    table("pairs per label", labels, total)
    print("\npairs per actor (support/oppose/neutral)")
    for a in ptw.ACTORS:
        print(f"  {a:<26}{actors[a]:>5}   " + " ".join(f"{lab_actor[(a, l)]:>4}" for l in ("support", "oppose", "neutral")))
    print("\npairs per proposal (support/oppose/neutral)")
    for p in ptw.PROPOSALS:
        print(f"  {p:<26}{props[p]:>5}   " + " ".join(f"{lab_prop[(p, l)]:>4}" for l in ("support", "oppose", "neutral")))
    table("sentence sentiment", sentiments, n_sent)
    missing = [a for a in ptw.ACTORS if actors[a] == 0] + [p for p in ptw.PROPOSALS if props[p] == 0]
    if missing:
        print(f"\nnever used: {', '.join(missing)}")

    # near-duplicate checks
    sents = []  # (where, text, masked)
    for d in docs:
        for k, s in enumerate(d["sentences"]):
            a, b = s["span"]
            text = d["text"][a:b]
            marks = sorted({tuple(st["actor_span"]) for st in d["stances"]} |
                           {tuple(st["proposal_span"]) for st in d["stances"]})
            masked, pos = [], a
            for ms, me in marks:
                if a <= ms and me <= b:
                    masked.append(d["text"][pos:ms])
                    masked.append(" MENTION ")
                    pos = me
            masked.append(d["text"][pos:b])
            sents.append((f"{d['id']}#s{k + 1}", text, "".join(masked)))
    arts = article_sentences(articles)
    problems = 0

    print(f"\nnear-duplicate check: {len(sents)} written sentences, {len(arts)} article sentences ({articles})")
    seen: dict[str, str] = {}
    for k, (where, text) in enumerate([(w, t) for w, t, _ in sents] + arts):
        key = ptw.normalise(text)
        if key in seen:
            if k < len(sents) or seen[key].startswith("pt-w-"):
                problems += 1
                print(f"  EXACT  {seen[key]} == {where}: {text}")
        else:
            seen[key] = where
    items = [(w, t, frozenset(ptw.normalise(t).split())) for w, t, _ in sents]
    items += [(w, t, frozenset(ptw.normalise(t).split())) for w, t in arts]
    nw = len(sents)
    for score, i, j in jaccard_pairs(items):
        if i >= nw and j >= nw:
            continue  # two article sentences: not ours
        problems += 1
        print(f"  JACCARD {score:.2f}  {items[i][0]}: {items[i][1]}\n               {items[j][0]}: {items[j][1]}")
    masked_items = [(w, m, frozenset(ptw.normalise(m).split())) for w, _, m in sents]
    for score, i, j in jaccard_pairs(masked_items):
        problems += 1
        print(f"  TEMPLATE {score:.2f}  {sents[i][0]}: {sents[i][1]}\n                {sents[j][0]}: {sents[j][1]}")
    best_art, best_own = 0.0, 0.0
    for i in range(nw):
        ti = items[i][2]
        for j in range(len(items)):
            if j == i:
                continue
            tj = items[j][2]
            union = len(ti | tj)
            score = len(ti & tj) / union if union else 0.0
            if j >= nw:
                best_art = max(best_art, score)
            else:
                best_own = max(best_own, score)
    print(f"  highest Jaccard: written-article {best_art:.2f}, written-written {best_own:.2f}")
    print(f"  {problems} finding(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
