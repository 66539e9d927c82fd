"""Russian morphology (pymorphy3): one analyser, loaded on first use, and its readings.

Shared by the checks against the source and the names stage, so that the dictionary is
in memory once.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache

# pymorphy3's grammemes of names: first names, surnames, patronymics, places, organisations.
NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})


WORD_CACHE = 50_000  # word forms per cache: a bound on memory in long batch jobs

# One set per distinct tag: pymorphy3's tags are its dictionary's, a few thousand at most,
# so word forms share them rather than each holding its own (about 900 bytes a form).
_GRAMMEMES: dict[str, frozenset[str]] = {}


def grammemes(tag: str) -> frozenset[str]:
    """The grammemes of one of pymorphy3's tags, as a set shared by every form with it."""
    found = _GRAMMEMES.get(tag)
    if found is None:
        found = frozenset(map(sys.intern, tag.replace(" ", ",").split(",")))
        found = _GRAMMEMES.setdefault(tag, found)
    return found


@lru_cache(maxsize=1)
def analyzer():  # noqa: ANN201 - pymorphy3's MorphAnalyzer, imported late (0.1 s)
    """The one pymorphy3 analyser."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@dataclass(frozen=True, slots=True)
class Analysis:
    """One of pymorphy3's readings of a word: its lemma (lowercase), its grammemes, and
    whether the dictionary knows the word (else the reading is guessed from its ending)."""

    lemma: str
    tags: frozenset[str]
    known: bool


@lru_cache(maxsize=WORD_CACHE)
def analyses(word: str) -> tuple[Analysis, ...]:
    """The three likeliest readings of ``word``, likeliest first."""
    return tuple(
        Analysis(sys.intern(p.normal_form), grammemes(str(p.tag)), p.is_known)
        for p in analyzer().parse(word)[:3]
    )
