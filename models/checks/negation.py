"""A negation in one side of a sentence pair that the other side does not have.

Each side's negations are counted by clause: Russian doubles its negatives (``никто
ничего не сказал`` is one negation, "nobody said anything"), so the markers of one
clause count once, and ``ни … ни`` / ``neither … nor`` count once. Phrases where a
negative word negates nothing are left out on both sides: ``не только`` / ``not only``,
``не менее`` / ``no less than``, ``как ни``, ``чуть не`` ("almost"), ``не раз``
("more than once"), questions with ``не … ли`` ("whether") and concessions with ``бы …
ни`` ("however"). A negation one side says with a word (``without``, ``unable``, ``no
longer`` for ``перестал``, ``неудивительно`` for "no surprise") lowers the flag's
confidence below the default threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import regex

from copydesk.models.checks.lexicon import coverage, explained_by, translated_in
from copydesk.models.checks.russian import lemmas
from copydesk.models.checks.units import PairedCheck, Unit
from copydesk.models.flags import Flag, FlagKind, Severity
from copydesk.models.wordstats import zipf

RU_NEGATIVES = frozenset(
    """
    не нет нельзя никогда ничего ничто ничем ничему никто никого никому никем ником нигде
    никуда ниоткуда никак нету нечего некого нечем нечему некому негде некуда никакой никакая
    никакое никакие никакого никакую никаких
    никаким никакими никакому никакой нисколько ничей ничья ничьё ничьи вряд отсутствие
    отсутствия отсутствию отсутствием отсутствии отсутствует отсутствуют отсутствовал
    отсутствовала отсутствовали
    """.split()
)
# Words after which ``ни`` concedes rather than negates (``как ни старайся``).
RU_NI_CONCESSIVE = frozenset("как что кто где когда куда сколько какой какая какое чего то".split())
# Phrases whose negative word negates nothing (matched on lowercase words).
RU_NOT_NEGATING = (
    ("не", "только"), ("не", "менее"), ("не", "более"), ("не", "раз"), ("чуть", "не"),
    ("едва", "не"), ("не", "то", "чтобы"), ("не", "так", "ли"), ("нет", "ли"),
    ("не", "правда", "ли"), ("не", "просто"), ("не", "иначе"), ("не", "говоря"),
    ("несмотря", "ни"), ("нет", "сомнений"), ("нет", "сомнения"), ("нельзя", "не"),
    ("не", "без"),
)  # fmt: skip
# A question with ``ли`` this few words after its ``не`` asks rather than negates: ``не
# писали ли таблоиды`` ("whether the tabloids wrote"), ``нельзя ли`` ("whether we can").
RU_QUESTION_REACH = 3
EN_NEGATIVES = frozenset(
    "not no never nothing nobody none neither nor nowhere cannot noone unless lack lacks lacked "
    "lacking absence absent hardly unlikely".split()
)
EN_NOT_NEGATING = (
    ("not", "only"), ("not", "just"), ("no", "less"), ("no", "more"), ("not", "less"),
    ("not", "more"), ("no", "doubt"), ("no", "sooner"),
    ("nothing", "but"), ("not", "to", "mention"), ("none", "other"),
    ("no", "matter"), ("next", "to", "nothing"), ("not", "until"), ("not", "merely"),
)  # fmt: skip
EN_FAIL = regex.compile(r"(?i)^fail(?:s|ed|ing)?$")
# Clause boundaries: punctuation, and the conjunctions that open a new clause.
_CLAUSE_PUNCT = regex.compile(r"[,;:()\[\]—–]|\s-\s")
RU_CLAUSE_WORDS = frozenset("и но а или что чтобы который которая которое которые если".split())
EN_CLAUSE_WORDS = frozenset("and but or that which who if because while".split())
_WORDS = regex.compile(r"[\p{L}]+(?:['’][\p{L}]+)?|[,;:()\[\]—–]|\s-\s")


@dataclass(frozen=True, slots=True)
class Negation:
    """The negating clauses of one side, and the first marker of each (its span)."""

    spans: tuple[tuple[int, int], ...]

    @property
    def count(self) -> int:
        return len(self.spans)


def _skip(words: list[str], i: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Whether word ``i`` is the negative word of a phrase that negates nothing."""
    for phrase in phrases:
        for at, part in enumerate(phrase):
            if part != words[i]:
                continue
            start = i - at
            if start >= 0 and tuple(words[start : start + len(phrase)]) == phrase:
                return True
    return False


