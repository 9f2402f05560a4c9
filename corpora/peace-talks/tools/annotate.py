#!/usr/bin/env python3
"""Build the peace-talks seed annotations from hand-written authoring files.

An authoring file (``seed/authoring/NNN.ann``) describes one article:

    id: 000_fd3a616ef928046d.txt        # file name under articles/
    source: RT.com
    date: 2025-04-23                     # optional
    skip: 1-2, 11-24                     # 1-based boilerplate line numbers
    join: 5.2                            # optional: merge sentence 5.2 into 5.1 (line.k)

    [3.1] neutral | Kiev's backers are said
      Kiev -> ukraine | security guarantees -> security_guarantees | neutral
      Trump -> trump | acknowledge Crimea as Russian -> crimea_recognition | support | a note

Sentences are found by the segmenter below (``segment`` prints them); every sentence of a
non-skipped line must have exactly one ``[line.k] sentiment | prefix`` header, whose prefix must
match the start of the sentence. Each pair line gives the actor's words and the proposal's words
as written in the sentence, optionally ``@n`` (the n-th whole-word occurrence in the sentence,
1-based) when the words occur more than once; the tool computes code-point spans and fails loudly
on anything missing, ambiguous or inconsistent.

Commands:
    annotate.py segment ARTICLE.txt [--skip 1-2,11-24]   print the sentences
    annotate.py skeleton ARTICLE.txt --skip ...           print a draft authoring file
    annotate.py build [--out seed/annotations.jsonl]      build every seed/authoring/*.ann
    annotate.py check FILE.jsonl...                       validate annotated documents
    annotate.py candidates                                list pairs a keyword scan sees that
                                                          the authoring files do not annotate
"""

import argparse
import json
import re
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent
ARTICLES = CORPUS / "articles"
AUTHORING = CORPUS / "seed" / "authoring"
DEFAULT_OUT = CORPUS / "seed" / "annotations.jsonl"
EXTRA_IDS = Path(__file__).resolve().parent / "extra_ids.md"

GAZETTEER_ACTORS = (
    "russia ukraine usa uk france germany italy poland spain netherlands belgium hungary slovakia "
    "lithuania finland canada china eu nato putin lavrov peskov zelensky trump vance rubio witkoff "
    "kellogg starmer healey lammy macron lecornu rutte"
).split()
PROPOSALS = (
    "ceasefire peacekeeping_force security_guarantees crimea_recognition territorial_concessions "
    "minerals_deal nato_membership peace_deal sanctions frozen_assets"
).split()
STANCES = ("support", "oppose", "neutral")
SENTIMENTS = ("positive", "negative", "neutral")

ABBREVIATIONS = ("St", "Mr", "Mrs", "Ms", "Dr", "Gen", "Sen", "Rep", "U.S", "D.C", "No", "Jr", "Sr")
# A sentence ends after . ! ? (and closing quotes/brackets) when a space and a capital, a digit or
# an opening quote follow.
BOUNDARY = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘'(]?[A-Z0-9])")


class AuthoringError(Exception):
    """An error in an authoring file, with its place."""


def fail(path, line_no, message):
    raise AuthoringError(f"{path}:{line_no}: {message}")


def extra_actor_ids():
    """Actor ids listed in tools/extra_ids.md (first column of its table: `id`)."""
    ids = []
    if EXTRA_IDS.exists():
        for line in EXTRA_IDS.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^\|\s*`([a-z0-9_]+)`\s*\|", line)
            if m:
                ids.append(m.group(1))
    return ids


def known_actors():
    return set(GAZETTEER_ACTORS) | set(extra_actor_ids())


def read_text(path):
    # newline="" keeps the text exactly as stored (no universal-newline translation).
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def parse_ranges(spec):
    """'1-2, 11-24' -> {1, 2, 11, ..., 24}."""
    out = set()
    for part in spec.replace(" ", "").split(","):
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            out.update(range(int(a), int(b) + 1))
        else:
            out.add(int(part))
    return out


