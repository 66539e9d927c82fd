"""A Russian name's Latin renderings under several schemes, and whether a word is one.

The schemes are iuliia's standard ones (Wikipedia's, BGN/PCGN, the Moscow metro's,
ICAO's passport scheme, the scholarly one and GOST 7.79) and the project's news scheme
(`copydesk.models.translit`); their diacritics are folded away (``Ščelkovo`` ->
``scelkovo``). A word renders a name when it has the name's variant key
(``Sergei``/``Sergey``) or is close to one of its renderings.

The renderings are cached for at most `RENDERING_CACHE` words and the verdicts for
`VERDICT_CACHE` pairs: about 19 MB and 4 MB at their bounds, measured on news words
(docs/experiments/batch-memory.md).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import iuliia
import regex
from rapidfuzz.fuzz import ratio

from copydesk.models.translit import transliterate, variant_key

_ENGLISH_W = regex.compile(r"^u(?=[aeio])")
# How alike (rapidfuzz ratio, 0..100) a word and a rendering of seven letters or more
# must be (tuned on the tuning part of `copydesk eval checks`).
MIN_RATIO = 55
RENDERING_CACHE = 25_000  # Cyrillic words, in each of the two renderings caches
VERDICT_CACHE = 50_000  # (Cyrillic word, Latin word) pairs


def min_ratio(spelling: str) -> float:
    """How alike a word must be to a rendering: more for short names (Iran is not Iraq)."""
    if len(spelling) <= 4:
        return 75
    if len(spelling) <= 6:
        return 65
    return MIN_RATIO


# A shared beginning this long also counts (``Germaniya`` / ``Germany``).
SHARED_PREFIX = 5


@lru_cache(maxsize=1)
def _schemes() -> tuple:
    return (
        iuliia.WIKIPEDIA,
        iuliia.BGN_PCGN,
        iuliia.MOSMETRO,
        iuliia.ICAO_DOC_9303,
        iuliia.SCIENTIFIC,
        iuliia.GOST_779,
    )


def fold(text: str) -> str:
    """Lowercase ASCII letters: diacritics and apostrophes dropped."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isascii() and c.isalpha())


@lru_cache(maxsize=RENDERING_CACHE)
def scheme_renderings(word: str) -> frozenset[str]:
    """The folded Latin spellings of a Cyrillic word under the standard schemes only."""
    plain = word.replace("ё", "е").replace("Ё", "Е")
    found = {fold(transliterate(plain))}
    found.update(fold(scheme.translate(plain)) for scheme in _schemes())
    found.discard("")
    return frozenset(found)


@lru_cache(maxsize=RENDERING_CACHE)
def renderings(word: str) -> frozenset[str]:
    """The folded Latin spellings of a Cyrillic word under every scheme."""
    plain = word.replace("ё", "е").replace("Ё", "Е")
    found = set(scheme_renderings(word))
    # English names written in Cyrillic come back with their English letters: Мэй (May),
    # Джимми (Jimmy), Уэйлз (Wales), Уильям (William), Макс (Max).
    english = fold(transliterate(plain.replace("э", "а").replace("Э", "А")))
    english = english.replace("dzh", "j").replace("ks", "x")
    english = _ENGLISH_W.sub("w", english)
    found.add(english)
    found.update(fold(scheme.translate(plain)) for scheme in _schemes())
    found.discard("")
    return frozenset(found)


# Letters that sound alike, for `skeleton`: c/k/q, s/z, v/w, i/j/y, f/ph.
_SOUNDS = str.maketrans({"c": "k", "q": "k", "z": "s", "w": "v", "j": "y", "x": "s"})
_SILENT = regex.compile(r"(?<=\p{L})h|[aeiouy]")
# How alike two consonant skeletons must be (rapidfuzz ratio) for an English-origin
# spelling (``Clement`` for ``Клеман``, ``Loughner`` for ``Лафнер``); off at 101.
SKELETON_RATIO = 80
SKELETON_MIN = 3


def skeleton(folded: str) -> str:
    """A word's consonants, alike-sounding ones merged: ``graves`` and ``greyvz`` -> ``grvs``."""
    text = folded.replace("ph", "f").replace("gh", "").replace("dzh", "j").replace("zh", "j")
    text = regex.sub(r"c(?=[eiy])", "s", text).translate(_SOUNDS)
    head, rest = text[:1], _SILENT.sub("", text[1:])
    return regex.sub(r"(.)\1+", r"\1", head + rest)


@lru_cache(maxsize=VERDICT_CACHE)
def renders(word: str, latin: str) -> bool:
    """Whether the Latin ``latin`` may spell the Cyrillic ``word``."""
    target = fold(latin)
    if not target:
        return False
    key = variant_key(target)
    for spelling in renderings(word):
        if variant_key(spelling) == key or ratio(spelling, target) >= min_ratio(spelling):
            return True
        if len(spelling) >= SHARED_PREFIX and spelling[:SHARED_PREFIX] == target[:SHARED_PREFIX]:
            return True
    if SKELETON_RATIO <= 100:
        bones = skeleton(target)
        for spelling in renderings(word):
            theirs = skeleton(spelling)
            if (
                len(theirs) >= SKELETON_MIN
                and bones[:1] == theirs[:1]
                and ratio(bones, theirs) >= SKELETON_RATIO
            ):
                return True
    return False


def transliterates_to(word: str, latin: str, at_least: float = 75) -> bool:
    """Whether a standard scheme spells the Cyrillic ``word`` close to ``latin``: the same
    variant key, ``at_least`` alike, or the same first five letters (the name table's test
    of what needs no table)."""
    target = fold(latin)
    if not target:
        return False
    key = variant_key(target)
    return any(
        variant_key(s) == key
        or ratio(s, target) >= at_least
        or (len(s) >= SHARED_PREFIX and s[:SHARED_PREFIX] == target[:SHARED_PREFIX])
        for s in scheme_renderings(word)
    )
