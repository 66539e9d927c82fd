"""CSV and TSV: a row per record, with named columns for the text, source and id (as
JSONL's fields); every other column passes through. Read and written by the csv
module, so quoting and newlines inside fields survive."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from copydesk.models import InputError
from copydesk.service.batch.record import Record
from copydesk.service.batch.spec import JobSpec

EDITS_COLUMN = "copydesk_edits"


def dialect(fmt: str) -> str:
    return "excel-tab" if fmt == "tsv" else "excel"


def _header(path: Path, data: bytes, spec: JobSpec) -> list[str]:
    text = _decode(path, data)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect(spec.fmt))
    header = next(reader, None)
    if not header:
        raise InputError(f"{path.name}: no header row")
    if spec.fields.text not in header:
        raise InputError(
            f"{path.name}: no column {spec.fields.text!r} for the text "
            f"(columns: {', '.join(header)}; --text-field names it)"
        )
    return header


def read_rows(f: int, path: Path, data: bytes, spec: JobSpec) -> Iterator[Record]:
    header = _header(path, data, spec)
    fields = spec.fields
    reader = csv.reader(io.StringIO(_decode(path, data), newline=""), dialect=dialect(spec.fmt))
    next(reader)
    for n, row in enumerate(reader, start=1):
        record = Record(f, f"{path.name}:row {n}", raw=json.dumps(row, ensure_ascii=False))
        kept = [*row, ""] if spec.with_edits else row  # a rejected row passes through
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
    header = _header(path, path.read_bytes(), spec)
    if spec.with_edits:
        header = [*header, EDITS_COLUMN]
    return _row(header, spec.fmt).encode("utf-8")


def render_row(record: Record, result: dict, spec: JobSpec) -> str:
    payload = dict(record.payload or {})
    payload[spec.fields.text] = result["repaired"]
    row = list(payload.values())
    if spec.with_edits:
        row.append(json.dumps(result["edits"], ensure_ascii=False))
    return _row(row, spec.fmt)


def _row(values: list[str], fmt: str) -> str:
    out = io.StringIO()
    csv.writer(out, dialect=dialect(fmt), lineterminator="\n").writerow(values)
    return out.getvalue()


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name} is not UTF-8 (byte {exc.start})") from exc
