"""A clause left out: a translation much shorter than its source.

English runs about as long as Russian in letters (the median ratio is 1.02 on MLQE-PE
train's post-edits, 0.97 on newstest 2012–2016), so a translated sentence with little
more than half its source's letters has probably lost something. The ratio and the
shortest source it applies to are calibrated on clean translations (`copydesk eval checks`).
"""

from __future__ import annotations

from typing import ClassVar

import regex

from copydesk.models.checks.units import PairedCheck, Unit
from copydesk.models.flags import Flag, FlagKind, Severity

# Flag a unit with fewer letters than this share of its source's…
MAX_RATIO = 0.55
# …when the source has at least this many letters.
MIN_SOURCE_LETTERS = 40
_LETTERS = regex.compile(r"[\p{L}\p{N}]")


def letters(text: str) -> int:
    return len(_LETTERS.findall(text))


class OmissionCheck(PairedCheck):
    """A unit far shorter than its source."""

    name: ClassVar[str] = "omission"

    def __init__(self, max_ratio: float = MAX_RATIO, min_source: int = MIN_SOURCE_LETTERS):
        self.max_ratio = max_ratio
        self.min_source = min_source

    def check_unit(self, unit: Unit) -> list[Flag]:
        assert unit.source is not None
        theirs, ours = letters(unit.source), letters(unit.text)
        if theirs < self.min_source or ours >= self.max_ratio * theirs:
            return []
        return [
            Flag(
                unit.start,
                unit.end,
                unit.text,
                FlagKind.OMISSION,
                self.name,
                f"the translation has {ours} letters where the source has {theirs}: "
                "part of it may be left out",
                Severity.WARNING,
                round(min(0.9, 1 - ours / theirs), 2),
                *unit.source_span(0, len(unit.source)),
            )
        ]
