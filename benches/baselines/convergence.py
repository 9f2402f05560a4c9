#!/usr/bin/env python3
"""Does `logreg` match scikit-learn once both have converged? (EVALUATION.md, "Convergence")

For one train -> dev row of run.py (default: NewsMTSC) and several iteration limits, this fits

- stance's `logreg` (the `logreg_convergence` example of stance-train: the same code as
  `stance train`, on stance's own features; it reports the iterations run, whether the gradient
  tolerance was reached, and the objective at the fitted weights), checked against
  `stance train` + `stance eval` at every limit;
- scikit-learn's `LogisticRegression(solver="lbfgs")` with the same C, class weights and
  tolerance, (a) on run.py's rebuild of the features and (b) on stance's feature matrix itself
  (written by the example as Matrix Market), so a difference in the features and a difference
  in the optimizer can be told apart;

and prints, per limit and side: accuracy and macro-F1 on each dev file, converged or not,
iterations, the objective (scikit-learn's `LinearModelLoss`, the same formula as stance's:
mean weighted log-loss plus ||W||^2 / (2 C S)), and the fraction of dev predictions on which
the side agrees with stance.

    cargo build --release -p stance-cli
    cargo build --release -p stance-train --example logreg_convergence
    nice python3 benches/baselines/convergence.py --max-iter 100,300,1000 --json-out conv.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run as base  # noqa: E402  (run.py: datasets, feature rebuild, scores)

DEFAULT_EXAMPLE = base.REPO_ROOT / "target" / "release" / "examples" / "logreg_convergence"


def objective(x, y_idx, coef, intercept, c, sample_weight=None) -> float:
    """scikit-learn's lbfgs objective at (coef, intercept): mean weighted loss + penalty."""
    import numpy as np
    from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss
    from sklearn.linear_model._linear_loss import LinearModelLoss

    k = coef.shape[0]
    sw_sum = x.shape[0] if sample_weight is None else float(np.sum(sample_weight))
    if k == 1:
        loss = LinearModelLoss(HalfBinomialLoss(), fit_intercept=True)
        w = np.concatenate([coef[0], intercept]).astype(np.float64)
    else:
        loss = LinearModelLoss(HalfMultinomialLoss(n_classes=k), fit_intercept=True)
        w = np.hstack([coef, intercept[:, None]]).astype(np.float64).ravel(order="F")
    return float(loss.loss(w, x, y_idx.astype(np.float64), sample_weight,
                           l2_reg_strength=1.0 / (c * sw_sum)))


def sklearn_fits(x, y, devs, params: dict, limits: list[int]) -> list[dict]:
    """scikit-learn's LogisticRegression at each iteration limit on rows `x`."""
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.utils.class_weight import compute_sample_weight

    labels = sorted(set(y))
    y_idx = np.array([labels.index(v) for v in y])
    cw = base.class_weight(params["class_weight"])
    sw = None if cw is None else compute_sample_weight(cw, y)
    out = []
    for n in limits:
        model = base.logistic({**params, "max_iter": n})
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            model.fit(x, np.array(y))
        seconds = time.perf_counter() - t0
        out.append({
            "max_iter": n,
            "n_iter": int(max(model.n_iter_)),
            "converged": not any(issubclass(w.category, ConvergenceWarning) for w in caught),
            "objective": objective(x, y_idx, model.coef_, model.intercept_, params["c"], sw),
            "seconds": seconds,
            "predictions": [list(model.predict(d)) for d in devs],
        })
    return out


