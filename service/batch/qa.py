"""A job's QA report: flags by file, unit and kind, and the units ranked by their estimate.

Translators' QA tools (Xbench, Verifika) end a check with a report per file and issue
kind; this is copydesk's. Its input is format-neutral: a `QAUnit` per segment a job
checked (a line, a JSONL record, a CSV row, an XLIFF or TMX unit, a document), with the
flags and per-segment estimates the pipeline gave it. Counts cover every unit; the
listed units are those that pass the filters, ranked (worst estimate first, or input
order) and capped at ``limit``, so the report's memory stays bounded whatever the job's
size. Written as JSON and as a Markdown table.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

Sort = Literal["hter", "da", "position"]
SORTS: tuple[str, ...] = ("hter", "da", "position")
DEFAULT_LIMIT = 1000


@dataclass
class QAUnit:
    """One checked segment of a job: where it is, its flags (offsets into the unit's
    text) and its segments' estimates."""

    file: str
    unit: str
    flags: list[dict] = field(default_factory=list)
    segments: list[dict] = field(default_factory=list)

    @property
    def hter(self) -> float | None:
        return unit_estimate(self.segments)[0]

    @property
    def da(self) -> float | None:
        return unit_estimate(self.segments)[1]


def unit_estimate(segments: Sequence[dict]) -> tuple[float | None, float | None]:
    """A unit's estimate: its worst segment's (the highest HTER, the lowest DA)."""
    if not segments:
        return None, None
    return max(s["hter"] for s in segments), min(s["da"] for s in segments)


def units_of(file: str, unit: str, result: dict, lines: Sequence[tuple[str, int]] = ()) -> list:
    """The QA units of one repaired record. ``lines``, for a record of several lines
    (``--lines`` with document ids), names each line and gives its length: flags and
    segments are then given to the line they start in, with offsets into that line."""
    flags, segments = result.get("flags") or [], result.get("segments") or []
    if len(lines) <= 1:
        name = lines[0][0] if lines else unit
        return [asdict(QAUnit(file, name, list(flags), list(segments)))]
    out, start = [], 0
    for name, length in lines:
        end = start + length

        def inside(item: dict, start: int = start, end: int = end) -> bool:
            return start <= item["start"] <= end

        out.append(
            asdict(
                QAUnit(
                    file,
                    name,
                    [_shift(f, start) for f in flags if inside(f)],
                    [_shift(s, start) for s in segments if inside(s)],
                )
            )
        )
        start = end + 2  # the paragraph break between lines
    return out


def _shift(item: dict, by: int) -> dict:
    return {**item, "start": item["start"] - by, "end": item["end"] - by}


@dataclass(frozen=True)
class Options:
    """Which units the report lists, and in what order."""

    sort: Sort = "hter"
    min_hter: float | None = None  # list units whose HTER is at least this
    max_da: float | None = None  # list units whose DA is at most this
    flagged_only: bool = False
    limit: int = DEFAULT_LIMIT

    def keeps(self, unit: QAUnit) -> bool:
        if self.flagged_only and not unit.flags:
            return False
        if self.min_hter is not None and (unit.hter is None or unit.hter < self.min_hter):
            return False
        return not (self.max_da is not None and (unit.da is None or unit.da > self.max_da))

    def rank(self, unit: QAUnit, position: int) -> tuple:
        """Smaller ranks first: worst estimate first, input order among equals."""
        if self.sort == "hter":
            return (unit.hter is None, -(unit.hter or 0.0), position)
        if self.sort == "da":
            return (unit.da is None, unit.da or 0.0, position)
        return (position,)


