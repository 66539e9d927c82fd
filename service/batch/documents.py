"""Plain-text documents and JSONL lines, read without holding more than one record.

A document over the character limit is rejected from its size alone, without reading
it (UTF-8 takes at most 4 bytes a character, so a file of more than 4 × the limit in
bytes is surely over it). A JSONL line over `JSON_LINE_BYTES` is rejected without being
held; its neighbours are read as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from copydesk.service.batch.lines import UTF8_MAX
from copydesk.service.batch.record import Record
from copydesk.service.batch.streams import iter_lines

JSON_LINE_BYTES = 16 * 1024 * 1024


def document_record(f: int, path: Path, max_chars: int) -> Record:
    record = Record(f, path.name)
    size = path.stat().st_size
    if size > max_chars * UTF8_MAX:
        record.reject = (
            f"text has over {max_chars} characters ({size:,} bytes); the limit is {max_chars}"
        )
        return record
    raw = path.read_bytes()
    try:
        record.text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        record.reject = f"not UTF-8 (byte {exc.start})"
        record.raw = raw.decode("utf-8", "replace")
        return record
    if len(record.text) > max_chars:
        record.reject = f"text has {len(record.text)} characters; the limit is {max_chars}"
    record.raw = record.text
    return record


def json_lines(path: Path) -> Iterator[bytes | None]:
    """Each line's bytes (None: over `JSON_LINE_BYTES`), split by the batch rule."""
    with open(path, "rb") as handle:
        for line in iter_lines(handle, max_line=JSON_LINE_BYTES):
            yield line.content
