"""Turning sentences into the casing model's inputs.

Each unit is cut into sentencepiece pieces of its LOWERCASED text, so the vocabulary is
shared across casings; what the text's casing currently is reaches the model through
the token type, together with the space before the unit and the case a known name
gives it: ``type = case + 5 * space_before + 10 * name_case``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sentencepiece as spm

from copydesk.models.casing.lexicon import CasingLexicon
from copydesk.models.casing.units import Case, Unit, case_of, word_indices

MAX_PIECES_PER_UNIT = 8
NUM_TYPES = 5 * 2 * 5
IGNORE = -100


@dataclass
class Encoded:
    """One model row: piece ids, type ids, and the row position of each unit's first piece."""

    ids: list[int]
    types: list[int]
    unit_positions: list[int]


class Featurizer:
    """Encodes unit sequences for the casing model; remembers each unit's pieces."""

    def __init__(self, sp: spm.SentencePieceProcessor, lexicon: CasingLexicon) -> None:
        self.sp = sp
        self.lexicon = lexicon
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

    def encode(self, units: Sequence[Unit], texts: Sequence[str], max_len: int) -> list[Encoded]:
        """Rows of at most ``max_len`` positions covering every unit, split between units."""
        names = self.name_cases(units, texts)
        rows: list[Encoded] = []
        row = Encoded([self.bos], [0], [])
        for unit, text, name in zip(units, texts, names, strict=True):
            pieces = self.pieces(text)
            if len(row.ids) + len(pieces) + 1 > max_len and row.unit_positions:
                row.ids.append(self.eos)
                row.types.append(0)
                rows.append(row)
                row = Encoded([self.bos], [0], [])
            type_id = int(case_of(text)) + 5 * int(unit.space_before) + 10 * int(name)
            row.unit_positions.append(len(row.ids))
            row.ids.extend(pieces)
            row.types.extend([type_id] * len(pieces))
        row.ids.append(self.eos)
        row.types.append(0)
        rows.append(row)
        return rows
