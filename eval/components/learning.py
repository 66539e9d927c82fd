"""Learning by simulation: an editor replayed on sets with references.

The simulated editor accepts an edit when the reference has it (applying it alone brings
the line nearer the reference, `copydesk.models.learning.judge`), rejects it otherwise,
and writes in by hand what the reference has and copydesk missed; shown a glossary
candidate its hand corrections proposed, it approves it when the references it has seen
write the term so (`approved`). A newsroom learns from the decisions on the first half
of each measured set and on every line of the sets it only learns from (the sets' lines
taken in turn, as a desk sees mixed copy), and is measured on the second halves, with
the learned cutoffs, protected words and approved glossary entries, after 50, 200, 1,000
and 5,000 decisions and after all of them.

Figures per set and point: TER (case-sensitive) against the references; the precision
of applied edits (the share the editor keeps); and the edits left to the editor: applied
edits to undo, suggestions to accept, and hand corrections still to write.

The house-style pair replays two newsrooms over the same lines that name ``Kiev``/``Kyiv``
or ``Sergei``/``Sergey``, each with its own spelling in its references, and counts how
often each newsroom's output has its own spelling after learning.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sacrebleu.metrics import TER

from copydesk.models import Pipeline, RepairContext
from copydesk.models.edits import Edit
from copydesk.models.errors import StageUnavailable
from copydesk.models.learning import (
    Candidate,
    Decision,
    Learned,
    hand_corrections,
    implied_decisions,
    judge,
    learn,
)
from copydesk.models.names.glossary import Glossary
from copydesk.models.names.glossary_term import GlossaryTerm
from copydesk.models.pipeline import StageStatus

POINTS = (50, 200, 1000, 5000)
BATCH = 128
RETRIES = 3
# A candidate the simulated editor approves: its term is the reference's spelling in at
# least this share of the learning half's occurrences of the term or its variant.
APPROVE_SHARE = 0.95
HOUSE_STYLES = {
    "Sergey/Kyiv": {"Sergei": "Sergey", "Kiev": "Kyiv"},
    "Sergei/Kiev": {"Sergey": "Sergei", "Kyiv": "Kiev"},
}

T = TypeVar("T")


@dataclass(frozen=True)
class SimSet:
    """One set's lines and references."""

    name: str
    mt: Sequence[str]
    references: Sequence[str]

    def halves(self) -> tuple[SimSet, SimSet]:
        half = len(self.mt) // 2
        return (
            SimSet(self.name, self.mt[:half], self.references[:half]),
            SimSet(self.name, self.mt[half:], self.references[half:]),
        )


@dataclass
class Measure:
    """One set measured under one newsroom's learned rules."""

    ter: float = 0.0
    applied: int = 0
    applied_kept: int = 0
    to_undo: int = 0
    to_accept: int = 0
    to_write: int = 0

    @property
    def precision(self) -> float | None:
        return self.applied_kept / self.applied if self.applied else None

    @property
    def left(self) -> int:
        """Edits left to the editor: undo, accept, or write by hand."""
        return self.to_undo + self.to_accept + self.to_write

    def count(
        self,
        original: str,
        reference: str,
        edits: Sequence[Edit],
        verdicts: Sequence[bool],
        made: Sequence[bool],
    ) -> None:
        """Add one line read as the editor reads it: each proposed edit made (``made``)
        or offered, right or wrong (``verdicts``), and what the editor still writes."""
        for ok, applied in zip(verdicts, made, strict=True):
            if applied:
                self.applied += 1
                self.applied_kept += ok
                self.to_undo += not ok
            else:
                self.to_accept += ok
        right = [e for e, ok in zip(edits, verdicts, strict=True) if ok]
        self.to_write += len(hand_corrections(original, reference, right))

    def to_dict(self) -> dict:
        return {
            "ter": round(self.ter, 3),
            "applied": self.applied,
            "precision": None if self.precision is None else round(self.precision, 4),
            "to_undo": self.to_undo,
            "to_accept": self.to_accept,
            "to_write": self.to_write,
            "left": self.left,
        }


@dataclass
class Point:
    """The newsroom after learning from its first ``decisions`` decisions."""

    decisions: int
    cutoffs: dict[str, float]
    protected: list[str]
    glossary: list[str]
    measures: dict[str, Measure] = field(default_factory=dict)
    # The judge of edits learned, as exported (None: not trusted, the cutoffs hold).
    judge: dict | None = None

    def to_dict(self) -> dict:
        return {
            "decisions": self.decisions,
            "cutoffs": self.cutoffs,
            "protected": self.protected,
            "glossary": self.glossary,
            "judge": self.judge,
            "measures": {k: m.to_dict() for k, m in self.measures.items()},
        }


