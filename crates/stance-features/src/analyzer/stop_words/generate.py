#!/usr/bin/env python3
"""Regenerate the non-English stop-word lists in this directory.

Pinned sources (PyPI wheels, checked by SHA-256; nothing is installed or imported):

  sphinx==9.0.4   (BSD-2-Clause) ships the Snowball project's stop lists
                  (BSD-3-Clause) in sphinx/search/_stopwords/<code>.txt:
                  danish dutch finnish french german hungarian italian
                  norwegian portuguese russian spanish swedish
  spacy==3.8.18   (MIT) spacy/lang/<code>/stop_words.py, for the languages the
                  Snowball project has no stop list for:
                  arabic greek romanian tamil turkish

english.txt is NOT written here: it is scikit-learn's ENGLISH_STOP_WORDS.

Usage:
  python3 generate.py              # fetches sphinx==9.0.4 and spacy==3.8.18 with pip
  python3 generate.py --check      # only verify that the files are up to date
  python3 generate.py --wheel-dir DIR   # use wheels already fetched with:
      python3 -m pip download --no-deps --only-binary=:all: --python-version 3.11 \
          --implementation cp --abi cp311 --platform manylinux_2_28_x86_64 \
          -d DIR sphinx==9.0.4 spacy==3.8.18

Each output file is UTF-8, NFC-normalised, lowercase, one word per line, sorted
by Unicode code point, deduplicated, with no comments, blank lines or entries
containing whitespace.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Pinned wheels: (requirement, file name, sha256).
SPHINX = (
    "sphinx==9.0.4",
    "sphinx-9.0.4-py3-none-any.whl",
    "5bebc595a5e943ea248b99c13814c1c5e10b3ece718976824ffa7959ff95fffb",
)
SPACY = (
    "spacy==3.8.18",
    "spacy-3.8.18-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
    "c076d6caab1aae5b3c0fd5ecba9f1265ad1e1824ced3e0352193ca30994ac115",
)

# language -> ISO 639-1 code of the file inside the wheel.
SNOWBALL = {
    "danish": "da",
    "dutch": "nl",
    "finnish": "fi",
    "french": "fr",
    "german": "de",
    "hungarian": "hu",
    "italian": "it",
    "norwegian": "no",
    "portuguese": "pt",
    "russian": "ru",
    "spanish": "es",
    "swedish": "sv",
}
SPACY_LANGS = {
    "arabic": "ar",
    "greek": "el",
    "romanian": "ro",
    "tamil": "ta",
    "turkish": "tr",
}

# Sphinx 9.0.4 vendors the Snowball lists as of snowball-website commit efb4ae4
# (2015-09-02). These are the word-level corrections the Snowball project made to
# its own stop.txt files since then (snowball-website commits named below), so
# the output equals the current upstream Snowball lists. Each one is checked to
# still apply, so a changed pin fails loudly instead of silently diverging.
ERRATA: dict[str, dict[str, object]] = {
    # fb5ca90 "Fix Hungarian diacritics": o/u with tilde/circumflex were
    # Latin-1 stand-ins for the Hungarian double-acute letters.
    "hungarian": {
        "replace": {
            "elõ": "elő",
            "elõször": "először",
            "elõtt": "előtt",
            "elsõ": "első",
            "õ": "ő",
            "õk": "ők",
            "õket": "őket",
        },
    },
    # c664255 "Fix Swedish stopword": 'sitta' (to sit) was a typo for 'sitt' (his).
    "swedish": {"replace": {"sitta": "sitt"}},
    # 5a8cf24 "Remove some French stop words because they are homonyms of other words".
    "french": {
        "remove": {"as", "aura", "auras", "avions", "est", "fût", "sommes", "son", "été", "étés"},
    },
    # 420b352 "Finnish: add common conjunction".
    "finnish": {"add": {"joten"}},
}


def fetch_wheels(dest: Path) -> None:
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311",
        "--platform", "manylinux_2_28_x86_64", "-d", str(dest), SPHINX[0], SPACY[0],
    ]
    subprocess.run(cmd, check=True)


def open_wheel(wheel_dir: Path, pin: tuple[str, str, str]) -> zipfile.ZipFile:
    requirement, filename, sha256 = pin
    path = wheel_dir / filename
    if not path.is_file():
        sys.exit(f"missing {filename} ({requirement}) in {wheel_dir}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        sys.exit(f"{filename}: sha256 {digest}, expected {sha256}")
    return zipfile.ZipFile(path)


def parse_snowball(text: str) -> list[str]:
    """Snowball stop.txt: words before an optional '|' comment, whitespace-separated."""
    words: list[str] = []
    for line in text.splitlines():
        words.extend(line.split("|", 1)[0].split())
    return words


def parse_spacy(source: str, name: str) -> list[str]:
    """spaCy stop_words.py of the form STOP_WORDS = set(\"\"\"...\"\"\".split()), read without executing it."""
    for node in ast.parse(source, name).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "STOP_WORDS"
        ):
            call = node.value
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "set"
                and len(call.args) == 1
                and isinstance(call.args[0], ast.Call)
                and isinstance(call.args[0].func, ast.Attribute)
                and call.args[0].func.attr == "split"
                and not call.args[0].args
                and isinstance(call.args[0].func.value, ast.Constant)
                and isinstance(call.args[0].func.value.value, str)
            ):
                return call.args[0].func.value.value.split()
            break
    sys.exit(f"{name}: STOP_WORDS is not a set(\"\"\"...\"\"\".split()) literal")


