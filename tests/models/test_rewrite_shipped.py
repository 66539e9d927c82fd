"""The shipped rewrite adapter on the seed article: whatever it proposes keeps every
number, name and negation, and comes as word-level fluency edits."""

from __future__ import annotations

import pytest

from copydesk.models import Document, RepairContext
from copydesk.models.edits import EditKind, apply_edits
from copydesk.models.rewrite.guards import check, protected


@pytest.fixture(scope="module")
def shipped_rewrite():
    from copydesk.models.stages import RewriteStage

    return RewriteStage()


def test_shipped_adapter_is_tuned_and_carded():
    from copydesk.models.rewrite.meta import read_meta
    from copydesk.models.stages.rewrite import DEFAULT_MODEL

    meta = read_meta(DEFAULT_MODEL)
    assert meta["training"]["steps_done"] > 100
    assert {"threshold", "min_similarity"} <= set(meta["stage"])
    assert (DEFAULT_MODEL / "MODEL_CARD.md").read_text(encoding="utf-8").count("|") > 20


def test_seed_rewrites_lose_no_number_name_or_negation(shipped_rewrite, seed_mt):
    doc = Document.from_text(seed_mt)
    stage = shipped_rewrite
    [proposal] = stage.propose_many([doc], [RepairContext()])
    edits = proposal.edits
    assert sum(proposal.diagnostics.values()) >= 15  # every eligible sentence went through it
    assert all(e.kind is EditKind.FLUENCY and e.stage == "rewrite" for e in edits)
    for s in doc.sentences:
        mine = [e for e in edits if s.start <= e.start and e.end <= s.end]
        if not mine:
            continue
        before = doc.text[s.start : s.end]
        after = apply_edits(doc.text, mine)[
            s.start : s.end + sum(len(e.replacement) - (e.end - e.start) for e in mine)
        ]
        assert check(before, after, min_similarity=stage.min_similarity) is None
        assert protected(before).numbers == protected(after).numbers
        assert protected(before).negations == protected(after).negations
