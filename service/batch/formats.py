"""Reading batch inputs into records, and writing each repaired record back out.

Plain text is one document per file, or one segment per line with ``lines``
(`copydesk.service.batch.lines`: a line-aligned source, documents of consecutive lines).
JSONL, CSV and TSV have configurable field names for the text, the source and the id;
every other field passes through untouched. XLIFF and TMX keep every byte but the
repaired targets (`write_tree`); their units that are not for copydesk (not English,
locked, signed off) are left alone and counted. A record that cannot be read becomes a
reject with its reason.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import get_args

from copydesk.models import markup
from copydesk.models.markup import Layout
from copydesk.models.markup.placeholders import PLACEHOLDER, parse_placeholders
from copydesk.service.batch import documents, lines, qa, tables, tmx, xliff
from copydesk.service.batch.record import Record
from copydesk.service.batch.spec import Fields, Format, JobSpec

FORMATS: tuple[str, ...] = get_args(Format)
SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".sdlxliff": "xliff",
    ".mqxliff": "xliff",
    ".tmx": "tmx",
    ".csv": "csv",
    ".tsv": "tsv",
}
TREES = ("xliff", "tmx")  # formats whose output is the input file with its targets replaced


def input_format(paths: Sequence[Path], fmt: str | None) -> str:
    """One of `FORMATS`, from ``fmt`` or the files' extension (``txt`` otherwise)."""
    if fmt:
        return fmt
    found = {SUFFIXES.get(p.suffix.lower(), "txt") for p in paths}
    return found.pop() if len(found) == 1 else "txt"


def read_records(spec: JobSpec, left_alone: Counter | None = None) -> Iterator[Record]:
    """Every record of every input, in order, read a record at a time (XLIFF and TMX: a
    file at a time); unreadable ones carry a ``reject`` reason. Options that cannot work
    on these inputs are an `InputError` before any work. ``left_alone`` counts, by
    reason, the XLIFF and TMX units read but not repaired."""
    lines.check_options(spec)
    left_alone = Counter() if left_alone is None else left_alone
    for f, path in enumerate(spec.inputs):
        if spec.fmt in TREES:
            yield from _tree_records(f, path, path.read_bytes(), spec, left_alone)
        elif spec.fmt in ("csv", "tsv"):
            yield from tables.read_rows(f, path, spec)
        elif spec.fmt == "txt" and not spec.lines:
            yield documents.document_record(f, path, spec.max_chars)
        elif spec.fmt == "txt":
            yield from lines.line_records(f, path, spec)
        else:
            for n, raw in enumerate(documents.json_lines(path), start=1):
                record = Record(f, f"{path.name}:{n}")
                if raw is None:
                    record.reject = f"line over {documents.JSON_LINE_BYTES:,} bytes"
                    yield record
                else:
                    yield _json_record(record, raw, spec.fields, spec.max_chars)


def layout_of(record: Record, text_format: str) -> Layout | None:
    """How the record's text is marked up; None for plain text."""
    if record.meta.get("placeholders"):
        return parse_placeholders(record.text)
    if text_format != "text":
        return markup.parse(record.text, text_format)
    return None


def _tree_records(
    f: int, path: Path, data: bytes, spec: JobSpec, left_alone: Counter
) -> Iterator[Record]:
    """One record per XLIFF unit or TMX unit to repair; a file that is neither is a reject."""
    module = xliff if spec.fmt == "xliff" else tmx
    try:
        units = module.read_units(data)
    except ValueError as exc:
        yield Record(f, path.name, reject=str(exc), raw=data.decode("utf-8", "replace")[:1000])
        return
    for unit in units:
        key = f"{path.name}#{unit.key}"
        if unit.skip:
            left_alone[unit.skip] += 1
            continue
        if unit.target is None:
            continue  # an XLIFF unit without a target: nothing to repair
        locked = getattr(unit, "locked", "")
        if locked and not spec.include_final:
            left_alone[f"locked: {locked}"] += 1
            continue
        record = Record(
            f,
            key,
            text=unit.target,
            source=unit.source or None,
            raw=unit.target,
            meta={"unit": unit.index, "placeholders": True},
        )
        if len(unit.target) > spec.max_chars:
            record.reject = f"text has {len(unit.target)} characters; the limit is {spec.max_chars}"
        yield record


def write_tree(fmt: str, data: bytes, units: Sequence[dict]) -> bytes:
    """An XLIFF or TMX file's bytes with its units' repaired targets spliced in, given
    the units as `render` describes them; a file that cannot be read comes back as it
    was (its reject says why)."""
    module = xliff if fmt == "xliff" else tmx
    texts = {u["unit"]: u["text"] for u in units}
    notes = {u["unit"]: u["note"] for u in units if u.get("note")}
    review = {u["unit"] for u in units if u.get("review")}
    try:
        return module.write_units(data, texts, notes, review)
    except ValueError:
        return data


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


def render(record: Record, result: dict, spec: JobSpec) -> str | dict:
    """The output of one record: a JSON line, a row, text lines, a document, or a
    repaired target for an XLIFF or TMX file."""
    if spec.fmt in TREES:
        return _tree_unit(record, result, spec)
    if spec.fmt == "jsonl":
        payload = dict(record.payload or {})
        payload[spec.fields.text] = result["repaired"]
        if spec.with_edits:
            payload["copydesk"] = {
                "original": record.text,
                "edits": result["edits"],
                "stages": result["stages"],
            }
        payload.update(qa.record_fields(result))
        return json.dumps(payload, ensure_ascii=False) + "\n"
    if spec.fmt in ("csv", "tsv"):
        return tables.render_row(record, result, spec)
    if record.meta.get("line"):
        return lines.render(record, result)
    return result["repaired"]


def _tree_unit(record: Record, result: dict, spec: JobSpec) -> dict:
    """An XLIFF or TMX unit's repaired target, its note (the applied edits with
    ``--with-edits``, and the checks' flags always) and whether a flag asks for review."""
    applied = [e for e in result["edits"] if e["applied"]]
    flags = result.get("flags") or []
    parts = []
    if spec.with_edits:
        parts += [
            f"{_plain(e['original'])} -> {_plain(e['replacement'])} ({e['kind']}: {e['message']})"
            for e in applied
        ]
    parts += [f"flag {f['kind']}: {f['message']} ({_plain(f['original'])!r})" for f in flags]
    return {
        "unit": record.meta["unit"],
        "text": result["repaired"],
        "note": f"copydesk: {'; '.join(parts)}" if parts else None,
        "review": bool(flags),
    }


def _plain(text: str) -> str:
    """Text for a note: the inline codes' placeholders left out."""
    return PLACEHOLDER.sub("", text)
