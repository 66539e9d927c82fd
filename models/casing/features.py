"""Turning sentences into the casing model's inputs.

Each unit is cut into sentencepiece pieces of its LOWERCASED text, so the vocabulary is
shared across casings; what the text's casing currently is reaches the model through
the token type, together with the space before the unit and the case a known name
gives it: ``type = case + 5 * space_before + 10 * name_case``. A model trained with
``word_usage`` also reads how the training text writes the word away from sentence
starts (`Usage`): ``+ 50 * usage``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import sentencepiece as spm

from models.casing.lexicon import CasingLexicon
from models.casing.noise import word_indices
from models.casing.units import Case, Unit, case_of

MAX_PIECES_PER_UNIT = 8
NUM_TYPES = 5 * 2 * 5
IGNORE = -100


class Usage(IntEnum):
    """How the training text writes a word away from sentence starts (see `CasingLexicon`)."""

    NONE = 0  # not a word
    PROPER = 1  # always Capitalised (``lyon``)
    COMMON = 2  # (almost) never Capitalised (``biggest``)
    LOWERCASE = 3  # in lowercase at least once, neither of the above
    UNSEEN = 4  # never in lowercase: unseen, or capitalised too rarely to be ``proper``


def num_types(word_usage: bool) -> int:
    """The token-type vocabulary of a model with or without the usage feature."""
    return NUM_TYPES * (len(Usage) if word_usage else 1)


def usage_of(lexicon: CasingLexicon, word: str) -> Usage:
    lower = word.lower()
    if lower in lexicon.proper:
        return Usage.PROPER
    if lower in lexicon.common:
        return Usage.COMMON
    if lower in lexicon.lowercase:
        return Usage.LOWERCASE
    return Usage.UNSEEN


@dataclass
class Encoded:
    """One model row: piece ids, type ids, and the row position of each unit's first piece."""

    ids: list[int]
    types: list[int]
    unit_positions: list[int]


class Featurizer:
    """Encodes unit sequences for the casing model; remembers each unit's pieces."""

    def __init__(
        self,
        sp: spm.SentencePieceProcessor,
        lexicon: CasingLexicon,
        *,
        word_usage: bool = False,
        usage_lexicon: CasingLexicon | None = None,
    ) -> None:
        self.sp = sp
        self.lexicon = lexicon
        self.word_usage = word_usage
        # Training reads usage from a lexicon mined without the line's own fold.
        self.usage_lexicon = usage_lexicon
        self.bos = sp.bos_id()
        self.eos = sp.eos_id()
        self._pieces: dict[str, list[int]] = {}

    def pieces(self, text: str) -> list[int]:
        key = text.lower()
        got = self._pieces.get(key)
        if got is None:
            got = self.sp.encode(key)[:MAX_PIECES_PER_UNIT] or [self.sp.unk_id()]
            if len(self._pieces) < 500_000:
                self._pieces[key] = got
        return got

    def name_cases(self, units: Sequence[Unit], texts: Sequence[str]) -> list[Case]:
        """Per unit, the case a known name gives it (NONE outside names)."""
        idx = word_indices(units)
        per_word = self.lexicon.name_cases([texts[i] for i in idx])
        cases = [Case.NONE] * len(units)
        for i, case in zip(idx, per_word, strict=True):
            cases[i] = case
        return cases

    def usages(self, units: Sequence[Unit], texts: Sequence[str]) -> list[Usage]:
        """Per unit, how the training text writes it (all NONE without the feature)."""
        if not self.word_usage:
            return [Usage.NONE] * len(units)
        lexicon = self.usage_lexicon or self.lexicon
        return [
            usage_of(lexicon, text) if unit.is_letters else Usage.NONE
            for unit, text in zip(units, texts, strict=True)
        ]

    def encode(self, units: Sequence[Unit], texts: Sequence[str], max_len: int) -> list[Encoded]:
        """Rows of at most ``max_len`` positions covering every unit, split between units."""
        names = self.name_cases(units, texts)
        usage = self.usages(units, texts)
        rows: list[Encoded] = []
        row = Encoded([self.bos], [0], [])
        for unit, text, name, used in zip(units, texts, names, usage, strict=True):
            pieces = self.pieces(text)
            if len(row.ids) + len(pieces) + 1 > max_len and row.unit_positions:
                row.ids.append(self.eos)
                row.types.append(0)
                rows.append(row)
                row = Encoded([self.bos], [0], [])
            type_id = (
                int(case_of(text)) + 5 * int(unit.space_before) + 10 * int(name) + 50 * int(used)
            )
            row.unit_positions.append(len(row.ids))
            row.ids.extend(pieces)
            row.types.extend([type_id] * len(pieces))
        row.ids.append(self.eos)
        row.types.append(0)
        rows.append(row)
        return rows