def _asks(words: list[str], i: int) -> bool:
    """Whether the negative word ``i`` opens a question with ``ли`` (``не … ли``)."""
    return words[i] in ("не", "нельзя") and "ли" in words[i + 1 : i + 1 + RU_QUESTION_REACH]


def _concedes(words: list[str], i: int) -> bool:
    """Whether ``не``/``ни`` at ``i`` concedes after a question word and ``бы`` (``как бы
    они ни противоречили``, ``чье бы поле ни было``): "however", "whoever's"."""
    before = words[max(0, i - 4) : i]
    return "бы" in before and any(w in RU_NI_CONCESSIVE or w.startswith("ч") for w in before)


def russian_negation(text: str) -> Negation:
    """The Russian text's negated clauses."""
    tokens = list(_WORDS.finditer(text))
    words = [t.group().lower() for t in tokens]
    spans: list[tuple[int, int]] = []
    clause_has = False
    ni_run = False
    for i, (token, word) in enumerate(zip(tokens, words, strict=True)):
        if _CLAUSE_PUNCT.fullmatch(token.group()) or word in RU_CLAUSE_WORDS:
            clause_has = False
            continue
        negative = (
            word in RU_NEGATIVES
            and not _skip(words, i, RU_NOT_NEGATING)
            and not _asks(words, i)
            and not (word in ("не", "ни") and _concedes(words, i))
        )
        if word == "ни":
            concessive = (
                (i > 0 and words[i - 1] in RU_NI_CONCESSIVE)
                or _concedes(words, i)
                or _skip(words, i, RU_NOT_NEGATING)
            )
            if concessive:
                continue
            if ni_run:  # ни … ни: one negation
                clause_has = True
                continue
            ni_run = negative = True
        if negative and not clause_has:
            spans.append((token.start(), token.end()))
        clause_has = clause_has or negative
    return Negation(tuple(spans))


def english_negation(text: str) -> Negation:
    """The English text's negated clauses."""
    tokens = list(_WORDS.finditer(text))
    words = [t.group().lower().replace("’", "'") for t in tokens]
    spans: list[tuple[int, int]] = []
    clause_has = False
    neither = False
    for i, (token, word) in enumerate(zip(tokens, words, strict=True)):
        if _CLAUSE_PUNCT.fullmatch(token.group()) or word in EN_CLAUSE_WORDS:
            clause_has = False
            continue
        negative = (
            (word in EN_NEGATIVES and not _skip(words, i, EN_NOT_NEGATING))
            or word.endswith("n't")
            or (bool(EN_FAIL.match(word)) and i + 1 < len(words) and words[i + 1] == "to")
        )
        if word == "no" and token.group() == "No" and regex.match(r"\.?\s*\d", text[token.end() :]):
            negative = False  # No. 5
        if word == "no" and i + 1 < len(words) and words[i + 1] == "one":
            negative = True
        if negative and word == "not" and i + 1 < len(words) and _negative_word(words[i + 1]):
            negative = False  # ``not without``, ``not inaccurately``: two negations
        if word == "nor" and neither:
            clause_has = True
            continue
        neither = neither or word == "neither"
        if negative and not clause_has:
            spans.append((token.start(), token.end()))
        clause_has = clause_has or negative
    return Negation(tuple(spans))


