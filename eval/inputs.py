"""Read the line- or paragraph-aligned files scoring works on, failing with the file and line.

A bad input (missing file, non-UTF-8 bytes, an empty file, a reference set of the wrong
length) raises ``InputError`` naming the file and, where there is one, the line; the
CLI prints it as one line and exits non-zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from copydesk.models.errors import CopydeskError

UNITS = ("lines", "paragraphs")


class InputError(CopydeskError, ValueError):
    """An input file cannot be scored as given."""


def read_segments(path: str | Path, unit: str = "lines") -> list[str]:
    """The file's segments: one per line, or one per blank-line-separated paragraph."""
    path = Path(path)
    if unit not in UNITS:
        raise InputError(f"unknown segment unit {unit!r} (one of {', '.join(UNITS)})")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{path}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x})") from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path}: empty file")
    if unit == "paragraphs":
        return [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


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
