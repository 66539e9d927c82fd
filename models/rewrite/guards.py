"""Guards a rewrite must pass before it may become edits.

What must survive from the MT: numbers, dates (month and weekday names), names
(capitalised words that do not start the sentence, compared without case, since the
casing stage owns case; a word sharing a long name's first five letters keeps it, so
``Germany -> German`` passes) and negations; the rewrite may not add numbers or negations
either. And the rewrite must stay close to the MT: character F-score (chrF, MT as the
reference) at least ``min_similarity``, word count within a ratio. The bound is chosen
on held-out post-edits so that most real post-edits pass it (see the model card).
Double quotation marks must survive too: the model sees one sentence, and an opening
mark that looks stray to it often starts a quotation the next sentence closes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import regex

NEGATIONS = frozenset("not no never without nor neither none nobody nothing nowhere cannot".split())
MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
WORD = regex.compile(r"[\p{L}\p{M}\p{N}'’-]+")
NUMBER = regex.compile(r"\p{N}+(?:[.,]\p{N}+)*")


@dataclass(frozen=True)
class Protected:
    numbers: Counter
    negations: int
    dates: frozenset
    names: frozenset


def protected(text: str) -> Protected:
    words = WORD.findall(text)
    lowered = [w.lower() for w in words]
    negations = sum(1 for w in lowered if w in NEGATIONS or w.endswith(("n't", "n’t")))
    names = frozenset(
        w.lower()
        for i, w in enumerate(words)
        if i > 0 and w[:1].isupper() and w.lower() not in MONTHS_AND_DAYS
    )
    return Protected(
        numbers=Counter(NUMBER.findall(text)),
        negations=negations,
        dates=frozenset(w for w in lowered if w in MONTHS_AND_DAYS),
        names=names,
    )


QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


def double_quotes(text: str) -> int:
    return text.translate(QUOTES).count('"')


def same_but_quotes(a: str, b: str) -> bool:
    """Whether two texts differ only in their quotation marks' style (never worth an edit)."""
    return a.translate(QUOTES) == b.translate(QUOTES)


def verdict(
    mt: str, rewrite: str, gain: float, *, min_similarity: float, min_gain: float = 0.0
) -> str | None:
    """``None`` when a rewrite is worth proposing, else why not: the one rule the stage
    applies and the tuning measures (a copy, a failed guard, or too little likelihood gain)."""
    if same_but_quotes(rewrite, mt):
        return "copied the MT"
    failed = check(mt, rewrite, min_similarity=min_similarity)
    if failed is None and gain <= min_gain:
        return "model prefers the MT"
    return failed


def similarity(mt: str, rewrite: str) -> float:
    """chrF of the rewrite with the MT as its reference (0-100), case-sensitive."""
    from sacrebleu.metrics import CHRF

    return float(CHRF().sentence_score(rewrite, [mt]).score)


def check(
    mt: str, rewrite: str, *, min_similarity: float, max_length_ratio: float = 1.5
) -> str | None:
    """``None`` when the rewrite passes every guard, else the first guard it fails."""
    if not rewrite.strip():
        return "empty rewrite"
    before, after = protected(mt), protected(rewrite)
    if before.numbers != after.numbers:
        return "numbers changed"
    if before.negations != after.negations:
        return "negation changed"
    if not before.dates <= after.dates:
        return "date lost"
    kept = {w.lower() for w in WORD.findall(rewrite)}
    if any(not _name_kept(name, kept) for name in before.names):
        return "name lost"
    if double_quotes(mt) != double_quotes(rewrite):
        return "quotation marks changed"
    n_mt, n_rw = len(mt.split()), len(rewrite.split())
    if n_rw > max_length_ratio * n_mt + 2 or n_mt > max_length_ratio * n_rw + 2:
        return "length changed too much"
    if similarity(mt, rewrite) < min_similarity:
        return "too far from the MT"
    return None


def _name_kept(name: str, words: set[str]) -> bool:
    """A name survives as itself or as a word with its first five letters (Germany/German)."""
    if name in words:
        return True
    stem = name[:5]
    return len(name) > 5 and any(w.startswith(stem) for w in words)
