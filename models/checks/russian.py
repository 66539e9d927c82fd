"""Russian words and their lemmas (pymorphy3), loaded once and cached per word form."""

from __future__ import annotations

from functools import lru_cache

import regex

from copydesk.models.morph import NAME_TAGS, analyzer

WORD = regex.compile(r"\p{L}+(?:-\p{L}+)*")


@lru_cache(maxsize=200_000)
def lemmas(word: str) -> tuple[str, ...]:
    """The lemmas of a word's likeliest analyses, likeliest first, lowercase."""
    found: list[str] = []
    for parse in analyzer().parse(word.lower())[:3]:
        if parse.normal_form not in found:
            found.append(parse.normal_form)
    return tuple(found)


def lemma(word: str) -> str:
    """The likeliest lemma of ``word``, lowercase."""
    return lemmas(word)[0]


@lru_cache(maxsize=200_000)
def tags(word: str) -> frozenset[str]:
    """The grammemes of the likeliest analysis (``Name``, ``Surn``, ``Geox``, ``NUMR``…)."""
    parse = analyzer().parse(word)[0]
    return frozenset(str(parse.tag).replace(" ", ",").split(","))


@lru_cache(maxsize=200_000)
def name_like(word: str, opens_sentence: bool) -> bool:
    """Whether a capitalised word may be a name: the dictionary tags it as one, or (inside
    a sentence) the dictionary does not know it. Known common nouns (``Запад``) and
    abbreviations (``РФ``, ``США``: translated, not transliterated) are not names here."""
    parse = analyzer().parse(word)[0]
    grammemes = set(str(parse.tag).replace(" ", ",").split(","))
    if "Abbr" in grammemes or word.isupper():
        return False  # abbreviations are translated: РФ, США, КНР
    if grammemes & NAME_TAGS:
        return parse.is_known or not opens_sentence
    return not parse.is_known and not opens_sentence and "ADJF" not in grammemes
