"""Synthetic (damaged -> clean) rewrite pairs from clean English news.

The damage imitates the function-word errors of MT from Russian, the most frequent edit
types in the MLQE-PE post-edits: Russian has no articles (post-editors insert `the` and
`a` more than any other word, and swap `the`/`a`), drops the present-tense copula and
auxiliaries (`is`, `has`, `was` are the next most inserted), and chooses prepositions by
its own government (`in` -> `on`). Content words are never touched, so the model learns
repairs that keep the meaning, and sentences the damage misses stay as copy pairs.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from copydesk.models.rewrite.prompt import MAX_WORDS, MIN_WORDS

ARTICLES = ("the", "a", "an")
AUXILIARIES = ("is", "are", "was", "were", "has", "have")
PREPOSITIONS = ("in", "on", "at", "for", "to", "of", "with", "by", "from", "about")


def _same_case(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def garble(sentence: str, rng: random.Random, rate: float = 0.15) -> str:
    """``sentence`` with each article, auxiliary and preposition damaged at ``rate``.

    An article is dropped (two times in three) or swapped for another; an auxiliary is
    dropped; a preposition is replaced by another. A dropped first word passes its
    capital to the next one, so the damage is in the words, not in the casing.
    """
    out: list[str] = []
    for word in sentence.split(" "):
        low = word.lower()
        if low in ARTICLES and rng.random() < rate:
            if rng.random() < 2 / 3:
                continue
            other = "a" if low == "the" else "the"
            out.append(_same_case(other, word))
        elif low in AUXILIARIES and rng.random() < rate:
            continue
        elif low in PREPOSITIONS and rng.random() < rate:
            other = rng.choice([p for p in PREPOSITIONS if p != low])
            out.append(_same_case(other, word))
        else:
            out.append(word)
    if out and sentence[:1].isupper() and not out[0][:1].isupper():
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def synthetic_pairs(
    lines: Sequence[str], count: int, *, seed: int = 13, rate: float = 0.15
) -> list[tuple[str, str]]:
    """``count`` (damaged, clean) pairs from lines of 4-60 words, drawn without replacement."""
    usable = [line for line in lines if MIN_WORDS <= len(line.split()) <= MAX_WORDS]
    if count > len(usable):
        raise ValueError(f"asked for {count} synthetic pairs but only {len(usable)} lines fit")
    rng = random.Random(seed)
    return [(garble(line, rng, rate), line) for line in rng.sample(usable, count)]
