#!/usr/bin/env python3
"""Second-pass labelling of a random sample of annotated pairs, and the agreement between passes.

    relabel.py sample [--seed 20261121] [--fraction 0.10] [--min 15] [--tag T] [FILE.jsonl]
        choose the sample (seeded) and write seed/agreement/sample.ndjson (sample-T.ndjson with
        --tag; a tagged sample never repeats a pair of the other samples): the pairs' identities
        (document id, spans, ids) WITHOUT their labels
    relabel.py view
        print each sampled pair as the second pass sees it: the sentence with the actor in
        [[...]] and the proposal in {{...}}, the two ids — no label, no note
    relabel.py score
        read seed/agreement/second.txt (one line per sampled pair: `<n> <label>`), compare with
        the first labels, print percent agreement, Cohen's kappa and every disagreement

    relabel.py sentences-sample | sentences-view | sentences-score
        the same for sentence sentiment: seed/agreement/sentences-sample.ndjson, the view prints
        only the sentence, the second labels go to seed/agreement/sentences-second.txt

Ids and ordering are stable, so a sample can be re-viewed and re-scored later.
"""

import argparse
import json
import math
import random
import signal
import sys
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent
DEFAULT_FILE = CORPUS / "seed" / "annotations.jsonl"
AGREEMENT = CORPUS / "seed" / "agreement"


def sample_path(tag):
    """seed/agreement/sample.ndjson, or sample-<tag>.ndjson for a further sample."""
    return AGREEMENT / (f"sample-{tag}.ndjson" if tag else "sample.ndjson")


def second_path(tag):
    """seed/agreement/second.txt, or second-<tag>.txt."""
    return AGREEMENT / (f"second-{tag}.txt" if tag else "second.txt")

LABELS = ("support", "oppose", "neutral")
SENTIMENTS = ("positive", "negative", "neutral")
SENT_SAMPLE = AGREEMENT / "sentences-sample.ndjson"
SENT_SECOND = AGREEMENT / "sentences-second.txt"


def load_pairs(path):
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            for i, st in enumerate(doc["stances"]):
                sentence = next(
                    s["span"]
                    for s in doc["sentences"]
                    if s["span"][0] <= st["actor_span"][0] and st["actor_span"][1] <= s["span"][1]
                )
                pairs.append((doc, i, st, sentence))
    return pairs


def cmd_sample(args):
    pairs = load_pairs(args.file)
    n = max(args.min, math.ceil(args.fraction * len(pairs)))
    rng = random.Random(args.seed)
    taken = set()
    for other in AGREEMENT.glob("sample*.ndjson"):
        if other != sample_path(args.tag):
            taken |= {(r["doc"], r["stance_index"]) for r in load_sample_file(other)}
    free = [k for k, (doc, i, _, _) in enumerate(pairs) if (doc["id"], i) not in taken]
    chosen = sorted(rng.sample(free, n))
    AGREEMENT.mkdir(parents=True, exist_ok=True)
    with open(sample_path(args.tag), "w", encoding="utf-8", newline="\n") as f:
        for k, idx in enumerate(chosen, start=1):
            doc, i, st, sentence = pairs[idx]
            rec = {
                "n": k,
                "doc": doc["id"],
                "stance_index": i,
                "sentence_span": sentence,
                "actor": st["actor"],
                "actor_span": st["actor_span"],
                "proposal": st["proposal"],
                "proposal_span": st["proposal_span"],
            }
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{sample_path(args.tag)}: {n} of {len(pairs)} pairs (seed {args.seed})", file=sys.stderr)


def load_sample_file(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def texts(path):
    with open(path, encoding="utf-8") as f:
        return {d["id"]: d for d in (json.loads(line) for line in f)}


def cmd_view(args):
    docs = texts(args.file)
    for rec in load_sample_file(sample_path(args.tag)):
        text = docs[rec["doc"]]["text"]
        s, e = rec["sentence_span"]
        marks = sorted(
            [(rec["actor_span"], "[[", "]]"), (rec["proposal_span"], "{{", "}}")],
            key=lambda m: m[0][0],
        )
        out, pos = [], s
        for (ms, me), open_, close in marks:
            out += [text[pos:ms], open_, text[ms:me], close]
            pos = me
        out.append(text[pos:e])
        print(f"#{rec['n']}  actor={rec['actor']}  proposal={rec['proposal']}")
        print("    " + "".join(out))
        print()


def kappa(first, second, labels=LABELS):
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second)) / n
    c1, c2 = Counter(first), Counter(second)
    expected = sum(c1[k] * c2[k] for k in labels) / (n * n)
    if expected == 1:
        return observed, float("nan")
    return observed, (observed - expected) / (1 - expected)


def cmd_score(args):
    docs = texts(args.file)
    tags = [args.tag]
    if args.all:
        tags = sorted(p.stem[len("sample-"):] if p.stem != "sample" else "" for p in AGREEMENT.glob("sample*.ndjson"))
    first_labels, second_labels, disagreements = [], [], []
    for tag in tags:
        a, b, d = score_one(docs, tag)
        first_labels += a
        second_labels += b
        disagreements += d
    report(first_labels, second_labels, disagreements, tags)


