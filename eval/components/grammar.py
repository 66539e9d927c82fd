"""Tuning evidence for the grammar policy: each LanguageTool category applied alone.

On MLQE-PE ru-en dev (the ``mlqe-dev`` suite: real MT and its post-edits) the score
is case-sensitive TER against the post-edit; on JFLEG dev (``jfleg-dev``: learner
English, four references) it is GLEU. Each category's matches are applied alone and
scored beside do-nothing, then the shipped policy's applied categories together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from copydesk.eval.metrics import corpus_score
from copydesk.eval.metrics.gleu import corpus_gleu
from copydesk.eval.suites import Suite
from copydesk.models import Document, apply_edits
from copydesk.models.grammar.policy import Action
from copydesk.models.stages.grammar import GrammarMatch, GrammarStage


def all_matches(stage: GrammarStage, lines: Sequence[str]) -> list[list[GrammarMatch]]:
    """Every line's matches, the lines checked in bulk."""
    return stage.check_many([Document.from_text(line) for line in lines])


def _apply(lines: Sequence[str], matches: list[list[GrammarMatch]], keep) -> list[str]:  # noqa: ANN001
    return [
        apply_edits(line, [m.to_edit("grammar", 0.9) for m in found if keep(m)])
        for line, found in zip(lines, matches, strict=True)
    ]


def evaluate_policy(stage: GrammarStage, mlqe: Suite, jfleg: Suite) -> dict:
    """Per category (and for the policy): edits made, TER on mlqe-pe, GLEU on JFLEG."""
    mt, post_edits = mlqe.mt, mlqe.references[0]
    sources, references = jfleg.mt, jfleg.references
    m_matches, j_matches = all_matches(stage, mt), all_matches(stage, sources)
    counts = Counter(m.category for found in m_matches + j_matches for m in found)

    def row(keep) -> dict:  # noqa: ANN001
        m_out, j_out = _apply(mt, m_matches, keep), _apply(sources, j_matches, keep)
        return {
            "edits_mlqe": sum(keep(m) for f in m_matches for m in f),
            "edits_jfleg": sum(keep(m) for f in j_matches for m in f),
            "ter_mlqe": round(corpus_score("ter", m_out, [post_edits]).score, 3),
            "gleu_jfleg": round(corpus_gleu(sources, j_out, references), 3),
        }

    table = {"do-nothing": row(lambda m: False)}
    for category in sorted(counts):
        table[category] = row(lambda m, c=category: m.category == c)
    table["policy (applied only)"] = row(
        lambda m: stage.policy.action(m.rule, m.category) is Action.APPLY
    )
    return table


def markdown_table(table: dict) -> str:
    """The policy table as Markdown, as ``copydesk eval grammar`` prints it."""
    rows = [
        "| applied | edits (mlqe) | TER mlqe-pe dev | edits (JFLEG) | GLEU JFLEG dev |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    rows += [
        f"| {name} | {r['edits_mlqe']} | {r['ter_mlqe']} | {r['edits_jfleg']} | {r['gleu_jfleg']} |"
        for name, r in table.items()
    ]
    return "\n".join(rows) + "\n"