def segment(text, skip=(), joins=()):
    """Sentences of the non-skipped lines: list of (key 'line.k', start, end)."""
    sentences = []
    offset = 0
    for line_no, line in enumerate(text.split("\n"), start=1):
        line_start = offset
        offset += len(line) + 1
        if line_no in skip or not line.strip():
            continue
        cuts = [0]
        for m in BOUNDARY.finditer(line):
            before = line[: m.start()]
            word = re.search(r"([A-Za-z.]+)$", before)
            if m.group(0)[0] == "." and word and word.group(1) in ABBREVIATIONS:
                continue
            cuts.append(m.end())
        cuts.append(len(line))
        pieces = []
        for a, b in zip(cuts, cuts[1:]):
            seg = line[a:b]
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg) - len(seg.rstrip())
            s, e = line_start + a + lead, line_start + b - trail
            if e > s:
                pieces.append([s, e])
        keys = [f"{line_no}.{k}" for k in range(1, len(pieces) + 1)]
        merged = []
        for key, piece in zip(keys, pieces):
            if key in joins and merged:
                merged[-1][2] = piece[1]
            else:
                merged.append([key, piece[0], piece[1]])
        sentences.extend(tuple(m) for m in merged)
    return sentences


def find_word(sentence, words, occurrence):
    """Start offsets (in the sentence) of whole-word occurrences of `words`."""
    hits = []
    start = 0
    while True:
        i = sentence.find(words, start)
        if i < 0:
            break
        before = sentence[i - 1] if i > 0 else " "
        after = sentence[i + len(words)] if i + len(words) < len(sentence) else " "
        if not before.isalnum() and not after.isalnum():
            hits.append(i)
        start = i + 1
    return hits


def locate(path, line_no, sentence, sent_start, ref):
    """'words@n' -> (start, end, words) in document code points."""
    m = re.match(r"^(.*?)(?:@(\d+))?$", ref.strip())
    words, occ = m.group(1).strip(), m.group(2)
    if not words:
        fail(path, line_no, f"empty mention in {ref!r}")
    hits = find_word(sentence, words, occ)
    if not hits:
        fail(path, line_no, f"{words!r} not found (as whole words) in sentence {sentence!r}")
    if occ is None:
        if len(hits) > 1:
            fail(path, line_no, f"{words!r} occurs {len(hits)} times in the sentence: add @n")
        i = hits[0]
    else:
        n = int(occ)
        if not 1 <= n <= len(hits):
            fail(path, line_no, f"{words!r}@{n}: only {len(hits)} occurrence(s)")
        i = hits[n - 1]
    return sent_start + i, sent_start + i + len(words), words


def parse_authoring(path):
    header = {}
    blocks = []  # (line_no, key, sentiment, prefix, [(line_no, pair line)])
    lines = path.read_text(encoding="utf-8").splitlines()
    for line_no, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"^\[(\d+\.\d+)\]\s+(\w+)\s*\|\s*(.*)$", line)
        if m:
            blocks.append((line_no, m.group(1), m.group(2), m.group(3), []))
            continue
        if line.startswith((" ", "\t")):
            if not blocks:
                fail(path, line_no, "pair line before any sentence header")
            blocks[-1][4].append((line_no, line.strip()))
            continue
        m = re.match(r"^(\w+):\s*(.*)$", line)
        if m and not blocks:
            header[m.group(1)] = m.group(2).strip()
            continue
        fail(path, line_no, f"cannot parse line {line!r}")
    return header, blocks


