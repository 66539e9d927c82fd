"""From the model's per-unit probabilities to case changes: one rule for the stage and tuning."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from models.casing.lexicon import CasingLexicon
from models.casing.noise import word_indices
from models.casing.units import OUTPUT_CASES, Case, Unit, case_of, with_case


@dataclass(frozen=True, slots=True)
class CaseChange:
    unit: int
    text: str
    confidence: float


def decide(
    units: Sequence[Unit],
    texts: Sequence[str],
    probs: np.ndarray,
    lexicon: CasingLexicon,
    *,
    floor: float = 0.5,
) -> list[CaseChange]:
    """Changes the model prefers with probability at least ``floor``.

    A capitalised first word is never lowercased: sentence-initial capitals are the
    rule stage's business, and the model has no say against them.
    """
    words = word_indices(units)
    first = words[0] if words else -1
    changes = []
    for i, unit in enumerate(units):
        if not unit.is_letters:
            continue
        k = int(np.argmax(probs[i]))
        confidence = float(probs[i][k])
        if confidence < floor:
            continue
        case = OUTPUT_CASES[k]
        current = texts[i]
        if case is Case.MIXED:
            new = lexicon.mixed.get(current.lower(), current)
        else:
            new = with_case(current, case)
        if new == current:
            continue
        if i == first and case is Case.LOWER and case_of(current) is Case.CAPITALISED:
            continue
        changes.append(CaseChange(i, new, confidence))
    return changes
