"""The learning simulation's repairs, recorded once and replayed offline.

A run of `copydesk eval learning` repairs every line of the learning stream and of the
measuring halves with the real pipeline, which takes minutes. What a learner decides
from the decisions (which proposed edits to apply, which to offer) can be weighed
without repairing again: `record` keeps each line's original, reference and proposed
edits (applied or offered, as shipped) with the simulated editor's verdicts, and
`replay` measures a policy's apply/offer choice on the recorded edits.

The replay is an approximation of a real run in one way: a stage proposes on the text
the stages before it left, and a different choice upstream can change what it proposes.
The shipped run's proposals are kept as they were; an end-to-end run checks the result.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sacrebleu.metrics import TER

from copydesk.eval.components.learning import (
    POINTS,
    Measure,
    Point,
    SimSet,
    in_turn,
    repair_lines,
)
from copydesk.models.edits import Edit, apply_edits, resolve_overlaps
from copydesk.models.learning import (
    Decision,
    Learned,
    implied_decisions,
    judge,
    learn,
)
from copydesk.models.pipeline import Pipeline


@dataclass(frozen=True)
class Line:
    """One repaired line: its proposed edits (as shipped: applied or offered) and the
    simulated editor's verdict on each."""

    set: str
    original: str
    reference: str
    edits: tuple[Edit, ...]
    verdicts: tuple[bool, ...]

    def decisions(self) -> list[Decision]:
        return implied_decisions(self.original, self.edits, self.reference)

    def to_dict(self) -> dict:
        return {
            "set": self.set,
            "original": self.original,
            "reference": self.reference,
            "edits": [e.to_dict() for e in self.edits],
            "verdicts": list(self.verdicts),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Line:
        return cls(
            data["set"],
            data["original"],
            data["reference"],
            tuple(Edit.from_dict(e) for e in data["edits"]),
            tuple(data["verdicts"]),
        )


def _lines(pipeline: Pipeline, part: SimSet) -> list[Line]:
    results = repair_lines(pipeline, part.mt)
    return [
        Line(part.name, r.original, ref, tuple(r.edits), tuple(judge(r.original, r.edits, ref)))
        for r, ref in zip(results, part.references, strict=True)
    ]


def record(pipeline: Pipeline, sets: Sequence[SimSet], learn_only: Sequence[SimSet] = ()) -> dict:
    """Every line of the learning parts (first halves of ``sets``, all of ``learn_only``)
    and of the measuring halves, repaired as shipped, with the pipeline's cutoffs."""
    halves = [s.halves() for s in sets]
    learning = [h[0] for h in halves] + list(learn_only)
    return {
        "thresholds": pipeline.thresholds(),
        "learning": [[line.to_dict() for line in _lines(pipeline, p)] for p in learning],
        "measuring": {t.name: [line.to_dict() for line in _lines(pipeline, t)] for _, t in halves},
    }


def save(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)


def load(path: Path) -> tuple[dict[str, float], list[list[Line]], dict[str, list[Line]]]:
    """The thresholds, the learning parts' lines and the measuring halves' lines."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    learning = [[Line.from_dict(d) for d in part] for part in data["learning"]]
    measuring = {k: [Line.from_dict(d) for d in v] for k, v in data["measuring"].items()}
    return data["thresholds"], learning, measuring


def stream(parts: Sequence[Sequence[Line]]) -> list[tuple[Line, list[Decision]]]:
    """The learning parts' lines in turn, as `decision_stream` orders them, each with its
    decisions."""
    return [(line, line.decisions()) for line in in_turn(parts)]


# A policy: for one line, whether each of its proposed edits is applied.
Policy = Callable[[Line], Sequence[bool]]


def shipped(line: Line) -> list[bool]:
    """The shipped choice, as recorded."""
    return [e.applied for e in line.edits]


def replay(lines: Sequence[Line], policy: Policy) -> Measure:
    """A measuring half's figures with ``policy``'s choice of applied edits."""
    m = Measure()
    outputs = []
    for line in lines:
        chosen = policy(line)
        applied = resolve_overlaps(e for e, a in zip(line.edits, chosen, strict=True) if a)
        made = {id(e) for e in applied}
        outputs.append(apply_edits(line.original, applied))
        m.count(line.original, line.reference, line.edits, line.verdicts,
                [id(e) in made for e in line.edits])  # fmt: skip
    m.ter = TER(case_sensitive=True).corpus_score(outputs, [[ln.reference for ln in lines]]).score
    return m


def learned_policy(learned: Learned, thresholds: Mapping[str, float]) -> Policy:
    """Which recorded edits a newsroom's learned rules apply (protected words aside: the
    replay keeps every recorded proposal)."""
    house = learned.house_rules()

    def policy(line: Line) -> list[bool]:
        return [
            house.applies(e.with_applied(True), thresholds.get(e.stage, 0.0), line.original)
            for e in line.edits
        ]

    return policy


def replay_curve(
    path: Path, *, points: Sequence[int] = POINTS, precision: float = 0.95
) -> tuple[list[Point], int]:
    """`learning_curve` on recorded repairs: the learned cutoffs and judge at each point,
    measured on the recorded measuring halves (no glossary: it adds edits the recording
    does not have)."""
    thresholds, learning, measuring = load(path)
    decisions = [d for _, ds in stream(learning) for d in ds]
    counts = sorted({min(p, len(decisions)) for p in points} | {len(decisions)})
    curve = [Point(0, {}, [], [])]
    curve[0].measures = {k: replay(v, shipped) for k, v in measuring.items()}
    for n in counts:
        learned = learn(decisions[:n], precision=precision, shipped=thresholds)
        judge = learned.judge.to_dict() if learned.judge else None
        point = Point(n, learned.cutoffs, [], [], judge=judge)
        policy = learned_policy(learned, thresholds)
        point.measures = {k: replay(v, policy) for k, v in measuring.items()}
        curve.append(point)
    return curve, len(decisions)
