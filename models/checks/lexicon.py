"""Whether a word on one side has its translation on the other: the quality estimator's
Dice lexicon (`copydesk.models.quality.lexicon`, learnt from the Russian–English
parallel text), read by the checks as evidence.

A name the lexicon links to a word of the translation (``Ливан`` -> Lebanon, ``Чехия``
-> Czech) is rendered, though no transliteration reaches it; a negated Russian verb
whose translation is in the English without its negation is a dropped negation rather
than a free rendering (``не утаишь`` / "the truth will out").
"""

from __future__ import annotations

from functools import cache

import regex

from copydesk.models.evidence import en_key, lexicon, ru_key

# Dice at least this high links two words (the lexicon keeps pairs from 0.05).
MIN_DICE = 0.1
_LATIN = regex.compile(r"[A-Za-z]+")
_CYRILLIC = regex.compile(r"\p{Cyrillic}+")


@cache
def _table() -> dict[str, dict[str, float]]:
    return lexicon().table


@cache
def _reverse() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for ru, english in _table().items():
        for en, dice in english.items():
            if dice >= MIN_DICE:
                out.setdefault(en, set()).add(ru)
    return {en: frozenset(ru) for en, ru in out.items()}


def translations(ru_word: str, min_dice: float = MIN_DICE) -> frozenset[str]:
    """The English keys the lexicon links to a Russian word."""
    return frozenset(e for e, d in _table().get(ru_key(ru_word), {}).items() if d >= min_dice)


def translated_in(ru_word: str, english: str, min_dice: float = MIN_DICE) -> bool:
    """Whether a translation of the Russian word is among the English text's words."""
    keys = translations(ru_word, min_dice)
    return bool(keys) and any(en_key(w) in keys for w in _LATIN.findall(english))


def explained_by(en_word: str, source: str) -> bool:
    """Whether the English word translates one of the source's words."""
    sources = _reverse().get(en_key(en_word), frozenset())
    return bool(sources) and any(ru_key(w) in sources for w in _CYRILLIC.findall(source))


def coverage(source: str, english: str) -> float:
    """The share of the source's words the lexicon knows that have a translation in the
    English: high for a literal translation, low for a free one."""
    return lexicon().features(source, english)[0]
