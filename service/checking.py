"""Checks and the quality estimate without repairing: what ``copydesk check`` and
``POST /v1/check`` return.

A text's report holds its flags (`copydesk.models.checks`) and one estimate per segment
(`copydesk.models.quality`): per sentence of a document, each with the source sentence the
repair context pairs it with; or per line, each with its own source line. Without a source
the source checks are absent and the English-only estimate answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from copydesk.models.assessment import SegmentEstimate, assess
from copydesk.models.checks import check_document
from copydesk.models.document import Document
from copydesk.models.errors import InputError
from copydesk.models.flags import Flag
from copydesk.models.quality import QualityEstimate, estimate_many
from copydesk.models.stage import RepairContext


@dataclass(frozen=True)
class CheckReport:
    """A text's flags and its segments' estimates."""

    text: str
    flags: tuple[Flag, ...]
    segments: tuple[SegmentEstimate, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "flags": [f.to_dict() for f in self.flags],
            "segments": [s.to_dict() for s in self.segments],
        }


def check_text(text: str, source: str | None = None) -> CheckReport:
    """The flags of ``text`` against ``source`` and an estimate per sentence."""
    doc = Document.from_text(text)
    pairing = RepairContext(source=source).pairing(doc)
    [(flags, segments)] = assess([doc], [pairing])
    return CheckReport(text, tuple(flags), tuple(segments))


@dataclass(frozen=True)
class LineReport:
    """One line's flags (offsets into the line) and its estimate."""

    line: int
    flags: tuple[Flag, ...]
    estimate: QualityEstimate

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "hter": self.estimate.hter,
            "da": self.estimate.da,
            "flags": [f.to_dict() for f in self.flags],
        }


def check_lines(lines: Sequence[str], sources: Sequence[str] | None = None) -> list[LineReport]:
    """Each line checked against its own source line; the estimates in one batch."""
    if sources is not None and len(sources) != len(lines):
        raise InputError(f"the translation has {len(lines)} lines but the source {len(sources)}")
    paired: list[str | None] = list(sources) if sources is not None else [None] * len(lines)
    flags = []
    for line, src in zip(lines, paired, strict=True):
        doc = Document.from_text(line)
        flags.append(check_document(doc, RepairContext(source=src).pairing(doc)))
    given = [src if src and src.strip() else None for src in paired]
    estimates = estimate_many(list(lines), given) if lines else []
    return [
        LineReport(i, tuple(f), e) for i, (f, e) in enumerate(zip(flags, estimates, strict=True))
    ]


def split_lines(text: str) -> list[str]:
    """A file's lines without their endings; a final line ending adds no empty line."""
    return text.splitlines()
