"""Every person and place the source names has a rendering in the translation.

Names come from natasha's Russian NER (its models ship in its wheel). Each word of a
name is reduced to its lemma by pymorphy3 (``Идлибе`` -> ``Идлиб``, ``Лаврову`` ->
``Лавров``), and a translation word renders it when it spells it under one of several
transliteration schemes (`copydesk.models.checks.translit`, so ``Sergei`` and
``Sergey`` are both right) or is its English name from the learnt table
(`copydesk.models.checks.name_table`: ``Германия`` -> ``Germany``).

A place is rendered when any of its words is (``Южная Корея``: ``Korea``); a person
when the surname is (the last word: first names and patronymics are often dropped).
The flag then points at a capitalised word of the translation that renders nothing in
the source, the likely stand-in, or else at the whole sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

import regex

from copydesk.models.checks.lexicon import coverage, explained_by, translated_in
from copydesk.models.checks.name_table import name_table
from copydesk.models.checks.russian import lemmas, name_like, tags
from copydesk.models.checks.translit import fold, renderings, renders
from copydesk.models.checks.units import PairedCheck, Unit
from copydesk.models.flags import Flag, FlagKind, Severity
from copydesk.models.memory import release
from copydesk.models.translit import transliterate
from copydesk.models.wordstats import is_known_place, zipf

_LATIN = regex.compile(r"\p{Latin}+(?:['’-]\p{Latin}+)*")
_CYRILLIC_CAPITAL = regex.compile(r"\p{Lu}[\p{Cyrillic}-]+")
_NAME_WORD = regex.compile(r"\p{Cyrillic}+(?:-\p{Cyrillic}+)*")
# Capitalised English words that are never a stand-in for a name.
NOT_NAMES = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
# natasha's types that the check follows: organisations are mostly translated word by word.
TYPES = frozenset({"PER", "LOC"})


@dataclass(frozen=True, slots=True)
class SourceName:
    """A name in the source: its span, type and the words that must be rendered."""

    start: int
    end: int
    type: str
    words: tuple[str, ...]


@lru_cache(maxsize=1)
def _ner():  # noqa: ANN202 - natasha's segmenter and tagger, loaded once (about 1 s)
    from natasha import Segmenter

    from copydesk.models.checks.ner import news_ner_tagger

    tagger = news_ner_tagger()
    release()  # what loading it left on the C heap
    return Segmenter(), tagger


@lru_cache(maxsize=4096)
def source_names(text: str) -> tuple[SourceName, ...]:
    """The people and places natasha finds in a Russian text."""
    if not any(_may_name(text, m) for m in _CYRILLIC_CAPITAL.finditer(text)):
        return ()
    from natasha import Doc

    segmenter, tagger = _ner()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    found = []
    for span in doc.spans:
        if span.type not in TYPES:
            continue
        words = tuple(
            m.group()
            for m in _NAME_WORD.finditer(span.text)
            if m.group()[:1].isupper()
            and len(m.group()) > 1
            and not m.group().isupper()
            and (
                _known_english(m.group())
                or name_like(m.group(), _opens(text, span.start + m.start()))
            )
        )
        if words:
            found.append(SourceName(span.start, span.stop, span.type, words))
    return tuple(found)


# pymorphy3's grammemes of names (first names, surnames, patronymics, places,
# organisations); a capital opening a sentence counts only with one of them.
NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "UNKN"})


def _opens(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in '.!?…"«“—–-:'


def _known_english(word: str) -> bool:
    return bool(english_forms(word))


def _may_name(text: str, match: regex.Match) -> bool:
    """Whether a capitalised word may be a name: inside a sentence, or tagged as one."""
    before = text[: match.start()].rstrip()
    if before and before[-1] not in '.!?…"«“—–-:':
        return True
    return bool(tags(match.group()) & NAME_TAGS)


def _forms(word: str) -> tuple[str, ...]:
    """The word, its lemmas (capitalised as the word is) and its hyphen's parts."""
    forms = [word]
    forms += [lemma.capitalize() for lemma in lemmas(word) if lemma != word.lower()]
    if "-" in word:
        forms += [p for p in word.split("-") if len(p) > 2]
    return tuple(dict.fromkeys(forms))


# Dice at least this high makes the lexicon's English word a rendering of a name.
NAME_DICE = 0.2
# A name in the source with no rendering and no word in the translation standing in for
# it: on the tuning part mostly renderings no scheme reaches (Уэйлз / Wales); shown only
# with every flag (below the default threshold).
MISSING_ONLY = 0.45
# …unless the translation is literal (this share of the source's known words rendered,
# `copydesk.models.checks.lexicon.coverage`): then a name left out is an error.
LITERAL = 0.5
MISSING_LITERAL = 0.6
# A capitalised word opening a sentence is read as a name only when English uses it
# this rarely (Zipf): ``Lavrov said`` but not ``From 1996`` (a place's name, too).
OPENING_ZIPF = 3.0


def english_forms(word: str) -> tuple[str, ...]:
    """The table's English names for a Russian word's lemmas."""
    table = name_table()
    found: list[str] = []
    for form in _forms(word):
        found += table.get(form.lower(), ())
    return tuple(dict.fromkeys(found))