# Confidence of a flag: one side negates and the other has no negative word at all; the
# other side says it with a word that carries the negation (``unaware``, ``невозможно``);
# both negate, a different number of times.
ONE_SIDED = 0.85
# One side negates, but the words it negates have no translation on the other side: a
# free rendering more often than a dropped or added negation (`_rendered_without`).
FREE = 0.45
# A translation whose words render at least this share of the source's known words
# is literal enough for a one-sided negation to be an error whatever the words negated.
LITERAL = 0.3
IMPLICIT = 0.45
COUNTS_DIFFER = 0.4
# English words that carry a negation in them (``advises against`` for ``советует не``).
EN_IMPLICIT = regex.compile(
    r"(?i)^(?:against|impossible|inability|incapable|incorrect|invalid|insufficient|refus\p{L}*"
    r"|avoid\p{L}*|prevent\p{L}*|instead|rather|den(?:y|ies|ied)|ban|bann\p{L}+|forb\p{L}+"
    r"|prohibit\p{L}*|little|few|until|till|except|neglect\p{L}*|miss(?:es|ed|ing)?"
    r"|stop(?:s|ped|ping)?|gone|ignor\p{L}+|unable|lack\p{L}*|fail\p{L}*"
    r"|declin\p{L}+|reject\p{L}*|absen\p{L}+)$"
)
# Russian lemmas that begin like a negative word and are none.
RU_NOT_IMPLICIT = frozenset(
    "несколько недавно недавний немного немало некоторый нередко необходимый необходимо "
    "неделя нефть нефтяной небо некий нечто немец немецкий нести несмотря невеста нерв "
    "нижний низкий ниже нить никель безопасность безопасный необходимость нейлоновый "
    "непосредственно непременно непременный".split()
)


# Russian words English often says with a negative (``Неудивительно`` / "it is no
# surprise", ``отказался`` / "did not want"), in any case, at a sentence's start too.
RU_LEXICAL_NEGATIVES = frozenset(
    "неудивительно неудивительный неважно недостаток недостаточно недостаточный нехватка "
    "неизвестно отказаться отказываться "
    "провалиться отсутствовать".split()
)
# ``no longer`` says ``перестал``, ``прекратил``: no negation of the proposition.
RU_NO_LONGER = frozenset("перестать переставать прекратить прекращать".split())


def _implicit_russian(text: str, english: str = "") -> bool:
    """Whether a Russian text carries a negation inside a word (``невозможно``, ``без``)
    that the ``english`` does not already render with a word of its own (``необходимыми``
    / "necessary", ``без`` / "without": those explain no ``not``)."""
    for m in _WORDS.finditer(text):
        word = m.group().lower()
        if lemmas(word)[0] in RU_LEXICAL_NEGATIVES:
            return True
        implicit = word in ("без", "безо", "против") or (
            len(word) > 4
            and m.group().islower()
            and word.startswith(("не", "ни", "без", "бес", "отказ", "запрет"))
            and lemmas(word)[0] not in RU_NOT_IMPLICIT
        )
        if implicit and not (RENDERED_IMPLICIT and english and translated_in(word, english)):
            return True
    return False


# Whether a Russian word carrying a negation that the English renders with a word of its
# own is left out of `_implicit_russian` (tuning part: see docs/experiments/checks.md).
RENDERED_IMPLICIT = True


def _negative_word(word: str) -> bool:
    """Whether an English word carries a negation itself (``without``, ``unaware``)."""
    if word == "without" or EN_IMPLICIT.match(word):
        return True
    if word.startswith(("inaccura", "inappropriat", "insignifican", "incomplet", "indirect")):
        return True
    return any(
        word.startswith(prefix)
        and len(word) - len(prefix) >= 4
        and zipf(word[len(prefix) :]) >= 3.5
        for prefix in ("un", "non")
    )


def _implicit_english(text: str, source: str) -> bool:
    """Whether an English text carries a negation inside a word: one of `EN_IMPLICIT`,
    ``un-``/``non-`` before a common word (``unaware``), a common word before ``-less``;
    or ``without`` where the source has no ``без`` for it to render (``не прописав`` /
    "without stating")."""
    for m in _WORDS.finditer(text):
        word = m.group().lower()
        if EN_IMPLICIT.match(word):
            return True
        if word == "without" and not _RU_WITHOUT.search(source):
            return True
        for prefix in ("un", "non"):
            rest = word[len(prefix) :]
            if word.startswith(prefix) and len(rest) >= 4 and zipf(rest) >= 3.5:
                return True
        if word.endswith("less") and len(word) >= 7 and zipf(word[:-4]) >= 3.5:
            return True
    return False


