"""Russian words and their lemmas (pymorphy3), loaded once and cached per word form."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

WORD = regex.compile(r"\p{L}+(?:-\p{L}+)*")


@lru_cache(maxsize=1)
def _analyzer():  # noqa: ANN202 - pymorphy3's MorphAnalyzer, imported late (0.1 s)
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def lemmas(word: str) -> tuple[str, ...]:
    """The lemmas of a word's likeliest analyses, likeliest first, lowercase."""
    found: list[str] = []
    for parse in _analyzer().parse(word.lower())[:3]:
        if parse.normal_form not in found:
            found.append(parse.normal_form)
    return tuple(found)


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
        for p in _analyzer().parse(word)[:3]
    )


def lemma(word: str) -> str:
    """The likeliest lemma of ``word``, lowercase."""
    return lemmas(word)[0]


@lru_cache(maxsize=200_000)
def tags(word: str) -> frozenset[str]:
    """The grammemes of the likeliest analysis (``Name``, ``Surn``, ``Geox``, ``NUMR``…)."""
    parse = _analyzer().parse(word)[0]
    return frozenset(str(parse.tag).replace(" ", ",").split(","))


# pymorphy3's grammemes of names: first names, surnames, patronymics, places, organisations.
NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})


@lru_cache(maxsize=200_000)
def name_like(word: str, opens_sentence: bool) -> bool:
    """Whether a capitalised word may be a name: the dictionary tags it as one, or (inside
    a sentence) the dictionary does not know it. Known common nouns (``Запад``) and
    abbreviations (``РФ``, ``США``: translated, not transliterated) are not names here."""
    parse = _analyzer().parse(word)[0]
    grammemes = set(str(parse.tag).replace(" ", ",").split(","))
    if "Abbr" in grammemes or word.isupper():
        return False  # abbreviations are translated: РФ, США, КНР
    if grammemes & NAME_TAGS:
        return parse.is_known or not opens_sentence
    return not parse.is_known and not opens_sentence and "ADJF" not in grammemes
