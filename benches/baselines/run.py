#!/usr/bin/env python3
"""Published baselines, reproduced: stance and scikit-learn on the same features and folds.

For every dataset of EVALUATION.md this script

1. imports the public files with `stance import` (into a temporary directory);
2. runs stance with the committed configuration `benches/baselines/<dataset>.toml`:
   `stance cv --folds-out` for the cross-validated rows, `stance train` then `stance eval`
   for the train -> dev rows;
3. rebuilds the very same features in scikit-learn from the configuration stance actually
   used (read back from `cv --metrics-out` or from the model's manifest): one
   `TfidfVectorizer` per template block, the template's extra features computed as the
   template computes them, and the same classifier (`LogisticRegression` with the same C,
   class weights, iteration limit and tolerance; `MultinomialNB` / `ComplementNB`; NB-LR written
   here with numpy), evaluated on the SAME folds (read from `--folds-out`) or the same split;
4. times both sides in the same run (wall-clock seconds: stance's whole command, reading
   the examples included; scikit-learn's whole pipeline, reading the examples included);
5. writes a results JSON and prints a markdown table.

Usage (from anywhere; paths resolve from this file's location):

    python3 benches/baselines/run.py                 # every dataset
    python3 benches/baselines/run.py --only mr       # one dataset (repeatable)
    python3 benches/baselines/run.py --quick         # smoke run: a subsample, fewer folds
    python3 benches/baselines/run.py --json-out results.json --stance target/release/stance

A dataset whose files are absent under `--datasets` (default `<repo>/../shared/datasets`)
is skipped with a message. Requirements: benches/baselines/requirements.txt (configurations
are read back from stance's own JSON output, so no TOML parser is needed). `--table RESULTS.json`
re-prints the table of an earlier run. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
DEFAULT_DATASETS = REPO_ROOT.parent / "shared" / "datasets"
DEFAULT_STANCE = REPO_ROOT / "target" / "release" / "stance"

# scikit-learn's TfidfVectorizer default token_pattern (stance's `default` token rule).
SKLEARN_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
# The pair-similarity thresholds of stance-infer's `sim:` block (template/extras.rs).
SIM_THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.5)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class Unsupported(Exception):
    """A configuration this script cannot rebuild in scikit-learn."""


# --------------------------------------------------------------------------- datasets


@dataclass
class Published:
    """A published number this row is compared with."""

    system: str
    score: float
    where: str
    linear: bool = True  # a linear / bag-of-words baseline we aim to beat
    same_protocol: bool = True  # measured on the protocol of this row (else: on a test set we lack)


@dataclass
class Dataset:
    name: str
    task: str
    protocol: str
    metric: str  # accuracy | macro_f1 | f_avg | fnc_score
    fmt: str  # stance import format
    train: list[str]  # files under the datasets directory
    folds: int = 0  # > 0: cross-validation
    dev: dict[str, list[str]] = field(default_factory=dict)  # name -> files (train -> dev rows)
    published: list[Published] = field(default_factory=list)
    note: str = ""


DATASETS = [
    Dataset(
        name="mr",
        task="document",
        protocol="10-fold CV (stratified), accuracy",
        metric="accuracy",
        fmt="mr",
        train=["mr_sentence_polarity/rt-polarity.pos", "mr_sentence_polarity/rt-polarity.neg"],
        folds=10,
        published=[
            Published("NBSVM-bi (Wang & Manning 2012)", 79.4, "mr_sentence_polarity/SOURCE.md"),
            Published("MNB-bi (Wang & Manning 2012)", 79.0, "mr_sentence_polarity/SOURCE.md"),
        ],
    ),
    Dataset(
        name="subj",
        task="document",
        protocol="10-fold CV (stratified), accuracy",
        metric="accuracy",
        fmt="subj",
        train=["subjectivity/quote.tok.gt9.5000", "subjectivity/plot.tok.gt9.5000"],
        folds=10,
        published=[
            Published("MNB (Wang & Manning 2012)", 93.6, "subjectivity/SOURCE.md"),
            Published("NBSVM-bi (Wang & Manning 2012)", 93.2, "subjectivity/SOURCE.md"),
        ],
    ),
    Dataset(
        name="semeval2016",
        task="target",
        protocol="5-fold CV (stratified) on train (trial + training, 2,914 tweets), F_avg",
        metric="f_avg",
        fmt="semeval2016",
        train=[
            "semeval2016_task6/trialdata-all-annotations.txt",
            "semeval2016_task6/trainingdata-all-annotations.txt",
        ],
        folds=5,
        published=[
            Published(
                "SVM-ngrams (organisers)", 68.98, "semeval2016_task6/SOURCE.md", same_protocol=False
            ),
            Published("MITRE (best team)", 67.82, "semeval2016_task6/SOURCE.md", linear=False,
                      same_protocol=False),
        ],
        note="published numbers are on the 1,249-tweet test set, which is not provided",
    ),
    Dataset(
        name="fnc1",
        task="pair",
        protocol="5-fold CV grouped by body, FNC-1 weighted score",
        metric="fnc_score",
        fmt="fnc1",
        train=["fnc1/train_stances.csv", "fnc1/train_bodies.csv"],
        folds=5,
        published=[
            Published("UCL Machine Reading (TF-IDF + MLP), 3rd", 81.72, "fnc1/SOURCE.md",
                      linear=False, same_protocol=False),
            Published("SOLAT in the SWEN, 1st", 82.02, "fnc1/SOURCE.md", linear=False,
                      same_protocol=False),
            Published("organisers' baseline (GBDT), 10-fold CV on train", 79.53, "fnc1/SOURCE.md",
                      linear=False),
        ],
        note="82.02 / 81.72 are competition-test scores (test set not provided)",
    ),
    Dataset(
        name="newsmtsc",
        task="target",
        protocol="train -> dev (the authors' 30% dev parts), macro-F1",
        metric="macro_f1",
        fmt="newsmtsc",
        train=["newsmtsc/train.jsonl"],
        dev={"rw": ["newsmtsc/newsmtsc-rw/dev.jsonl"], "mt": ["newsmtsc/newsmtsc-mt/dev.jsonl"]},
        published=[
            Published("RoBERTa GRU-TSC (test-rw / test-mt)", 83.1, "newsmtsc/SOURCE.md",
                      linear=False, same_protocol=False),
        ],
        note="no linear baseline is published; the paper's numbers are fine-tuned transformers "
        "on the 70% test parts, which are not provided",
    ),
    Dataset(
        name="emergent",
        task="pair",
        protocol="10-fold CV grouped by claim, accuracy",
        metric="accuracy",
        fmt="emergent",
        train=["emergent/url-versions-2015-06-14-clean-train.reconstructed.csv"],
        folds=10,
        published=[
            Published("Ferreira & Vlachos 2016 (logistic regression, rich features)", 73.0,
                      "emergent/SOURCE.md", same_protocol=False),
        ],
        note="73% is on the 524-headline test set, which is not provided",
    ),
    Dataset(
        name="sst2",
        task="document",
        protocol="sentences train -> dev (872), accuracy",
        metric="accuracy",
        fmt="sst",
        train=["sst2/stsa.binary.train"],
        dev={"dev": ["sst2/stsa.binary.dev"]},
        published=[],
        note="published numbers (Kim 2014) are on the 1,821-sentence test set, not provided; "
        "SOURCE.md lists no verified linear baseline",
    ),
]
BY_NAME = {d.name: d for d in DATASETS}


# --------------------------------------------------------------------------- helpers


# What stance prints on stderr when a logistic regression stops before its gradient tolerance
# (crates/stance-train/src/logreg.rs; once per process).
STANCE_NOT_CONVERGED = ("logreg did not converge", "logreg stopped after")


def run_stderr(cmd: list[str], env: dict | None = None) -> tuple[float, str]:
    """Runs `cmd`, fails loudly on a non-zero exit; returns its wall-clock seconds and stderr."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(
            f"command failed (exit {proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}"
        )
    return dt, proc.stderr


