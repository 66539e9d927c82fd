"""Reading UTF-8 text files: the one reader the CLI, the evaluations and training use.

Every failure is an `InputError` naming the file (and the byte, for bad UTF-8), which
the command line prints as one line.
"""

from __future__ import annotations

from pathlib import Path

from copydesk.models.errors import InputError


def decode(data: bytes, label: str) -> str:
    """``data`` as UTF-8, or `InputError` naming ``label`` and the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{label}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, or `InputError` saying why it cannot be read."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def read_text(path: str | Path) -> str:
    """A UTF-8 file's text exactly as it is, line endings included."""
    return decode(read_bytes(path), str(path))


def split_lines(text: str) -> list[str]:
    """Lines without their ``\\n`` or ``\\r\\n``; a final newline makes no empty last line.

    Only those two end a line: other Unicode separators inside a segment stay in it.
    """
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def read_lines(path: str | Path) -> list[str]:
    """Every line of a UTF-8 file, empty ones included (`split_lines`)."""
    return split_lines(read_text(path))
