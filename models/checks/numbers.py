"""Numbers and years in the translation that the source does not have, and the reverse.

Both sides are read into values: digits with either language's separators (``1 000``,
``1,000``, ``2,5``, ``2.5``), scales (``тыс.``, ``млн``, ``млрд``, ``thousand``,
``million``, ``$5bn``), number words in either language (``двадцать пять``, ``трёх``,
``twenty-five``, ``a million``), ordinals (``5-й``, ``пятый``, ``5th``, ``fifth``) and
decades (``90-х``, ``1990s``). A mention may stand for several values (``5 млн`` is 5
and 5,000,000; ``1,500`` is 1500 or 1.5), and two mentions agree when they share one.
Percent signs and units are left to the words around them: ``50%`` and ``50 процентов``
are both 50.

Words that often stand for no count at all (``one``/``один``, ``first``/``первый``,
``second``/``второй``) may match but are never flagged themselves. A number next to a
month, or a year from 1900 to 2099, is flagged as a date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import regex

from copydesk.models.checks.russian import WORD, lemmas
from copydesk.models.checks.units import PairedCheck, Unit
from copydesk.models.flags import Flag, FlagKind, Severity

EN_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
    "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
    "hundredth": 100,
}  # fmt: skip
EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
EN_SCALE_SUFFIX = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}

RU_UNITS = {
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
    "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12,
    "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16,
    "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19, "двадцать": 20,
    "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70,
    "восемьдесят": 80, "девяносто": 90, "сто": 100, "двести": 200, "триста": 300,
    "четыреста": 400, "пятьсот": 500, "шестьсот": 600, "семьсот": 700, "восемьсот": 800,
    "девятьсот": 900, "двое": 2, "трое": 3, "четверо": 4, "пятеро": 5, "шестеро": 6,
    "семеро": 7, "полтора": 1.5,
}  # fmt: skip
RU_ORDINALS = {
    "первый": 1, "второй": 2, "третий": 3, "четвёртый": 4, "четвертый": 4, "пятый": 5,
    "шестой": 6, "седьмой": 7, "восьмой": 8, "девятый": 9, "десятый": 10,
    "одиннадцатый": 11, "двенадцатый": 12, "тринадцатый": 13, "четырнадцатый": 14,
    "пятнадцатый": 15, "шестнадцатый": 16, "семнадцатый": 17, "восемнадцатый": 18,
    "девятнадцатый": 19, "двадцатый": 20, "тридцатый": 30, "сороковой": 40,
    "пятидесятый": 50, "шестидесятый": 60, "семидесятый": 70, "восьмидесятый": 80,
    "девяностый": 90, "сотый": 100,
}  # fmt: skip
RU_SCALES = {"тысяча": 1e3, "миллион": 1e6, "миллиард": 1e9, "триллион": 1e12}
# A scale word alone stands for one of it only in these forms (``тысячи людей`` is vague).
RU_BARE_SCALES = frozenset({"тысяча", "тысячу", "миллион", "миллиард", "триллион"})
RU_SCALE_ABBREVIATIONS = {"тыс": 1e3, "млн": 1e6, "млрд": 1e9, "трлн": 1e12}

# Values that, written as words, often count nothing (``one of``, ``first of all``).
WEAK_WORD_VALUES = frozenset({1, 2}) | {1.5}

_GROUPED = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])"
_EN_DIGITS = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}.,])(?P<num>{_GROUPED}|\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
    r"(?P<suffix>st|nd|rd|th|s|'s|bn|mn|mln|m|k|tn|b)?(?![\p{L}\p{N}])"
    r"(?:[\s-]+(?P<scale>thousand|million|billion|trillion)s?\b)?",
    regex.IGNORECASE,
)
_RU_DIGITS = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}.,])(?P<num>{_GROUPED}|\d+(?:[.,]\d+)?)"
    r"(?:-(?P<suffix>\p{Cyrillic}{1,3}))?(?![\p{N}])"
    r"(?:\s*(?P<scale>тыс|млн|млрд|трлн|тысяч\p{L}*|миллион\p{L}*|миллиард\p{L}*|"
    r"триллион\p{L}*)\.?)?",
)
_DOTTED_DATE = regex.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{2,4})(?!\d)")
_EN_WORD = regex.compile(r"[A-Za-z]+")

EN_MONTHS = (
    "january february march april may june july august september october november december"
).split()
RU_MONTHS = (
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь"
).split()
_EN_MONTH_FORMS = frozenset(EN_MONTHS) | {m[:3] for m in EN_MONTHS} | {"sept"}


@dataclass(frozen=True, slots=True)
class Mention:
    """A number in one text: its span, the values it may stand for, whether it is weak."""

    start: int
    end: int
    values: frozenset[float]
    weak: bool = False
    is_date: bool = False

    def agrees(self, other: Mention) -> bool:
        return bool(self.values & other.values)

    def shown(self) -> str:
        """The mention's main value as English digits."""
        return _render(max(self.values))