def run(cmd: list[str], env: dict | None = None) -> float:
    """Runs `cmd`, fails loudly on a non-zero exit; returns its wall-clock seconds."""
    return run_stderr(cmd, env)[0]


def stance_converged(stderr: str) -> bool:
    """Whether stance's logistic regressions all reached their tolerance (no warning printed)."""
    return not any(m in stderr for m in STANCE_NOT_CONVERGED)


def max_iter_sets(args, config_path: Path) -> list[str]:
    """`--set` overriding the logistic regression's iteration limit of the configuration at
    `config_path` with `--max-iter` (scikit-learn reads the limit back from stance's config)."""
    if not args.max_iter:
        return []
    import tomllib

    kind = tomllib.loads(config_path.read_text(encoding="utf-8"))["classifier"]["type"]
    if kind == "logreg":
        return ["--set", f"classifier.max_iter={args.max_iter}"]
    if kind == "nbsvm":
        return ["--set", f"classifier.logreg.max_iter={args.max_iter}"]
    return []


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def subsample(src: Path, dst: Path, n: int, seed: int = 0) -> None:
    """The first lines of a shuffled copy of `src` (for --quick), keeping whole groups."""
    rows = read_jsonl(src)
    groups: dict[str, list[dict]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(str(r.get("group", i)), []).append(r)
    keys = list(groups)
    random.Random(seed).shuffle(keys)
    out: list[dict] = []
    for k in keys:
        if len(out) >= n:
            break
        out.extend(groups[k])
    with open(dst, "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- features


def source_texts(rows: list[dict], source: str) -> list[str]:
    key = {"text": "text", "target": "target", "text_a": "text_a", "text_b": "text_b"}.get(source)
    if key is None:
        raise Unsupported(f"block source {source!r} (mention sources are not rebuilt here)")
    return [r[key] for r in rows]


def doc_frequency(v):
    # stance serializes a count as an integer and a fraction as a float, scikit-learn's rule.
    return v


def sklearn_vectorizer(params: dict):
    """A TfidfVectorizer with the parameters of a stance `TfidfParams` (as JSON)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    count = params["count"]
    analyzer = count["analyzer"]
    kind = analyzer["type"]
    pre = analyzer.get("preprocess", {})
    if pre.get("normalization", {"type": "none"})["type"] != "none":
        raise Unsupported("Unicode normalization (scikit-learn has none)")
    strip = pre.get("strip_accents", {"type": "none"})["type"]
    kwargs = dict(
        lowercase=pre.get("lowercase", True),
        strip_accents=None if strip == "none" else strip,
        ngram_range=tuple(analyzer["ngram_range"]),
        min_df=doc_frequency(count["min_df"]),
        max_df=doc_frequency(count["max_df"]),
        max_features=count.get("max_features"),
        vocabulary=count.get("vocabulary"),
        binary=count["binary"],
        norm=None if params["norm"] == "none" else params["norm"],
        use_idf=params["use_idf"],
        smooth_idf=params["smooth_idf"],
        sublinear_tf=params["sublinear_tf"],
        dtype=__import__("numpy").float64,
    )
    if kind == "word":
        token = analyzer.get("token_pattern", {"type": "default"})
        if token["type"] == "default":
            kwargs["token_pattern"] = SKLEARN_TOKEN_PATTERN
        else:
            # Rust regex syntax; the patterns used here (\S+ and the like) mean the same in Python.
            kwargs["token_pattern"] = token["pattern"]
        stop = analyzer.get("stop_words", {"type": "none"})
        if stop["type"] == "builtin":
            if stop["language"] != "english":
                raise Unsupported(f"built-in stop words for {stop['language']}")
            kwargs["stop_words"] = "english"
        elif stop["type"] == "list":
            kwargs["stop_words"] = list(stop["words"])
        if analyzer.get("stemmer", {"type": "none"})["type"] != "none":
            raise Unsupported("stemming (scikit-learn's analyzer has none)")
        kwargs["analyzer"] = "word"
    elif kind in ("char", "char_wb"):
        kwargs["analyzer"] = kind
    else:
        raise Unsupported(f"analyzer {kind!r}")
    return TfidfVectorizer(**kwargs)


class Features:
    """A stance template rebuilt with scikit-learn: fit on training rows, transform any rows."""

    def __init__(self, template: dict):
        self.template = template
        self.blocks = []
        self.extras = []
        for e in template.get("extras", []):
            if e["type"] not in ("pair_similarity", "target_markers", "by_target", "pair_cues"):
                raise Unsupported(f"extra block {e['type']!r}")

    def fit(self, rows: list[dict]) -> "Features":
        self.blocks = []
        for b in self.template["blocks"]:
            v = sklearn_vectorizer(b["vectorizer"])
            v.fit(source_texts(rows, b["source"]))
            self.blocks.append((b["source"], v))
        self.extras = []
        for e in self.template.get("extras", []):
            if e["type"] == "pair_similarity":
                v = sklearn_vectorizer(e["vectorizer"])
                v.fit(source_texts(rows, "text_a") + source_texts(rows, "text_b"))
                self.extras.append(("pair_similarity", v))
            elif e["type"] == "by_target":
                self.extras.append(("by_target", ByTarget(e["vectorizer"]).fit(rows)))
            elif e["type"] == "pair_cues":
                self.extras.append(("pair_cues", PairCues(e)))
            else:
                self.extras.append(("target_markers", None))
        return self

    def transform(self, rows: list[dict]):
        import scipy.sparse as sp

        parts = [v.transform(source_texts(rows, s)) for s, v in self.blocks]
        for kind, v in self.extras:
            if kind == "pair_similarity":
                parts.append(pair_similarity(v, rows))
            elif kind in ("by_target", "pair_cues"):
                parts.append(v.transform(rows))
            else:
                parts.append(target_markers(rows))
        return sp.hstack(parts, format="csr", dtype="float64")


def pair_similarity(v, rows: list[dict]):
    """stance's `sim:` columns: cosine, overlap, cosine >= t..., overlap >= t..."""
    import numpy as np
    import scipy.sparse as sp

    a = v.transform(source_texts(rows, "text_a")).tocsr()
    b = v.transform(source_texts(rows, "text_b")).tocsr()
    dot = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    na = np.sqrt(np.asarray(a.multiply(a).sum(axis=1)).ravel())
    nb = np.sqrt(np.asarray(b.multiply(b).sum(axis=1)).ravel())
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.where((na > 0) & (nb > 0), dot / (na * nb), 0.0)
    a1 = a.copy()
    a1.data[:] = 1.0
    b1 = b.copy()
    b1.data[:] = 1.0
    shared = np.asarray(a1.multiply(b1).sum(axis=1)).ravel()
    union = np.diff(a.indptr) + np.diff(b.indptr) - shared
    with np.errstate(divide="ignore", invalid="ignore"):
        overlap = np.where(union > 0, shared / union, 0.0)
    # stance keeps these in f32 and compares them with f32 thresholds.
    cosine = cosine.astype(np.float32)
    overlap = overlap.astype(np.float32)
    cols = [cosine, overlap]
    cols += [(cosine >= np.float32(t)).astype(np.float32) for t in SIM_THRESHOLDS]
    cols += [(overlap >= np.float32(t)).astype(np.float32) for t in SIM_THRESHOLDS]
    return sp.csr_matrix(np.column_stack(cols).astype(np.float64))


def target_key(target: str) -> str:
    """stance-infer's `target_key`: whitespace runs made one space, trimmed, lowercased."""
    return " ".join(target.split()).lower()


class ByTarget:
    """stance's `by_target` block: one vectorizer per training target, columns side by side;
    a row fills only its own target's columns (none for a target unseen in training)."""

    def __init__(self, params: dict):
        self.params = params
        self.vectorizers = {}  # key -> (first column, vectorizer)
        self.width = 0

    def fit(self, rows: list[dict]) -> "ByTarget":
        keys = sorted({target_key(r["target"]) for r in rows})
        for key in keys:
            texts = [r["text"] for r in rows if target_key(r["target"]) == key]
            v = sklearn_vectorizer(self.params)
            try:
                v.fit(texts)
            except ValueError:  # empty vocabulary or min_df above the document count
                continue
            self.vectorizers[key] = (self.width, v)
            self.width += len(v.vocabulary_)
        return self

    def transform(self, rows: list[dict]):
        import scipy.sparse as sp

        out = sp.lil_matrix((len(rows), self.width))
        for key, (offset, v) in self.vectorizers.items():
            members = [i for i, r in enumerate(rows) if target_key(r["target"]) == key]
            if not members:
                continue
            m = v.transform([rows[i]["text"] for i in members]).tocsr()
            for local, i in enumerate(members):
                row = m.getrow(local)
                for c, value in zip(row.indices, row.data):
                    out[i, offset + c] = value
        return out.tocsr()


class PairCues:
    """stance's `pair_cues` block (template/cues.rs): per class `<class>` and `<class>@lead`,
    then question, question_end, negation@a, negation@b, negation@b_only; words lowercased and
    matched exactly."""

    TOKEN = r"\b\w+(?:'t)?\b"

    def __init__(self, params: dict):
        self.classes = sorted(params["classes"])
        self.words = {}
        for c, name in enumerate(self.classes):
            for w in params["classes"][name]:
                self.words.setdefault(self.tokens(w)[0], set()).add(c)
        self.negators = {self.tokens(w)[0] for w in params["negators"]}
        self.lead = params["lead"]

    def tokens(self, text: str) -> list[str]:
        import re

        return re.findall(self.TOKEN, text.replace("\u2019", "'").lower())

    def transform(self, rows: list[dict]):
        import numpy as np
        import scipy.sparse as sp

        fixed = 2 * len(self.classes)
        out = np.zeros((len(rows), fixed + 5))
        for i, r in enumerate(rows):
            a, b = r["text_a"], r["text_b"]
            words_b = self.tokens(b)
            for k, w in enumerate(words_b):
                for c in self.words.get(w, ()):
                    out[i, 2 * c] = 1.0
                    if k < self.lead:
                        out[i, 2 * c + 1] = 1.0
            if "?" in b:
                out[i, fixed] = 1.0
            if b.rstrip().endswith("?"):
                out[i, fixed + 1] = 1.0
            neg_a = any(w in self.negators for w in self.tokens(a))
            neg_b = any(w in self.negators for w in words_b)
            out[i, fixed + 2] = float(neg_a)
            out[i, fixed + 3] = float(neg_b)
            out[i, fixed + 4] = float(neg_b and not neg_a)
        return sp.csr_matrix(out)


def target_markers(rows: list[dict]):
    """stance's `tgt:` columns: in_text, not_in_text, span_given."""
    import numpy as np
    import scipy.sparse as sp

    out = np.zeros((len(rows), 3))
    for i, r in enumerate(rows):
        target = r["target"].strip()
        found = bool(target) and target.lower() in r["text"].lower()
        out[i, 0 if found else 1] = 1.0
        if r.get("target_span") is not None:
            out[i, 2] = 1.0
    return sp.csr_matrix(out)


# --------------------------------------------------------------------------- classifiers


def class_weight(cw):
    if cw == "none":
        return None
    if cw == "balanced":
        return "balanced"
    raise Unsupported(f"class_weight {cw!r}")


def logistic(p: dict):
    from sklearn.linear_model import LogisticRegression

    if not p.get("fit_intercept", True):
        raise Unsupported("fit_intercept = false")
    return LogisticRegression(
        C=p["c"], class_weight=class_weight(p["class_weight"]), max_iter=p["max_iter"],
        tol=p["tol"], solver="lbfgs",
    )


class NbLr:
    """NB-LR (Wang & Manning 2012) as stance's `nbsvm` defines it: per class (one against the
    rest; for two classes, class 1 against class 0) the smoothed log-count ratio r scales the
    features, a binary logistic regression is fitted on them, and the class with the largest
    score wins."""

    def __init__(self, p: dict):
        self.alpha = p["alpha"]
        self.lr = p["logreg"]

    def fit(self, x, y):
        import numpy as np

        self.classes_ = np.unique(y)
        k = len(self.classes_)
        targets = [self.classes_[1]] if k == 2 else list(self.classes_)
        self.models = []
        for c in targets:
            pos = np.asarray(x[y == c].sum(axis=0)).ravel() + self.alpha
            neg = np.asarray(x[y != c].sum(axis=0)).ravel() + self.alpha
            r = np.log(pos / pos.sum()) - np.log(neg / neg.sum())
            m = logistic(self.lr).fit(x.multiply(r).tocsr(), (y == c).astype(int))
            self.models.append((r, m))
        return self

    def predict(self, x):
        import numpy as np

        scores = np.column_stack(
            [m.decision_function(x.multiply(r).tocsr()) for r, m in self.models]
        )
        if len(self.classes_) == 2:
            return self.classes_[(scores[:, 0] > 0).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]


class FitLog:
    """Whether scikit-learn's logistic regressions converged: `ConvergenceWarning`s raised
    and the most L-BFGS iterations any fit used."""

    def __init__(self):
        self.fits = 0
        self.warnings = 0
        self.n_iter = 0

    def fit(self, model, x, y):
        import warnings

        from sklearn.exceptions import ConvergenceWarning

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            model.fit(x, y)
        self.warnings += sum(issubclass(w.category, ConvergenceWarning) for w in caught)
        for m in [m for _, m in getattr(model, "models", [])] or [model]:
            if hasattr(m, "n_iter_"):
                self.fits += 1
                self.n_iter = max(self.n_iter, int(max(m.n_iter_)))
        return model

    def to_json(self) -> dict | None:
        if not self.fits:
            return None
        return {"fits": self.fits, "not_converged": self.warnings, "max_n_iter": self.n_iter}


def classifier(params: dict):
    from sklearn.naive_bayes import ComplementNB, MultinomialNB

    kind = params["type"]
    if kind == "logreg":
        return logistic(params)
    if kind == "nb":
        if params["kind"] == "multinomial":
            return MultinomialNB(alpha=params["alpha"])
        return ComplementNB(alpha=params["alpha"])
    if kind == "nbsvm":
        return NbLr(params)
    raise Unsupported(f"classifier {kind!r}")


# --------------------------------------------------------------------------- metrics


def scores(gold: list[str], pred: list[str]) -> dict:
    """accuracy, macro F1, F_avg (SemEval) and the FNC-1 score, as stance reports them (%)."""
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(gold))
    out = {
        "accuracy": 100 * accuracy_score(gold, pred),
        "macro_f1": 100 * f1_score(gold, pred, labels=labels, average="macro", zero_division=0),
    }
    if {"FAVOR", "AGAINST"} <= set(labels):
        f = f1_score(gold, pred, labels=["FAVOR", "AGAINST"], average=None, zero_division=0)
        out["f_avg"] = 100 * (f[0] + f[1]) / 2
    if set(labels) == {"agree", "disagree", "discuss", "unrelated"}:
        score = best = 0.0
        for g, p in zip(gold, pred):
            if g == p:
                score += 0.25 if g == "unrelated" else 1.0
            elif g != "unrelated" and p != "unrelated":
                score += 0.25
            best += 0.25 if g == "unrelated" else 1.0
        out["fnc_score"] = 100 * score / best
    return {k: float(v) for k, v in out.items()}


def stance_scores(report: dict) -> dict:
    out = {
        "accuracy": 100 * report["accuracy"],
        "macro_f1": 100 * report["macro avg"]["f1-score"],
    }
    if "f_avg" in report:
        out["f_avg"] = 100 * report["f_avg"]
    if "fnc_score" in report:
        out["fnc_score"] = report["fnc_score"]  # already a percentage
    return out


# --------------------------------------------------------------------------- one dataset


def sklearn_cv(rows: list[dict], folds: list[int], config: dict, log_: FitLog):
    import numpy as np

    t0 = time.perf_counter()
    k = max(folds) + 1
    y = np.array([r["label"] for r in rows])
    pred = np.empty(len(rows), dtype=object)
    fold_arr = np.array(folds)
    for f in range(k):
        tr = np.flatnonzero(fold_arr != f)
        te = np.flatnonzero(fold_arr == f)
        train_rows = [rows[i] for i in tr]
        test_rows = [rows[i] for i in te]
        feats = Features(config["template"]).fit(train_rows)
        model = log_.fit(classifier(config["classifier"]), feats.transform(train_rows), y[tr])
        pred[te] = model.predict(feats.transform(test_rows))
    dt = time.perf_counter() - t0
    return scores(list(y), list(pred)), dt


def sklearn_split(train: list[dict], devs: dict[str, list[dict]], config: dict, log_: FitLog):
    import numpy as np

    t0 = time.perf_counter()
    feats = Features(config["template"]).fit(train)
    y = np.array([r["label"] for r in train])
    model = log_.fit(classifier(config["classifier"]), feats.transform(train), y)
    fit_s = time.perf_counter() - t0
    out = {}
    for name, rows in devs.items():
        t1 = time.perf_counter()
        pred = model.predict(feats.transform(rows))
        out[name] = (scores([r["label"] for r in rows], list(pred)), fit_s + time.perf_counter() - t1)
    return out


def run_dataset(d: Dataset, args, work: Path) -> list[dict]:
    base = Path(args.datasets)
    missing = [f for f in d.train + [f for fs in d.dev.values() for f in fs] if not (base / f).exists()]
    if missing:
        log(f"[{d.name}] SKIPPED: missing {', '.join(str(base / f) for f in missing)}")
        return [{"dataset": d.name, "skipped": f"missing files: {', '.join(missing)}"}]
    config_path = HERE / f"{d.name}.toml"
    if not config_path.exists():
        log(f"[{d.name}] SKIPPED: no configuration {config_path}")
        return [{"dataset": d.name, "skipped": f"no configuration {config_path.name}"}]
    stance = str(args.stance)
    env = dict(os.environ)
    if args.stance_threads:
        env["RAYON_NUM_THREADS"] = str(args.stance_threads)
    wd = work / d.name
    wd.mkdir(parents=True, exist_ok=True)

    log(f"[{d.name}] importing")
    train = wd / "train.jsonl"
    run([stance, "import", d.fmt, *[str(base / f) for f in d.train], "-o", str(train)])
    if args.quick:
        small = wd / "train.small.jsonl"
        subsample(train, small, args.quick_rows)
        train = small
    folds = min(d.folds, 3) if args.quick and d.folds else d.folds
    rows = read_jsonl(train)
    results = []
    if folds:
        metrics, folds_out = wd / "stance-cv.json", wd / "folds.jsonl"
        log(f"[{d.name}] stance cv ({folds} folds, {len(rows)} examples)")
        st_s, st_err = run_stderr(
            [stance, "cv", "--task", d.task, "--data", str(train), "--folds", str(folds),
             "--config", str(config_path), *max_iter_sets(args, config_path),
             "--metrics-out", str(metrics), "--folds-out", str(folds_out)],
            env=env,
        )
        m = json.loads(metrics.read_text(encoding="utf-8"))
        config = m["config"]
        st = stance_scores(m["pooled"])
        fold_rows = read_jsonl(folds_out)
        assert [f["id"] for f in fold_rows] == [r["id"] for r in rows], "folds in input order"
        log(f"[{d.name}] scikit-learn on the same folds")
        fit_log = FitLog()
        try:
            sk, sk_s = sklearn_cv(rows, [f["fold"] for f in fold_rows], config, fit_log)
        except Unsupported as e:
            sk, sk_s = None, None
            log(f"[{d.name}] scikit-learn side not built: {e}")
        r = row(d, d.name, st, st_s, sk, sk_s, config, len(rows), folds)
        results.append(with_convergence(r, config, st_err, fit_log))
    else:
        model = wd / "model.stance"
        log(f"[{d.name}] stance train ({len(rows)} examples)")
        train_s, st_err = run_stderr(
            [stance, "train", "--task", d.task, "--data", str(train), "--config",
             str(config_path), *max_iter_sets(args, config_path), "-o", str(model)],
            env=env,
        )
        manifest = json.loads(
            subprocess.run([stance, "inspect", "--json", "--top", "0", str(model)],
                           check=True, stdout=subprocess.PIPE, text=True).stdout
        )
        config = manifest["manifest"]["parameters"]
        devs = {}
        for name, files in d.dev.items():
            dev = wd / f"dev-{name}.jsonl"
            run([stance, "import", d.fmt, *[str(base / f) for f in files], "-o", str(dev)])
            devs[name] = dev
        st_all = {}
        for name, dev in devs.items():
            metrics = wd / f"stance-eval-{name}.json"
            eval_s = run([stance, "eval", "--model", str(model), "--data", str(dev),
                          "--metrics-out", str(metrics)], env=env)
            st_all[name] = (stance_scores(json.loads(metrics.read_text(encoding="utf-8"))),
                            train_s + eval_s)
        log(f"[{d.name}] scikit-learn on the same split")
        fit_log = FitLog()
        try:
            sk_all = sklearn_split(rows, {n: read_jsonl(p) for n, p in devs.items()}, config,
                                   fit_log)
        except Unsupported as e:
            sk_all = {}
            log(f"[{d.name}] scikit-learn side not built: {e}")
        for name in devs:
            st, st_s = st_all[name]
            sk, sk_s = sk_all.get(name, (None, None))
            label = d.name if len(devs) == 1 else f"{d.name}-{name}"
            r = row(d, label, st, st_s, sk, sk_s, config, len(rows), 0)
            results.append(with_convergence(r, config, st_err, fit_log))
    for r in results:
        log(f"[{r['dataset']}] stance {r['stance']:.2f} ({r['stance_seconds']:.1f} s), "
            f"scikit-learn {r['sklearn'] if r['sklearn'] is None else round(r['sklearn'], 2)}")
    return results


def with_convergence(r: dict, config: dict, stance_stderr: str, fit_log: FitLog) -> dict:
    """`r` with `convergence`: the iteration limit, and whether every logistic regression of
    each side reached its tolerance (stance: no warning on stderr; scikit-learn: no
    `ConvergenceWarning`); `None` for classifiers without one."""
    c = config["classifier"]
    lr = c if c["type"] == "logreg" else c.get("logreg")
    if lr is None:
        r["convergence"] = None
        return r
    sk = fit_log.to_json()
    r["convergence"] = {
        "max_iter": lr["max_iter"],
        "stance_converged": stance_converged(stance_stderr),
        "sklearn_converged": None if sk is None else sk["not_converged"] == 0,
        "sklearn": sk,
    }
    return r


def row(d: Dataset, label: str, st: dict, st_s: float, sk, sk_s, config: dict, n: int,
        folds: int) -> dict:
    linear = [p for p in d.published if p.linear]
    return {
        "dataset": label,
        "protocol": d.protocol,
        "metric": d.metric,
        "examples": n,
        "folds": folds,
        "stance": st[d.metric],
        "stance_all": st,
        "stance_seconds": st_s,
        "sklearn": None if sk is None else sk[d.metric],
        "sklearn_all": sk,
        "sklearn_seconds": sk_s,
        "speedup": None if sk_s is None else sk_s / st_s,
        "published": [p.__dict__ for p in d.published],
        "beats_linear_published": all(st[d.metric] > p.score for p in linear) if linear else None,
        "beats_sklearn": None if sk is None else st[d.metric] > sk[d.metric],
        "config": config,
        "note": d.note,
    }


# --------------------------------------------------------------------------- report


def details(args) -> dict:
    def text(cmd):
        try:
            return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  text=True, cwd=REPO_ROOT).stdout.strip()
        except OSError:
            return ""

    cpu = ""
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                   if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import numpy
    import scipy
    import sklearn

    return {
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": text(["git", "rev-parse", "--short", "HEAD"]),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {cpu}",
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "stance": text([str(args.stance), "--version"]),
        "stance_threads": args.stance_threads or "all (rayon default)",
        "quick": args.quick,
    }


