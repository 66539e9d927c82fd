"""Reading batch inputs into records, and writing each repaired record back out.

Plain text is one document per file, or one segment per line with ``lines``. JSONL has
configurable field names for the text, the source and the id; every other field passes
through untouched. A record that cannot be read becomes a reject with its reason.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMATS = ("txt", "jsonl", "xliff")


@dataclass(frozen=True)
class Fields:
    text: str = "text"
    source: str = "source"
    id: str = "id"


@dataclass
class Record:
    """One unit of work: which file and position it came from, its text and payload."""

    file: int
    key: str
    text: str = ""
    source: str | None = None
    payload: dict[str, Any] | None = None
    reject: str | None = None
    raw: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


def input_format(paths: Sequence[Path], fmt: str | None) -> str:
    """``jsonl``, ``xliff`` or ``txt``, from ``fmt`` or the files' extension."""
    if fmt:
        return fmt
    suffixes = {p.suffix.lower() for p in paths}
    if suffixes <= {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffixes <= {".xlf", ".xliff"}:
        return "xliff"
    return "txt"


def read_records(
    paths: Sequence[Path], fmt: str, *, lines: bool, fields: Fields, max_chars: int
) -> Iterator[Record]:
    """Every record of every input, in order; unreadable ones carry a ``reject`` reason."""
    for f, path in enumerate(paths):
        data = path.read_bytes()
        if fmt == "xliff":
            yield from _xliff_records(f, path, data, max_chars)
            continue
        if fmt == "txt" and not lines:
            yield _checked(Record(f, path.name), data, max_chars)
            continue
        for n, raw in enumerate(data.splitlines(keepends=False), start=1):
            record = Record(f, f"{path.name}:{n}", meta={"line": True})
            if fmt == "txt":
                yield _checked(record, raw, max_chars)
            else:
                yield _json_record(record, raw, fields, max_chars)


def _xliff_records(f: int, path: Path, data: bytes, max_chars: int) -> Iterator[Record]:
    """One record per unit with a plain-text target; a file that is not XLIFF is a reject."""
    from copydesk.service.batch.xliff import XliffError, read_units

    try:
        units = read_units(data)
    except XliffError as exc:
        yield Record(f, path.name, reject=str(exc), raw=data.decode("utf-8", "replace")[:1000])
        return
    for unit in units:
        if unit.target is None:
            continue  # no target, or inline markup: passed through untouched
        record = Record(f, f"{path.name}#{unit.key}", text=unit.target, source=unit.source or None,
                        raw=unit.target, meta={"unit": unit.index})  # fmt: skip
        if len(unit.target) > max_chars:
            record.reject = f"text has {len(unit.target)} characters; the limit is {max_chars}"
        yield record


def _checked(record: Record, raw: bytes, max_chars: int) -> Record:
    if record.meta.get("line"):  # a rejected line is written back exactly as it came
        record.meta["raw_b64"] = base64.b64encode(raw + b"\n").decode("ascii")
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


def _json_record(record: Record, raw: bytes, fields: Fields, max_chars: int) -> Record:
    if not raw.strip():
        record.reject = "empty line"
        return record
    try:
        payload = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        record.reject = f"invalid JSON: {exc}"
        record.raw = raw.decode("utf-8", "replace")
        return record
    record.raw = raw.decode("utf-8")
    if not isinstance(payload, dict):
        record.reject = "not a JSON object"
        return record
    if fields.id in payload:
        record.key = str(payload[fields.id])
    text = payload.get(fields.text)
    if not isinstance(text, str):
        record.reject = f"missing or non-string field {fields.text!r}"
        return record
    source = payload.get(fields.source)
    if source is not None and not isinstance(source, str):
        record.reject = f"non-string field {fields.source!r}"
        return record
    if len(text) > max_chars:
        record.reject = f"text has {len(text)} characters; the limit is {max_chars}"
        return record
    record.text, record.source, record.payload = text, source, payload
    return record


def render(
    record: Record, result: dict | None, fmt: str, fields: Fields, with_edits: bool
) -> str | dict:
    """The output of one record: a JSON line, a text line, a document, or an XLIFF target.

    A rejected line of line-aligned text keeps its original text, so lines stay aligned.
    """
    if fmt == "xliff":
        applied = [e for e in result["edits"] if e["applied"]]
        note = "; ".join(f"{e['original']} -> {e['replacement']} ({e['kind']}: {e['message']})"
                         for e in applied)  # fmt: skip
        return {"unit": record.meta["unit"], "text": result["repaired"],
                "note": f"copydesk: {note}" if with_edits and applied else None}  # fmt: skip
    if fmt == "jsonl":
        payload = dict(record.payload or {})
        payload[fields.text] = result["repaired"]
        if with_edits:
            payload["copydesk"] = {
                "original": record.text,
                "edits": result["edits"],
                "stages": result["stages"],
            }
        return json.dumps(payload, ensure_ascii=False) + "\n"
    text = result["repaired"] if result is not None else record.raw
    return text + "\n" if record.meta.get("line") else text