def _render(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}" if value >= 10_000 else str(int(value))
    return f"{value:g}"


def _key(value: float) -> float:
    return round(value, 6)


def _digits_values(text: str, decimal_comma: bool) -> set[float]:
    """Values of a digit string: separators read both ways where that is ambiguous."""
    grouped = regex.sub(r"[ \u00a0\u202f]", "", text)
    if grouped != text:
        return {float(grouped)}
    if "," in text:
        whole, _, frac = text.partition(",")
        if "," in frac or (len(frac) == 3 and not decimal_comma):
            return {float(text.replace(",", ""))}
        if len(frac) == 3:
            return {float(text.replace(",", "")), float(f"{whole}.{frac}")}
        return {float(f"{whole}.{frac}")}
    return {float(text)}


def _with_scale(values: set[float], scale: float | None) -> set[float]:
    return values | {v * scale for v in values} if scale else values


def _decade(values: set[float]) -> set[float]:
    out = set(values)
    for v in values:
        if v == int(v) and 10 <= v < 100 and int(v) % 10 == 0:
            out |= {1900 + v, 2000 + v} if v <= 20 else {1900 + v}
        if v == int(v) and 1900 <= v < 2100 and int(v) % 10 == 0:
            out.add(v % 100)
    return out


def is_month(word: str) -> bool:
    """Whether ``word`` names a month, in English (``March``, ``Mar.``) or Russian (``марта``)."""
    w = word.lower().rstrip(".")
    if w in _EN_MONTH_FORMS:
        return word[:1].isupper()
    return bool(regex.match(r"\p{Cyrillic}", w)) and lemmas(w)[0] in RU_MONTHS


def _dateish(text: str, start: int, end: int, values: frozenset[float]) -> bool:
    """A year from 1900 to 2099, or a number with a month beside it."""
    if any(v == int(v) and 1900 <= v <= 2099 for v in values):
        return True
    after = WORD.match(text[end : end + 20].lstrip(" \u00a0-"))
    before = WORD.findall(text[max(0, start - 20) : start])
    return bool(after and is_month(after.group())) or bool(before and is_month(before[-1]))


def english_mentions(text: str) -> list[Mention]:
    """The numbers in an English text."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in _EN_DIGITS.finditer(text):
        values = _digits_values(m["num"], decimal_comma=False)
        suffix = (m["suffix"] or "").lower()
        if suffix in EN_SCALE_SUFFIX:
            values = {v * EN_SCALE_SUFFIX[suffix] for v in values} | values
        if suffix in ("s", "'s"):
            values = _decade(values)
        scale = EN_SCALES.get((m["scale"] or "").lower())
        values = _with_scale(values, scale)
        found.append(_mention(text, m.start(), m.end(), values))
        taken.append((m.start(), m.end()))
    found += _word_mentions(text, _english_words(text), taken)
    return sorted(found, key=lambda x: x.start)


def russian_mentions(text: str) -> list[Mention]:
    """The numbers in a Russian text."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in _DOTTED_DATE.finditer(text):
        for group in (1, 3):
            found.append(_mention(text, m.start(group), m.end(group), {float(m[group])}, True))
        taken.append((m.start(), m.end()))
    for m in _RU_DIGITS.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        values = _digits_values(m["num"], decimal_comma=True)
        scale_word = (m["scale"] or "").lower()
        scale = RU_SCALE_ABBREVIATIONS.get(scale_word) or RU_SCALES.get(
            lemmas(scale_word)[0] if scale_word else ""
        )
        if m["suffix"] in ("х", "ые", "ых", "ми"):
            values = _decade(values)
        values = _with_scale(values, scale)
        found.append(_mention(text, m.start(), m.end(), values))
        taken.append((m.start(), m.end()))
    found += _word_mentions(text, _russian_words(text), taken)
    return sorted(found, key=lambda x: x.start)


def _mention(
    text: str, start: int, end: int, values: set[float], is_date: bool = False, weak: bool = False
) -> Mention:
    keys = frozenset(_key(v) for v in values)
    return Mention(start, end, keys, weak, is_date or _dateish(text, start, end, keys))


# A word's role in a spelled-out number: ("unit", n), ("hundred", 100), ("scale", n),
# ("ordinal", n), ("a", 1: the article before a scale), ("and", 0: joins), or None.
Word = tuple[int, int, str, float, str]


def _english_words(text: str) -> list[Word]:
    words: list[Word] = []
    for m in _EN_WORD.finditer(text):
        w = m.group().lower()
        if w in EN_UNITS:
            words.append((m.start(), m.end(), "unit", EN_UNITS[w], w))
        elif w == "hundred":
            words.append((m.start(), m.end(), "hundred", 100, w))
        elif w in EN_SCALES:
            words.append((m.start(), m.end(), "scale", EN_SCALES[w], w))
        elif w in EN_ORDINALS:
            words.append((m.start(), m.end(), "ordinal", EN_ORDINALS[w], w))
        elif w in ("a", "an"):
            words.append((m.start(), m.end(), "a", 1, w))
        elif w == "and":
            words.append((m.start(), m.end(), "and", 0, w))
        else:
            words.append((m.start(), m.end(), "", 0, w))
    return words


