"""CSV and TSV: a row per record, with named columns for the text, source and id (as
JSONL's fields); every other column passes through. Read and written by the csv
module, so quoting and newlines inside fields survive; read a row at a time.

The output adds the checks' findings as columns (`QA_COLUMNS`): the flags as JSON, and
the record's estimate (its worst segment's HTER and DA). A header with a column name
twice is refused: a row read into a mapping would lose one of the two values.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from copydesk.models import InputError
from copydesk.service.batch import qa
from copydesk.service.batch.record import Record
from copydesk.service.batch.spec import JobSpec

EDITS_COLUMN = "copydesk_edits"
FLAGS_COLUMN = "copydesk_flags"
HTER_COLUMN = "copydesk_hter"
DA_COLUMN = "copydesk_da"
QA_COLUMNS = (FLAGS_COLUMN, HTER_COLUMN, DA_COLUMN)
# The largest field read, in characters (the csv module's default is 131,072). A field
# over it ends the job with one error line: past it the csv module cannot find the next
# row reliably, so no per-row reject is possible.
FIELD_LIMIT = 16 * 1024 * 1024


def dialect(fmt: str) -> str:
    return "excel-tab" if fmt == "tsv" else "excel"


def _open(path: Path) -> io.TextIOWrapper:
    # UTF-8 was checked when the input was fingerprinted.
    return open(path, encoding="utf-8-sig", newline="")


def _reader(handle: io.TextIOBase, fmt: str) -> Iterator[list[str]]:
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(handle, dialect=dialect(fmt))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(
                f"{getattr(handle, 'name', 'input')}: row ending on line {reader.line_num}: "
                f"{exc} (fields of up to {FIELD_LIMIT:,} characters are read)"
            ) from None
        yield row


def check_header(path: Path, spec: JobSpec) -> list[str]:
    """The header row, or an `InputError`: none, no text column, a name twice."""
    with _open(path) as handle:
        header = next(_reader(handle, spec.fmt), None)
    if not header:
        raise InputError(f"{path.name}: no header row")
    twice = [name for name, n in Counter(header).items() if n > 1]
    if twice:
        where = "; ".join(
            f"{name!r} (columns {', '.join(str(i + 1) for i, h in enumerate(header) if h == name)})"
            for name in twice
        )
        raise InputError(f"{path.name}: duplicate column names: {where}; give each its own name")
    if spec.fields.text not in header:
        raise InputError(
            f"{path.name}: no column {spec.fields.text!r} for the text "
            f"(columns: {', '.join(header)}; --text-field names it)"
        )
    return header


def _added(header: list[str], spec: JobSpec) -> list[str]:
    """The columns the output adds after the input's own."""
    extra = [EDITS_COLUMN] if spec.with_edits else []
    return [c for c in (*extra, *QA_COLUMNS) if c not in header]


def read_rows(f: int, path: Path, spec: JobSpec) -> Iterator[Record]:
    header = check_header(path, spec)
    padding = [""] * len(_added(header, spec))  # a rejected row passes through
    fields = spec.fields
    with _open(path) as handle:
        rows = _reader(handle, spec.fmt)
        next(rows)
        for n, row in enumerate(rows, start=1):
            record = Record(f, f"{path.name}:row {n}", raw=json.dumps(row, ensure_ascii=False))
            kept = [*row, *padding]
            record.meta["raw_b64"] = base64.b64encode(_row(kept, spec.fmt).encode()).decode()
            if len(row) != len(header):
                record.reject = f"row has {len(row)} fields and the header {len(header)}"
                yield record
                continue
            payload = dict(zip(header, row, strict=True))
            if payload.get(fields.id):
                record.key = payload[fields.id]
            text = payload[fields.text]
            if len(text) > spec.max_chars:
                record.reject = f"text has {len(text)} characters; the limit is {spec.max_chars}"
            record.text, record.payload = text, payload
            record.source = payload.get(fields.source) or None
            yield record


def header_bytes(path: Path, spec: JobSpec) -> bytes:
    header = check_header(path, spec)
    return _row([*header, *_added(header, spec)], spec.fmt).encode("utf-8")


def render_row(record: Record, result: dict, spec: JobSpec) -> str:
    payload = dict(record.payload or {})
    header = list(payload)
    payload[spec.fields.text] = result["repaired"]
    values: dict[str, str] = {}
    if spec.with_edits:
        values[EDITS_COLUMN] = json.dumps(result["edits"], ensure_ascii=False)
    flags, segments = result.get("flags") or [], result.get("segments") or []
    hter, da = qa.unit_estimate(segments)
    # Empty, not "[]", where nothing was checked (checks off, or an empty text).
    values[FLAGS_COLUMN] = json.dumps(flags, ensure_ascii=False) if flags or segments else ""
    values[HTER_COLUMN] = "" if hter is None else f"{hter:.4f}"
    values[DA_COLUMN] = "" if da is None else f"{da:.4f}"
    for name, value in values.items():
        if name in payload:
            payload[name] = value
    row = [*payload.values(), *(values[c] for c in _added(header, spec))]
    return _row(row, spec.fmt)


def _row(values: list[str], fmt: str) -> str:
    out = io.StringIO()
    csv.writer(out, dialect=dialect(fmt), lineterminator="\n").writerow(values)
    return out.getvalue()