def rendered(word: str, latin_words: list[str]) -> bool:
    """Whether one of the translation's words renders the Russian ``word``."""
    known = {fold(e) for e in english_forms(word)}
    for latin in latin_words:
        folded = fold(latin)
        if any((folded[:4] == k[:4] and len(folded) >= 4) or folded == k for k in known):
            return True  # the table's Greece, and Greek
        if any(renders(form, latin) for form in _forms(word)):
            return True
    # The parallel text's own rendering (Ливане -> Lebanon, Чехию -> Czech).
    return translated_in(word, " ".join(latin_words), min_dice=NAME_DICE)


def _abbreviation(text: str, end: int, word: str) -> bool:
    """Whether ``word`` is a short abbreviation: two to four letters, a capital, a full stop."""
    word = word.split("-")[-1]  # R-Va.
    return 2 <= len(word) <= 4 and word[:1].isupper() and text[end : end + 1] == "."


def abbreviated(word: str, abbreviations: list[str]) -> bool:
    """Whether one of the ``abbreviations`` (``Va.``, ``Conn.``) begins a place's rendering
    (``Вирджиния``: Virginia): US states in newspaper style."""
    spellings = {fold(e) for e in english_forms(word)}
    for form in _forms(word):
        spellings |= renderings(form)
    return any(
        len(spelling) > len(fold(a)) and _subsequence(fold(a), spelling)
        for a in abbreviations
        for spelling in spellings
    )


def _subsequence(short: str, long: str) -> bool:
    """Whether ``short``'s letters come in ``long`` in order, the first first (``va``,
    ``virginia``; ``ny``, ``nyu-york``)."""
    if not short or short[0] != long[:1]:
        return False
    rest = iter(long)
    return all(ch in rest for ch in short)


def _latin_words(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _LATIN.finditer(text):
        word = regex.sub(r"['’]s$", "", m.group())
        out.append((m.start(), m.start() + len(word), word))
    return out


def suggestion(word: str) -> str:
    """The likeliest English form of a Russian name word."""
    english = english_forms(word)
    if english:
        return english[0]
    lemma = _forms(word)[1] if len(_forms(word)) > 1 else word
    return transliterate(lemma)


def check_unit(unit: Unit, check: str) -> list[Flag]:
    """Name flags of one unit with a source (offsets into the document)."""
    assert unit.source is not None
    names = source_names(unit.source)
    if not names:
        return []
    latin = _latin_words(unit.text)
    words = [w for _, _, w in latin if w[:1].isupper()]  # names are capitalised
    short = [w.split("-")[-1] for _, end, w in latin if _abbreviation(unit.text, end, w)]
    missing = []
    for name in names:
        if name.type == "PER":
            # every word but a patronymic, which English drops (Сергей Викторович Лавров)
            needed = [w for w in name.words if "Patr" not in tags(w)]
            if not all(rendered(w, words) for w in needed):
                missing.append(name)
        elif not any(rendered(w, words) or abbreviated(w, short) for w in name.words):
            missing.append(name)
    if not missing:
        return []
    stand_ins = _stand_ins(unit, latin)
    literal = len(stand_ins) < len(missing) and coverage(unit.source, unit.text) >= LITERAL
    flags = []
    for index, name in enumerate(missing):
        said = unit.source[name.start : name.end]
        candidates = tuple(dict.fromkeys(suggestion(w) for w in name.words[-1:]))
        message = f"the source's {said} has no rendering in the translation"
        span = unit.source_span(name.start, name.end)
        if index < len(stand_ins):
            start, end, word = stand_ins[index]
            flags.append(
                Flag(
                    unit.start + start,
                    unit.start + end,
                    word,
                    FlagKind.NAME,
                    check,
                    f"{word!r} is not a name in the source; {message}",
                    Severity.ERROR,
                    0.8,
                    *span,
                    candidates,
                )
            )
        else:
            flags.append(
                Flag(
                    unit.start,
                    unit.end,
                    unit.text,
                    FlagKind.NAME,
                    check,
                    message,
                    Severity.WARNING if literal else Severity.INFO,
                    MISSING_LITERAL if literal else MISSING_ONLY,
                    *span,
                    candidates,
                )
            )
    return flags


def _stand_ins(unit: Unit, latin: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Capitalised words inside the translation's sentences that render no source word."""
    assert unit.source is not None
    source_words = [w for w in _NAME_WORD.findall(unit.source) if w[:1].isupper()]
    out = []
    for start, end, word in latin:
        if not word[:1].isupper():
            continue
        opening = start == 0 or unit.text[:start].rstrip()[-1:] in '.!?"“«:'
        if opening and zipf(word.lower()) >= OPENING_ZIPF:
            continue  # a sentence's first word, capitalised as any word would be
        if word.lower() in NOT_NAMES or (zipf(word.lower()) >= 4.0 and not is_known_place(word)):
            continue  # a common word with a capital (State, Freedom), a month
        if any(fold(word) in {fold(e) for e in english_forms(s)} for s in source_words):
            continue
        if any(renders(form, word) for s in source_words for form in _forms(s)):
            continue
        if word.isupper() or (len(word) <= 4 and unit.text[end : end + 1] == "."):
            continue  # an acronym (UBS, ABC) or an abbreviation (Rep., Nov.)
        if explained_by(word, unit.source):
            continue  # the translation of a source word (Freedom / свободы)
        out.append((start, end, word))
    return out


class NameCheck(PairedCheck):
    """Names in the source with no rendering in the translation."""

    name: ClassVar[str] = "names"

    def check_unit(self, unit: Unit) -> list[Flag]:
        return check_unit(unit, self.name)