def _russian_words(text: str) -> list[Word]:
    words: list[Word] = []
    for m in WORD.finditer(text):
        w = m.group().lower()
        if not regex.match(r"\p{Cyrillic}", w):
            words.append((m.start(), m.end(), "", 0, w))
            continue
        lemma = lemmas(w)[0]
        if (lemma in RU_UNITS and w != "сто") or w in ("сто", "ста"):
            value = RU_UNITS.get(lemma, 100)
            words.append((m.start(), m.end(), "unit", value, w))
        elif lemma in RU_SCALES:
            words.append((m.start(), m.end(), "scale", RU_SCALES[lemma], w))
        elif lemma in RU_ORDINALS:
            words.append((m.start(), m.end(), "ordinal", RU_ORDINALS[lemma], w))
        else:
            words.append((m.start(), m.end(), "", 0, w))
    return words


def _word_mentions(text: str, words: list[Word], taken: list[tuple[int, int]]) -> list[Mention]:
    """Spelled-out numbers: runs of number words composed into one value each."""
    found: list[Mention] = []
    i = 0
    while i < len(words):
        start, _, role, _, _ = words[i]
        if not role or role == "and" or any(s <= start < e for s, e in taken):
            i += 1
            continue
        total = current = 0.0
        j, seen_number, last_end, ordinal = i, False, words[i][1], False
        only_bare_scale = True
        while j < len(words):
            s, e, role, value, w = words[j]
            gap = text[last_end:s] if j > i else ""
            if j > i and (gap.strip(" -\u00a0") or not role):
                break
            if role == "a":
                if j + 1 < len(words) and words[j + 1][2] in ("scale", "hundred"):
                    current, seen_number = 1.0, True
                    only_bare_scale = False
                    last_end, j = e, j + 1
                    continue
                break
            if role == "and":
                if seen_number and j + 1 < len(words) and words[j + 1][2] == "unit":
                    last_end, j = e, j + 1
                    continue
                break
            if role == "unit":
                current += value
                only_bare_scale = False
            elif role == "hundred":
                current = max(current, 1.0) * 100
            elif role == "scale":
                if not seen_number and w not in RU_BARE_SCALES:
                    break
                total += max(current, 1.0) * value
                current = 0.0
            elif role == "ordinal":
                current += value
                only_bare_scale = False
                ordinal = True
            seen_number, last_end, j = True, e, j + 1
            if ordinal:
                break
        if not seen_number:
            i += 1
            continue
        value = total + current
        end = words[j - 1][1]
        weak = value in WEAK_WORD_VALUES and not only_bare_scale
        if value:
            found.append(_mention(text, words[i][0], end, {value}, weak=weak))
        i = max(j, i + 1)
    return found


def check_unit(unit: Unit, check: str) -> list[Flag]:
    """The number and date flags of one unit with a source (offsets into the unit)."""
    assert unit.source is not None
    ours = english_mentions(unit.text)
    theirs = russian_mentions(unit.source)
    extra = [m for m in ours if not m.weak and not any(m.agrees(t) for t in theirs)]
    missing = [t for t in theirs if not t.weak and not any(t.agrees(m) for m in ours)]
    flags: list[Flag] = []
    for index, mention in enumerate(extra):
        partner = missing[index] if index < len(missing) else None
        kind = FlagKind.DATE if mention.is_date else FlagKind.NUMBER
        message = f"{unit.text[mention.start : mention.end]} is not in the source"
        source_span: tuple[int | None, int | None] = (None, None)
        candidates: tuple[str, ...] = ()
        if partner is not None:
            said = unit.source[partner.start : partner.end]
            message += f", which has {said}"
            source_span = unit.source_span(partner.start, partner.end)
            candidates = (partner.shown(),)
        flags.append(
            Flag(
                unit.start + mention.start,
                unit.start + mention.end,
                unit.text[mention.start : mention.end],
                kind,
                check,
                message,
                Severity.ERROR,
                0.9,
                *source_span,
                candidates,
            )  # fmt: skip
        )
    for partner in missing[len(extra) :]:
        said = unit.source[partner.start : partner.end]
        kind = FlagKind.DATE if partner.is_date else FlagKind.NUMBER
        flags.append(
            Flag(
                unit.start,
                unit.end,
                unit.text,
                kind,
                check,
                f"the source's {said} is not in the translation",
                Severity.WARNING,
                0.7,
                *unit.source_span(partner.start, partner.end),
                (partner.shown(),),
            )  # fmt: skip
        )
    return flags


class NumberCheck(PairedCheck):
    """Numbers (and years) that differ from the source's."""

    name: ClassVar[str] = "numbers"

    def check_unit(self, unit: Unit) -> list[Flag]:
        return check_unit(unit, self.name)