class Report:
    """Gathers units as a job assembles its output, then writes the report."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self.units = 0
        self.flagged = 0
        self.kinds: Counter = Counter()
        self.files: dict[str, dict] = defaultdict(
            lambda: {"units": 0, "flagged": 0, "flags": Counter()}
        )
        self._listed: list[tuple] = []  # a heap of (negated rank, position, unit)

    def add(self, unit: QAUnit) -> None:
        position = self.units
        self.units += 1
        per_file = self.files[unit.file]
        per_file["units"] += 1
        if unit.flags:
            self.flagged += 1
            per_file["flagged"] += 1
        for flag in unit.flags:
            self.kinds[flag["kind"]] += 1
            per_file["flags"][flag["kind"]] += 1
        if not self.options.keeps(unit):
            return
        key = _Reversed(self.options.rank(unit, position))
        item = (key, position, unit)
        if len(self._listed) < self.options.limit:
            heapq.heappush(self._listed, item)
        elif key > self._listed[0][0]:  # ranks before the worst kept
            heapq.heapreplace(self._listed, item)

    def add_all(self, units: Iterable[QAUnit]) -> None:
        for unit in units:
            self.add(unit)

    def listed(self) -> list[tuple[int, QAUnit]]:
        """The listed units with their positions, in the report's order."""
        items = sorted(self._listed, key=lambda item: item[0].rank)
        return [(position, unit) for _, position, unit in items]

    def to_dict(self) -> dict:
        options = asdict(self.options)
        return {
            "units": self.units,
            "flagged_units": self.flagged,
            "flags_by_kind": dict(sorted(self.kinds.items())),
            "files": {
                name: {**info, "flags": dict(sorted(info["flags"].items()))}
                for name, info in self.files.items()
            },
            "listed": {"options": options, "count": len(self._listed)},
            "list": [
                {"position": position, **asdict(unit), "hter": unit.hter, "da": unit.da}
                for position, unit in self.listed()
            ],
        }

    def markdown(self) -> str:
        kinds = sorted(self.kinds)
        out = [
            "# QA report",
            "",
            f"{self.units} units checked, {self.flagged} with flags, "
            f"{sum(self.kinds.values())} flags.",
            "",
            "## Flags by file and kind",
            "",
            "| " + " | ".join(["File", "Units", "Flagged", *(_cell(k) for k in kinds)]) + " |",
            "|---|---:|---:|" + "---:|" * len(kinds),
        ]
        for name, info in self.files.items():
            cells = [_cell(name), info["units"], info["flagged"]]
            cells += [info["flags"].get(k, 0) for k in kinds]
            out.append("| " + " | ".join(str(c) for c in cells) + " |")
        o = self.options
        order = {"hter": "highest HTER first", "da": "lowest DA first", "position": "input order"}
        filters = [
            *(["with flags"] if o.flagged_only else []),
            *([f"HTER ≥ {o.min_hter}"] if o.min_hter is not None else []),
            *([f"DA ≤ {o.max_da}"] if o.max_da is not None else []),
        ]
        out += [
            "",
            f"## Units ({order[o.sort]}"
            + (f"; {', '.join(filters)}" if filters else "")
            + f"; at most {o.limit})",
            "",
            "| # | File | Unit | HTER | DA | Kind | Span | Message |",
            "|---:|---|---|---:|---:|---|---|---|",
        ]
        for position, unit in self.listed():
            hter = "" if unit.hter is None else f"{unit.hter:.3f}"
            da = "" if unit.da is None else f"{unit.da:.3f}"
            head = f"| {position + 1} | {_cell(unit.file)} | {_cell(unit.unit)} | {hter} | {da}"
            if not unit.flags:
                out.append(f"{head} |  |  |  |")
            for flag in unit.flags:
                span = f"{flag['start']}–{flag['end']} {_cell(flag.get('original', ''))}"
                out.append(
                    f"{head} | {_cell(flag['kind'])} | {span} | {_cell(flag.get('message', ''))} |"
                )
        return "\n".join(out) + "\n"

    def write(self, base: Path) -> tuple[Path, Path]:
        """``base``.json and ``base``.md, each written whole or not at all."""
        from copydesk.service.batch.checkpoint import write_atomic

        json_path, md_path = base.with_name(base.name + ".json"), base.with_name(base.name + ".md")
        write_atomic(json_path, json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n")
        write_atomic(md_path, self.markdown())
        return json_path, md_path


class _Reversed:
    """A rank ordered backwards, so that a min-heap's top is the worst unit kept."""

    __slots__ = ("rank",)

    def __init__(self, rank: tuple) -> None:
        self.rank = rank

    def __lt__(self, other: _Reversed) -> bool:
        return self.rank > other.rank

    def __gt__(self, other: _Reversed) -> bool:
        return self.rank < other.rank

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and self.rank == other.rank

    __hash__ = None  # type: ignore[assignment]


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell: no pipe, line break or markup."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def record_fields(result: dict) -> dict:
    """A JSONL record's added fields: its flags, its segments' estimates, and its own
    (the worst segment's); none where nothing was checked (checks off)."""
    flags, segments = result.get("flags") or [], result.get("segments") or []
    if not (flags or segments):
        return {}
    hter, da = unit_estimate(segments)
    return {
        "copydesk_flags": flags,
        "copydesk_hter": hter,
        "copydesk_da": da,
        "copydesk_segments": segments,
    }
