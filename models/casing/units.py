"""Casing units: letter runs, digit runs and single other characters, with case classes.

The casing model decides the case of each letter run (``Russia's`` is ``Russia``, ``'``,
``s``; ``de-escalation`` is ``de``, ``-``, ``escalation``), so a hyphenated name or a
possessive needs no special handling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

import regex

_UNIT = regex.compile(r"(?:\p{L}\p{M}*)+|\p{N}+|\X")


class Case(IntEnum):
    """Case class of a unit. NONE is for units without letters."""

    NONE = 0
    LOWER = 1
    CAPITALISED = 2
    UPPER = 3
    MIXED = 4


OUTPUT_CASES = (Case.LOWER, Case.CAPITALISED, Case.UPPER, Case.MIXED)


@dataclass(frozen=True, slots=True)
class Unit:
    start: int
    end: int
    text: str
    space_before: bool

    @property
    def is_letters(self) -> bool:
        return self.text[0].isalpha()


def split_units(text: str, start: int = 0, end: int | None = None) -> list[Unit]:
    """Units of ``text[start:end]`` with offsets into ``text``; whitespace is dropped."""
    units = []
    stop = len(text) if end is None else end
    previous_end = None
    for match in _UNIT.finditer(text, start, stop):
        piece = match.group()
        if piece.isspace():
            continue
        space_before = previous_end is None or previous_end != match.start()
        units.append(Unit(match.start(), match.end(), piece, space_before))
        previous_end = match.end()
    return units


@lru_cache(maxsize=1 << 16)
def case_of(word: str) -> Case:
    """The case class of a unit's text (cached: the decisions ask it of each word often)."""
    letters = [ch for ch in word if ch.isalpha()]
    if not letters:
        return Case.NONE
    if all(ch.islower() or (not ch.isupper() and not ch.islower()) for ch in letters):
        return Case.LOWER
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return Case.UPPER
    if letters[0].isupper() and all(not ch.isupper() for ch in letters[1:]):
        return Case.CAPITALISED
    return Case.MIXED


def with_case(word: str, case: Case, mixed_form: str | None = None) -> str:
    """``word`` rewritten in ``case``; MIXED takes ``mixed_form`` (or keeps the word)."""
    if case is Case.LOWER:
        return word.lower()
    if case is Case.UPPER:
        return word.upper()
    if case is Case.CAPITALISED:
        return word[:1].upper() + word[1:].lower()
    if case is Case.MIXED and mixed_form is not None and mixed_form.lower() == word.lower():
        return mixed_form
    return word


def rebuild(text: str, units: Sequence[Unit], texts: Sequence[str]) -> str:
    """``text`` with each unit replaced by the matching entry of ``texts``."""
    parts, cursor = [], 0
    for unit, new in zip(units, texts, strict=True):
        parts.append(text[cursor : unit.start])
        parts.append(new)
        cursor = unit.end
    parts.append(text[cursor:])
    return "".join(parts)


def word_indices(units: Sequence[Unit]) -> list[int]:
    """Letter units that start a word (after a space, a quote or a bracket, not a hyphen)."""
    out = []
    for i, unit in enumerate(units):
        if not unit.is_letters:
            continue
        prev = units[i - 1] if i else None
        if prev is None or unit.space_before or prev.text in "“\"«(['‘":
            out.append(i)
    return out
