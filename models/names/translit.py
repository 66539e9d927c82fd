"""Russian names in Latin letters: one news scheme, its usual variants, and a variant key.

The scheme is BGN/PCGN as English-language news applies it (``й`` and ``ы`` as ``y``,
``х`` as ``kh``, ``е`` as ``ye`` only at the start of a word, soft and hard signs
dropped). Different schemes and habits give ``Sergey``/``Sergei``/``Sergej``,
``Dmitry``/``Dmitri``/``Dmitriy``, ``Zelensky``/``Zelenskiy``/``Zelenskyy`` and
``Aleksandr``/``Alexander``; `variant_key` maps all spellings of one name to one key.
"""

from __future__ import annotations

import regex

_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip
_VOWELS = set("аеёиоуыэюяъь")

# Russian adjective endings, longest first: Идлибской -> Идлиб, Iglinskiy -> Iglin.
CYRILLIC_ADJECTIVE = regex.compile(
    r"(?:ск|цк)(?:ий|ый|ой|ая|ое|ие|ые|ого|ому|ом|ой|ую|ых|ым|ими|ыми|их|им)$"
)
LATIN_ADJECTIVE = regex.compile(
    r"(?:sk|tsk|zk)(?:iy|ii|ij|yy|y|i|aya|aia|oye|oe|oy|oi|ogo|omu|om|uyu|ikh|ykh|ie|ye|iye)$"
)
NOUN_CASE_ENDING = regex.compile(r"(?:ами|ями|ом|ем|ой|ей|ым|им|ах|ях|ов|ев|а|я|у|ю|е|ы|и)$")
CYRILLIC_WORD = regex.compile(r"\p{Cyrillic}+(?:-\p{Cyrillic}+)*")
LATIN_WORD = regex.compile(r"\p{Latin}+(?:['’-]\p{Latin}+)*")

_KEY_RULES = [
    (regex.compile(r"x"), "ks"),
    (regex.compile(r"j"), "y"),
    (regex.compile(r"(?:iy|yy|ii|iy|yi)(?=$|[^aeiou])"), "y"),
    (regex.compile(r"ei$"), "ey"),
    (regex.compile(r"(?<=[^aeiouy])i$"), "y"),
    (regex.compile(r"ie(?=v|va|vich|vna)"), "iye"),
    (regex.compile(r"kh"), "h"),
    (regex.compile(r"ander$"), "andr"),
    (regex.compile(r"ee"), "eye"),
    (regex.compile(r"ck"), "k"),
    (regex.compile(r"([bcdfghjklmnpqrstvwxz])\1"), r"\1"),
]


def transliterate(word: str) -> str:
    """Latin spelling of a Russian word in the news scheme, with its capitalisation."""
    out = []
    for i, ch in enumerate(word):
        low = ch.lower()
        if low == "е" and (i == 0 or word[i - 1].lower() in _VOWELS):
            latin = "ye"
        else:
            latin = _TABLE.get(low, ch)
        if ch.isupper() and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


def variant_key(name: str) -> str:
    """One key for all usual Latin spellings of a name (``Sergei``, ``Sergey`` -> ``sergey``)."""
    key = name.lower()
    for pattern, replacement in _KEY_RULES:
        key = pattern.sub(replacement, key)
    return key


def strip_adjective(word: str) -> tuple[str, str]:
    """Split a Russian-style adjective (Cyrillic or Latin) into stem and ending."""
    pattern = CYRILLIC_ADJECTIVE if regex.search(r"\p{Cyrillic}", word) else LATIN_ADJECTIVE
    match = pattern.search(word.lower())
    if match is None or match.start() < 3:
        return word, ""
    return word[: match.start()], word[match.start() :]


def source_names(source: str) -> dict[str, str]:
    """Latin forms of the proper names in a Russian text, keyed by `variant_key`.

    Capitalised words not at a sentence start count as names; adjectives in ``-ский``
    (lowercase in Russian: ``идлибской``) are reduced to their noun (``Idlib``).
    """
    names: dict[str, str] = {}
    for match in CYRILLIC_WORD.finditer(source):
        word = match.group()
        before = source[: match.start()].rstrip()
        sentence_start = not before or before[-1] in '.!?…\n«“"'
        stem, ending = strip_adjective(word)
        if ending:
            latin = transliterate(stem)
            latin = latin[:1].upper() + latin[1:]
        elif word[:1].isupper() and not sentence_start:
            latin = transliterate(word)
            bare = NOUN_CASE_ENDING.sub("", word)
            if len(bare) >= 3 and bare != word:  # Маасом -> Маас: oblique case forms
                bare_latin = transliterate(bare)
                names.setdefault(variant_key(bare_latin), bare_latin)
        else:
            continue
        names.setdefault(variant_key(latin), latin)
    return names


def source_capitals(source: str) -> frozenset[str]:
    """`variant_key`s of the names in a Russian text: its Cyrillic names, transliterated
    (`source_names`), and its Latin-script words with a capital as they stand (``Play
    Market``, ``iPhone``), which Russian text keeps for brands and titles."""
    keys = set(source_names(source))
    for match in LATIN_WORD.finditer(source):
        if any(ch.isupper() for ch in match.group()):
            keys.add(variant_key(match.group()))
    return frozenset(keys)