def markdown(results: list[dict]) -> str:
    lines = [
        "| dataset | protocol | stance | scikit-learn, same features & folds | published "
        "| beats published linear? | stance − scikit-learn | stance s | scikit-learn s "
        "| scikit-learn s / stance s |",
        "|---|---|---:|---:|---|---|---|---:|---:|---:|",
    ]
    yn = {True: "yes", False: "**no**", None: "n/a"}
    for r in results:
        if "skipped" in r:
            lines.append(f"| {r['dataset']} | skipped: {r['skipped']} | | | | | | | | |")
            continue
        pub = "; ".join(
            f"{p['system']} {p['score']:.2f}"
            + ("" if p["same_protocol"] else " (test set)")
            + ("" if p["linear"] else " (not linear)")
            for p in r["published"]
        ) or "none"
        sk = "—" if r["sklearn"] is None else f"{r['sklearn']:.2f}"
        sks = "—" if r["sklearn_seconds"] is None else f"{r['sklearn_seconds']:.1f}"
        ratio = "—" if r["speedup"] is None else f"{r['speedup']:.1f}x"
        delta = "—" if r["sklearn"] is None else f"{r['stance'] - r['sklearn']:+.2f}"
        lines.append(
            f"| {r['dataset']} | {r['protocol']} | {r['stance']:.2f} | {sk} | {pub} "
            f"| {yn[r['beats_linear_published']]} | {delta} "
            f"| {r['stance_seconds']:.1f} | {sks} | {ratio} |"
        )
    return "\n".join(lines)


