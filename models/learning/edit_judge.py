"""A newsroom's judge of proposed edits: P(the editor accepts) from many features at once
(`edit_features`), learned from the newsroom's decisions, and the bars at which it applies
an edit instead of offering it.

Cutoffs read one number, a rule's confidence. The judge reads the confidence with the
rule, which way the edit moves a capital, where it stands, how common the word is, its
neighbours' capitals and whether the text writes it elsewhere so, in one logistic
regression (`logistic`). Two bars turn its probability into apply or offer: an edit its
rule's cutoff applies stays applied from ``keep``; one the cutoff offers is applied from
``promote``.

Trusted only where the newsroom's own decisions show it helps: with at least
`MIN_JUDGE_DECISIONS` decisions, and `MIN_JUDGED` on the edits of the rules it judges
(those with `MIN_DECISIONS` decisions or more, each with the text it was proposed on),
each of those is predicted by a judge fitted without it (`FOLDS`-fold, out of fold), and the bars
are the pair that leaves the editor fewest edits (undos plus accepts) while the edits it
applies meet the newsroom's precision with 95% confidence (the Wilson lower bound of
their share accepted), and leaves fewer than the cutoffs do. No such pair: no judge,
and the cutoffs hold.

The precision is asked of the judge's applied edits as a whole, not of each band it adds:
on a simulated newsroom's copy no band below the casing model's cutoff is accepted 95%
of the time, whatever the features (`docs/experiments/learning.md`), so a judge held to
the marginal rule of the cutoffs applies nothing new.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from copydesk.models.edits import Edit, EditKind
from copydesk.models.house import rule_key
from copydesk.models.learning import logistic
from copydesk.models.learning.calibration import MIN_DECISIONS, wilson_bounds
from copydesk.models.learning.decisions import Decision, stands_at
from copydesk.models.learning.edit_features import features

# Fewer decisions than this (hand corrections included) and the judge is not tried, nor
# with fewer than `MIN_JUDGED` on the edits of the rules it judges: out-of-fold
# estimates of a precision near 95% move by a point or more on a few hundred edits.
MIN_JUDGE_DECISIONS = 1000
MIN_JUDGED = 500
FOLDS = 5
L2 = 1.0
KEEP_BARS = (0.0, 0.3, 0.4, 0.5)
PROMOTE_BARS = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))
# The editor's page sends each decision with the line its edit stands on, at most this
# many characters either side of the edit (`contextOf` in editor.js): the judge learns
# from and judges every edit on such a line, whatever text it was given.
CONTEXT_CHARS = 1000


@dataclass(frozen=True)
class EditJudge:
    """A fitted judge: its weights, its bars, the rules it judges, and how it did on the
    newsroom's decisions out of fold (``check``)."""

    weights: Mapping[str, float]
    keep: float
    promote: float
    rules: frozenset[str]
    decisions: int
    check: Mapping[str, float] = field(default_factory=dict)

    def probability(self, edit: Edit, text: str) -> float:
        return logistic.probability(self.weights, features(*on_line(edit, text)))

    def applies(self, edit: Edit, text: str, by_cutoff: bool) -> bool | None:
        """Whether to apply ``edit`` (proposed on ``text``), given whether its cutoff
        would; None for a rule the judge does not judge."""
        if rule_key(edit) not in self.rules:
            return None
        return self.probability(edit, text) >= (self.keep if by_cutoff else self.promote)

    def to_dict(self) -> dict:
        return {
            "keep": self.keep,
            "promote": self.promote,
            "rules": sorted(self.rules),
            "decisions": self.decisions,
            "check": dict(self.check),
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> EditJudge:
        """A judge as `to_dict` wrote it; ValueError for anything else."""
        try:
            judge = cls(
                {str(k): float(v) for k, v in data["weights"].items()},
                float(data["keep"]),
                float(data["promote"]),
                frozenset(str(r) for r in data["rules"]),
                int(data.get("decisions", 0)),
                dict(data.get("check", {})),
            )
            usable = not isinstance(data["rules"], str) and 0 <= judge.keep <= 1
            usable = usable and 0 <= judge.promote <= 1
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not a judge of edits: {exc}") from exc
        if not usable or not all(math.isfinite(w) for w in judge.weights.values()):
            raise ValueError("not a judge of edits: bars from 0 to 1, finite weights, rules")
        return judge


def on_line(edit: Edit, text: str) -> tuple[Edit, str]:
    """``edit`` moved into the line of ``text`` it stands on, and that line, cut as the
    page cuts a decision's context."""
    start = text.rfind("\n", 0, edit.start) + 1 if edit.start > 0 else 0
    end = text.find("\n", edit.end)
    start = max(start, edit.start - CONTEXT_CHARS)
    end = min(len(text) if end < 0 else end, edit.end + CONTEXT_CHARS)
    if start == 0 and end == len(text):
        return edit, text
    return replace(edit, start=edit.start - start, end=edit.end - start), text[start:end]


def _edit(d: Decision) -> Edit:
    return Edit(d.start, d.start + len(d.original), d.original, d.replacement, d.kind,
                d.stage, min(max(d.confidence, 0.0), 1.0), rule=d.rule)  # fmt: skip


def judged(decisions: Sequence[Decision]) -> list[Decision]:
    """The decisions a judge learns from: on proposed edits of a known kind, with the
    text they were proposed on and their place in it."""
    kinds = {k.value for k in EditKind}
    return [
        d
        for d in decisions
        if not d.manual
        and d.accepted is not None
        and d.kind in kinds
        and stands_at(d.context, d.start, d.original)
        and d.original != d.replacement
    ]


def _tally(chosen: Sequence[bool], labels: Sequence[bool]) -> tuple[int, int, int]:
    """(applied, applied and accepted, edits left: undos plus accepts)."""
    applied = sum(chosen)
    kept = sum(c and y for c, y in zip(chosen, labels, strict=True))
    offered_ok = sum(y and not c for c, y in zip(chosen, labels, strict=True))
    return applied, kept, (applied - kept) + offered_ok


def train(
    decisions: Sequence[Decision],
    by_cutoff: Callable[[Decision], bool],
    *,
    precision: float,
    total: int | None = None,
) -> EditJudge | None:
    """The newsroom's judge, or None when it has too few decisions or the judge does not
    beat its cutoffs out of fold (see the module's note). ``by_cutoff`` says whether the
    newsroom's cutoffs apply a decision's edit; ``total`` is how many decisions the
    newsroom has made (default: ``decisions``'s)."""
    if (len(decisions) if total is None else total) < MIN_JUDGE_DECISIONS:
        return None
    usable = judged(decisions)
    counts = Counter(d.key for d in usable)
    rules = frozenset(k for k, n in counts.items() if n >= MIN_DECISIONS)
    rows = [d for d in usable if d.key in rules]
    if len(rows) < MIN_JUDGED:
        return None
    # Any order of the same decisions learns the same.
    rows.sort(key=lambda d: (d.key, d.confidence, d.original, d.replacement, d.context,
                             d.start, bool(d.accepted)))  # fmt: skip
    x = [features(*on_line(_edit(d), d.context)) for d in rows]
    y = [bool(d.accepted) for d in rows]
    cut = [by_cutoff(d) for d in rows]
    predicted = [0.0] * len(rows)
    for fold in range(FOLDS):
        inside = [i for i in range(len(rows)) if i % FOLDS != fold]
        weights = logistic.fit([x[i] for i in inside], [y[i] for i in inside], l2=L2)
        for i in range(fold, len(rows), FOLDS):
            predicted[i] = logistic.probability(weights, x[i])
    base_applied, base_kept, base_left = _tally(cut, y)
    best = None
    for keep in KEEP_BARS:
        for promote in PROMOTE_BARS:
            chosen = [p >= (keep if c else promote) for p, c in zip(predicted, cut, strict=True)]
            applied, kept, left = _tally(chosen, y)
            if not applied or left >= base_left or wilson_bounds(kept, applied)[0] < precision:
                continue
            rank = (left, -kept / applied)  # fewest left; of those, the most precise
            if best is None or rank < best[0]:
                best = (rank, keep, promote, applied, kept)
    if best is None:
        return None
    (left, _), keep, promote, applied, kept = best
    check = {
        "auc": round(_auc(predicted, y), 4),
        "left": left,
        "left_by_cutoffs": base_left,
        "precision": round(kept / applied, 4),
        "precision_by_cutoffs": round(base_kept / base_applied, 4) if base_applied else 0.0,
    }
    weights = logistic.fit(x, y, l2=L2)
    return EditJudge(weights, keep, promote, rules, len(rows), check)


def _auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Area under the ROC curve (ties count half); 0.5 with one class only."""
    pairs = sorted(zip(scores, labels, strict=True))
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return 0.5
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        rank_sum += sum(1 for _, y in pairs[i:j] if y) * (i + j + 1) / 2
        i = j
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