def apply_errata(language: str, words: set[str]) -> set[str]:
    fix = ERRATA.get(language)
    if not fix:
        return words
    words = set(words)
    for old, new in fix.get("replace", {}).items():  # type: ignore[union-attr]
        if old not in words or new in words:
            sys.exit(f"{language}: erratum {old!r} -> {new!r} no longer applies")
        words.remove(old)
        words.add(new)
    for w in fix.get("remove", ()):  # type: ignore[union-attr]
        if w not in words:
            sys.exit(f"{language}: erratum remove {w!r} no longer applies")
        words.remove(w)
    for w in fix.get("add", ()):  # type: ignore[union-attr]
        if w in words:
            sys.exit(f"{language}: erratum add {w!r} no longer applies")
        words.add(w)
    return words


def normalise(language: str, raw: list[str]) -> list[str]:
    words = set()
    for w in raw:
        w = unicodedata.normalize("NFC", unicodedata.normalize("NFC", w).lower())
        if not w or any(c.isspace() for c in w) or w.lower() != w:
            sys.exit(f"{language}: bad entry {w!r}")
        words.add(w)
    return sorted(apply_errata(language, words))  # str order is code-point order


def build(wheel_dir: Path) -> dict[str, tuple[str, list[str]]]:
    out: dict[str, tuple[str, list[str]]] = {}
    with open_wheel(wheel_dir, SPHINX) as whl:
        for language, code in SNOWBALL.items():
            text = whl.read(f"sphinx/search/_stopwords/{code}.txt").decode("utf-8")
            out[language] = (SPHINX[0] + " (Snowball)", normalise(language, parse_snowball(text)))
    with open_wheel(wheel_dir, SPACY) as whl:
        for language, code in SPACY_LANGS.items():
            name = f"spacy/lang/{code}/stop_words.py"
            words = parse_spacy(whl.read(name).decode("utf-8"), name)
            out[language] = (SPACY[0], normalise(language, words))
    return dict(sorted(out.items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel-dir", type=Path, help="directory holding the pinned wheels")
    ap.add_argument("--check", action="store_true", help="verify the files, write nothing")
    args = ap.parse_args()

    if args.wheel_dir:
        lists = build(args.wheel_dir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            fetch_wheels(Path(tmp))
            lists = build(Path(tmp))

    stale = []
    for language, (source, words) in lists.items():
        path = HERE / f"{language}.txt"
        content = "".join(w + "\n" for w in words).encode("utf-8")
        if args.check:
            if not path.is_file() or path.read_bytes() != content:
                stale.append(path.name)
        else:
            path.write_bytes(content)
        print(f"{language:<11} {len(words):>4}  {source}")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
