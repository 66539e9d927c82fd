"""Line-aligned plain text, the shape of MT pipelines' data (WMT, sacrebleu): one segment
per line, optionally with a line-aligned source file and a document id per line.

Consecutive lines with the same document id are repaired together as one document, a
paragraph per line, so the names stage sees the whole article; the result is written
back line for line. Edits never cross a line (a paragraph boundary), so each line's
repair is its own edits applied to it.
"""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from copydesk.models import InputError
from copydesk.service.batch.record import Record
from copydesk.service.batch.spec import JobSpec

SEPARATOR = "\n\n"  # lines of one document are its paragraphs


def check_options(spec: JobSpec) -> None:
    """``--source`` and ``--doc-ids`` need line-aligned text from one input file."""
    for given, name in ((spec.source_file, "--source"), (spec.doc_ids, "--doc-ids")):
        if given is not None and not (spec.fmt == "txt" and spec.lines and len(spec.inputs) == 1):
            raise InputError(f"{name} needs --lines and one input file")
    if spec.doc_id_column and spec.doc_ids is None:
        raise InputError("--doc-id-column needs --doc-ids")


def line_records(f: int, path: Path, data: bytes, spec: JobSpec) -> Iterator[Record]:
    """One record per line, or per document of consecutive lines when ids are given."""
    raw = data.splitlines()
    sources = _source_lines(spec.source_file, len(raw)) if spec.source_file else None
    ids = _doc_ids(spec.doc_ids, spec.doc_id_column, len(raw)) if spec.doc_ids else None
    for start, end in _groups(ids, len(raw)):
        key = f"{path.name}:{start + 1}" + (f"-{end}" if end - start > 1 else "")
        if ids is not None:
            key = f"{key} ({ids[start]})"
        group = raw[start:end]
        record = Record(f, key, meta={"line": True, "lines": end - start})
        record.meta["raw_b64"] = base64.b64encode(b"".join(b + b"\n" for b in group)).decode()
        texts = []
        for n, line in enumerate(group):
            try:
                texts.append(line.decode("utf-8"))
            except UnicodeDecodeError as exc:
                where = f"line {start + n + 1} is " if end - start > 1 else ""
                record.reject = f"{where}not UTF-8 (byte {exc.start})"
                record.raw = line.decode("utf-8", "replace")
                break
        if record.reject is None:
            record.text = SEPARATOR.join(texts)
            record.raw = record.text
            record.meta["line_lengths"] = [len(t) for t in texts]
            if sources is not None:
                record.source = SEPARATOR.join(sources[start:end])
            if len(record.text) > spec.max_chars:
                record.reject = (
                    f"text has {len(record.text)} characters; the limit is {spec.max_chars}"
                )
        yield record


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


def _groups(ids: Sequence[str] | None, count: int) -> Iterator[tuple[int, int]]:
    if ids is None:
        yield from ((n, n + 1) for n in range(count))
        return
    start = 0
    for n in range(1, count + 1):
        if n == count or ids[n] != ids[start]:
            yield start, n
            start = n


def _read_lines(path: Path, what: str) -> list[str]:
    try:
        return path.read_bytes().decode("utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read {what} {str(path)!r}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} {str(path)!r} is not UTF-8 (byte {exc.start})") from exc


def _source_lines(path: Path, count: int) -> list[str]:
    lines = _read_lines(path, "--source")
    if len(lines) != count:
        raise InputError(
            f"--source {str(path)!r} has {len(lines)} lines and the input {count}: "
            "they must be line-aligned"
        )
    return lines


def _doc_ids(path: Path, column: str | None, count: int) -> list[str]:
    lines = _read_lines(path, "--doc-ids")
    if column is None:
        ids = lines
    else:
        rows = list(csv.DictReader(io.StringIO("\n".join(lines)), dialect="excel-tab"))
        if not rows or column not in rows[0]:
            raise InputError(f"--doc-ids {str(path)!r} has no column {column!r}")
        ids = [row[column] or "" for row in rows]
    if len(ids) != count:
        raise InputError(f"--doc-ids {str(path)!r} has {len(ids)} ids and the input {count} lines")
    return ids