def repair_lines(
    pipeline: Pipeline, lines: Sequence[str], context: RepairContext | None = None
) -> list:
    """Repair ``lines`` with every stage run: figures from runs where a stage was skipped
    (LanguageTool starting on a busy machine) would compare unlike with like, so a batch
    is run again, and a stage still not run is an error."""
    results = []
    for i in range(0, len(lines), BATCH):
        chunk = list(lines[i : i + BATCH])
        contexts = [context or RepairContext() for _ in chunk]
        for attempt in range(RETRIES + 1):
            done = pipeline.repair_many(chunk, contexts)
            missed = {s.name for r in done for s in r.stages if s.status != StageStatus.OK}
            if not missed:
                break
            if attempt == RETRIES:
                raise StageUnavailable(", ".join(sorted(missed)), "did not run in the replay")
            time.sleep(5)
        results += done
    return results


def measure(pipeline: Pipeline, part: SimSet, context: RepairContext | None = None) -> Measure:
    """Repair ``part`` under ``context`` and read the output as the editor would."""
    results = repair_lines(pipeline, part.mt, context)
    m = Measure()
    m.ter = (
        TER(case_sensitive=True)
        .corpus_score([r.repaired for r in results], [list(part.references)])
        .score
    )
    for result, reference in zip(results, part.references, strict=True):
        verdicts = judge(result.original, result.edits, reference)
        m.count(
            result.original, reference, result.edits, verdicts, [e.applied for e in result.edits]
        )
    return m


def decision_stream(pipeline: Pipeline, parts: Sequence[SimSet]) -> list[Decision]:
    """The simulated editor's decisions on ``parts``, the sets' lines in turn."""
    per_set = []
    for part in parts:
        results = repair_lines(pipeline, part.mt)
        per_set.append(
            [
                implied_decisions(r.original, r.edits, ref)
                for r, ref in zip(results, part.references, strict=True)
            ]
        )
    return [d for line in in_turn(per_set) for d in line]


def in_turn(parts: Sequence[Sequence[T]]) -> list[T]:
    """The parts' items in turn (the first of each, then the second of each, ...), as a
    desk sees mixed copy."""
    return [
        p[i] for i in range(max((len(p) for p in parts), default=0)) for p in parts if i < len(p)
    ]


def approved(candidates: Sequence[Candidate], references: Sequence[str]) -> list[Candidate]:
    """The candidates the simulated editor approves: the references write the term so."""
    text = "\n".join(references)
    kept = []
    for c in candidates:
        pattern = rf"(?<!\w)(?:{re.escape(c.term)}|{re.escape(c.variant)})(?!\w)"
        found = re.findall(pattern, text, flags=re.IGNORECASE)
        if found and sum(f == c.term for f in found) / len(found) >= APPROVE_SHARE:
            kept.append(c)
    return kept


def glossary_of(candidates: Sequence[Candidate]) -> Glossary | None:
    if not candidates:
        return None
    variants: dict[str, list[str]] = {}
    for c in candidates:
        variants.setdefault(c.term, []).append(c.variant)
    return Glossary([GlossaryTerm(t, tuple(v)) for t, v in variants.items()], name="learned")


def newsroom_context(learned: Learned, references: Sequence[str]) -> RepairContext:
    """What a newsroom's repairs run under after learning (and the editor's approvals)."""
    return RepairContext(
        house=learned.house_rules(), glossary=glossary_of(approved(learned.candidates, references))
    )


def learning_curve(
    pipeline: Pipeline,
    sets: Sequence[SimSet],
    *,
    learn_only: Sequence[SimSet] = (),
    points: Sequence[int] = POINTS,
    precision: float = 0.95,
) -> tuple[list[Point], int]:
    """The shipped behaviour (a point at 0 decisions), then one point per count of
    decisions learned from, and one for all of them; and how many decisions there were.
    The newsroom learns from the first halves of ``sets`` and all of ``learn_only``
    (sets copydesk may have been tuned on, or copy a figure would flatter: decisions on
    them are an editor's like any other, but nothing is measured on them), and is
    measured on the second halves of ``sets``."""
    halves = [s.halves() for s in sets]
    learning = [h[0] for h in halves] + list(learn_only)
    stream = decision_stream(pipeline, learning)
    references = [r for part in learning for r in part.references]
    shipped = pipeline.thresholds()
    counts = sorted({min(p, len(stream)) for p in points} | {len(stream)})
    curve = [Point(0, {}, [], [])]
    for _, test in halves:
        curve[0].measures[test.name] = measure(pipeline, test)
    for n in counts:
        learned = learn(stream[:n], precision=precision, shipped=shipped)
        context = newsroom_context(learned, references)
        glossary = context.glossary
        point = Point(
            n,
            learned.cutoffs,
            sorted(learned.house_rules().protected),
            sorted(
                f"{v} -> {t.term}" for t in (glossary.terms if glossary else ()) for v in t.variants
            ),
            judge=learned.judge.to_dict() if learned.judge else None,
        )
        same = curve[-1] if _same_rules(curve[-1], point) else None
        for _, test in halves:  # rules unchanged since the last point: the same figures
            point.measures[test.name] = (
                same.measures[test.name] if same else measure(pipeline, test, context)
            )
        curve.append(point)
    return curve, len(stream)


