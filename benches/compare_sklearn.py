#!/usr/bin/env python3
"""Side-by-side throughput benchmark: scikit-learn versus `stance bench`.

In one run, on the same corpus, this script measures

* scikit-learn's analyzer and vectorizers (single process; scikit-learn's
  vectorizers are single-threaded), and
* the stance binary's `stance bench` at 1 and 2 threads,

and prints MB/s per stage with the stance / scikit-learn ratio against the
targets of DESIGN.md ("Performance"), then the peak memory of a TF-IDF
fit_transform in each, then the details of the run (date, machine, versions,
git commit, command line).

Stages (the scikit-learn side; `stance bench` runs the same configurations):

    tokenize       TfidfVectorizer().build_analyzer() applied to every document
    tfidf_unigram  TfidfVectorizer().fit_transform(docs)
    tfidf_bigram   TfidfVectorizer(ngram_range=(1, 2), min_df=2,
                   sublinear_tf=True).fit_transform(docs)
    hashing        HashingVectorizer().transform(docs)

Each scikit-learn stage is timed with time.perf_counter as the best of N runs,
N >= 3, repeated until at least --min-seconds have passed in total.
MB/s = total UTF-8 bytes of the documents / 1e6 / seconds, the definition
`stance bench` uses.

Targets (threads = 1, stance / scikit-learn): tokenize >= 20x,
tfidf_unigram >= 25x, tfidf_bigram >= 30x, hashing >= 25x.
Target (threads = 2): stance's 2-thread / 1-thread speed-up >= 1.8x.

Usage (from anywhere; paths resolve from this file's location):

    python3 benches/compare_sklearn.py                   # FNC-1 bodies, 1 s per stage
    python3 benches/compare_sklearn.py --min-seconds 0.5 # quicker
    python3 benches/compare_sklearn.py --json            # raw numbers as JSON
    python3 benches/compare_sklearn.py --corpus my.csv --csv-column text
    python3 benches/compare_sklearn.py --stance path/to/stance

Defaults: corpus `<repo>/../shared/datasets/fnc1/train_bodies.csv`, column
`articleBody`; binary `<repo>/target/release/stance`, built with
`cargo build --release -p stance-cli` when missing.  Progress goes to stderr,
the report to stdout.  Requirements: benches/requirements.txt.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import gc
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"
DEFAULT_CORPUS = SHARED_DIR / "datasets" / "fnc1" / "train_bodies.csv"
DEFAULT_COLUMN = "articleBody"
DEFAULT_STANCE = REPO_ROOT / "target" / "release" / "stance"

STAGES = ("tokenize", "tfidf_unigram", "tfidf_bigram", "hashing")
THREADS = (1, 2)
# Minimum stance / scikit-learn ratio at one thread, per stage (DESIGN.md).
TARGET_RATIO = {"tokenize": 20.0, "tfidf_unigram": 25.0, "tfidf_bigram": 30.0, "hashing": 25.0}
# Minimum 2-thread / 1-thread speed-up of stance.
TARGET_SPEEDUP = 1.8
MIN_RUNS = 3


def log(msg: str) -> None:
    """Progress and warnings go to stderr so stdout holds only the report."""
    print(msg, file=sys.stderr, flush=True)


def die(msg: str) -> "None":
    print(f"compare_sklearn: error: {msg}", file=sys.stderr)
    sys.exit(2)


# --------------------------------------------------------------------------- corpus


def read_corpus(path: Path, column: str) -> list[str]:
    """The `column` of every row of the CSV file `path`, as a list of str."""
    # Some bodies are long; the csv module's default field limit is 128 KiB.
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or column not in reader.fieldnames:
            die(f"{path}: no column {column!r} (columns: {reader.fieldnames})")
        return [row[column] for row in reader]


def utf8_bytes(docs: list[str]) -> int:
    return sum(len(d.encode("utf-8")) for d in docs)


# --------------------------------------------------------------------------- scikit-learn


def best_of(fn, min_seconds: float) -> tuple[float, int, object]:
    """Run fn() at least MIN_RUNS times and until min_seconds have passed in
    total; return (fastest run in seconds, number of runs, last result)."""
    best = float("inf")
    runs = 0
    total = 0.0
    result = None
    while runs < MIN_RUNS or total < min_seconds:
        result = None  # free the previous result before timing the next run
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        best = min(best, dt)
        total += dt
        runs += 1
    return best, runs, result


def bench_sklearn(docs: list[str], nbytes: int, min_seconds: float) -> dict:
    """Time the four scikit-learn stages; returns {stage: {...}}."""
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer

    analyzer = TfidfVectorizer().build_analyzer()

    def tokenize() -> int:
        n = 0
        for d in docs:
            n += len(analyzer(d))
        return n

    stages = {
        "tokenize": tokenize,
        "tfidf_unigram": lambda: TfidfVectorizer().fit_transform(docs),
        "tfidf_bigram": lambda: TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True
        ).fit_transform(docs),
        "hashing": lambda: HashingVectorizer().transform(docs),
    }
    out = {}
    for name in STAGES:
        log(f"  scikit-learn {name} ...")
        seconds, runs, result = best_of(stages[name], min_seconds)
        entry = {
            "seconds": seconds,
            "runs": runs,
            "mb_per_s": nbytes / 1e6 / seconds,
            "docs_per_s": len(docs) / seconds,
        }
        if name == "tokenize":
            entry["tokens"] = result
            entry["tokens_per_s"] = result / seconds
        else:
            entry["shape"] = list(result.shape)
            entry["nnz"] = int(result.nnz)
        out[name] = entry
        log(f"    {entry['mb_per_s']:.2f} MB/s (best of {runs})")
    return out


# --------------------------------------------------------------------------- stance


def ensure_stance(path: Path, explicit: bool) -> Path:
    """The stance binary; the default one is built when missing."""
    if path.is_file():
        return path
    if explicit:
        die(f"stance binary not found: {path}")
    if shutil.which("cargo") is None:
        die(f"{path} is missing and cargo is not on PATH to build it")
    log(f"{path} is missing: building it with `cargo build --release -p stance-cli` in {REPO_ROOT} ...")
    proc = subprocess.run(["cargo", "build", "--release", "-p", "stance-cli"], cwd=REPO_ROOT)
    if proc.returncode != 0 or not path.is_file():
        die("cargo build --release -p stance-cli failed")
    return path


def bench_stance(stance: Path, corpus: Path, column: str, min_seconds: float) -> list[dict]:
    """Run `stance bench ... --json` and return its JSON lines."""
    cmd = [
        str(stance), "bench", str(corpus),
        "--csv-column", column,
        "--threads", ",".join(str(t) for t in THREADS),
        "--json",
        "--min-seconds", repr(min_seconds),
    ]
    log(f"  {shlex.join(cmd)}")
    # Its stderr (progress, and any diagnostics of a work-in-progress build)
    # is shown only when it fails, to keep the report readable.
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        die(f"stance bench exited with status {proc.returncode}")
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    for r in rows:
        log(f"    {r['stage']} threads={r['threads']}: {r['mb_per_s']:.1f} MB/s")
    return rows


# --------------------------------------------------------------------------- memory

# Run in a fresh interpreter: argv[1] = corpus, argv[2] = column.
# ru_maxrss is in KiB on Linux.
PY_MEMORY_CODE = r"""
import csv, json, resource, sys
from sklearn.feature_extraction.text import TfidfVectorizer
csv.field_size_limit(sys.maxsize)
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    docs = [row[sys.argv[2]] for row in csv.DictReader(f)]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
X = TfidfVectorizer().fit_transform(docs)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:  # the kernel's own high-water mark of this image, for cross-checking
    hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