def score_one(docs, tag):
    """(first labels, second labels, disagreement lines) of one sample."""
    sample = load_sample_file(sample_path(tag))
    second = {}
    second_file = second_path(tag)
    with open(second_file, encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            n, label = line.split()[:2]
            if label not in LABELS:
                sys.exit(f"{second_file}:{line_no}: label {label!r} not one of {LABELS}")
            second[int(n)] = label
    missing = [r["n"] for r in sample if r["n"] not in second]
    if missing:
        sys.exit(f"{second_file}: no second label for {missing}")
    first_labels, second_labels, disagreements = [], [], []
    for rec in sample:
        st = docs[rec["doc"]]["stances"][rec["stance_index"]]
        if st["actor_span"] != rec["actor_span"] or st["proposal_span"] != rec["proposal_span"]:
            sys.exit(f"sample #{rec['n']} no longer matches {rec['doc']} stance {rec['stance_index']}")
        first_labels.append(st["stance"])
        second_labels.append(second[rec["n"]])
        if first_labels[-1] != second_labels[-1]:
            disagreements.append(
                f"disagreement {tag or 'main'} #{rec['n']} {rec['doc']} stance {rec['stance_index']}: "
                f"{st['actor_text']!r} ({rec['actor']}) / {st['proposal_text']!r} ({rec['proposal']}): "
                f"first {first_labels[-1]}, second {second_labels[-1]}"
            )
    return first_labels, second_labels, disagreements


def report(first_labels, second_labels, disagreements, tags, labels=LABELS):
    po, k = kappa(first_labels, second_labels, labels)
    print(f"samples: {', '.join(t or 'main' for t in tags)}")
    print(f"items: {len(first_labels)}")
    print(f"agreement: {po * 100:.1f}%  Cohen's kappa: {k:.3f}")
    print("first-pass labels:  " + ", ".join(f"{l} {first_labels.count(l)}" for l in labels))
    print("second-pass labels: " + ", ".join(f"{l} {second_labels.count(l)}" for l in labels))
    print("confusion (rows first pass, columns second pass):")
    print("            " + " ".join(f"{l:>8}" for l in labels))
    for a in labels:
        row = [sum(1 for x, y in zip(first_labels, second_labels) if x == a and y == b) for b in labels]
        print(f"  {a:>8}  " + " ".join(f"{c:>8}" for c in row))
    for line in disagreements:
        print(line)


def all_sentences(path):
    out = []
    for doc in texts(path).values():
        for i, sent in enumerate(doc["sentences"]):
            out.append((doc, i, sent))
    return out


def cmd_sentences_sample(args):
    sents = all_sentences(args.file)
    n = max(args.min, math.ceil(args.fraction * len(sents)))
    chosen = sorted(random.Random(args.seed).sample(range(len(sents)), n))
    AGREEMENT.mkdir(parents=True, exist_ok=True)
    with open(SENT_SAMPLE, "w", encoding="utf-8", newline="\n") as f:
        for k, idx in enumerate(chosen, start=1):
            doc, i, sent = sents[idx]
            rec = {"n": k, "doc": doc["id"], "sentence_index": i, "span": sent["span"]}
            f.write(json.dumps(rec) + "\n")
    print(f"{SENT_SAMPLE}: {n} of {len(sents)} sentences (seed {args.seed})", file=sys.stderr)


def cmd_sentences_view(args):
    docs = texts(args.file)
    for rec in load_sample_file(SENT_SAMPLE):
        s, e = rec["span"]
        print(f"#{rec['n']}  {docs[rec['doc']]['text'][s:e]}")


def cmd_sentences_score(args):
    docs = texts(args.file)
    second = {}
    with open(SENT_SECOND, encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            line = line.split("#", 1)[0].strip()
            if line:
                n, label = line.split()[:2]
                if label not in SENTIMENTS:
                    sys.exit(f"{SENT_SECOND}:{line_no}: label {label!r} not one of {SENTIMENTS}")
                second[int(n)] = label
    first_labels, second_labels, disagreements = [], [], []
    for rec in load_sample_file(SENT_SAMPLE):
        doc = docs[rec["doc"]]
        sent = doc["sentences"][rec["sentence_index"]]
        if sent["span"] != rec["span"]:
            sys.exit(f"sentence sample #{rec['n']} no longer matches {rec['doc']}")
        if rec["n"] not in second:
            sys.exit(f"{SENT_SECOND}: no second label for #{rec['n']}")
        first_labels.append(sent["sentiment"])
        second_labels.append(second[rec["n"]])
        if first_labels[-1] != second_labels[-1]:
            s, e = sent["span"]
            disagreements.append(
                f"disagreement #{rec['n']} {rec['doc']}: first {first_labels[-1]}, second "
                f"{second_labels[-1]}: {doc['text'][s:e]}"
            )
    report(first_labels, second_labels, disagreements, ["sentences"], SENTIMENTS)


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "cmd",
        choices=("sample", "view", "score", "sentences-sample", "sentences-view", "sentences-score"),
    )
    ap.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
    ap.add_argument("--seed", type=int, default=20261121)
    ap.add_argument("--fraction", type=float, default=0.10)
    ap.add_argument("--min", type=int, default=15)
    ap.add_argument("--all", action="store_true", help="score: pool every sample")
    ap.add_argument("--tag", default="", help="name of a further sample (files sample-TAG.ndjson, second-TAG.txt)")
    args = ap.parse_args()
    commands = {
        "sample": cmd_sample,
        "view": cmd_view,
        "score": cmd_score,
        "sentences-sample": cmd_sentences_sample,
        "sentences-view": cmd_sentences_view,
        "sentences-score": cmd_sentences_score,
    }
    commands[args.cmd](args)


if __name__ == "__main__":
    main()
