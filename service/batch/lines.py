"""Line-aligned plain text, the shape of MT pipelines' data (WMT, sacrebleu): one segment
per line, optionally with a line-aligned source file and a document id per line.

Every file is split by one rule (`copydesk.service.batch.streams`): ``\\n``, ``\\r\\n`` and
a lone ``\\r`` end a line, and each line is written back with its own terminator, so a
final newline stays, or stays absent, as in the input. Files are read a line at a time.

Consecutive lines with the same document id are repaired together as one document, a
paragraph per line, so the names stage sees the whole article; the result is written
back line for line. Edits never cross a line (a paragraph boundary), so each line's
repair is its own edits applied to it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from copydesk.models import InputError
from copydesk.service.batch.record import Record
from copydesk.service.batch.spec import JobSpec
from copydesk.service.batch.streams import Fingerprint, Line, iter_lines

SEPARATOR = "\n\n"  # lines of one document are its paragraphs
UTF8_MAX = 4  # bytes per character: a line of more bytes than 4 × the limit is over it


def check_options(spec: JobSpec) -> None:
    """``--source`` and ``--doc-ids`` need line-aligned text from one input file."""
    for given, name in ((spec.source_file, "--source"), (spec.doc_ids, "--doc-ids")):
        if given is not None and not (spec.fmt == "txt" and spec.lines and len(spec.inputs) == 1):
            raise InputError(f"{name} needs --lines and one input file")
    if spec.doc_id_column and spec.doc_ids is None:
        raise InputError("--doc-id-column needs --doc-ids")


def check_alignment(spec: JobSpec, prints: dict[str, Fingerprint]) -> None:
    """A source or id file whose line count differs from the input's is an error before
    any work (counted by the same rule as the input's lines)."""
    if not (spec.source_file or spec.doc_ids):
        return
    count = prints["input 1"].lines
    if spec.source_file:
        got = prints["--source"].lines
        if got != count:
            raise InputError(
                f"--source {str(spec.source_file)!r} has {got} lines and the input {count}: "
                "they must be line-aligned"
            )
    if spec.doc_ids:
        got = prints["--doc-ids"].lines - (1 if spec.doc_id_column else 0)
        if got != count:
            raise InputError(
                f"--doc-ids {str(spec.doc_ids)!r} has {got} ids and the input {count} lines"
            )


def _decoded(lines: Iterator[Line], what: str, max_line: int) -> Iterator[str]:
    for n, line in enumerate(lines, start=1):
        if line.content is None:
            raise InputError(f"{what}: line {n} is over {max_line:,} bytes")
        yield line.content.decode("utf-8")  # checked UTF-8 when fingerprinted


def _ids(lines: Iterator[str], path: Path, column: str | None) -> Iterator[str]:
    if column is None:
        yield from lines
        return
    header = next(csv.reader([next(lines, "")], dialect="excel-tab"), [])
    if column not in header:
        raise InputError(f"--doc-ids {str(path)!r} has no column {column!r}")
    at = header.index(column)
    for line in lines:
        row = next(csv.reader([line], dialect="excel-tab"), [])
        yield row[at] if at < len(row) else ""


class _Group:
    """Consecutive lines of one document, gathered up to the character limit."""

    def __init__(self, doc_id: str | None, start_line: int, start_byte: int) -> None:
        self.doc_id, self.start_line, self.start_byte = doc_id, start_line, start_byte
        self.end_byte = start_byte
        self.texts: list[str] = []
        self.terminators: list[str] = []
        self.sources: list[str] = []
        self.chars = 0
        self.reject: str | None = None
        self.raw = ""

    def add(self, line: Line, source: str | None, limit: int) -> None:
        n = len(self.terminators)
        self.terminators.append(line.terminator.decode("ascii"))
        self.end_byte = line.end
        if self.reject is not None:
            return
        where = f"line {self.start_line + n + 1} " if self.doc_id is not None else ""
        if line.content is None:
            self.reject = f"{where}has over {limit:,} characters; the limit is {limit}"
            self.raw = ""
            return
        try:
            text = line.content.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.reject = f"{where}{'is ' if where else ''}not UTF-8 (byte {exc.start})"
            self.raw = line.content.decode("utf-8", "replace")
            return
        self.chars += len(text) + (len(SEPARATOR) if self.texts else 0)
        if self.chars > limit:
            self.reject = f"text has over {limit} characters; the limit is {limit}"
            self.raw = SEPARATOR.join(self.texts)[:1000]
            self.texts = []
            return
        self.texts.append(text)
        if source is not None:
            self.sources.append(source)

    def record(self, f: int, name: str, has_source: bool) -> Record:
        count = len(self.terminators)
        key = f"{name}:{self.start_line + 1}" + (f"-{self.start_line + count}" if count > 1 else "")
        if self.doc_id is not None:
            key = f"{key} ({self.doc_id})"
        record = Record(
            f,
            key,
            meta={
                "line": True,
                "lines": count,
                "first_line": self.start_line + 1,
                "terminators": self.terminators,
                "span": [self.start_byte, self.end_byte],
            },
        )
        if self.reject is not None:
            record.reject, record.raw = self.reject, self.raw
            return record
        record.text = SEPARATOR.join(self.texts)
        record.raw = record.text
        record.meta["line_lengths"] = [len(t) for t in self.texts]
        if has_source:
            record.source = SEPARATOR.join(self.sources)
        return record


def line_records(f: int, path: Path, spec: JobSpec) -> Iterator[Record]:
    """One record per line, or per document of consecutive lines when ids are given,
    read a line at a time from the input (and the source and id files beside it)."""
    max_line = spec.max_chars * UTF8_MAX
    with ExitStack() as stack:
        lines = iter_lines(stack.enter_context(open(path, "rb")), max_line=max_line)
        sources: Iterator[str | None] | None = None
        if spec.source_file:
            handle = stack.enter_context(open(spec.source_file, "rb"))
            sources = _decoded(iter_lines(handle, max_line=max_line), "--source", max_line)
        ids: Iterator[str] | None = None
        if spec.doc_ids:
            handle = stack.enter_context(open(spec.doc_ids, "rb"))
            raw_ids = _decoded(iter_lines(handle, max_line=max_line), "--doc-ids", max_line)
            ids = _ids(raw_ids, spec.doc_ids, spec.doc_id_column)
        group: _Group | None = None
        for n, line in enumerate(lines):
            source = next(sources) if sources is not None else None
            doc_id = next(ids) if ids is not None else None
            if group is not None and (ids is None or doc_id != group.doc_id):
                yield group.record(f, path.name, sources is not None)
                group = None
            if group is None:
                group = _Group(doc_id, n, line.start)
            group.add(line, source, spec.max_chars)
        if group is not None:
            yield group.record(f, path.name, sources is not None)


def render(record: Record, result: dict) -> str:
    """The record's lines repaired, each with the terminator it had in the input."""
    repaired = split_lines(record, result)
    return "".join(a + b for a, b in zip(repaired, record.meta["terminators"], strict=True))


def split_lines(record: Record, result: dict) -> list[str]:
    """Each line of a record repaired by the applied edits that lie inside it."""
    lengths = record.meta["line_lengths"]
    edits = sorted((e for e in result["edits"] if e["applied"]), key=lambda e: e["start"])
    out, start, i = [], 0, 0
    for length in lengths:
        end = start + length
        line, cursor = [], start
        while i < len(edits) and edits[i]["start"] < end + len(SEPARATOR):
            edit = edits[i]
            i += 1
            if edit["start"] >= start and edit["end"] <= end:  # else it crossed a line: not made
                line.append(record.text[cursor : edit["start"]])
                line.append(edit["replacement"])
                cursor = edit["end"]
        line.append(record.text[cursor:end])
        out.append("".join(line))
        start = end + len(SEPARATOR)
    return out


def line_of(record: Record, offset: int) -> int:
    """Which line of a record (0-based within it) a code-point offset of its text is in."""
    start = 0
    lengths = record.meta.get("line_lengths") or [len(record.text)]
    for n, length in enumerate(lengths):
        if offset <= start + length:
            return n
        start += length + len(SEPARATOR)
    return len(lengths) - 1