def build_document(path):
    header, blocks = parse_authoring(path)
    for field in ("id", "source"):
        if field not in header:
            fail(path, 1, f"missing header field {field!r}")
    text = read_text(ARTICLES / header["id"])
    skip = parse_ranges(header.get("skip", ""))
    joins = set(header.get("join", "").replace(" ", "").split(",")) - {""}
    sentences = segment(text, skip, joins)
    by_key = {key: (s, e) for key, s, e in sentences}
    actors = known_actors()
    seen = set()
    doc_sentences = []
    stances = []
    for line_no, key, sentiment, prefix, pairs in blocks:
        if key not in by_key:
            fail(path, line_no, f"no sentence {key} (run `segment` to list them)")
        if key in seen:
            fail(path, line_no, f"sentence {key} annotated twice")
        seen.add(key)
        if sentiment not in SENTIMENTS:
            fail(path, line_no, f"sentiment {sentiment!r} not one of {SENTIMENTS}")
        s, e = by_key[key]
        sentence = text[s:e]
        if not sentence.startswith(prefix.strip()):
            fail(path, line_no, f"sentence {key} starts {sentence[:50]!r}, not {prefix!r}")
        doc_sentences.append({"span": [s, e], "sentiment": sentiment})
        for pline, pair in pairs:
            parts = [p.strip() for p in pair.split("|")]
            if len(parts) not in (3, 4):
                fail(path, pline, "pair line must be `actor -> id | proposal -> id | stance [| note]`")
            try:
                a_ref, a_id = [x.strip() for x in parts[0].split("->")]
                p_ref, p_id = [x.strip() for x in parts[1].split("->")]
            except ValueError:
                fail(path, pline, "actor and proposal must be written `words -> id`")
            if a_id not in actors:
                fail(path, pline, f"unknown actor id {a_id!r} (add it to tools/extra_ids.md?)")
            if p_id not in PROPOSALS:
                fail(path, pline, f"unknown proposal id {p_id!r}")
            stance = parts[2]
            if stance not in STANCES:
                fail(path, pline, f"stance {stance!r} not one of {STANCES}")
            a_s, a_e, a_words = locate(path, pline, sentence, s, a_ref)
            p_s, p_e, p_words = locate(path, pline, sentence, s, p_ref)
            if a_s < p_e and p_s < a_e:
                fail(path, pline, f"actor {a_words!r} overlaps proposal {p_words!r}")
            entry = {
                "actor": a_id,
                "proposal": p_id,
                "stance": stance,
                "actor_span": [a_s, a_e],
                "proposal_span": [p_s, p_e],
                "actor_text": a_words,
                "proposal_text": p_words,
            }
            if len(parts) == 4 and parts[3]:
                entry["note"] = parts[3]
            key2 = (a_s, p_s)
            if any((x["actor_span"][0], x["proposal_span"][0]) == key2 for x in stances):
                fail(path, pline, f"pair {a_words!r} / {p_words!r} annotated twice")
            stances.append(entry)
    missing = [key for key, _, _ in sentences if key not in seen]
    if missing:
        fail(path, len(blocks) and blocks[-1][0], f"sentences without a header: {missing}")
    doc = {"id": header["id"], "text": text}
    if header.get("date"):
        doc["date"] = header["date"]
    for field in ("title", "url"):
        if header.get(field):
            doc[field] = header[field]
    doc["source"] = header["source"]
    doc["provenance"] = "seed"
    doc["stances"] = stances
    doc["sentences"] = doc_sentences
    return doc


def check_document(doc, where, actors):
    """Errors (strings) for one annotated document."""
    errors = []
    text = doc.get("text")
    if not isinstance(doc.get("id"), str) or not isinstance(text, str):
        return [f"{where}: `id` and `text` must be strings"]
    if doc.get("provenance") not in ("seed", "written"):
        errors.append(f"{where}: provenance {doc.get('provenance')!r}")
    spans = []
    for i, sent in enumerate(doc.get("sentences", [])):
        s, e = sent["span"]
        if not (0 <= s < e <= len(text)):
            errors.append(f"{where}: sentences[{i}] span {sent['span']} outside the text")
        if sent.get("sentiment") not in SENTIMENTS:
            errors.append(f"{where}: sentences[{i}] sentiment {sent.get('sentiment')!r}")
        if text[s:e] != text[s:e].strip():
            errors.append(f"{where}: sentences[{i}] has surrounding whitespace")
        spans.append((s, e))
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        if s2 < e1:
            errors.append(f"{where}: sentences overlap or are out of order at {s2}")
    for i, st in enumerate(doc.get("stances", [])):
        w = f"{where}: stances[{i}]"
        if st.get("actor") not in actors:
            errors.append(f"{w} unknown actor {st.get('actor')!r}")
        if st.get("proposal") not in PROPOSALS:
            errors.append(f"{w} unknown proposal {st.get('proposal')!r}")
        if st.get("stance") not in STANCES:
            errors.append(f"{w} stance {st.get('stance')!r}")
        a, p = st["actor_span"], st["proposal_span"]
        for name, span, field in (("actor", a, "actor_text"), ("proposal", p, "proposal_text")):
            if not (0 <= span[0] < span[1] <= len(text)):
                errors.append(f"{w} {name}_span {span} outside the text")
            elif field in st and text[span[0] : span[1]] != st[field]:
                errors.append(f"{w} {name}_span slices {text[span[0]:span[1]]!r}, not {st[field]!r}")
        inside = [
            (s, e) for s, e in spans if s <= a[0] and a[1] <= e and s <= p[0] and p[1] <= e
        ]
        if len(inside) != 1:
            errors.append(f"{w} actor and proposal spans are not inside one annotated sentence")
    return errors


def load_jsonl(path):
    docs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            line = line.rstrip("\r\n")
            if not line:
                raise AuthoringError(f"{path}:{n}: blank line")
            docs.append((n, json.loads(line)))
    return docs