def _same_rules(a: Point, b: Point) -> bool:
    return (a.cutoffs, a.protected, a.glossary, a.judge) == (
        b.cutoffs,
        b.protected,
        b.glossary,
        b.judge,
    )


def _judge_line(judge: Mapping | None) -> str:
    if not judge:
        return "none"
    check = judge.get("check", {})
    return (
        f"keep from {judge['keep']:g}, promote from {judge['promote']:g} "
        f"({judge['decisions']:,} decisions; out of fold AUC {check.get('auc', 0):.3f}, "
        f"precision {100 * check.get('precision', 0):.1f}% against "
        f"{100 * check.get('precision_by_cutoffs', 0):.1f}%, left {check.get('left')} against "
        f"{check.get('left_by_cutoffs')})"
    )


def house_lines(lines: Sequence[str]) -> list[str]:
    """The lines that name any of the house-style pair's spellings."""
    words = {w for style in HOUSE_STYLES.values() for pair in style.items() for w in pair}
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(sorted(words)) + r")(?!\w)")
    return [line for line in lines if pattern.search(line)]


def _restyle(line: str, style: Mapping[str, str]) -> str:
    for old, new in style.items():
        line = re.sub(rf"(?<!\w){old}(?!\w)", new, line)
    return line


def _own_share(outputs: Sequence[str], style: Mapping[str, str]) -> tuple[int, int]:
    """(occurrences in the newsroom's spelling, occurrences of either spelling)."""
    own = other = 0
    for text in outputs:
        for old, new in style.items():
            own += len(re.findall(rf"(?<!\w){new}(?!\w)", text))
            other += len(re.findall(rf"(?<!\w){old}(?!\w)", text))
    return own, own + other


def house_style(
    pipeline: Pipeline, lines: Sequence[str], *, precision: float = 0.95
) -> dict[str, dict]:
    """Each house style's newsroom, learning on the even lines and measured on the odd:
    its own spelling's share of the pair's occurrences, before and after."""
    learn_lines, test_lines = list(lines[0::2]), list(lines[1::2])
    shipped = pipeline.thresholds()
    before = [r.repaired for r in repair_lines(pipeline, test_lines)]
    report = {}
    for name, style in HOUSE_STYLES.items():
        references = [_restyle(line, style) for line in learn_lines]
        results = repair_lines(pipeline, learn_lines)
        decisions = [
            d
            for r, ref in zip(results, references, strict=True)
            for d in implied_decisions(r.original, r.edits, ref)
        ]
        learned = learn(decisions, precision=precision, shipped=shipped)
        context = newsroom_context(learned, references)
        after = [r.repaired for r in repair_lines(pipeline, test_lines, context)]
        own_before, total_before = _own_share(before, style)
        own_after, total_after = _own_share(after, style)
        report[name] = {
            "decisions": len(decisions),
            "learned": sorted(
                f"{v} -> {t.term}"
                for t in (context.glossary.terms if context.glossary else ())
                for v in t.variants
            )
            + [f"protected {w}" for w in sorted(learned.house_rules().protected)],
            "before": own_before / total_before if total_before else None,
            "after": own_after / total_after if total_after else None,
            "occurrences": total_after,
        }
    return report


def markdown(curve: Sequence[Point], total: int, house: Mapping[str, dict]) -> str:
    """The curve and the house-style pair as Markdown tables."""
    out = [
        f"Decisions learned from: {total:,}.",
        "",
        "| set | decisions | TER | applied | precision | to undo | to accept | to write | left |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    names = list(curve[0].measures)
    for name in names:
        for point in curve:
            m = point.measures[name]
            p = "–" if m.precision is None else f"{100 * m.precision:.1f}%"
            label = "shipped" if point.decisions == 0 else f"{point.decisions:,}"
            label += " (all)" if point is curve[-1] and point.decisions == total else ""
            out.append(
                f"| {name} | {label} | {m.ter:.2f} | {m.applied} | {p} | {m.to_undo} | "
                f"{m.to_accept} | {m.to_write} | {m.left} |"
            )
    out.append("")
    for point in curve[1:]:
        cutoffs = ", ".join(f"{k} {v:.3f}" for k, v in sorted(point.cutoffs.items()))
        protected = ", ".join(point.protected) or "none"
        glossary = ", ".join(point.glossary) or "none"
        out.append(
            f"- {point.decisions:,} decisions: cutoffs {cutoffs or 'as shipped'}; "
            f"protected {protected}; glossary {glossary}; judge {_judge_line(point.judge)}"
        )
    if house:
        out += ["", "| house style | decisions | learned | own spelling before | after |"]
        out.append("|---|---:|---|---:|---:|")
        for name, r in house.items():
            b = "–" if r["before"] is None else f"{100 * r['before']:.1f}%"
            a = "–" if r["after"] is None else f"{100 * r['after']:.1f}%"
            out.append(f"| {name} | {r['decisions']} | {', '.join(r['learned'])} | {b} | {a} |")
    return "\n".join(out) + "\n"
