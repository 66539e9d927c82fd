"""Sentences too garbled to publish: word order no English writer would use.

The quality estimator's English n-gram model (`copydesk.models.quality.lm`) reads each
sentence: how likely each word is after the two before it, and, more telling, which
pairs and triples of common words it has never seen side by side (``February they``,
``the of``): a rare word next to anything is normal, two frequent words in an order
English never uses are not. A logistic regression over these numbers (`FEATURES`) gives
the probability that the sentence is garbled; its weights and threshold
(``fluency.json``) are fitted on MLQE-PE ru-en train only
(`copydesk.eval.components.checks.fit_fluency`): the threshold lets through at most one
flag per 100 clean human translations there. English only: no source needed.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import ClassVar

import numpy as np
import regex

from copydesk.models.document import Document
from copydesk.models.evidence import WORD, ngram_tables
from copydesk.models.flags import Check, Flag, FlagKind, Severity
from copydesk.models.source import SourcePairing

WEIGHTS_FILE = Path(__file__).resolve().parent / "fluency.json"
# Sentences of this many words are read: shorter ones give the model too little.
MIN_WORDS, MAX_WORDS = 6, 60
# A word seen this often in the n-gram corpus is "common".
COMMON = 2000.0
FEATURES = (
    "lm_mean", "lm_min", "lm_p10", "lm_unseen2", "lm_unseen3", "lm_uni",
    "log_pairs", "window_min", "share_below_9", "below_11", "low3_mean",
    "common_unseen2", "common_unseen2_share", "common_unseen3", "common_unseen3_share",
    "assoc_min", "assoc_low2", "assoc_below",
)  # fmt: skip
_LETTER = regex.compile(r"\p{L}")
# A word said twice in a row is the doubled-word check's: read once here.
_DOUBLED = regex.compile(r"\b(\p{L}+)\s+\1\b", regex.IGNORECASE)


def fluency_features(lines: list[str]) -> np.ndarray:
    """`FEATURES` of each line (rows × 18) from the shipped n-gram tables."""
    tables = ngram_tables()
    base = tables.features_many(lines)
    extra = []
    for line in lines:
        c1, c2, c3, logp = tables.line_counts(line)
        window = np.convolve(logp, np.ones(3) / 3, mode="valid") if logp.size >= 3 else logp
        common = c1 > COMMON
        common2 = common[:-1] & common[1:]
        common3 = common2[:-1] & common[2:]
        unseen2 = (c2 == 0) & common2
        unseen3 = (c3 == 0) & common3
        # How much more (or less) often a pair occurs than its words' counts predict.
        assoc = np.log((c2 + 1.0) / (c1[:-1] * c1[1:] / tables.total + 1.0))
        extra.append(
            [
                np.log(logp.size),
                window.min(),
                (logp < -9).mean(),
                (logp < -11).sum(),
                np.sort(logp)[:3].mean(),
                unseen2.sum(),
                unseen2.sum() / max(1, common2.sum()),
                unseen3.sum(),
                unseen3.sum() / max(1, common3.sum()),
                assoc.min(),
                np.sort(assoc)[:2].mean(),
                (assoc < -1).sum(),
            ]
        )
    return np.hstack([base, np.asarray(extra, dtype=np.float64).reshape(len(lines), -1)])


@cache
def load_weights(path: Path = WEIGHTS_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def garbled_probability(lines: list[str], weights: dict | None = None) -> np.ndarray:
    """The probability that each line is garbled."""
    w = weights or load_weights()
    if not lines:
        return np.zeros(0)
    x = (fluency_features(lines) - np.asarray(w["mean"])) / np.asarray(w["scale"])
    z = x @ np.asarray(w["coef"]) + float(w["intercept"])
    return 1.0 / (1.0 + np.exp(-z))


def least_likely(line: str) -> tuple[int, int]:
    """The code points of the three-word stretch the n-gram model finds least likely."""
    spans = [m.span() for m in WORD.finditer(line)]
    if len(spans) < 3:
        return (0, len(line))
    _, _, _, logp = ngram_tables().line_counts(line)
    # logp[j] is token j's (0-based) log-probability after the boundary and tokens before.
    inner = logp[: len(spans)]
    window = np.convolve(inner, np.ones(3) / 3, mode="valid")
    i = int(np.argmin(window))
    return spans[i][0], spans[i + 2][1]


class FluencyCheck(Check):
    """A sentence the n-gram model reads as garbled."""

    name: ClassVar[str] = "fluency"
    needs_source: ClassVar[bool] = False

    def __init__(self, threshold: float | None = None) -> None:
        self.threshold = threshold

    def check(self, doc: Document, pairing: SourcePairing) -> list[Flag]:
        sentences = [
            s
            for s in doc.sentences
            if not s.is_headline
            and MIN_WORDS <= len(doc.sentence_text(s).split()) <= MAX_WORDS
            and _LETTER.search(doc.sentence_text(s))
        ]
        if not sentences:
            return []
        weights = load_weights()
        threshold = weights["threshold"] if self.threshold is None else self.threshold
        texts = [doc.sentence_text(s) for s in sentences]
        read = [_DOUBLED.sub(r"\1", t) for t in texts]
        flags = []
        for s, text, p in zip(sentences, texts, garbled_probability(read, weights), strict=True):
            if p < threshold:
                continue
            a, b = least_likely(text)
            flags.append(
                Flag(
                    s.start,
                    s.end,
                    text,
                    FlagKind.FLUENCY,
                    self.name,
                    f"this sentence may be too garbled to publish (least likely: {text[a:b]!r})",
                    Severity.WARNING,
                    round(float(p), 2),
                )
            )
        return flags
