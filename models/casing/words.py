"""Word lists the casing rules, the noise generator and the lexicon miner share.

`FUNCTION_WORDS` itself lives in `copydesk.models.wordstats` (the names stage reads it too).
"""

from __future__ import annotations

from collections.abc import Sequence

from copydesk.models.casing.units import Case, case_of
from copydesk.models.wordstats import FUNCTION_WORDS

NAME_JOINERS = frozenset("of for the de la le du des da di del van von der den al on in".split())
__all__ = ["ENGLISH_FUNCTION_WORDS", "FUNCTION_WORDS", "NAME_JOINERS", "name_runs"]

# English closed-class words only: name particles (de, van, al, bin …) and ``I`` stay.
ENGLISH_FUNCTION_WORDS = FUNCTION_WORDS - frozenset(
    "i de la le les du des da di del van von der den al el bin y e et und".split()
)


def name_runs(texts: Sequence[str], words: Sequence[int]) -> list[list[int]]:
    """Runs of capitalised words, joined by lowercase name words (``of``, ``for`` …)."""
    runs: list[list[int]] = []
    current: list[int] = []
    pending: list[int] = []
    for i in words:
        case = case_of(texts[i])
        if case in (Case.CAPITALISED, Case.UPPER, Case.MIXED):
            current.extend(pending)
            current.append(i)
            pending = []
        elif current and texts[i] in NAME_JOINERS and len(pending) < 2:
            pending.append(i)
        else:
            if len(current) > 1:
                runs.append(current)
            current, pending = [], []
    if len(current) > 1:
        runs.append(current)
    return runs
