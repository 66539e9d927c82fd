"""Word-form comparisons for names: likeness, diacritics, inflections and derivations."""

from __future__ import annotations

import unicodedata

from rapidfuzz.distance import Levenshtein

# ``Murcian``, ``Worcesters``: a name plus one of these is a derived word, not a garble.
DERIVATIONS = ("s", "es", "n", "an", "ian", "ns", "ese", "i", "ish", "ite", "ites", "er", "ers")
# The shortest name whose inflections (``Rovaniemen``) `derived` recognises.
INFLECTED_MIN_LETTERS = 5


def similarity(a: str, b: str) -> float:
    """1 - normalised Levenshtein distance, case-insensitive."""
    return Levenshtein.normalized_similarity(a.lower(), b.lower())


def letters_apart(a: str, b: str) -> int:
    """How many letters differ between ``a`` and ``b`` (Levenshtein, case-insensitive)."""
    return Levenshtein.distance(a.lower(), b.lower())


def fold(word: str) -> str:
    """Lowercase without accents: ``Tórtola`` and ``Tortola`` fold alike."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def toggles_accents(a: str, b: str) -> bool:
    """Whether ``b`` adds or takes off a diacritic on a letter of ``a`` (``Kateřina``,
    ``Katarina``), rather than only changing letters (``Mäkeliskoy``, ``Mäkelä``)."""
    return Levenshtein.distance(fold(a), fold(b)) < Levenshtein.distance(a.lower(), b.lower())


def prefix_of(a: str, b: str) -> bool:
    """One name is the other plus letters (``Kim``, ``Kimberly``): different names."""
    a, b = a.lower(), b.lower()
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and len(long) - len(short) >= 2


def derived(word: str, name: str, ending: str) -> bool:
    """Whether ``word`` is ``name`` inflected or derived in some language, not garbled.

    The name plus letters (``Worcesters``, ``Marxin``, ``Kovaca``), unless ``word`` has a
    Russian adjective ``ending`` (``Idlibskiy`` is a garble) that is no derivational one;
    or ``word`` plus a derivational ending is the name (``Murcia`` beside ``Murcian``).
    Also a longer word that keeps all but the name's last letter: inflections and
    derivations that change the final letter (Finnish ``Rovaniemen`` from ``Rovaniemi``,
    Inuktitut ``Nunavummiut`` from ``Nunavut``, French ``Philharmonique``). A garble keeps
    the name's length or, as a Russian adjective, has an ``ending``.
    """
    w, n = fold(word), fold(name)
    if not ending and len(w) > len(n) >= INFLECTED_MIN_LETTERS and w.startswith(n[:-1]):
        return True
    return (w.startswith(n) and (not ending or w[len(n) :] in DERIVATIONS)) or (
        n.startswith(w) and n[len(w) :] in DERIVATIONS
    )
