"""Read the line- or paragraph-aligned files scoring works on, failing with the file and line.

A bad input (missing file, non-UTF-8 bytes, an empty file, a reference set of the wrong
length) raises ``InputError`` naming the file and, where there is one, the line; the
CLI prints it as one line and exits non-zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from copydesk.models.errors import InputError
from copydesk.models.textfiles import read_text, split_lines

UNITS = ("lines", "paragraphs")


def read_segments(path: str | Path, unit: str = "lines") -> list[str]:
    """The file's segments: one per line, or one per blank-line-separated paragraph."""
    if unit not in UNITS:
        raise InputError(f"unknown segment unit {unit!r} (one of {', '.join(UNITS)})")
    text = read_text(path).removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path}: empty file")
    if unit == "paragraphs":
        return [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    return split_lines(text)


def check_aligned(named: Sequence[tuple[str, Sequence[str]]], unit: str = "lines") -> int:
    """All segment lists must be as long as the first; the error names both files."""
    (first_name, first), *rest = named
    for name, segments in rest:
        if len(segments) != len(first):
            word = "lines" if unit == "lines" else "paragraphs"
            shorter = min(len(segments), len(first))
            raise InputError(
                f"{name} has {len(segments)} {word} but {first_name} has {len(first)} "
                f"(they differ from {word[:-1]} {shorter + 1})"
            )
    return len(first)


def read_aligned(
    hypotheses: Sequence[str],
    references: Sequence[str],
    original: str | None = None,
    unit: str = "lines",
) -> tuple[dict[str, list[str]], list[list[str]], list[str] | None]:
    """Systems (``NAME=FILE`` or ``FILE``), reference sets and the original, read and
    checked to be aligned; the first mismatch names both files."""
    systems: dict[str, list[str]] = {}
    named: list[tuple[str, Sequence[str]]] = []
    for item in hypotheses:
        name, sep, path = item.partition("=")
        if not sep:
            name, path = (Path(item).stem if len(hypotheses) > 1 else "system"), item
        systems[name] = read_segments(path, unit)
        named.append((path, systems[name]))
    refs = [read_segments(r, unit) for r in references]
    named += list(zip(references, refs, strict=True))
    mt = read_segments(original, unit) if original else None
    if mt is not None:
        named.append((original, mt))
    check_aligned(named, unit)
    return systems, refs, mt
