"""A negation in one side of a sentence pair that the other side does not have.

Each side's negations are counted by clause: Russian doubles its negatives (``никто
ничего не сказал`` is one negation, "nobody said anything"), so the markers of one
clause count once, and ``ни … ни`` / ``neither … nor`` count once. Phrases where a
negative word negates nothing are left out on both sides: ``не только`` / ``not only``,
``не менее`` / ``no less than``, ``как ни``, ``чуть не`` ("almost"), ``не раз``
("more than once").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import regex

from copydesk.models.checks.units import PairedCheck, Unit
from copydesk.models.flags import Flag, FlagKind, Severity

RU_NEGATIVES = frozenset(
    """
    не нет нельзя никогда ничего ничто ничем ничему никто никого никому никем ником нигде
    никуда ниоткуда никак никакой никакая никакое никакие никакого никакую никаких
    никаким никакими никакому никакой нисколько ничей ничья ничьё ничьи без безо
    """.split()
)
# Words after which ``ни`` concedes rather than negates (``как ни старайся``).
RU_NI_CONCESSIVE = frozenset("как что кто где когда куда сколько какой какая какое чего".split())
# Phrases whose negative word negates nothing (matched on lowercase words).
RU_NOT_NEGATING = (
    ("не", "только"), ("не", "менее"), ("не", "более"), ("не", "раз"), ("чуть", "не"),
    ("едва", "не"), ("не", "то", "чтобы"), ("не", "так", "ли"), ("без", "сомнения"),
    ("не", "без"), ("нет", "ли"), ("не", "правда", "ли"),
)  # fmt: skip
EN_NEGATIVES = frozenset(
    "not no never nothing nobody none neither nor nowhere without cannot noone".split()
)
EN_NOT_NEGATING = (
    ("not", "only"), ("not", "just"), ("no", "less"), ("no", "more"), ("not", "less"),
    ("not", "more"), ("no", "doubt"), ("without", "doubt"), ("no", "sooner"),
    ("nothing", "but"), ("not", "to", "mention"), ("none", "other"),
    ("no", "matter"),
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
        negative = word in RU_NEGATIVES and not _skip(words, i, RU_NOT_NEGATING)
        if word == "ни":
            concessive = i > 0 and words[i - 1] in RU_NI_CONCESSIVE
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
        if word == "nor" and neither:
            clause_has = True
            continue
        neither = neither or word == "neither"
        if negative and not clause_has:
            spans.append((token.start(), token.end()))
        clause_has = clause_has or negative
    return Negation(tuple(spans))


def check_unit(unit: Unit, check: str, *, counts: bool = True) -> list[Flag]:
    """A negation flag when the two sides negate a different number of clauses (or, with
    ``counts`` false, only when one side negates and the other does not)."""
    assert unit.source is not None
    ours, theirs = english_negation(unit.text), russian_negation(unit.source)
    if ours.count == theirs.count or (not counts and ours.count and theirs.count):
        return []
    one_side = not (ours.count and theirs.count)
    confidence = 0.8 if one_side else 0.5
    severity = Severity.ERROR if one_side else Severity.WARNING
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
            )  # fmt: skip
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
        )  # fmt: skip
    ]


class NegationCheck(PairedCheck):
    """A negation one side has and the other has not."""

    name: ClassVar[str] = "negation"

    def check_unit(self, unit: Unit) -> list[Flag]:
        return check_unit(unit, self.name)
