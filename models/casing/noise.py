"""Machine-translation-style casing damage, for training and testing the casing model.

Russian capitalises only the first word of a name, and MT carries capitals onto the
wrong English words. Every class of error in the seed article is made here from clean,
naturally cased English:

- ``lower_initial``: the sentence's first word in lowercase (``the President of``);
- ``shift_capital``: the initial capital moved to the next content word (``the Meeting``);
- ``name_first_only``: a multiword name with only its first word capitalised
  (``Munich security conference``, ``Centre for reconciliation``);
- ``name_word_lower``: one word inside a name lowercased (``Minister of foreign Affairs``,
  ``Russian foreign Minister``);
- ``capitalise_common``: capitalised common words (``the Biggest concern``);
- ``flip``: random case flips at a low rate (``Nato``, ``obama``, ``Said``).

A share of sentences is left clean so the model learns to leave correct text alone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from copydesk.models.casing.units import (
    Case,
    Unit,
    case_of,
    rebuild,
    split_units,
    with_case,
    word_indices,
)
from copydesk.models.casing.words import FUNCTION_WORDS, name_runs

OPERATIONS = (
    "lower_initial",
    "shift_capital",
    "name_first_only",
    "name_word_lower",
    "capitalise_common",
    "flip",
)


class NoiseConfig(BaseModel):
    """Probabilities of each kind of damage."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    clean_share: float = 0.5
    lower_initial: float = 0.45
    shift_capital: float = 0.25
    name_first_only: float = 0.35
    name_word_lower: float = 0.3
    capitalise_common: float = 0.35
    flip_rate: float = 0.015


class CasingNoise:
    """Damages the casing of clean sentences; deterministic for a given seed."""

    def __init__(self, config: NoiseConfig | None = None, seed: int = 0) -> None:
        self.config = config or NoiseConfig()
        self.rng = random.Random(seed)

    def noise_units(self, units: Sequence[Unit]) -> list[str]:
        """New texts for ``units`` (possibly unchanged), per the configured probabilities."""
        texts = [u.text for u in units]
        if self.rng.random() < self.config.clean_share:
            return texts
        for _ in range(3):
            noised = self._damage(units, texts)
            if noised != texts:
                return noised
        return texts

    def noise_text(self, text: str) -> str:
        units = split_units(text)
        return rebuild(text, units, self.noise_units(units))

    def _damage(self, units: Sequence[Unit], original: list[str]) -> list[str]:
        cfg, rng = self.config, self.rng
        texts = list(original)
        words = word_indices(units)
        if not words:
            return texts
        first = words[0]
        if case_of(texts[first]) is Case.CAPITALISED:
            roll = rng.random()
            if roll < cfg.lower_initial:
                texts[first] = texts[first].lower()
            elif roll < cfg.lower_initial + cfg.shift_capital and len(words) > 1:
                nxt = words[1]
                if _is_content(texts[nxt]) and case_of(texts[nxt]) is Case.LOWER:
                    texts[first] = texts[first].lower()
                    texts[nxt] = with_case(texts[nxt], Case.CAPITALISED)
        names = name_runs(texts, words)
        for run in names:
            capitals = [i for i in run if case_of(texts[i]) is Case.CAPITALISED]
            if run[0] == first or len(capitals) < 2:
                continue
            if rng.random() < cfg.name_first_only:
                for i in capitals[1:]:
                    texts[i] = texts[i].lower()
            elif rng.random() < cfg.name_word_lower:
                i = rng.choice(capitals)
                texts[i] = texts[i].lower()
        if rng.random() < cfg.capitalise_common:
            common = [
                i for i in words[1:] if _is_content(texts[i]) and case_of(texts[i]) is Case.LOWER
            ]
            for i in rng.sample(common, min(len(common), rng.choice((1, 1, 2)))):
                texts[i] = with_case(texts[i], Case.CAPITALISED)
        for i, unit in enumerate(units):
            if unit.is_letters and rng.random() < cfg.flip_rate:
                texts[i] = _flip(texts[i], rng)
        return texts


def _is_content(word: str) -> bool:
    return len(word) >= 3 and word.lower() not in FUNCTION_WORDS


def _flip(word: str, rng: random.Random) -> str:
    case = case_of(word)
    if case is Case.LOWER:
        return with_case(word, Case.CAPITALISED)
    if case is Case.UPPER:
        return with_case(word, Case.CAPITALISED if rng.random() < 0.7 else Case.LOWER)
    if case is Case.CAPITALISED and len(word) > 1 and rng.random() < 0.1:
        return word.upper()
    return word.lower()


def noise_lines(clean: Sequence[str], seed: int) -> list[str]:
    """Each clean line damaged by one seeded generator (the evaluation's and tuning's input)."""
    noise = CasingNoise(seed=seed)
    return [noise.noise_text(line) for line in clean]
