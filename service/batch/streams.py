"""Reading batch inputs in bounded pieces: lines by one rule, content digests, byte ranges.

Every line-based file of a job (``--lines`` text, ``--source``, ``--doc-ids``, JSONL) is
split by the same rule: a line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r`` and at nothing
else (not U+2028, ``\\x0c`` or ``\\x85``, which `str.splitlines` would also take), and the
terminator is kept with the line, so that writing each line back with its own terminator
gives the input's bytes. A file is read ``CHUNK_BYTES`` at a time; a line longer than the
caller's limit is not held: its bytes are skipped and only its byte range is reported.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple

from copydesk.models import InputError

CHUNK_BYTES = 1 << 20
_BREAK = re.compile(rb"\r\n|\r|\n")


class Line(NamedTuple):
    """A line's bytes without its terminator (None: over the limit, not kept), the
    terminator (``b""`` for a last line without one) and its byte range in the file."""

    content: bytes | None
    terminator: bytes
    start: int
    end: int


def iter_lines(
    handle: BinaryIO, *, max_line: int, chunk_bytes: int = CHUNK_BYTES
) -> Iterator[Line]:
    """The lines of a binary stream. At most ``chunk_bytes + max_line`` bytes are held."""
    buf, offset = b"", 0  # offset: where buf[0] lies in the file
    long_from: int | None = None  # start of a line over max_line, whose bytes are dropped
    while True:
        data = handle.read(chunk_bytes)
        eof = not data
        buf += data
        pos = 0
        for match in _BREAK.finditer(buf):
            if match.end() == len(buf) and match.group() == b"\r" and not eof:
                break  # a "\r\n" may straddle two reads
            end = offset + match.end()
            if long_from is None:
                yield Line(buf[pos : match.start()], match.group(), offset + pos, end)
            else:
                yield Line(None, match.group(), long_from, end)
                long_from = None
            pos = match.end()
        buf, offset = buf[pos:], offset + pos
        if long_from is None and len(buf) > max_line:
            long_from = offset
        if long_from is not None:  # keep only a "\r" that a "\n" may follow
            drop = len(buf) - buf.endswith(b"\r")
            buf, offset = buf[drop:], offset + drop
        if eof:
            if long_from is not None:
                yield Line(None, b"", long_from, offset + len(buf))
            elif buf:
                yield Line(buf, b"", offset, offset + len(buf))
            return


@dataclass(frozen=True)
class Fingerprint:
    """What a job's checkpoint knows of one input file."""

    path: str
    sha256: str
    size: int
    lines: int  # by the rule above

    def describe(self) -> str:
        return f"{self.size:,} bytes, sha256 {self.sha256[:12]}"


def fingerprint(path: Path, *, utf8: str | None = None) -> Fingerprint:
    """The file's content digest and line count, read in bounded pieces. With ``utf8``
    (how to name the file in an error), bytes that are not UTF-8 are an `InputError`."""
    digest, size, lines = hashlib.sha256(), 0, 0
    decoder = codecs.getincrementaldecoder("utf-8")() if utf8 else None
    last = b""
    try:
        with open(path, "rb") as handle:
            while data := handle.read(CHUNK_BYTES):
                digest.update(data)
                lines += data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
                if last == b"\r" and data[:1] == b"\n":
                    lines -= 1  # one "\r\n" split over two reads
                if decoder is not None:
                    try:
                        decoder.decode(data)
                    except UnicodeDecodeError as exc:
                        raise InputError(
                            f"{utf8} {str(path)!r} is not UTF-8 (byte {size + exc.start})"
                        ) from exc
                size += len(data)
                last = data[-1:]
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc.strerror}") from exc
    if decoder is not None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise InputError(f"{utf8} {str(path)!r} is not UTF-8 (it ends mid-character)") from exc
    if size and last not in (b"\n", b"\r"):
        lines += 1
    return Fingerprint(str(path.resolve()), digest.hexdigest(), size, lines)


def copy_range(path: Path, start: int, end: int, out: BinaryIO) -> None:
    """Bytes ``[start, end)`` of a file into ``out``, a bounded piece at a time."""
    with open(path, "rb") as handle:
        handle.seek(start)
        left = end - start
        while left > 0:
            data = handle.read(min(left, CHUNK_BYTES))
            if not data:
                raise InputError(f"{str(path)!r} is shorter than when it was read")
            out.write(data)
            left -= len(data)