def merge_results(old: dict, new: dict) -> dict:
    """`old` with the rows of `new`'s datasets replaced (in place, in their old order; rows of
    datasets `old` lacks are appended) and `new`'s run details appended to
    `details.updates` with the datasets they cover."""
    fresh = {}
    for r in new["results"]:
        fresh.setdefault(r["dataset"], []).append(r)
    merged, done = [], set()
    for r in old["results"]:
        name = r["dataset"]
        if name in fresh:
            if name not in done:
                merged.extend(fresh[name])
                done.add(name)
        else:
            merged.append(r)
    for name, rows in fresh.items():
        if name not in done:
            merged.extend(rows)
    details = dict(old["details"])
    update = dict(new["details"])
    update["datasets"] = sorted(fresh)
    details["updates"] = list(details.get("updates", [])) + [update]
    return {"details": details, "results": merged}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", choices=list(BY_NAME),
                    help="run only this dataset (repeatable)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: at most --quick-rows examples (whole groups), 3 folds")
    ap.add_argument("--quick-rows", type=int, default=1500)
    ap.add_argument("--datasets", default=str(DEFAULT_DATASETS))
    ap.add_argument("--stance", default=str(DEFAULT_STANCE))
    ap.add_argument("--stance-threads", type=int, default=0,
                    help="RAYON_NUM_THREADS for stance (default: unset, all cores)")
    ap.add_argument("--max-iter", type=int, default=0, metavar="N",
                    help="override the logistic regression's iteration limit of the "
                         "configurations with N, on both sides (stance: --set ...max_iter=N; "
                         "scikit-learn reads it back from stance's configuration)")
    ap.add_argument("--json-out", default=str(HERE / "results.json"))
    ap.add_argument("--keep", help="keep the imports and outputs in this directory")
    ap.add_argument("--merge-into", metavar="RESULTS.json",
                    help="replace only the rows of the datasets run in this earlier results JSON "
                         "(the run's details are appended to its details.updates) and write it "
                         "to --json-out")
    ap.add_argument("--table", metavar="RESULTS.json",
                    help="only print the markdown table of an earlier run's results JSON")
    args = ap.parse_args()
    if args.table:
        print(markdown(json.loads(Path(args.table).read_text(encoding="utf-8"))["results"]))
        return
    if not Path(args.stance).exists():
        sys.exit(f"run.py: no stance binary at {args.stance}; "
                 "build it with `cargo build --release -p stance-cli`")
    wanted = [BY_NAME[n] for n in args.only] if args.only else DATASETS
    results = []
    with tempfile.TemporaryDirectory(prefix="stance-baselines-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        for d in wanted:
            try:
                results.extend(run_dataset(d, args, work))
            except RuntimeError as e:
                log(f"[{d.name}] FAILED: {e}")
                results.append({"dataset": d.name, "skipped": f"failed: {str(e).splitlines()[0]}"})
    out = {"details": details(args), "results": results}
    if args.merge_into:
        out = merge_results(json.loads(Path(args.merge_into).read_text(encoding="utf-8")), out)
        results = out["results"]
    Path(args.json_out).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    log(f"results written to {args.json_out}")
    print(markdown(results))
    d = out["details"]
    print(f"\n{d['date']}, commit {d['commit']}, {d['machine']}; Python {d['python']}, "
          f"scikit-learn {d['sklearn']}, numpy {d['numpy']}, scipy {d['scipy']}; "
          f"stance threads: {d['stance_threads']}{'; QUICK RUN' if args.quick else ''}")


if __name__ == "__main__":
    main()
