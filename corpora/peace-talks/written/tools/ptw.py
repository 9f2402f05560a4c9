"""Shared definitions for the written peace-talks examples: the id sets, the
authoring-format parser and the sentence normaliser used by the checks.

Authoring format (files `written/src/batch-NN.ptw`, UTF-8):

    # comment line (ignored)
    + [Kyiv]{a:ukraine} welcomed [the truce]{p:ceasefire}.
    > ukraine/ceasefire=s
    0 A second sentence of the same document, without mentions.

    - A blank line starts the next document.

* A sentence line starts with its sentiment: `+` positive, `-` negative,
  `0` neutral, then one space, then the sentence with inline markup.
  A document's text is its sentences joined by one space.
* `[surface]{a:ID}` marks an actor mention, `[surface]{p:ID}` a proposal
  mention, `[surface]{x}` a word that looks like an actor or proposal but is
  deliberately not a mention (a venue: "talks in [Paris]{x}").
* A line starting with `>` labels the pairs of the sentence just above it:
  items separated by `;`, each `actor[.k]/proposal[.k]=label` with label
  s|o|n (support|oppose|neutral) and an optional `(note)`. `.k` (1-based)
  picks the k-th mention of that id in the sentence; it is required when the
  id occurs more than once. Every actor mention x proposal mention of the
  sentence must be labelled exactly once.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass, field

ACTORS = (
    "russia ukraine usa uk france germany italy poland spain netherlands belgium "
    "hungary slovakia lithuania finland canada china eu nato putin lavrov peskov "
    "zelensky trump vance rubio witkoff kellogg starmer healey lammy macron "
    "lecornu rutte europe coalition_of_the_willing"
).split()

PROPOSALS = (
    "ceasefire peacekeeping_force security_guarantees crimea_recognition "
    "territorial_concessions minerals_deal nato_membership peace_deal sanctions "
    "frozen_assets"
).split()

LABELS = {"s": "support", "o": "oppose", "n": "neutral",
          "support": "support", "oppose": "oppose", "neutral": "neutral"}
SENTIMENTS = {"+": "positive", "-": "negative", "0": "neutral"}

# Surface forms that must be marked (as a mention or as {x}) wherever they
# occur: the lint that keeps the annotation exhaustive. Lower-case, matched on
# word boundaries, case-insensitively.
WATCH = (
    "russia moscow kremlin ukraine kyiv kiev washington white house america "
    "united states london downing street britain paris elysée elysee berlin "
    "brussels france germany italy rome poland warsaw spain madrid netherlands "
    "the hague belgium hungary budapest slovakia bratislava lithuania vilnius "
    "finland helsinki canada ottawa china beijing nato putin lavrov peskov "
    "zelensky zelenskyy zelenskiy trump vance rubio witkoff kellogg starmer "
    "healey lammy macron lecornu rutte orban orbán fico meloni merz tusk "
    "sanchez sánchez schoof carney xi "
    "ceasefire cease-fire truce armistice peacekeepers peacekeeping sanctions "
    "crimea minerals rare earths frozen assets reparations loan "
    "security guarantees peace deal peace plan settlement "
    "backstop guarantee guarantees assurances membership accession europe europeans"
).split()
WATCH_PHRASES = ["white house", "united states", "downing street", "the hague",
                 "rare earths", "frozen assets", "reparations loan",
                 "security guarantees", "peace deal", "peace plan", "european leaders",
                 "coalition of the willing", "peace agreement", "peace treaty"]
WATCH_WORDS = [w for w in WATCH if not any(w in p.split() for p in WATCH_PHRASES)
               or w in ("guarantees", "europe")]

# Country adjective + office ("the Polish defence minister"): an actor mention
# that the word lint above cannot see; checked in sentences with a proposal.
ROLE_RE = re.compile(
    r"\b(?:Russian|Ukrainian|American|US|British|UK|French|German|Italian|Polish|Spanish|Dutch|"
    r"Belgian|Hungarian|Slovak|Lithuanian|Finnish|Canadian|Chinese|EU|NATO)\s+"
    r"(?:president|prime minister|foreign minister|defen[cs]e minister|chancellor|"
    r"foreign secretary|defen[cs]e secretary|government|foreign ministry|defen[cs]e ministry|"
    r"delegation|officials|negotiators|envoy|spokes(?:man|woman|person)|leaders?|diplomats|"
    r"lawmakers|parliament)\b", re.IGNORECASE)

MARK_RE = re.compile(r"\[([^\[\]{}]+)\]\{(?:([ap]):([a-z_]+)|(x))\}")
ITEM_RE = re.compile(
    r"^([a-z_]+)(?:\.(\d+))?/([a-z_]+)(?:\.(\d+))?\s*=\s*([a-z]+)\s*(?:\((.*)\))?$")


class AuthoringError(Exception):
    """An inconsistency in an authoring file, with its location."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")


