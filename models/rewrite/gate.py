"""Which units the chat backend rewrites: those whose quality estimate or flags say so.

The field's practice for automatic post-editing: estimate each segment's quality first,
then touch only the segments that need it, with the errors diagnosed before they are
repaired. A unit goes to the model when a check flags it (`copydesk.models.checks`), or
its predicted HTER is above ``hter`` or its predicted DA z-score below ``da``
(`copydesk.models.quality`); its flags go with it as hints. ``mode = "all"`` sends every
unit, as before there was an estimate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from copydesk.models.errors import ConfigError
from copydesk.models.flags import Flag

MODES = ("estimate", "all")
# Set on MLQE-PE ru-en train (the shipped model's predictions on its own training data, so
# somewhat optimistic): a third of the segments (32%) pass either bound, and they hold 77%
# of the words the post-editors changed and 83% of the segments with HTER above 0.3.
DEFAULT_HTER = 0.25
DEFAULT_DA = -0.3
MAX_HINT_CHARS = 80  # a flagged span longer than this is cut in the hint

# (texts, sources) -> one (predicted HTER, predicted DA) per text: the quality estimate,
# which the stage passes in (`copydesk.models.stages.rewrite`).
Estimator = Callable[[list[str], list[str | None]], list[tuple[float, float]]]


@dataclass(frozen=True)
class Verdict:
    """Whether a unit is rewritten, why, and the hints that go with it."""

    send: bool
    reason: str
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gate:
    """``estimate`` is the quality estimate; without one every unit is sent."""

    mode: str = "estimate"
    hter: float = DEFAULT_HTER
    da: float = DEFAULT_DA
    estimate: Estimator | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigError(f"rewrite gate must be one of {', '.join(MODES)}, not {self.mode!r}")

    def verdicts(
        self,
        texts: Sequence[str],
        sources: Sequence[str | None],
        hints: Sequence[Sequence[str]],
    ) -> list[Verdict]:
        """One verdict per unit; the estimate runs only where no flag already decides."""
        out: list[Verdict | None] = [
            Verdict(True, "flagged", tuple(h)) if h else None for h in hints
        ]
        if self.mode == "all" or self.estimate is None:
            return [v or Verdict(True, "all") for v in out]
        todo = [i for i, v in enumerate(out) if v is None]
        if todo:
            estimates = self.estimate([texts[i] for i in todo], [sources[i] for i in todo])
            for i, (hter, da) in zip(todo, estimates, strict=True):
                if hter > self.hter:
                    out[i] = Verdict(True, "estimate: hter")
                elif da < self.da:
                    out[i] = Verdict(True, "estimate: da")
                else:
                    out[i] = Verdict(False, "not needed")
        return [v for v in out if v is not None]


def hint(flag: Flag, source: str | None) -> str:
    """A flag as one line of the prompt: the span, its kind, the message, and the source
    span it rests on."""
    span = _cut(flag.original) if flag.original else "(nothing)"
    line = f'- "{span}" ({flag.kind.value}): {flag.message}'
    if source is not None and flag.source_start is not None and flag.source_end is not None:
        line += f'; source: "{_cut(source[flag.source_start : flag.source_end])}"'
    return line


def unit_hints(flags: Sequence[Flag], start: int, end: int, source: str | None) -> tuple[str, ...]:
    """The hints of the flags inside ``[start, end)`` of the document."""
    return tuple(
        hint(f, source) for f in flags if start <= f.start < end or (f.start == f.end == start)
    )


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_HINT_CHARS else text[: MAX_HINT_CHARS - 1] + "…"
