#!/usr/bin/env python3
"""Peak memory of `stance score` on a large input: is memory bounded whatever the input size?

Issue #6 asks that a 2 GB JSON Lines file score in under 300 MB of resident memory. This
script writes such a file into a temporary directory (the corpus's articles repeated, each
copy with its own ids, as `{"id", "text"}` lines, until --gb gigabytes), runs

    stance score BIG.jsonl --threads T -o /dev/null

for each T of --threads (default 1,2) with the built-in models, and reports, per run, the
articles and megabytes the command says it scored, its wall time and rate, and the peak
resident set size of that process (`ru_maxrss` from `os.wait4` on it alone).

With --article-mb M the file holds instead articles of about M megabytes each (the corpus's
articles joined by blank lines), for the other side of "whatever the input size": few very
large articles (the default `--max-article-bytes` is 10 MiB).

Usage (paths resolve from this file's location):

    python3 benches/score_memory.py                  # 2 GB of FNC-1 bodies, 1 and 2 threads
    python3 benches/score_memory.py --gb 0.5 --threads 2
    python3 benches/score_memory.py --gb 0.25 --article-mb 8
    python3 benches/score_memory.py --json

Defaults: corpus `<repo>/../shared/datasets/fnc1/train_bodies.csv`, column `articleBody`;
binary `<repo>/target/release/stance` (built when missing). The temporary file is removed at
the end. No third-party Python package is needed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_sklearn import (  # noqa: E402
    DEFAULT_COLUMN,
    DEFAULT_CORPUS,
    DEFAULT_STANCE,
    cpu_model,
    ensure_stance,
    git_commit,
    log,
    read_corpus,
)

TARGET_RSS_MB = 300.0
SUMMARY = re.compile(r"scored (\d+) articles \(([\d.]+) MB\).*?(\d+) errors in ([\d.]+) s")


def write_input(path: Path, docs: list[str], gigabytes: float, article_mb: float | None) -> tuple[int, int]:
    """Writes the large JSONL file; returns its size in bytes and its number of lines."""
    target = int(gigabytes * 1e9)
    written = lines = 0
    with path.open("w", encoding="utf-8") as out:
        copy = 0
        while written < target:
            if article_mb is None:
                for i, doc in enumerate(docs):
                    line = json.dumps({"id": f"c{copy}-{i}", "text": doc}) + "\n"
                    out.write(line)
                    written += len(line.encode("utf-8"))
                    lines += 1
            else:
                parts, size, i = [], 0, 0
                while size < article_mb * 1e6:
                    doc = docs[(copy * 7919 + i) % len(docs)]
                    parts.append(doc)
                    size += len(doc.encode("utf-8")) + 2
                    i += 1
                line = json.dumps({"id": f"big-{copy}", "text": "\n\n".join(parts)}) + "\n"
                out.write(line)
                written += len(line.encode("utf-8"))
                lines += 1
            copy += 1
    return written, lines


def run(stance: Path, path: Path, threads: int) -> dict:
    cmd = [str(stance), "score", str(path), "--threads", str(threads), "-o", os.devnull]
    log(f"  {' '.join(cmd)}")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"score_memory: `{' '.join(cmd)}` exited with {proc.returncode}:\n{stderr}")
    m = SUMMARY.search(stderr)
    if m is None:
        sys.exit(f"score_memory: no summary line in the output of `{' '.join(cmd)}`:\n{stderr}")
    seconds = float(m.group(4))
    megabytes = float(m.group(2))
    return {
        "threads": threads,
        "articles": int(m.group(1)),
        "text_mb": megabytes,
        "errors": int(m.group(3)),
        "scoring_seconds": seconds,
        "process_seconds": wall,
        "mb_per_s": megabytes / max(seconds, 1e-9),
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--csv-column", default=DEFAULT_COLUMN)
    ap.add_argument("--stance", type=Path, help="the stance binary")
    ap.add_argument("--gb", type=float, default=2.0, help="size of the input to write, in GB (default 2)")
    ap.add_argument("--article-mb", type=float, help="write articles of about this many MB each")
    ap.add_argument("--threads", default="1,2", help="thread counts, comma-separated (default 1,2)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"score_memory: corpus not found: {args.corpus} (see ../shared/datasets)")
    stance = ensure_stance(args.stance or DEFAULT_STANCE, args.stance is not None)
    threads = [int(t) for t in args.threads.split(",")]
    docs = read_corpus(args.corpus, args.csv_column)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.jsonl"
        log(f"writing {args.gb} GB of articles to {path} ...")
        size, lines = write_input(path, docs, args.gb, args.article_mb)
        rows = [run(stance, path, t) for t in threads]
    report = {
        "input": {"bytes": size, "lines": lines, "article_mb": args.article_mb, "corpus": str(args.corpus)},
        "rows": rows,
        "target_rss_mb": TARGET_RSS_MB,
        "details": {
            "date_utc": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            "cpu_model": cpu_model(),
            "nproc": os.cpu_count(),
            "stance_commit": git_commit(),
            "stance_binary": str(stance),
            "command": " ".join(getattr(sys, "orig_argv", [sys.executable, *sys.argv])),
        },
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    kind = f"articles of about {args.article_mb} MB" if args.article_mb else "the corpus's articles, repeated"
    print(f"Input: {size / 1e9:.2f} GB of JSON Lines, {lines} lines ({kind}).\n")
    print("| threads | articles | text MB | errors | scoring s | MB/s | peak RSS MB | < 300 MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        met = "met" if r["peak_rss_mb"] < TARGET_RSS_MB else "**not met**"
        print(f"| {r['threads']} | {r['articles']} | {r['text_mb']:.1f} | {r['errors']} | "
              f"{r['scoring_seconds']:.2f} | {r['mb_per_s']:.1f} | {r['peak_rss_mb']:.1f} | {met} |")
    d = report["details"]
    print(f"\n- {d['date_utc']}, {d['cpu_model']}, {d['nproc']} cores; stance {d['stance_commit']} ({stance})")
    print(f"- command: {d['command']}")


if __name__ == "__main__":
    main()
