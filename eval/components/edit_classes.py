"""How much TER each class of post-edit could buy: the ceiling of a repair that makes
every edit of one class exactly as the post-editor did and nothing else.

The MT and the post-edit are aligned word by word (``difflib``); each changed span is
classed by its words (casing alone, articles, auxiliaries, prepositions, punctuation,
anything else), and the MT gets only the chosen classes' spans from the post-edit. The
TER of that text against the post-edits is what a perfect repairer of those classes
would score. ``copydesk eval edit-classes`` prints the table for MLQE-PE dev.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Sequence

from copydesk.eval.metrics import corpus_score
from copydesk.models.rewrite.synthetic import ARTICLES, AUXILIARIES, PREPOSITIONS

WORD_CLASSES = {
    "articles": frozenset(ARTICLES),
    "auxiliaries": frozenset(AUXILIARIES),
    "prepositions": frozenset(PREPOSITIONS),
}
CLASSES = ("casing", *WORD_CLASSES, "punctuation", "other")


def edit_class(old: Sequence[str], new: Sequence[str]) -> str:
    """The class of one changed span (the MT's words ``old`` become ``new``)."""
    if [w.lower() for w in old] == [w.lower() for w in new]:
        return "casing"
    words = {w.lower() for w in (*old, *new)}
    for name, members in WORD_CLASSES.items():
        if words <= members:
            return name
    if not any(ch.isalnum() for w in words for ch in w):
        return "punctuation"
    return "other"


def _classed_spans(mt: str, post_edit: str) -> list[tuple[str | None, list[str], list[str]]]:
    """The word diff of MT and post-edit: (class, or None where equal; MT words; new words)."""
    a, b = mt.split(), post_edit.split()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        (None if tag == "equal" else edit_class(a[i1:i2], b[j1:j2]), a[i1:i2], b[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _made(spans: Sequence[tuple[str | None, list[str], list[str]]], chosen: set[str]) -> str:
    return " ".join(w for kind, old, new in spans for w in (new if kind in chosen else old))


def apply_classes(mt: str, post_edit: str, classes: Iterable[str]) -> str:
    """``mt`` with the post-editor's changes of ``classes`` made, and no others."""
    return _made(_classed_spans(mt, post_edit), set(classes))


def ceilings(mts: Sequence[str], post_edits: Sequence[str]) -> list[dict]:
    """Per class (and for everything but ``other``): spans, and TER with those spans made."""
    diffs = [_classed_spans(m, p) for m, p in zip(mts, post_edits, strict=True)]
    counts = Counter(kind for spans in diffs for kind, _, _ in spans if kind is not None)
    refs = [list(post_edits)]

    def ter(classes: Iterable[str]) -> float:
        chosen = set(classes)
        hyps = [_made(spans, chosen) for spans in diffs]
        return round(corpus_score("ter", hyps, refs).score, 2)

    rows = [{"classes": "none (the MT)", "spans": 0, "ter": ter([])}]
    rows += [{"classes": c, "spans": counts[c], "ter": ter([c])} for c in CLASSES]
    mechanical = [c for c in CLASSES if c != "other"]
    rows.append(
        {
            "classes": "all but other",
            "spans": sum(counts[c] for c in mechanical),
            "ter": ter(mechanical),
        }
    )
    return rows


def markdown_table(rows: Sequence[dict]) -> str:
    """The ceilings as Markdown, as ``copydesk eval edit-classes`` prints them."""
    out = ["| edits made as the post-editor made them | spans | TER |", "| --- | ---: | ---: |"]
    out += [f"| {row['classes']} | {row['spans']} | {row['ter']:.2f} |" for row in rows]
    return "\n".join(out) + "\n"