@dataclass
class Mention:
    kind: str  # "a" or "p"
    ident: str
    start: int  # code points, relative to the sentence
    end: int
    surface: str


@dataclass
class Sentence:
    line: int
    sentiment: str
    text: str
    mentions: list[Mention]
    masked: list[tuple[int, int]]  # {x} spans
    pairs: list[dict] = field(default_factory=list)


@dataclass
class Document:
    line: int
    sentences: list[Sentence] = field(default_factory=list)


def parse_sentence(path: str, lineno: int, raw: str) -> tuple[str, list[Mention], list]:
    out: list[str] = []
    mentions: list[Mention] = []
    masked: list[tuple[int, int]] = []
    pos = 0
    length = 0
    for m in MARK_RE.finditer(raw):
        before = raw[pos:m.start()]
        out.append(before)
        length += len(before)
        surface = m.group(1)
        if surface != surface.strip():
            raise AuthoringError(path, lineno, f"mention {surface!r} has outer spaces")
        start = length
        out.append(surface)
        length += len(surface)
        if m.group(4):
            masked.append((start, length))
        else:
            kind, ident = m.group(2), m.group(3)
            known = ACTORS if kind == "a" else PROPOSALS
            if ident not in known:
                raise AuthoringError(path, lineno, f"unknown {'actor' if kind == 'a' else 'proposal'} id {ident!r}")
            mentions.append(Mention(kind, ident, start, length, surface))
        pos = m.end()
    out.append(raw[pos:])
    text = "".join(out)
    for ch in "[]{}":
        if ch in text:
            raise AuthoringError(path, lineno, f"stray {ch!r} left after markup: {text!r}")
    if text != text.strip() or "  " in text:
        raise AuthoringError(path, lineno, "sentence has outer or doubled spaces")
    return text, mentions, masked


def _pick(path, lineno, mentions, kind, ident, k):
    same = [m for m in mentions if m.kind == kind and m.ident == ident]
    if not same:
        raise AuthoringError(path, lineno, f"label names {ident!r}, not marked in the sentence")
    if k is None:
        if len(same) > 1:
            raise AuthoringError(path, lineno, f"{ident!r} occurs {len(same)} times: say {ident}.k")
        return same[0]
    if not 1 <= k <= len(same):
        raise AuthoringError(path, lineno, f"{ident}.{k}: only {len(same)} mention(s)")
    return same[k - 1]


def parse_labels(path: str, lineno: int, body: str, sent: Sentence) -> None:
    for item in body.split(";"):
        item = item.strip()
        if not item:
            continue
        m = ITEM_RE.match(item)
        if not m:
            raise AuthoringError(path, lineno, f"bad label item {item!r}")
        a_id, a_k, p_id, p_k, lab, note = m.groups()
        if lab not in LABELS:
            raise AuthoringError(path, lineno, f"unknown label {lab!r}")
        if a_id not in ACTORS:
            raise AuthoringError(path, lineno, f"unknown actor id {a_id!r}")
        if p_id not in PROPOSALS:
            raise AuthoringError(path, lineno, f"unknown proposal id {p_id!r}")
        a = _pick(path, lineno, sent.mentions, "a", a_id, int(a_k) if a_k else None)
        p = _pick(path, lineno, sent.mentions, "p", p_id, int(p_k) if p_k else None)
        for existing in sent.pairs:
            if existing["a"] is a and existing["p"] is p:
                raise AuthoringError(path, lineno, f"pair {a_id}/{p_id} labelled twice")
        pair = {"a": a, "p": p, "stance": LABELS[lab], "line": lineno}
        if note:
            pair["note"] = note.strip()
        sent.pairs.append(pair)


