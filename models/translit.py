"""Russian names in Latin letters: one news scheme, its usual variants, and a variant key.

The scheme is BGN/PCGN as English-language news applies it (``й`` and ``ы`` as ``y``,
``х`` as ``kh``, ``е`` as ``ye`` only at the start of a word, soft and hard signs
dropped). Different schemes and habits give ``Sergey``/``Sergei``/``Sergej``,
``Dmitry``/``Dmitri``/``Dmitriy``, ``Zelensky``/``Zelenskiy``/``Zelenskyy`` and
``Aleksandr``/``Alexander``; `variant_key` maps all spellings of one name to one key.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex
from rapidfuzz.fuzz import ratio

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


SENTENCE_OPENERS = '.!?…\n«“"'
# Russian dialogue and lists open a capitalised phrase after a dash or a colon too.
PHRASE_OPENERS = SENTENCE_OPENERS + "-—–:"


def _opens(text: str, start: int, openers: str) -> bool:
    """Whether the word at ``start`` opens a sentence: nothing or one of ``openers`` before."""
    i = start - 1
    while i >= 0 and text[i].isspace():  # no copy of the text before: this runs per word
        i -= 1
    return i < 0 or text[i] in openers


def source_names(source: str) -> dict[str, str]:
    """Latin forms of the proper names in a Russian text, keyed by `variant_key`.

    Capitalised words not at a sentence start count as names; adjectives in ``-ский``
    (lowercase in Russian: ``идлибской``) are reduced to their noun (``Idlib``).
    """
    names: dict[str, str] = {}
    for key, latin, _ in _source_names(source):
        names.setdefault(key, latin)
    return names


def source_name_words(source: str) -> dict[str, str]:
    """The source's own word for each of `source_names` (``idlib`` -> ``идлибской``), so
    that an edit's evidence can point at it."""
    words: dict[str, str] = {}
    for key, _, word in _source_names(source):
        words.setdefault(key, word)
    return words


def _source_names(source: str) -> Iterator[tuple[str, str, str]]:
    """(key, Latin form, Cyrillic word) for every name in the source, in order."""
    for match in CYRILLIC_WORD.finditer(source):
        word = match.group()
        sentence_start = _opens(source, match.start(), SENTENCE_OPENERS)
        stem, ending = strip_adjective(word)
        if ending:
            latin = transliterate(stem)
            latin = latin[:1].upper() + latin[1:]
        elif word[:1].isupper() and not sentence_start:
            latin = transliterate(word)
            bare = NOUN_CASE_ENDING.sub("", word)
            if len(bare) >= 3 and bare != word:  # Маасом -> Маас: oblique case forms
                bare_latin = transliterate(bare)
                yield variant_key(bare_latin), bare_latin, word
        else:
            continue
        yield variant_key(latin), latin, word


def source_capitals(source: str) -> frozenset[str]:
    """`variant_key`s of the names in a Russian text: its Cyrillic names, transliterated
    (`source_names`), and its Latin-script words with a capital as they stand (``Play
    Market``, ``iPhone``), which Russian text keeps for brands and titles."""
    keys = set(source_names(source))
    for match in LATIN_WORD.finditer(source):
        if any(ch.isupper() for ch in match.group()):
            keys.add(variant_key(match.group()))
    return frozenset(keys)


def _phrase_capitals(pattern: regex.Pattern, text: str) -> list[regex.Match]:
    """Capitalised words (acronyms left out) that do not open a sentence or phrase."""
    return [
        m
        for m in pattern.finditer(text)
        if m.group()[:1].isupper()
        and not m.group().isupper()
        and not _opens(text, m.start(), PHRASE_OPENERS)
    ]


def untransliterated_capitals(source: str, translation: str) -> list[str]:
    """The source's capitalised words inside a phrase that no word of the translation
    transliterates: words Russian capitalises for a reason of its own (``орденом
    Мужества``, ``Христос Воскресе``, a nickname ``Акуля``), which the translation may
    carry as a capitalised English word (``Courage``, ``Risen``, ``Shark``).

    A name counts as transliterated when some word of the translation is at least 70%
    like it or shares its first four letters.
    """
    return _untransliterated(_phrase_capitals(CYRILLIC_WORD, source), translation)


def _untransliterated(capitals: list[regex.Match], translation: str) -> list[str]:
    words = [w.lower() for w in LATIN_WORD.findall(translation)]
    found = []
    for match in capitals:
        latin = transliterate(NOUN_CASE_ENDING.sub("", match.group())).lower()
        if not any(transliterates(latin, w) for w in words):
            found.append(match.group())
    return found


def transliterates(latin: str, word: str) -> bool:
    """Whether ``word`` may be the translation's spelling of the transliterated ``latin``
    (both lowercase): at least 70% alike, or the same first four letters (``kargo`` /
    ``cargo``, ``stendingom`` / ``standing``)."""
    return ratio(latin, word) >= 70 or (len(latin) >= 4 and word[:4] == latin[:4])


def names_a_source_capital(word: str, keys: frozenset[str]) -> bool:
    """Whether ``word`` spells one of the source's names (``keys`` from `source_capitals`):
    the same `variant_key`, or, for a word of four letters or more, a close spelling
    (``Discord`` for ``Дискорде``, ``Cargo`` for ``Карго``)."""
    key = variant_key(word)
    return key in keys or (len(word) >= 4 and any(transliterates(k, key) for k in keys))


def mirrors_source_capitals(source: str, translation: str) -> bool:
    """Whether every capital inside the translation's phrases may stand for one of the
    source's: the source sentence has at least as many, and one at least that is no
    name the translation transliterates. Then no capital of the translation is lowered.

    The count keeps the rule from firing on ordinary news: ``the Meeting at the Munich
    conference`` has two capitals where its source (``встреча на Мюнхенской
    конференции``) has one, so ``Meeting`` may still be lowered, while ``Christ is
    Risen`` (``Христос Воскресе``) keeps its capital.
    """
    source_caps = _phrase_capitals(CYRILLIC_WORD, source)
    translation_caps = _phrase_capitals(LATIN_WORD, translation)
    return len(source_caps) >= len(translation_caps) and bool(
        _untransliterated(source_caps, translation)
    )


# Russian surnames' masculine and feminine endings, in Latin spelling: a pair of forms
# that differ only so are two people (Petrov, Petrova), never one name misspelt.
GENDERED_ENDINGS = (
    ("skiy", "skaya"), ("skii", "skaya"), ("sky", "skaya"), ("ski", "ska"),
    ("tskiy", "tskaya"), ("ov", "ova"), ("ev", "eva"), ("yov", "yova"), ("in", "ina"),
    ("yn", "yna"), ("iy", "aya"), ("yy", "aya"), ("oy", "aya"), ("y", "aya"),
)  # fmt: skip


def gendered_pair(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are the masculine and feminine forms of one surname."""
    a, b = a.lower(), b.lower()
    for masculine, feminine in GENDERED_ENDINGS:
        for m, f in ((a, b), (b, a)):
            stem = m[: -len(masculine)]
            if m.endswith(masculine) and f == stem + feminine and len(stem) >= 2:
                return True
    return False