def _negated(text: str, spans: tuple[tuple[int, int], ...], skip: frozenset[str]) -> list[str]:
    """The two words after each negative word (auxiliaries and ``be`` skipped)."""
    out = []
    for _, end in spans:
        words = [w for w in _WORDS.findall(text[end:]) if w.lower() not in skip and w.isalpha()]
        out += words[:2]
    return out


_EN_SKIP = frozenset("be been being have has had do does did to a an the any longer".split())


def _rendered_without(unit: Unit, ours: Negation, theirs: Negation) -> bool:
    """Whether the negated words of the side that negates are translated on the other side
    (``не подписал`` / "did sign": the negation itself was dropped), by the lexicon."""
    assert unit.source is not None
    if coverage(unit.source, unit.text) >= LITERAL:
        return True
    if theirs.count:
        words = _negated(unit.source, theirs.spans, frozenset())
        return any(translated_in(w, unit.text) for w in words)
    words = _negated(unit.text, ours.spans, _EN_SKIP)
    return any(explained_by(w, unit.source) for w in words)


def _mostly_cyrillic(text: str) -> bool:
    return len(_CYRILLIC_LETTER.findall(text)) > len(_LATIN_LETTER.findall(text))


_RU_WITHOUT = regex.compile(r"(?i)\bбезо?\b")
_EN_NO_LONGER = regex.compile(r"(?i)\bno\s+longer\b")


def _no_longer(unit: Unit) -> bool:
    """``no longer`` in the translation for ``перестал``/``прекратил`` in the source."""
    assert unit.source is not None
    return bool(_EN_NO_LONGER.search(unit.text)) and any(
        lemmas(m.group().lower())[0] in RU_NO_LONGER for m in _WORDS.finditer(unit.source)
    )


_CYRILLIC_LETTER = regex.compile(r"\p{Cyrillic}")
_LATIN_LETTER = regex.compile(r"\p{Latin}")


def check_unit(unit: Unit, check: str) -> list[Flag]:
    """A negation flag when the two sides negate a different number of clauses."""
    assert unit.source is not None
    if _mostly_cyrillic(unit.text):
        return []  # left untranslated: the untranslated check says so
    ours, theirs = english_negation(unit.text), russian_negation(unit.source)
    if ours.count == theirs.count:
        return []
    if ours.count and theirs.count:
        confidence, severity = COUNTS_DIFFER, Severity.INFO
    elif ours.count and not theirs.count and _no_longer(unit):
        return []
    elif (
        _implicit_russian(unit.source, unit.text)
        if ours.count
        else _implicit_english(unit.text, unit.source)
    ):
        confidence, severity = IMPLICIT, Severity.INFO
    elif _rendered_without(unit, ours, theirs):
        confidence, severity = ONE_SIDED, Severity.ERROR
    else:
        confidence, severity = FREE, Severity.INFO
    if ours.count > theirs.count:
        start, end = ours.spans[-1]
        said = unit.text[start:end]
        message = (
            f"{said!r} negates, but the source does not"
            if not theirs.count
            else f"the translation negates {ours.count} times, the source {theirs.count}"
        )
        return [
            Flag(
                unit.start + start,
                unit.start + end,
                said,
                FlagKind.NEGATION,
                check,
                message,
                severity,
                confidence,
            )
        ]
    s_start, s_end = theirs.spans[-1]
    said = unit.source[s_start:s_end]
    message = (
        f"the source negates ({said}), the translation does not"
        if not ours.count
        else f"the source negates {theirs.count} times, the translation {ours.count}"
    )
    return [
        Flag(
            unit.start,
            unit.end,
            unit.text,
            FlagKind.NEGATION,
            check,
            message,
            severity,
            confidence,
            *unit.source_span(s_start, s_end),
        )
    ]


class NegationCheck(PairedCheck):
    """A negation one side has and the other has not."""

    name: ClassVar[str] = "negation"

    def check_unit(self, unit: Unit) -> list[Flag]:
        return check_unit(unit, self.name)
