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
    "hundredth": 100, "thirds": 3,
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
    "семеро": 7, "полтора": 1.5, "десятка": 10, "десяток": 10, "двойка": 2, "тройка": 3,
    "четвёрка": 4, "четверка": 4, "пятёрка": 5, "пятерка": 5, "шестёрка": 6, "семёрка": 7,
    "восьмёрка": 8, "девятка": 9, "сотня": 100,
}  # fmt: skip
RU_ORDINALS = {
    "первый": 1, "второй": 2, "третий": 3, "четвёртый": 4, "четвертый": 4, "пятый": 5,
    "шестой": 6, "седьмой": 7, "восьмой": 8, "девятый": 9, "десятый": 10,
    "одиннадцатый": 11, "двенадцатый": 12, "тринадцатый": 13, "четырнадцатый": 14,
    "пятнадцатый": 15, "шестнадцатый": 16, "семнадцатый": 17, "восемнадцатый": 18,
    "девятнадцатый": 19, "двадцатый": 20, "тридцатый": 30, "сороковой": 40,
    "пятидесятый": 50, "шестидесятый": 60, "семидесятый": 70, "восьмидесятый": 80,
    "девяностый": 90, "сотый": 100, "треть": 3,
}  # fmt: skip
RU_SCALES = {"тысяча": 1e3, "миллион": 1e6, "миллиард": 1e9, "триллион": 1e12}
# A scale word alone stands for one of it only in these forms (``тысячи людей`` is vague).
RU_BARE_SCALES = frozenset({"тысяча", "тысячу", "миллион", "миллиард", "триллион"})
RU_SCALE_ABBREVIATIONS = {"тыс": 1e3, "млн": 1e6, "млрд": 1e9, "трлн": 1e12}

# Values that, written as words, often count nothing (``one of``, ``first of all``).
WEAK_WORD_VALUES = frozenset({1, 2}) | {1.5}