except Exception:
    hwm = None
print(json.dumps({"before_kib": before, "after_kib": after, "vmhwm_kib": hwm,
                  "shape": list(X.shape), "nnz": int(X.nnz)}))
"""

# Fallback when /usr/bin/time is absent: a fresh interpreter whose only child
# is the measured command, so RUSAGE_CHILDREN holds that command's peak alone.
CHILD_PEAK_CODE = r"""
import json, resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(json.dumps({"rc": rc, "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def kib_to_mb(kib: int) -> float:
    return kib * 1024 / 1e6


def memory_python(corpus: Path, column: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PY_MEMORY_CODE, str(corpus), column],
        stdout=subprocess.PIPE, text=True,
    )
    if proc.returncode != 0:
        die("the scikit-learn memory subprocess failed")
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    return {
        "baseline_mb": kib_to_mb(r["before_kib"]),
        "peak_mb": kib_to_mb(r["after_kib"]),
        "increase_mb": kib_to_mb(r["after_kib"] - r["before_kib"]),
        "vmhwm_mb": None if r.get("vmhwm_kib") is None else kib_to_mb(r["vmhwm_kib"]),
        "shape": r["shape"],
        "nnz": r["nnz"],
    }


def memory_stance(stance: Path, corpus: Path, column: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="stance-vectorize-") as tmp:
        cmd = [str(stance), "vectorize", str(corpus), "--csv-column", column, "-o", tmp, "--threads", "1"]
        gnu_time = Path("/usr/bin/time")
        if gnu_time.is_file() and os.access(gnu_time, os.X_OK):
            method = "/usr/bin/time -v"
            proc = subprocess.run([str(gnu_time), "-v", *cmd], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
            m = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", proc.stderr)
            if proc.returncode != 0 or not m:
                die(f"stance vectorize failed under /usr/bin/time -v:\n{proc.stderr}")
            peak_kib = int(m.group(1))
        else:
            method = "getrusage(RUSAGE_CHILDREN) in a fresh wrapper process"
            proc = subprocess.run([sys.executable, "-c", CHILD_PEAK_CODE, *cmd],
                                  stdout=subprocess.PIPE, text=True)
            r = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0 else {"rc": -1}
            if r["rc"] != 0:
                die("stance vectorize failed")
            peak_kib = r["peak_kib"]
        out_bytes = sum(p.stat().st_size for p in Path(tmp).iterdir())
    return {"peak_mb": kib_to_mb(peak_kib), "method": method, "command": shlex.join(cmd),
            "output_mb": out_bytes / 1e6}


# --------------------------------------------------------------------------- run details


class OtherLoad:
    """How many cores, on average, processes other than this one and its
    children kept busy between start() and stop(): /proc/stat's busy time
    minus os.times()'s.  A shared machine (a concurrent cargo build, say)
    slows both sides, and the 2-thread figures most."""

    def __init__(self) -> None:
        self.start_wall = time.perf_counter()
        self.start_busy = self._busy_seconds()
        self.start_own = self._own_seconds()

    @staticmethod
    def _busy_seconds() -> float | None:
        try:
            with open("/proc/stat", encoding="ascii") as f:
                fields = [int(x) for x in f.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        # user nice system idle iowait irq softirq steal ...; guest time is
        # already counted in user.
        busy = sum(fields[:3]) + sum(fields[5:8])
        return busy / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _own_seconds() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def cores(self) -> float | None:
        busy = self._busy_seconds()
        if busy is None or self.start_busy is None:
            return None
        wall = time.perf_counter() - self.start_wall
        other = (busy - self.start_busy) - (self._own_seconds() - self.start_own)
        return max(other, 0.0) / wall if wall > 0 else None


def run_text(cmd: list[str], cwd: Path | None = None) -> str | None:
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return None
    return p.stdout.strip() if p.returncode == 0 else None


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_commit() -> str:
    head = run_text(["git", "rev-parse", "--short", "HEAD"], REPO_ROOT)
    if head is None:
        return "unknown (not a git checkout?)"
    # Tracked changes only, as `git describe --dirty` does: an untracked
    # benchmark script does not change the binary.
    dirty = run_text(["git", "status", "--porcelain", "--untracked-files=no"], REPO_ROOT)
    return head + ("-dirty" if dirty else "")


def newer_sources(binary: Path) -> list[str]:
    """Source files of the workspace modified after `binary` was written
    (the binary then need not match the commit reported)."""
    built = binary.stat().st_mtime
    candidates = [REPO_ROOT / "Cargo.toml", REPO_ROOT / "Cargo.lock"]
    crates = REPO_ROOT / "crates"
    if crates.is_dir():
        candidates += crates.rglob("*.rs")
        candidates += crates.rglob("Cargo.toml")
    newer = []
    for c in candidates:
        try:
            if c.stat().st_mtime > built:
                newer.append(str(c.relative_to(REPO_ROOT)))
        except OSError:
            pass
    return sorted(newer)


def run_details(stance: Path) -> dict:
    import numpy
    import scipy
    import sklearn

    mtime = _dt.datetime.fromtimestamp(stance.stat().st_mtime, _dt.timezone.utc)
    return {
        "date_utc": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "machine": run_text(["uname", "-m"]) or platform.machine(),
        "nproc": int(run_text(["nproc"]) or os.cpu_count() or 0),
        "cpu_model": cpu_model(),
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "stance_commit": git_commit(),
        "stance_binary": str(stance),
        "stance_binary_mtime_utc": mtime.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "stance_version": run_text([str(stance), "--version"]),
        "command": shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv])),
    }


# --------------------------------------------------------------------------- report


def compare(sk: dict, st_rows: list[dict]) -> tuple[list[dict], list[str]]:
    """Table rows and warnings."""
    st = {(r["stage"], int(r["threads"])): r for r in st_rows}
    rows, warnings = [], []
    for stage in STAGES:
        one = st.get((stage, 1))
        for threads in THREADS:
            r = st.get((stage, threads))
            row = {"stage": stage, "threads": threads, "sklearn_mb_per_s": sk[stage]["mb_per_s"],
                   "stance_mb_per_s": None, "ratio": None}
            if r is None:
                warnings.append(f"stance bench printed no result for {stage} at {threads} thread(s)")
            else:
                row["stance_mb_per_s"] = r["mb_per_s"]
                row["ratio"] = r["mb_per_s"] / sk[stage]["mb_per_s"]
            if threads == 1:
                row["target"] = f">={TARGET_RATIO[stage]:g}x stance/scikit-learn"
                row["met"] = row["ratio"] is not None and row["ratio"] >= TARGET_RATIO[stage]
            else:
                row["speedup_vs_1_thread"] = (r["mb_per_s"] / one["mb_per_s"]) if (r and one) else None
                row["target"] = f">={TARGET_SPEEDUP:g}x speed-up over 1 thread"
                row["met"] = row["speedup_vs_1_thread"] is not None and row["speedup_vs_1_thread"] >= TARGET_SPEEDUP
            rows.append(row)
    return rows, warnings


def check_counts(docs: list[str], nbytes: int, sk: dict, st_rows: list[dict]) -> list[str]:
    """Token, document and byte counts must agree between the two sides."""
    warnings = []
    sk_tokens = sk["tokenize"]["tokens"]
    for r in st_rows:
        where = f"stance {r['stage']} threads={r['threads']}"
        if r.get("tokens") is not None and r["tokens"] != sk_tokens:
            warnings.append(
                f"token count differs: {where} reports {r['tokens']} tokens, scikit-learn's analyzer "
                f"gives {sk_tokens} ({r['tokens'] - sk_tokens:+d}); the tokenization is meant to be identical")
        if r.get("docs") is not None and r["docs"] != len(docs):
            warnings.append(f"document count differs: {where} reports {r['docs']}, the csv module reads {len(docs)}")
        if r.get("bytes") is not None and r["bytes"] != nbytes:
            warnings.append(f"byte count differs: {where} reports {r['bytes']}, Python counts {nbytes} "
                            "UTF-8 bytes (MB/s are computed from each side's own count)")
    # One message per distinct problem (the same count appears in every row).
    seen, out = set(), []
    for w in warnings:
        key = w.split(":")[0] + w.split("reports")[-1]
        if key not in seen:
            seen.add(key)
            out.append(w)
    return out


def fmt(x: float | None, spec: str) -> str:
    return "n/a" if x is None else format(x, spec)


def print_markdown(corpus_info: dict, rows: list[dict], mem: dict, details: dict, warnings: list[str]) -> None:
    print(f"## stance bench vs scikit-learn {details['sklearn']}\n")
    print(f"Corpus: `{corpus_info['path']}` column `{corpus_info['column']}`: "
          f"{corpus_info['docs']} documents, {corpus_info['bytes'] / 1e6:.2f} MB (UTF-8), "
          f"{corpus_info['tokens']} tokens (scikit-learn's analyzer).")
    print("scikit-learn runs in a single process: its vectorizers are single-threaded, so the same "
          "scikit-learn figure is the baseline of both thread counts. Best of >= 3 runs per stage, "
          f">= {corpus_info['min_seconds']:g} s per stage on each side. MB/s = UTF-8 bytes / 1e6 / s.\n")
    print("| stage | threads | scikit-learn MB/s | stance MB/s | ratio (stance / scikit-learn single-process) | target |")
    print("|---|---:|---:|---:|---:|---|")
    for r in rows:
        mark = "met" if r["met"] else "NOT met"
        if r["threads"] == 1:
            target = f"≥{TARGET_RATIO[r['stage']]:g}x: {mark}"
        else:
            target = (f"2T/1T speed-up {fmt(r['speedup_vs_1_thread'], '.2f')}x, "
                      f"target ≥{TARGET_SPEEDUP:g}x: {mark}")
        print(f"| {r['stage']} | {r['threads']} | {r['sklearn_mb_per_s']:.2f} | "
              f"{fmt(r['stance_mb_per_s'], '.1f')} | {fmt(r['ratio'], '.1f')}x | {target} |")
    print()
    if warnings:
        for w in warnings:
            print(f"**Warning:** {w}")
        print()
    py, st = mem["python"], mem["stance"]
    print("Peak memory of a unigram TF-IDF fit_transform (fresh processes; MB = 1e6 bytes):\n")
    print(f"- scikit-learn: peak RSS {py['peak_mb']:.1f} MB; {py['baseline_mb']:.1f} MB after importing "
          f"sklearn and reading the corpus, so the fit_transform adds {py['increase_mb']:.1f} MB "
          f"(matrix {py['shape'][0]}x{py['shape'][1]}, nnz {py['nnz']}).")
    print(f"- stance: peak RSS {st['peak_mb']:.1f} MB for the whole `stance vectorize --threads 1` run "
          f"(reading, vectorizing and writing {st['output_mb']:.1f} MB of output; measured with {st['method']}).")
    print()
    print("Run details:\n")
    print(f"- date: {details['date_utc']}")
    print(f"- machine: {details['machine']}, nproc {details['nproc']}, CPU {details['cpu_model']}")
    print(f"- python {details['python']}, scikit-learn {details['sklearn']}, numpy {details['numpy']}, "
          f"scipy {details['scipy']}")
    print(f"- stance commit: {details['stance_commit']} (binary `{details['stance_binary']}`, "
          f"built {details['stance_binary_mtime_utc']}, `{details['stance_version']}`)")
    oc = details["other_processes_cores"]
    print(f"- CPU used by other processes during the run: "
          f"{'unknown' if oc is None else format(oc, '.2f') + ' cores on average'}")
    print(f"- command: `{details['command']}`")


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(
        description="Benchmark scikit-learn and `stance bench` side by side on one corpus.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--corpus", type=Path, default=None,
                    help=f"CSV corpus (default: {DEFAULT_CORPUS})")
    ap.add_argument("--csv-column", default=DEFAULT_COLUMN,
                    help=f"the CSV column holding the documents (default: {DEFAULT_COLUMN})")
    ap.add_argument("--stance", type=Path, default=None,
                    help=f"the stance binary (default: {DEFAULT_STANCE}, built if missing)")
    ap.add_argument("--min-seconds", type=float, default=1.0,
                    help="minimum total time per stage on each side (default: 1.0); at least 3 runs")
    ap.add_argument("--json", action="store_true", help="print the raw numbers as JSON instead of markdown")
    args = ap.parse_args()
    if args.min_seconds < 0:
        die("--min-seconds must not be negative")

    corpus = (args.corpus or DEFAULT_CORPUS).resolve()
    if not corpus.is_file():
        hint = "" if args.corpus else " (the shared datasets are expected next to the repository; pass --corpus PATH)"
        die(f"corpus not found: {corpus}{hint}")
    stance = ensure_stance((args.stance or DEFAULT_STANCE).resolve(), args.stance is not None)

    log(f"reading {corpus} column {args.csv_column!r} ...")
    docs = read_corpus(corpus, args.csv_column)
    if not docs:
        die(f"{corpus}: no documents")
    nbytes = utf8_bytes(docs)
    log(f"  {len(docs)} documents, {nbytes / 1e6:.2f} MB")

    load = OtherLoad()
    # Memory before the benchmarks, while this process is still small: on Linux a child's
    # ru_maxrss starts from its parent's resident size at fork (exec keeps the
    # high-water mark of the pre-exec image), so measuring after the
    # benchmarks would report this process's footprint instead.
    log("peak memory (fresh subprocesses) ...")
    mem = {"python": memory_python(corpus, args.csv_column),
           "stance": memory_stance(stance, corpus, args.csv_column)}
    log(f"  scikit-learn {mem['python']['peak_mb']:.1f} MB (+{mem['python']['increase_mb']:.1f} MB in the fit), "
        f"stance {mem['stance']['peak_mb']:.1f} MB")

    log("stance bench ...")
    st_rows = bench_stance(stance, corpus, args.csv_column, args.min_seconds)
    log("scikit-learn (single process, single-threaded) ...")
    sk = bench_sklearn(docs, nbytes, args.min_seconds)

    other_cores = load.cores()
    rows, warnings = compare(sk, st_rows)
    if other_cores is not None and other_cores > 0.2:
        warnings.append(f"other processes kept {other_cores:.2f} of {os.cpu_count()} cores busy on average "
                        "during this run: the figures (the 2-thread ones most) are not reliable")
    warnings += check_counts(docs, nbytes, sk, st_rows)
    py_hwm = mem["python"]["vmhwm_mb"]
    if py_hwm is not None and mem["python"]["peak_mb"] > 1.05 * py_hwm:
        warnings.append(f"scikit-learn's ru_maxrss ({mem['python']['peak_mb']:.1f} MB) exceeds its VmHWM "
                        f"({py_hwm:.1f} MB): the peak was probably inherited from this process")
    for w in warnings:
        log(f"WARNING: {w}")
    details = run_details(stance)
    details["other_processes_cores"] = other_cores
    stale = newer_sources(stance)
    if stale:
        shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
        warnings.append(f"the stance binary is older than {len(stale)} workspace source file(s) ({shown}): "
                        "it may not match the commit reported; rebuild with `cargo build --release -p stance-cli`")
        log(f"WARNING: {warnings[-1]}")
    corpus_info = {"path": str(corpus), "column": args.csv_column, "docs": len(docs), "bytes": nbytes,
                   "tokens": sk["tokenize"]["tokens"], "min_seconds": args.min_seconds}

    if args.json:
        json.dump({"details": details, "corpus": corpus_info, "sklearn": sk, "stance": st_rows,
                   "comparison": rows, "memory": mem, "warnings": warnings,
                   "targets": {"ratio_at_1_thread": TARGET_RATIO, "speedup_2_over_1_thread": TARGET_SPEEDUP}},
                  sys.stdout, indent=2)
        print()
    else:
        print_markdown(corpus_info, rows, mem, details, warnings)


if __name__ == "__main__":
    main()
