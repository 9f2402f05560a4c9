#!/usr/bin/env python3
"""Compile the authoring files written/src/batch-NN.ptw into written/batch-NN.jsonl
(annotated documents, provenance "written"). Ids pt-w-0001... are assigned in
file order, then document order, across all batches. Fails on any
inconsistency; unmarked actor/proposal words are reported and, with --strict
(the default), fail too.

usage: compile.py [--check] [--lenient]
  --check    compile in memory and compare with the committed .jsonl files
  --lenient  report unmarked watched words without failing
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ptw  # noqa: E402

WRITTEN = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(WRITTEN, "src")


def main(argv: list[str]) -> int:
    check = "--check" in argv
    lenient = "--lenient" in argv
    sources = sorted(f for f in os.listdir(SRC) if f.endswith(".ptw"))
    if not sources:
        print(f"no .ptw files in {SRC}", file=sys.stderr)
        return 1
    n = 0
    warnings: list[str] = []
    outputs: dict[str, str] = {}
    for name in sources:
        path = os.path.join(SRC, name)
        rel = os.path.relpath(path, WRITTEN)
        try:
            docs = ptw.parse_file(path)
        except ptw.AuthoringError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        lines = []
        for d in docs:
            n += 1
            doc_id = f"pt-w-{n:04d}"
            for s in d.sentences:
                warnings.extend(ptw.lint_unmarked(rel, s))
            rec = ptw.to_record(doc_id, d)
            try:
                ptw.check_record(rec, f"{rel}:{d.line} ({doc_id})")
            except ValueError as e:
                print(f"error: {e}", file=sys.stderr)
                return 1
            lines.append(json.dumps(rec, ensure_ascii=False))
        outputs[name[:-4] + ".jsonl"] = "\n".join(lines) + "\n"
    for w in warnings:
        print(f"{'warning' if lenient else 'error'}: {w}", file=sys.stderr)
    if warnings and not lenient:
        return 1
    stale = sorted(f for f in os.listdir(WRITTEN) if f.startswith("batch-") and f.endswith(".jsonl")
                   and f not in outputs)
    if check:
        bad = stale[:]
        for name, body in outputs.items():
            p = os.path.join(WRITTEN, name)
            if not os.path.exists(p) or open(p, encoding="utf-8").read() != body:
                bad.append(name)
        if bad:
            print(f"out of date: {', '.join(bad)} (run tools/compile.py)", file=sys.stderr)
            return 1
        print(f"up to date: {len(outputs)} files, {n} documents")
        return 0
    for name in stale:
        os.remove(os.path.join(WRITTEN, name))
    for name, body in outputs.items():
        with open(os.path.join(WRITTEN, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(body)
    print(f"wrote {len(outputs)} files, {n} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
