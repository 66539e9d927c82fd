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

from copydesk.models.morph import NAME_TAGS, WORD_CACHE, analyzer, grammemes

WORD = regex.compile(r"\p{L}+(?:-\p{L}+)*")


@lru_cache(maxsize=WORD_CACHE)
def lemmas(word: str) -> tuple[str, ...]:
    """The lemmas of a word's likeliest analyses, likeliest first, lowercase."""
    found: list[str] = []
    for parse in analyzer().parse(word.lower())[:3]:
        if parse.normal_form not in found:
            found.append(sys.intern(parse.normal_form))
    return tuple(found)


def lemma(word: str) -> str:
    """The likeliest lemma of ``word``, lowercase."""
    return lemmas(word)[0]


@lru_cache(maxsize=WORD_CACHE)
def tags(word: str) -> frozenset[str]:
    """The grammemes of the likeliest analysis (``Name``, ``Surn``, ``Geox``, ``NUMR``…)."""
    return grammemes(str(analyzer().parse(word)[0].tag))


@lru_cache(maxsize=WORD_CACHE)
def name_like(word: str, opens_sentence: bool) -> bool:
    """Whether a capitalised word may be a name: the dictionary tags it as one, or (inside
    a sentence) the dictionary does not know it. Known common nouns (``Запад``) and
    abbreviations (``РФ``, ``США``: translated, not transliterated) are not names here."""
    parse = analyzer().parse(word)[0]
    tagged = grammemes(str(parse.tag))
    if "Abbr" in tagged or word.isupper():
        return False  # abbreviations are translated: РФ, США, КНР
    if tagged & NAME_TAGS:
        return parse.is_known or not opens_sentence
    return not parse.is_known and not opens_sentence and "ADJF" not in tagged
