"""The casing stage decides at the threshold the pipeline resolved for the request."""

from __future__ import annotations

from copydesk import models
from copydesk.models import RepairContext
from copydesk.models.stages import CasingStage

# The pronoun rule (confidence 0.995) capitalises ``i``; the network alone is unsure.
TEXT = "Yesterday i said that the talks will go on."


def rules_of(result: models.RepairResult) -> dict[str, tuple[str, bool]]:
    return {e.original: (e.rule, e.applied) for e in result.edits}


def test_a_request_threshold_reaches_the_casing_rules():
    pipeline = models.Pipeline([CasingStage()])
    assert rules_of(pipeline.repair(TEXT)) == {"i": ("casing-pronoun", True)}
    # Above the rules' confidence, no rule runs: the network's own reading is all there is
    # (before, the stage decided at its own 0.99 whatever the request asked).
    above = rules_of(pipeline.repair(TEXT, threshold=0.999))
    assert above["i"] == ("casing-model", False)


def test_the_pipeline_files_stage_threshold_reaches_the_casing_rules():
    config = {"stages": [{"name": "casing", "threshold": 0.999}]}
    assert rules_of(models.load(config).repair(TEXT))["i"][0] == "casing-model"


def test_outside_a_pipeline_the_stage_decides_at_its_own_threshold():
    stage = CasingStage()
    doc = models.Document.from_text(TEXT)
    assert RepairContext().threshold_for(stage.name, stage.threshold) == stage.threshold
    assert [e.rule for e in stage.propose(doc, RepairContext())] == ["casing-pronoun"]
    resolved = RepairContext().with_thresholds({"casing": 0.999})
    assert [e.rule for e in stage.propose(doc, resolved)] == ["casing-model"]


def test_resolved_contexts_share_the_source_pairing():
    context = RepairContext(source="Вчера я сказал.")
    doc = models.Document.from_text("Yesterday i said.")
    pairing = context.pairing(doc)
    assert context.with_thresholds({"casing": 0.5}).pairing(doc) is pairing
