"""The names of a Russian source, for the names stage: pymorphy3's lemmas and name tags.

A name is read in its dictionary form whatever its case (``Лаврову`` -> ``Лавров``,
``Идлибе`` -> ``Идлиб``), and a name opening a sentence counts when the dictionary tags
it as one (``Лавров заявил``). An adjective made from a name (``идлибской``, lemma
``идлибский``) gives the name's stem (``Idlib``), the only ending still written out here.
A capitalised ``-ский`` word (``Зеленского``) is a surname as well as an adjective, so it
gives both (``Zelensky``, ``Zelen``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import regex

from copydesk.models.morph import NAME_TAGS, Analysis, analyses
from copydesk.models.translit import CYRILLIC_WORD, SENTENCE_OPENERS, transliterate, variant_key

# The lemma of an adjective made from a name: Идлибский, Мюнхенский, Донецкий, Донской.
ADJECTIVE_LEMMA = regex.compile(r"(?:ск|цк)(?:ий|ой)$")
# A lemma's English forms (``израиль`` -> ``Israel``), most used first: the checks'
# learnt table, which the stage passes in (`copydesk.models.checks.name_table`).
EnglishNames = Callable[[str], Sequence[str]]
NAME_FILTER = True
# A stem shorter than this is no name (``детский``, ``узкий``).
MIN_STEM = 3


_NEXT_WORD = regex.compile(r"\s+(\p{Ll}+)")
# An initial or a short abbreviation of a first name before a surname: ``Дм.``, ``А.``.
_INITIAL = regex.compile(r"(?:^|\s)\p{Lu}\p{Ll}{0,2}\.$")


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence: nothing or an opener before it, the
    full stop of an initial (``Дм. Глуховский``) aside."""
    before = text[:start].rstrip()
    if not before:
        return True
    return before[-1] in SENTENCE_OPENERS and not _INITIAL.search(before)


def _latin(word: str) -> str:
    latin = transliterate(word)
    return latin[:1].upper() + latin[1:]


def _name_like(parse: Analysis) -> bool:
    """Whether pymorphy3's reading is a name's: tagged as one, or a word it does not know."""
    return bool(parse.tags & NAME_TAGS) or not parse.known


def _from_a_name(stem: str, adjective: Analysis) -> bool:
    """Whether an adjective's stem is a name's (``мюнхен``ский: Мюнхен is a place), or the
    dictionary does not know the adjective (``идлибский``): not ``юридический``."""
    if not adjective.known:
        return True
    return any(
        p.known and p.tags & NAME_TAGS
        for ending in ("", "а", "я", "ия")
        for p in analyses(stem + ending)[:1]
    )


def _forms(word: str, sentence_start: bool, next_is_noun: bool) -> list[str]:
    """The Cyrillic forms of a name that ``word`` may be, in the order to try them
    (``next_is_noun``: a lowercase noun follows, which an adjective would qualify)."""
    parses = analyses(word)
    named = [p for p in parses if p.tags & NAME_TAGS]
    lemma = (named or parses)[0].lemma
    stem = ""
    for parse in parses:
        adjective = ADJECTIVE_LEMMA.search(parse.lemma)
        if "ADJF" in parse.tags and adjective and adjective.start() >= MIN_STEM:
            if not NAME_FILTER or _from_a_name(parse.lemma[: adjective.start()], parse):
                stem = parse.lemma[: adjective.start()]
            break
    if not word[:1].isupper():
        return [stem] if stem else []
    if sentence_start and not (parses[0].known and parses[0].tags & NAME_TAGS):
        return []
    if NAME_FILTER and not stem and not any(_name_like(p) for p in parses):
        return []  # a common word with a capital: Парламент, Национальной
    if stem and next_is_noun:
        return [stem]  # ``Идлибской зоне``, ``Мюнхенской конференции``: an adjective
    return [f for f in (word, lemma, stem) if f]


def _source_names(source: str, english: EnglishNames | None) -> Iterator[tuple[str, str, str]]:
    """(key, Latin form, Cyrillic word) for every name in the source, in order."""
    for match in CYRILLIC_WORD.finditer(source):
        word = match.group()
        sentence_start = _opens_sentence(source, match.start())
        after = _NEXT_WORD.match(source, match.end())
        next_is_noun = bool(after) and "NOUN" in analyses(after.group(1))[0].tags
        forms = _forms(word, sentence_start, next_is_noun)
        if english is not None:
            for form in forms:
                for spelling in english(form.lower())[:1]:
                    yield variant_key(spelling), spelling, word
        for form in forms:
            latin = _latin(form)
            yield variant_key(latin), latin, word


def source_names(source: str, english: EnglishNames | None = None) -> dict[str, str]:
    """Latin forms of the proper names in a Russian text, keyed by `variant_key`; with
    ``english``, a name's English form (``Israel``) before its transliteration."""
    names: dict[str, str] = {}
    for key, latin, _ in _source_names(source, english):
        names.setdefault(key, latin)
    return names


def source_name_words(source: str, english: EnglishNames | None = None) -> dict[str, str]:
    """The source's own word for each of `source_names` (``idlib`` -> ``идлибской``), so
    that an edit's evidence can point at it."""
    words: dict[str, str] = {}
    for key, _, word in _source_names(source, english):
        words.setdefault(key, word)
    return words
