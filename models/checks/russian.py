"""Russian words and their lemmas (pymorphy3), loaded once and cached per word form.

Each per-word cache holds at most `WORD_CACHE` word forms (a news batch meets hundreds of
thousands): about 12 MB for `lemmas`, 10 MB for `tags` and 4 MB for `name_like` at
their bounds, measured on news words (docs/experiments/batch-memory.md). Lemmas and
grammemes are shared between the forms that have them, not copied per form.
"""

from __future__ import annotations

import sys
from functools import lru_cache

import regex

WORD = regex.compile(r"\p{L}+(?:-\p{L}+)*")
WORD_CACHE = 50_000  # word forms per cache


@lru_cache(maxsize=1)
def _analyzer():  # noqa: ANN202 - pymorphy3's MorphAnalyzer, imported late (0.1 s)
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=WORD_CACHE)
def lemmas(word: str) -> tuple[str, ...]:
    """The lemmas of a word's likeliest analyses, likeliest first, lowercase."""
    found: list[str] = []
    for parse in _analyzer().parse(word.lower())[:3]:
        if parse.normal_form not in found:
            found.append(sys.intern(parse.normal_form))
    return tuple(found)


def lemma(word: str) -> str:
    """The likeliest lemma of ``word``, lowercase."""
    return lemmas(word)[0]


@lru_cache(maxsize=WORD_CACHE)
def tags(word: str) -> frozenset[str]:
    """The grammemes of the likeliest analysis (``Name``, ``Surn``, ``Geox``, ``NUMR``…)."""
    return _grammemes(str(_analyzer().parse(word)[0].tag))


# One set per distinct tag: pymorphy3's tags are its dictionary's, a few thousand at most.
_GRAMMEMES: dict[str, frozenset[str]] = {}


def _grammemes(tag: str) -> frozenset[str]:
    found = _GRAMMEMES.get(tag)
    if found is None:
        found = frozenset(map(sys.intern, tag.replace(" ", ",").split(",")))
        found = _GRAMMEMES.setdefault(tag, found)
    return found


# pymorphy3's grammemes of names: first names, surnames, patronymics, places, organisations.
NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})


@lru_cache(maxsize=WORD_CACHE)
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