def agreement(a: list[str], b: list[str]) -> float:
    return 100.0 * sum(p == q for p, q in zip(a, b)) / len(a)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dataset", default="newsmtsc",
                    choices=[d.name for d in base.DATASETS if d.dev])
    ap.add_argument("--max-iter", default="100,300,1000",
                    help="comma-separated iteration limits")
    ap.add_argument("--tol", type=float, default=0.0,
                    help="override the configuration's gradient tolerance on every side")
    ap.add_argument("--datasets", default=str(base.DEFAULT_DATASETS))
    ap.add_argument("--stance", default=str(base.DEFAULT_STANCE))
    ap.add_argument("--example", default=str(DEFAULT_EXAMPLE))
    ap.add_argument("--keep", help="keep the imports and matrices in this directory")
    ap.add_argument("--json-out", help="write the measurements here")
    args = ap.parse_args()
    import numpy as np
    import scipy.io

    d = base.BY_NAME[args.dataset]
    limits = [int(v) for v in args.max_iter.split(",")]
    stance = args.stance
    with tempfile.TemporaryDirectory(prefix="stance-convergence-") as tmp:
        wd = Path(args.keep) if args.keep else Path(tmp)
        wd.mkdir(parents=True, exist_ok=True)
        root = Path(args.datasets)
        train = wd / "train.jsonl"
        base.run([stance, "import", d.fmt, *[str(root / f) for f in d.train], "-o", str(train)])
        dev_paths = {}
        for name, files in d.dev.items():
            dev_paths[name] = wd / f"dev-{name}.jsonl"
            base.run([stance, "import", d.fmt, *[str(root / f) for f in files], "-o",
                      str(dev_paths[name])])
        names = list(dev_paths)
        rows = base.read_jsonl(train)
        devs = {n: base.read_jsonl(p) for n, p in dev_paths.items()}
        gold = {n: [r["label"] for r in devs[n]] for n in names}
        config_path = HERE / f"{d.name}.toml"

        # stance train + eval at every limit (the CLI numbers the example must reproduce).
        cli = {}
        config = None
        for n in limits:
            model = wd / f"model-{n}.stance"
            _, err = base.run_stderr(
                [stance, "train", "--task", d.task, "--data", str(train), "--config",
                 str(config_path), "--set", f"classifier.max_iter={n}",
                 *(["--set", f"classifier.tol={args.tol}"] if args.tol else []), "-o", str(model)])
            manifest = json.loads(subprocess.run(
                [stance, "inspect", "--json", "--top", "0", str(model)], check=True,
                stdout=subprocess.PIPE, text=True).stdout)
            config = manifest["manifest"]["parameters"]
            cli[n] = {"converged": base.stance_converged(err)}
            for name in names:
                metrics = wd / f"eval-{n}-{name}.json"
                base.run([stance, "eval", "--model", str(model), "--data", str(dev_paths[name]),
                          "--metrics-out", str(metrics)])
                cli[n][name] = base.stance_scores(json.loads(metrics.read_text("utf-8")))
        params = config["classifier"]
        assert params["type"] == "logreg", "a logreg row"
        config_json = wd / "config.json"
        config_json.write_text(json.dumps(config), encoding="utf-8")

        base.log(f"[{d.name}] stance's logreg at max_iter {limits}")
        mtx = wd / "mtx"
        proc = subprocess.run(
            [args.example, str(config_json), str(train), ",".join(map(str, limits)),
             "--mtx", str(mtx), *[str(dev_paths[n]) for n in names]],
            check=True, stdout=subprocess.PIPE, text=True)
        st = [json.loads(line) for line in proc.stdout.splitlines()]
        for s in st:
            s["predictions"] = dict(zip(names, s["predictions"]))

        base.log(f"[{d.name}] scikit-learn on run.py's rebuild of the features")
        y = [r["label"] for r in rows]
        feats = base.Features(config["template"]).fit(rows)
        x_sk = feats.transform(rows)
        devs_sk = [feats.transform(devs[n]) for n in names]
        sk = sklearn_fits(x_sk, y, devs_sk, params, limits)

        base.log(f"[{d.name}] scikit-learn on stance's feature matrix")
        x_st = scipy.io.mmread(mtx / "train.mtx").tocsr().astype(np.float64)
        devs_st = [scipy.io.mmread(mtx / f"dev-{i}.mtx").tocsr().astype(np.float64)
                   for i in range(len(names))]
        meta = json.loads((mtx / "labels.json").read_text("utf-8"))
        assert meta["labels"] == sorted(set(y))
        skm = sklearn_fits(x_st, y, devs_st, params, limits)

        # The two feature matrices: same shape, and how far apart their values are.
        same_shape = x_sk.shape == x_st.shape
        diff = float(abs(x_sk - x_st).max()) if same_shape else None
        features = {"rebuild_shape": list(x_sk.shape), "stance_shape": list(x_st.shape),
                    "max_abs_difference": diff}
        base.log(f"[{d.name}] features: {features}")

    table = []
    for i, n in enumerate(limits):
        s = st[i]
        ref = s["predictions"]
        for side, fit in (("stance", s), ("sklearn (rebuild)", sk[i]),
                          ("sklearn (stance's matrix)", skm[i])):
            preds = fit["predictions"] if isinstance(fit["predictions"], dict) else dict(
                zip(names, fit["predictions"]))
            entry = {"max_iter": n, "side": side, "n_iter": fit["n_iter"],
                     "converged": fit["converged"], "objective": fit["objective"],
                     "seconds": fit["seconds"]}
            for name in names:
                sc = base.scores(gold[name], preds[name])
                entry[name] = {"accuracy": sc["accuracy"], "macro_f1": sc["macro_f1"],
                               "agreement_with_stance": agreement(ref[name], preds[name])}
            if side == "stance":
                entry["gradient_norm"] = s["gradient_norm"]
                entry["cli"] = cli[n]
                for name in names:
                    c = cli[n][name]
                    e = entry[name]
                    if abs(c["accuracy"] - e["accuracy"]) > 1e-9 or abs(
                            c["macro_f1"] - e["macro_f1"]) > 1e-9:
                        base.log(f"WARNING: the example differs from stance train at {n}: "
                                 f"{c} vs {e}")
            table.append(entry)

    head = "| max_iter | side | converged | iterations | objective | " + " | ".join(
        f"{n} acc | {n} macro-F1 | {n} agree" for n in names) + " |"
    print(head)
    print("|" + "---|" * (5 + 3 * len(names)))
    for e in table:
        cells = [str(e["max_iter"]), e["side"], "yes" if e["converged"] else "**no**",
                 str(e["n_iter"]), f"{e['objective']:.10f}"]
        for name in names:
            cells += [f"{e[name]['accuracy']:.2f}", f"{e[name]['macro_f1']:.2f}",
                      f"{e[name]['agreement_with_stance']:.1f} %"]
        print("| " + " | ".join(cells) + " |")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(
            {"dataset": d.name, "features": features, "config": config, "rows": table},
            indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
