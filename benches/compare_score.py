#!/usr/bin/env python3
"""End-to-end scoring throughput: `stance score` versus a scikit-learn
transform+predict pipeline, on the same articles in the same run.

stance side: `stance score ARTICLES.jsonl --threads T -o /dev/null` with the
built-in default model (plus `--model` for each --model given, e.g. a
sentiment model), T = 1 and 2. The articles are the corpus documents written
to a temporary JSON Lines file ({"id", "text"}), so both sides read the same
text. `stance score` reads and parses the input on a reader thread and writes
the output on a writer thread, beside the T scoring threads, so even at T = 1
the process can keep more than one core busy: the CPU-time figures below
("MB per CPU s", "MB per scoring CPU second") are the per-core figures. Three
times are recorded per run:

    scoring   the time `stance score` reports itself (reading, cleaning,
              sentences, gazetteer, pairing, models, writing the output;
              not the start-up and model loading)
    process   wall time of the whole process, start-up included
    cpu       user + system CPU time of the process (getrusage of children)
    start-up  the same for a run on the first article alone (loading the
              model, compiling the gazetteer and the cleaner's patterns);
              "scoring CPU" = cpu - start-up

scikit-learn side, single process (scikit-learn and scipy's sparse products
are single-threaded; BLAS threads are pinned to 1). Set up once, untimed:

    a TfidfVectorizer(max_features=N) (unigrams, scikit-learn's defaults
    otherwise), N = the stance model's feature count (12,817 for the default
    model), fitted on the corpus's sentences; and a 3-class
    LogisticRegression (the stance model's labels) fitted on 5,000 of them
    with arbitrary labels (predict cost depends on the shapes only).

Timed (wall: perf_counter; cpu: process_time):

    split every article into lines and every line into sentences at
    [.!?] followed by whitespace (re.split), then ONE
    vectorizer.transform(all sentences) and ONE clf.predict_proba(X).

That is the "transform+predict" reference of DESIGN.md ("Performance", about
8 MB/s), batched over the whole corpus, which is the most favourable way to
call scikit-learn, and with unigrams, which are cheaper than the stance
model's n-gram blocks; stance does more per article (boilerplate cleaning,
gazetteer search, pairing, explanations, JSON output).

Each side is timed as the best of N runs, N >= 3, repeated until at least
--min-seconds have passed. MB/s = total UTF-8 bytes of the articles / 1e6 /
seconds; articles/s likewise. Targets (DESIGN.md, issue #6): stance >= 100
MB/s per core, >= 12x scikit-learn, 2 threads >= 1.8x one.

Usage (paths resolve from this file's location):

    python3 benches/compare_score.py                     # FNC-1 bodies
    python3 benches/compare_score.py --min-seconds 5
    python3 benches/compare_score.py --model models/news-sentiment/model.stance
    python3 benches/compare_score.py --json

Defaults: corpus `<repo>/../shared/datasets/fnc1/train_bodies.csv`, column
`articleBody`; binary `<repo>/target/release/stance` (built when missing).
Requirements: benches/requirements.txt. Progress goes to stderr, the report to
stdout. The machine is shared: the report gives the load average and the CPU
other processes used during the run, and the CPU-time figures, which such
load disturbs less than wall times.
"""

from __future__ import annotations

import os

# The environment of the child processes, before BLAS threads are pinned for scikit-learn's side
# (GNU nproc, for one, reads OMP_NUM_THREADS).
CHILD_ENV = dict(os.environ)
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_sklearn import (  # noqa: E402
    DEFAULT_COLUMN,
    DEFAULT_CORPUS,
    DEFAULT_STANCE,
    MIN_RUNS,
    OtherLoad,
    ensure_stance,
    log,
    newer_sources,
    read_corpus,
    run_details,
    utf8_bytes,
)

