"""Russian words and their lemmas, read from `copydesk.models.morph`'s readings, which are
parsed once and cached per word form (at most `WORD_CACHE` forms) for the checks and the
names stage alike."""

from __future__ import annotations

import regex

from copydesk.models.morph import NAME_TAGS, analyses

WORD = regex.compile(r"\p{L}+(?:-\p{L}+)*")


def lemmas(word: str) -> tuple[str, ...]:
    """The lemmas of a word's likeliest analyses, likeliest first, lowercase."""
    return tuple(dict.fromkeys(a.lemma for a in analyses(word.lower())))


def lemma(word: str) -> str:
    """The likeliest lemma of ``word``, lowercase."""
    return lemmas(word)[0]


def tags(word: str) -> frozenset[str]:
    """The grammemes of the likeliest analysis (``Name``, ``Surn``, ``Geox``, ``NUMR``…)."""
    return analyses(word)[0].tags


def name_like(word: str, opens_sentence: bool) -> bool:
    """Whether a capitalised word may be a name: the dictionary tags it as one, or (inside
    a sentence) the dictionary does not know it. Known common nouns (``Запад``) and
    abbreviations (``РФ``, ``США``: translated, not transliterated) are not names here."""
    first = analyses(word)[0]
    if "Abbr" in first.tags or word.isupper():
        return False  # abbreviations are translated: РФ, США, КНР
    if first.tags & NAME_TAGS:
        return first.known or not opens_sentence
    return not first.known and not opens_sentence and "ADJF" not in first.tags