def cmd_segment(args, skeleton=False):
    text = read_text(args.article)
    skip = parse_ranges(args.skip or "")
    joins = set((args.join or "").split(",")) - {""}
    if skeleton:
        print(f"id: {Path(args.article).name}\nsource: ?\ndate: \nskip: {args.skip or ''}\n")
    for key, s, e in segment(text, skip, joins):
        if skeleton:
            print(f"[{key}] ? | {text[s:e][:40]}")
        else:
            print(f"[{key}] {s}-{e}: {text[s:e]}")


def cmd_build(args):
    docs = [build_document(p) for p in sorted(AUTHORING.glob("*.ann"))]
    actors = known_actors()
    errors = [err for d in docs for err in check_document(d, d["id"], actors)]
    if errors:
        raise AuthoringError("\n".join(errors))
    out = Path(args.out)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    n_pairs = sum(len(d["stances"]) for d in docs)
    n_sent = sum(len(d["sentences"]) for d in docs)
    print(f"wrote {out}: {len(docs)} documents, {n_sent} sentences, {n_pairs} pairs", file=sys.stderr)


def cmd_check(args):
    actors = known_actors()
    errors = []
    for path in args.files:
        for n, doc in load_jsonl(path):
            errors.extend(check_document(doc, f"{path}:{n}", actors))
    for e in errors:
        print(e)
    print(f"{len(errors)} error(s)", file=sys.stderr)
    return 1 if errors else 0


# Surface forms a keyword scan uses to point at pairs the authoring files might have missed. Not
# the gazetteer: a deliberately loose list, only to direct a second look.
SCAN_ACTORS = (
    r"Russia|Russian|Moscow|Kremlin|Ukraine|Ukrainian|Kyiv|Kiev|US|U\.S\.|United States|America|"
    r"American|Americans|Washington|White House|UK|Britain|British|London|Downing Street|No 10|"
    r"Whitehall|France|French|Paris|Elys[ée]e|Ellise|Germany|German|Italy|Poland|Canada|China|EU|"
    r"European|NATO|Putin|Lavrov|Peskov|Zelensky|Zelenskyy|Trump|Vance|Rubio|Witkoff|Witcoof|"
    r"Kellogg|Starmer|Healey|Hill|Lammy|Macron|Lecornu|Rutte|Ruthte|Rute|coalition|Kushner"
)
SCAN_PROPOSALS = (
    r"cease-?fire|truce|armistice|peacekeep\w*|troops?|forces|security guarantees?|guarantees?|"
    r"assurances|backstop|security network|guarantors|air support|Crimea|territor\w*|land|"
    r"minerals|NATO membership|expansion|peace (?:deal|agreement|plan|settlement)|settlement|"
    r"termination agreement|sanctions|frozen|assets"
)


def cmd_candidates(args):
    docs = [build_document(p) for p in sorted(AUTHORING.glob("*.ann"))]
    a_re = re.compile(rf"\b(?:{SCAN_ACTORS})\b")
    p_re = re.compile(rf"\b(?:{SCAN_PROPOSALS})\b", re.I)
    for d in docs:
        text = d["text"]
        done_a = {tuple(x["actor_span"]) for x in d["stances"]}
        done_p = {tuple(x["proposal_span"]) for x in d["stances"]}
        for sent in d["sentences"]:
            s, e = sent["span"]
            sentence = text[s:e]
            acts = [m for m in a_re.finditer(sentence)]
            props = [m for m in p_re.finditer(sentence)]
            if not acts or not props:
                continue

            def covered(m, done):
                return any(a <= s + m.start() < b for a, b in done)

            lost_a = [m.group(0) for m in acts if not covered(m, done_a)]
            lost_p = [m.group(0) for m in props if not covered(m, done_p)]
            if lost_a or lost_p:
                print(f"{d['id']} {s}-{e}: unpaired actors {lost_a} proposals {lost_p}")
                print(f"    {sentence}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("segment", "skeleton"):
        p = sub.add_parser(name)
        p.add_argument("article")
        p.add_argument("--skip")
        p.add_argument("--join")
    p = sub.add_parser("build")
    p.add_argument("--out", default=str(DEFAULT_OUT))
    p = sub.add_parser("check")
    p.add_argument("files", nargs="+")
    sub.add_parser("candidates")
    args = ap.parse_args()
    try:
        if args.cmd == "segment":
            cmd_segment(args)
        elif args.cmd == "skeleton":
            cmd_segment(args, skeleton=True)
        elif args.cmd == "build":
            cmd_build(args)
        elif args.cmd == "check":
            return cmd_check(args)
        elif args.cmd == "candidates":
            cmd_candidates(args)
    except AuthoringError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