THREADS = (1, 2)
TARGET_MB_PER_CORE = 100.0
TARGET_RATIO = 12.0
TARGET_SPEEDUP = 1.8
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
SUMMARY = re.compile(
    r"scored (\d+) articles .*?: (\d+) mentions, (\d+) stances, (\d+) errors in ([\d.]+) s"
    r" \([\d.]+ MB/s, (\d+) articles/s\)"
)


def die(msg: str) -> None:
    print(f"compare_score: error: {msg}", file=sys.stderr)
    sys.exit(2)


def sentences(doc: str) -> list[str]:
    out = []
    for line in doc.splitlines():
        line = line.strip()
        if line:
            out.extend(s for s in SENTENCE_END.split(line) if s)
    return out


def model_features(stance: Path, models: list[Path]) -> tuple[int, int]:
    """(features, labels) of the mention (stance) model among `models`, read
    from `stance inspect`; the repository's default model when none is given."""
    default = Path(__file__).resolve().parent.parent / "models/peace-talks-stance/model.stance"
    for path in models or [default]:
        out = subprocess.run([str(stance), "inspect", str(path)], capture_output=True, text=True,
                             env=CHILD_ENV).stdout
        if not re.search(r"^task\s+mention\s*$", out, re.M):
            continue
        feats = re.search(r"^features\s+(\d+)", out, re.M)
        labels = re.search(r"^labels\s+(.+)$", out, re.M)
        if feats and labels:
            return int(feats[1]), len(labels[1].split(","))
        die(f"cannot read the feature count of {path} from `stance inspect`")
    die("no mention (stance) model among --model; give it too")
    raise AssertionError


def best_of(fn, min_seconds: float):
    """Run fn() (returning (wall, cpu, result)) at least MIN_RUNS times and
    until min_seconds of wall time have passed; the run with the least wall
    time, and the number of runs."""
    best = None
    runs, total = 0, 0.0
    while runs < MIN_RUNS or total < min_seconds:
        gc.collect()
        wall, cpu, result = fn()
        if best is None or wall < best[0]:
            best = (wall, cpu, result)
        total += wall
        runs += 1
    return best, runs


def bench_sklearn(docs: list[str], n_features: int, n_labels: int, min_seconds: float) -> dict:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    all_sentences = [s for d in docs for s in sentences(d)]
    vec = TfidfVectorizer(max_features=n_features)
    vec.fit(all_sentences)
    rng = np.random.default_rng(0)
    sample = rng.choice(len(all_sentences), size=min(5000, len(all_sentences)), replace=False)
    x = vec.transform([all_sentences[i] for i in sample])
    clf = LogisticRegression(max_iter=50).fit(x, np.arange(len(sample)) % n_labels)

    def run():
        t0, c0 = time.perf_counter(), time.process_time()
        sents = [s for d in docs for s in sentences(d)]
        probabilities = clf.predict_proba(vec.transform(sents))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        return wall, cpu, (len(sents), probabilities.shape)

    (wall, cpu, (n_sentences, shape)), runs = best_of(run, min_seconds)
    assert shape == (n_sentences, n_labels), shape
    return {
        "side": "scikit-learn",
        "threads": 1,
        "seconds": wall,
        "cpu_seconds": cpu,
        "runs": runs,
        "sentences": n_sentences,
        "vocabulary": len(vec.vocabulary_),
    }


