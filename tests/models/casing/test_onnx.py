"""The casing network as repairing runs it (ONNX Runtime) and as training built it (torch)."""

from __future__ import annotations

import importlib.metadata
import importlib.util

import numpy as np
import pytest

from copydesk import models
from copydesk.models.casing.model import CasingModel
from copydesk.models.casing.units import split_units
from copydesk.models.stages import CasingStage, SentenceCaseStage
from copydesk.models.stages.casing import DEFAULT_MODEL

HAS_TORCH = importlib.util.find_spec("torch") is not None
SAMPLE = [
    "the Meeting at the Munich security conference ended. foreign Minister Lavrov left.",
    "He named the Biggest concern of all: a 😀 flood of refugees in Idlib.",
    "NATO Talks Open In Geneva",
    "Igor vdovin said i had a talk with the President of Turkey on Monday.",
]


def test_the_default_install_needs_no_torch():
    """The package's own requirements (no extra) name none of the GPU-sized libraries."""
    requires = importlib.metadata.requires("copydesk") or []
    default = [r for r in requires if "extra ==" not in r]
    names = {r.split(";")[0].split("[")[0].split(">")[0].split("=")[0].strip() for r in default}
    assert "onnxruntime" in names
    assert not names & {"torch", "transformers", "accelerate", "peft", "ray", "psycopg"}
    extras = {r.split("extra ==")[1].strip().strip("'\"") for r in requires if "extra ==" in r}
    assert {"train", "rewrite", "ray", "postgres"} <= extras


@pytest.mark.skipif(not HAS_TORCH, reason="the torch path needs the train extra")
def test_onnx_and_torch_give_the_same_probabilities_and_edits(seed_mt):
    from copydesk.models.casing.network import torch_model

    onnx, torch = CasingModel.load(DEFAULT_MODEL), torch_model(DEFAULT_MODEL)
    rows = [(u, [x.text for x in u]) for u in map(split_units, [seed_mt, *SAMPLE])]
    for a, b in zip(onnx.predict(rows), torch.predict(rows), strict=True):
        assert np.abs(a - b).max() < 1e-4
    by_onnx = models.Pipeline([SentenceCaseStage(), CasingStage()])
    stage = CasingStage()
    stage.model = torch  # the same stage and decisions, the network run through torch
    by_torch = models.Pipeline([SentenceCaseStage(), stage])
    texts = [seed_mt, *SAMPLE]
    for x, y in zip(by_onnx.repair_many(texts), by_torch.repair_many(texts), strict=True):
        assert x.repaired == y.repaired
        assert [(e.start, e.end, e.replacement, e.rule, e.applied) for e in x.edits] == [
            (e.start, e.end, e.replacement, e.rule, e.applied) for e in y.edits
        ]


def test_small_batches_side_by_side_give_the_probabilities_one_after_another(seed_mt):
    """An article's batches run side by side, one thread each: the same bits as the batches
    one after another on every thread."""
    model = CasingModel.load(DEFAULT_MODEL)
    rows = [(u, [x.text for x in u]) for u in map(split_units, [*seed_mt.split("\n\n"), *SAMPLE])]
    side_by_side = model.predict(rows)
    scorer = model.scorer
    model.scorer = lambda *arrays: scorer(*arrays)  # no `run_many`: one batch at a time
    for a, b in zip(side_by_side, model.predict(rows), strict=True):
        assert np.array_equal(a, b)
    arrays = [model.batch_arrays(model.featurizer.encode(u, t, model.max_len)) for u, t in rows]
    assert len({a[0].shape for a in arrays}) > 1  # batches of several widths
    one_by_one = [scorer(*batch) for batch in arrays]
    for a, b in zip(scorer.run_many(arrays), one_by_one, strict=True):
        assert np.array_equal(a, b)
