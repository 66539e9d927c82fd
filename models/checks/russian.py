"""Russian words and their lemmas (pymorphy3), loaded once and cached per word form."""

from __future__ import annotations

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


def lemma(word: str) -> str:
    """The likeliest lemma of ``word``, lowercase."""
    return lemmas(word)[0]


@lru_cache(maxsize=200_000)
def tags(word: str) -> frozenset[str]:
    """The grammemes of the likeliest analysis (``Name``, ``Surn``, ``Geox``, ``NUMR``…)."""
    parse = _analyzer().parse(word)[0]
    return frozenset(str(parse.tag).replace(" ", ",").split(","))