def bench_stance(stance: Path, jsonl: Path, models: list[Path], threads: int, min_seconds: float) -> dict:
    cmd = [str(stance), "score", str(jsonl), "--threads", str(threads), "-o", os.devnull]
    for m in models:
        cmd += ["--model", str(m)]

    def run():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=CHILD_ENV)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            die(f"{' '.join(cmd)} failed:\n{proc.stderr}")
        m = SUMMARY.search(proc.stderr)
        if not m:
            die(f"no summary line in the output of {' '.join(cmd)}:\n{proc.stderr}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        articles, mentions, stances, errors, seconds, per_second = m.groups()
        # The seconds are printed with 2 decimals, the articles/s as an integer: the rate is the
        # finer of the two (and 0 s, on a tiny input, is no time).
        scoring = int(articles) / int(per_second) if int(per_second) > 0 else float(seconds)
        return scoring, cpu, {
            "process_seconds": wall,
            "articles": int(articles),
            "mentions": int(mentions),
            "stances": int(stances),
            "errors": int(errors),
        }

    (scoring, cpu, info), runs = best_of(run, min_seconds)
    return {"side": "stance", "threads": threads, "seconds": scoring, "cpu_seconds": cpu, "runs": runs,
            "command": " ".join(cmd), **info}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--csv-column", default=DEFAULT_COLUMN)
    ap.add_argument("--stance", type=Path, default=None, help="the stance binary")
    ap.add_argument("--model", type=Path, action="append", default=[],
                    help="a model for `stance score --model` (repeatable; default: the built-in one)")
    ap.add_argument("--min-seconds", type=float, default=2.0)
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = ap.parse_args()

    stance = ensure_stance(args.stance or DEFAULT_STANCE, args.stance is not None)
    if not args.corpus.is_file():
        die(f"corpus not found: {args.corpus}")
    docs = read_corpus(args.corpus, args.csv_column)
    nbytes = utf8_bytes(docs)
    n_features, n_labels = model_features(stance, args.model)
    warnings = []
    stale = newer_sources(stance)
    if stale:
        warnings.append(f"{stance} is older than {len(stale)} source file(s), e.g. {stale[0]}")

    load_before = os.getloadavg()
    other = OtherLoad()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "articles.jsonl"
        with open(jsonl, "w", encoding="utf-8") as f:
            for i, d in enumerate(docs):
                f.write(json.dumps({"id": f"doc-{i}", "text": d}, ensure_ascii=False) + "\n")
        one = Path(tmp) / "one.jsonl"
        one.write_text(json.dumps({"id": "doc-0", "text": docs[0]}, ensure_ascii=False) + "\n", encoding="utf-8")
        for threads in THREADS:
            log(f"stance score --threads {threads} ...")
            row = bench_stance(stance, jsonl, args.model, threads, args.min_seconds)
            startup = bench_stance(stance, one, args.model, threads, 0.0)
            row["startup_cpu_seconds"] = startup["cpu_seconds"]
            row["scoring_cpu_seconds"] = max(row["cpu_seconds"] - startup["cpu_seconds"], 1e-9)
            rows.append(row)
    log("scikit-learn transform+predict ...")
    rows.append(bench_sklearn(docs, n_features, n_labels, args.min_seconds))
    other_cores = other.cores()
    load_after = os.getloadavg()

    for r in rows:
        r["mb_per_s"] = nbytes / 1e6 / r["seconds"]
        r["articles_per_s"] = len(docs) / r["seconds"]
        r["mb_per_cpu_s"] = nbytes / 1e6 / r["cpu_seconds"] if r["cpu_seconds"] > 0 else None
    st1, st2, sk = rows
    for r in (st1, st2):
        r["mb_per_scoring_cpu_s"] = nbytes / 1e6 / r["scoring_cpu_seconds"]
        if r["articles"] != len(docs) or r["errors"]:
            warnings.append(f"stance scored {r['articles']} articles with {r['errors']} errors, not {len(docs)}")
    if (st1["mentions"], st1["stances"]) != (st2["mentions"], st2["stances"]):
        warnings.append("1 and 2 threads found different mentions or stances")
    ratios = {
        "stance_1t_vs_sklearn": st1["mb_per_s"] / sk["mb_per_s"],
        "stance_2t_vs_sklearn": st2["mb_per_s"] / sk["mb_per_s"],
        "stance_2t_vs_1t": st2["mb_per_s"] / st1["mb_per_s"],
        "cpu_stance_1t_vs_sklearn": (st1["mb_per_cpu_s"] or 0) / (sk["mb_per_cpu_s"] or float("inf")),
        "scoring_cpu_stance_1t_vs_sklearn": st1["mb_per_scoring_cpu_s"] / (sk["mb_per_cpu_s"] or float("inf")),
    }
    details = run_details(stance)
    details["nproc"] = len(os.sched_getaffinity(0))
    details.update({
        "load_average_before": load_before, "load_average_after": load_after,
        "other_processes_cores": other_cores, "models": [str(m) for m in args.model] or ["built-in"],
    })
    corpus = {"path": str(args.corpus), "column": args.csv_column, "articles": len(docs), "bytes": nbytes}
    if args.json:
        print(json.dumps({"corpus": corpus, "rows": rows, "ratios": ratios, "details": details,
                          "warnings": warnings}, indent=2))
        return

    print(f"Corpus: {args.corpus} ({args.csv_column}), {len(docs)} articles, {nbytes / 1e6:.2f} MB; "
          f"stance found {st1['mentions']} mentions, {st1['stances']} stances; "
          f"scikit-learn scored {sk['sentences']} sentences, {sk['vocabulary']} features.")
    print()
    print("| side | threads | MB/s | articles/s | CPU s | MB per CPU s | runs |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['side']} | {r['threads']} | {r['mb_per_s']:.1f} | {r['articles_per_s']:.0f} | "
              f"{r['cpu_seconds']:.3f} | {r['mb_per_cpu_s'] or 0:.1f} | {r['runs']} |")
    print()
    met = lambda ok: "met" if ok else "**not met**"  # noqa: E731
    print("| ratio | value | target | |")
    print("|---|---:|---|---|")
    print(f"| stance 1 thread / scikit-learn | {ratios['stance_1t_vs_sklearn']:.1f}x | >= {TARGET_RATIO:.0f}x | "
          f"{met(ratios['stance_1t_vs_sklearn'] >= TARGET_RATIO)} |")
    print(f"| stance 1 thread / scikit-learn, by CPU time | {ratios['cpu_stance_1t_vs_sklearn']:.1f}x | | |")
    print(f"| stance 1 thread / scikit-learn, by CPU time without start-up | "
          f"{ratios['scoring_cpu_stance_1t_vs_sklearn']:.1f}x | | |")
    print(f"| stance 2 threads / scikit-learn | {ratios['stance_2t_vs_sklearn']:.1f}x | | |")
    print(f"| stance 2 threads / 1 thread | {ratios['stance_2t_vs_1t']:.2f}x | >= {TARGET_SPEEDUP}x | "
          f"{met(ratios['stance_2t_vs_1t'] >= TARGET_SPEEDUP)} |")
    print(f"| stance MB/s per core (1 thread) | {st1['mb_per_s']:.1f} | >= {TARGET_MB_PER_CORE:.0f} | "
          f"{met(st1['mb_per_s'] >= TARGET_MB_PER_CORE)} |")
    print(f"| stance MB per scoring CPU second (1 thread) | {st1['mb_per_scoring_cpu_s']:.1f} | "
          f">= {TARGET_MB_PER_CORE:.0f} | {met(st1['mb_per_scoring_cpu_s'] >= TARGET_MB_PER_CORE)} |")
    print()
    print(f"- {details['date_utc']}, {details['machine']} {details['cpu_model']}, {details['nproc']} cores; "
          f"Python {details['python']}, scikit-learn {details['sklearn']}, numpy {details['numpy']}, "
          f"scipy {details['scipy']}; stance {details['stance_commit']} ({details['stance_binary']})")
    print(f"- load average before / after: {load_before[0]:.2f} / {load_after[0]:.2f}; "
          f"other processes kept {other_cores if other_cores is not None else float('nan'):.2f} cores busy")
    print(f"- stance process wall time incl. start-up, 1 / 2 threads: {st1['process_seconds']:.3f} / "
          f"{st2['process_seconds']:.3f} s; start-up CPU (one article): {st1['startup_cpu_seconds']:.3f} s")
    print(f"- command: {details['command']}")
    for w in warnings:
        print(f"- warning: {w}")


if __name__ == "__main__":
    main()
