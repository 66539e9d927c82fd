"""Months and weekdays in the translation that the source does not name, and the reverse.

Russian months and weekdays are found by their lemmas in any case (``марта``, ``в
среду``); ``среда`` counts as Wednesday only where it cannot be "environment" (``в
среду``, ``по средам``). English ``May`` is a month only beside a number or after a
word that introduces a date (``in May``). Days of the month and years are numbers, which
the number check flags as dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import regex

from copydesk.models.checks.numbers import EN_MONTHS, RU_MONTHS
from copydesk.models.checks.russian import WORD, lemmas
from copydesk.models.checks.units import PairedCheck, Unit
from copydesk.models.flags import Flag, FlagKind, Severity

EN_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
RU_WEEKDAYS = "понедельник вторник среда четверг пятница суббота воскресенье".split()
EN_NAMES = {m: ("month", i) for i, m in enumerate(EN_MONTHS)} | {
    d: ("weekday", i) for i, d in enumerate(EN_WEEKDAYS)
}
EN_NAMES |= {m[:3]: ("month", i) for i, m in enumerate(EN_MONTHS) if m != "may"} | {
    "sept": ("month", 8)
}
# Weekdays' and months' adjectives (``в субботнем матче``), and pymorphy3's lemma of
# ``воскресенье`` (it reads it as ``воскресение``).
RU_ADJECTIVES = (
    "январский февральский мартовский апрельский майский июньский июльский "
    "августовский сентябрьский октябрьский ноябрьский декабрьский"
).split()
RU_WEEKDAY_ADJECTIVES = (
    "понедельничный вторничный средовый четверговый пятничный субботний воскресный"
).split()
RU_NAMES = (
    {m: ("month", i) for i, m in enumerate(RU_MONTHS)}
    | {d: ("weekday", i) for i, d in enumerate(RU_WEEKDAYS)}
    | {a: ("month", i) for i, a in enumerate(RU_ADJECTIVES)}
    | {a: ("weekday", i) for i, a in enumerate(RU_WEEKDAY_ADJECTIVES)}
    | {"воскресение": ("weekday", 6)}
)
# Words after which English "May" is the month.
MAY_AFTER = frozenset(
    "in of since until till by from early late mid last next this end on before after "
    "during through".split()
)
_WEDNESDAY_AFTER = {"среду": {"в", "во", "на", "эту", "ту", "прошлую", "следующую", "каждую"}}


@dataclass(frozen=True, slots=True)
class DateName:
    start: int
    end: int
    what: tuple[str, int]


def english_names(text: str) -> list[DateName]:
    """Months and weekdays named in an English text."""
    found = []
    words = list(regex.finditer(r"[A-Za-z]+\.?|\d+", text))
    for i, m in enumerate(words):
        word = m.group().rstrip(".")
        low = word.lower()
        if low not in EN_NAMES or not word[:1].isupper():
            continue
        after = words[i + 1].group() if i + 1 < len(words) else ""
        short = low not in EN_MONTHS and low not in EN_WEEKDAYS
        if short and not (m.group().endswith(".") or after[:1].isdigit()):
            continue  # Jan Novak, not January
        if low == "may":
            before = words[i - 1].group().lower() if i else ""
            if not (before.isdigit() or after[:1].isdigit() or before.rstrip(".") in MAY_AFTER):
                continue
        found.append(DateName(m.start(), m.start() + len(word), EN_NAMES[low]))
    return found


def russian_names(text: str) -> list[DateName]:
    """Months and weekdays named in a Russian text, in any case."""
    found = []
    words = list(WORD.finditer(text))
    for i, m in enumerate(words):
        low = m.group().lower()
        if not regex.match(r"\p{Cyrillic}", low):
            continue
        lemma = lemmas(low)[0]
        if lemma not in RU_NAMES or (lemma == "воскресение" and "нь" not in low):
            continue
        if lemma == "среда":
            before = words[i - 1].group().lower() if i else ""
            if not (low == "средам" or before in _WEDNESDAY_AFTER.get(low, ())):
                continue
        found.append(DateName(m.start(), m.end(), RU_NAMES[lemma]))
    return found


def _english(what: tuple[str, int]) -> str:
    kind, index = what
    return (EN_MONTHS if kind == "month" else EN_WEEKDAYS)[index].capitalize()


def check_unit(unit: Unit, check: str) -> list[Flag]:
    """Date flags of one unit with a source (offsets into the document)."""
    assert unit.source is not None
    ours, theirs = english_names(unit.text), russian_names(unit.source)
    named = {t.what for t in theirs}
    extra = [n for n in ours if n.what not in named]
    given = {n.what for n in ours}
    missing = [t for t in theirs if t.what not in given]
    flags = []
    for name in extra:
        partner = next((t for t in missing if t.what[0] == name.what[0]), None)
        said = unit.text[name.start : name.end]
        message = f"the source names no {said}"
        span: tuple[int | None, int | None] = (None, None)
        candidates: tuple[str, ...] = ()
        if partner is not None:
            message += f"; it has {unit.source[partner.start : partner.end]}"
            span = unit.source_span(partner.start, partner.end)
            candidates = (_english(partner.what),)
        flags.append(
            Flag(
                unit.start + name.start,
                unit.start + name.end,
                said,
                FlagKind.DATE,
                check,
                message,
                Severity.ERROR,
                0.9,
                *span,
                candidates,
            )
        )
    if not extra:
        for partner in missing:
            flags.append(
                Flag(
                    unit.start,
                    unit.end,
                    unit.text,
                    FlagKind.DATE,
                    check,
                    f"the source's {unit.source[partner.start : partner.end]} is not in the "
                    "translation",
                    Severity.WARNING,
                    0.7,
                    *unit.source_span(partner.start, partner.end),
                    (_english(partner.what),),
                )
            )
    return flags


class DateCheck(PairedCheck):
    """Months and weekdays that differ from the source's."""

    name: ClassVar[str] = "dates"

    def check_unit(self, unit: Unit) -> list[Flag]:
        return check_unit(unit, self.name)
