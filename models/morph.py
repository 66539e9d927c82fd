"""Russian morphology (pymorphy3): one analyser, loaded on first use, and its readings.

Shared by the checks against the source and the names stage, so that the dictionary is
in memory once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# pymorphy3's grammemes of names: first names, surnames, patronymics, places, organisations.
NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})


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


@lru_cache(maxsize=200_000)
def analyses(word: str) -> tuple[Analysis, ...]:
    """The three likeliest readings of ``word``, likeliest first."""
    return tuple(
        Analysis(p.normal_form, frozenset(str(p.tag).replace(" ", ",").split(",")), p.is_known)
        for p in analyzer().parse(word)[:3]
    )