def lint_unmarked(path: str, sent: Sentence) -> list[str]:
    """Watched words outside every marked span (mention or {x})."""
    covered = [(m.start, m.end) for m in sent.mentions] + sent.masked
    low = sent.text.lower()
    found = []
    for w in WATCH_PHRASES + WATCH_WORDS:
        for m in re.finditer(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", low):
            if not any(s <= m.start() and m.end() <= e for s, e in covered):
                found.append(f"{path}:{sent.line}: unmarked {sent.text[m.start():m.end()]!r}")
    if any(m.kind == "p" for m in sent.mentions):
        for m in ROLE_RE.finditer(sent.text):
            if not any(s <= m.start() and m.end() <= e for s, e in covered):
                found.append(f"{path}:{sent.line}: unmarked role noun {m.group(0)!r}")
    return found


def parse_file(path: str) -> list[Document]:
    docs: list[Document] = []
    cur: Document | None = None
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    for i, line in enumerate(lines, start=1):
        line = line.rstrip("\r")
        if line.startswith("#"):
            continue
        if not line.strip():
            cur = None
            continue
        if line.startswith(">"):
            if cur is None or not cur.sentences:
                raise AuthoringError(path, i, "label line without a sentence above")
            parse_labels(path, i, line[1:], cur.sentences[-1])
            continue
        if line[:1] in SENTIMENTS and line[1:2] == " ":
            text, mentions, masked = parse_sentence(path, i, line[2:])
            if cur is None:
                cur = Document(i)
                docs.append(cur)
            cur.sentences.append(Sentence(i, SENTIMENTS[line[0]], text, mentions, masked))
            continue
        raise AuthoringError(path, i, f"line starts with neither +, -, 0, > nor #: {line[:40]!r}")
    for d in docs:
        if len(d.sentences) > 4:
            raise AuthoringError(path, d.line, f"document has {len(d.sentences)} sentences (max 4)")
        for s in d.sentences:
            actors = [m for m in s.mentions if m.kind == "a"]
            props = [m for m in s.mentions if m.kind == "p"]
            labelled = {(id(p["a"]), id(p["p"])) for p in s.pairs}
            for a in actors:
                for p in props:
                    if (id(a), id(p)) not in labelled:
                        raise AuthoringError(path, s.line, f"pair {a.ident}/{p.ident} ({a.surface!r}, {p.surface!r}) has no label")
    return docs


def to_record(doc_id: str, doc: Document) -> dict:
    text_parts: list[str] = []
    offset = 0
    stances = []
    sentences = []
    for s in doc.sentences:
        if text_parts:
            text_parts.append(" ")
            offset += 1
        text_parts.append(s.text)
        sentences.append({"span": [offset, offset + len(s.text)], "sentiment": s.sentiment})
        for p in sorted(s.pairs, key=lambda q: (q["a"].start, q["p"].start)):
            st = {"actor": p["a"].ident, "proposal": p["p"].ident, "stance": p["stance"],
                  "actor_span": [offset + p["a"].start, offset + p["a"].end],
                  "proposal_span": [offset + p["p"].start, offset + p["p"].end]}
            if "note" in p:
                st["note"] = p["note"]
            stances.append(st)
        offset += len(s.text)
    text = "".join(text_parts)
    return {"id": doc_id, "text": text, "provenance": "written",
            "stances": stances, "sentences": sentences}


def check_record(rec: dict, where: str) -> None:
    """Re-check a compiled record independently of the parser."""
    text = rec["text"]
    spans = [tuple(s["span"]) for s in rec["sentences"]]
    for s in rec["sentences"]:
        if s["sentiment"] not in ("positive", "negative", "neutral"):
            raise ValueError(f"{where}: bad sentiment {s['sentiment']!r}")
    for st in rec["stances"]:
        if st["actor"] not in ACTORS or st["proposal"] not in PROPOSALS:
            raise ValueError(f"{where}: unknown id in {st}")
        if st["stance"] not in ("support", "oppose", "neutral"):
            raise ValueError(f"{where}: bad stance {st}")
        a, p = st["actor_span"], st["proposal_span"]
        if not (0 <= a[0] < a[1] <= len(text) and 0 <= p[0] < p[1] <= len(text)):
            raise ValueError(f"{where}: span out of range in {st}")
        inside = [sp for sp in spans if sp[0] <= a[0] and a[1] <= sp[1] and sp[0] <= p[0] and p[1] <= sp[1]]
        if len(inside) != 1:
            raise ValueError(f"{where}: actor and proposal not in one sentence: {st}")
        if a[0] < p[1] and p[0] < a[1]:
            raise ValueError(f"{where}: overlapping spans in {st}")


_PUNCT = str.maketrans({c: " " for c in string.punctuation + "“”‘’—–…«»"})


def normalise(text: str) -> str:
    """Lower-case, punctuation stripped, whitespace collapsed."""
    t = unicodedata.normalize("NFKC", text).lower().translate(_PUNCT)
    return " ".join(t.split())