# A source number the translation lacks, with no other number in its place: translators
# often say it otherwise (``в 2019 году`` as "last year"), so it is only worth a look.
MISSING_CONFIDENCE = 0.45
_GROUPED = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])"
_EN_DIGITS = regex.compile(
    rf"(?<![\p{{N}}.,])(?P<num>{_GROUPED}|\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:(?P<suffix>st|nd|rd|th|s|'s|bn|mn|mln|m|k|tn|b)(?![\p{L}\p{N}]))?(?!\p{N})"
    r"(?:[\s-]+(?P<scale>thousand|million|billion|trillion)s?\b)?",
    regex.IGNORECASE,
)
_RU_DIGITS = regex.compile(
    rf"(?<![\p{{N}}.,])(?P<num>{_GROUPED}|\d+(?:[.,]\d+)?)"
    r"(?:-(?P<suffix>\p{Cyrillic}{1,3}))?(?![\p{N}])"
    r"(?:\s*(?P<scale>тыс|млн|млрд|трлн|тысяч\p{L}*|миллион\p{L}*|миллиард\p{L}*|"
    r"триллион\p{L}*)\.?)?",
)
# Adjectives and nouns built on a numeral (``семилетний``, ``пятиэтажный``, ``двухдневный``).
_RU_STEMS = {
    "двух": 2, "трех": 3, "трёх": 3, "четырех": 4, "четырёх": 4, "пяти": 5, "шести": 6,
    "семи": 7, "восьми": 8, "девяти": 9, "десяти": 10, "одиннадцати": 11, "двенадцати": 12,
    "пятнадцати": 15, "двадцати": 20, "тридцати": 30, "сорока": 40, "пятидесяти": 50,
    "шестидесяти": 60, "семидесяти": 70, "восьмидесяти": 80, "девяноста": 90, "сто": 100,
    "двухсот": 200, "трехсот": 300, "трёхсот": 300, "пятисот": 500, "тысяче": 1000,
}  # fmt: skip
_RU_COMPOUND = regex.compile(
    r"^((?:" + "|".join(sorted(_RU_STEMS, key=len, reverse=True)) + r")+)(?:летн|лети|дневн|месячн"
    r"|недельн|часов|минутн|секундн|этажн|кратн|процентн|значн|местн|комнатн|серийн|тонн"
    r"|метров|километров|граммов|литров|сторонн|угольн|разов|мерн|членн|головн|томн|актн"
    r"|годичн|летк|кварталь)"
)
_RU_HALF = regex.compile(r"^полу?(миллион\p{L}*|миллиард\p{L}*|тысяч\p{L}*)$")
_ROMAN = regex.compile(
    r"(?<![\p{L}\p{N}])(?=[IVX]{2,6}(?![\p{L}\p{N}]))(X{0,3})(IX|IV|V?I{0,3})(?![\p{L}\p{N}])"
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
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
    found, taken = _dotted_dates(text)
    for m in _EN_DIGITS.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
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
    found, taken = _dotted_dates(text)
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


def _dotted_dates(text: str) -> tuple[list[Mention], list[tuple[int, int]]]:
    """Day and year of ``23.12.2018``-style dates (the month is left to the date check)."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in _DOTTED_DATE.finditer(text):
        for group in (1, 3):
            found.append(_mention(text, m.start(group), m.end(group), {float(m[group])}, True))
        taken.append((m.start(), m.end()))
    for m in _ROMAN.finditer(text):
        if m.group():
            found.append(_mention(text, m.start(), m.end(), {float(_roman(m.group()))}))
            taken.append((m.start(), m.end()))
    return found, taken


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


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
        elif w == "half":
            words.append((m.start(), m.end(), "half", 0.5, w))
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
        compound = _RU_COMPOUND.match(w)
        half = _RU_HALF.match(w)
        if compound:
            words.append((m.start(), m.end(), "ordinal", _stems_value(compound[1]), w))
        elif half:
            scale = RU_SCALES.get(lemmas(half[1])[0], 0)
            words.append((m.start(), m.end(), "unit" if scale else "", scale / 2, w))
        elif w == "сотни":
            words.append((m.start(), m.end(), "", 0, w))  # "hundreds": no count
        elif (lemma in RU_UNITS and w != "сто") or w in ("сто", "ста"):
            value = RU_UNITS.get(lemma, 100)
            words.append((m.start(), m.end(), "unit", value, w))
        elif lemma in RU_SCALES:
            words.append((m.start(), m.end(), "scale", RU_SCALES[lemma], w))
        elif lemma in RU_ORDINALS:
            words.append((m.start(), m.end(), "ordinal", RU_ORDINALS[lemma], w))
        else:
            words.append((m.start(), m.end(), "", 0, w))
    return words


def _stems_value(stems: str) -> float:
    """``тридцатидевяти`` -> 39: numeral stems run together."""
    total, rest = 0.0, stems
    while rest:
        stem = next(s for s in sorted(_RU_STEMS, key=len, reverse=True) if rest.startswith(s))
        total, rest = total + _RU_STEMS[stem], rest[len(stem) :]
    return total


def _follows(current: float, value: float) -> bool:
    """Whether a unit word may extend the number so far: ``двадцать пять``, ``сто
    двадцать``, or anything after a scale (``пять миллионов двести``)."""
    if not current:
        return True
    return current % 10 == 0 and current > value and (current >= 100 or value < 10)


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
            if role == "half":
                nxt = [w[2] for w in words[j + 1 : j + 3]]
                if nxt == ["a", "scale"]:
                    current, seen_number, only_bare_scale = 0.5, True, False
                    last_end, j = words[j + 1][1], j + 2
                    continue
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
                if seen_number and not _follows(current, value):
                    break  # "на троих один": two numbers, not 3 + 1
                current += value
                only_bare_scale = False
            elif role == "hundred":
                if not seen_number:
                    break  # "several hundred": no count
                current = max(current, 1.0) * 100
            elif role == "scale":
                if not seen_number and w not in RU_BARE_SCALES:
                    break
                total += (current or 1.0) * value
                current = 0.0
            elif role == "ordinal":
                if current % 10 or (seen_number and not current and not total):
                    break  # "one tenth": a fraction, the ordinal is read on its own
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
            )
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
                Severity.INFO,
                MISSING_CONFIDENCE,
                *unit.source_span(partner.start, partner.end),
                (partner.shown(),),
            )
        )
    return flags


class NumberCheck(PairedCheck):
    """Numbers (and years) that differ from the source's."""

    name: ClassVar[str] = "numbers"

    def check_unit(self, unit: Unit) -> list[Flag]:
        return check_unit(unit, self.name)
