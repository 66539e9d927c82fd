from __future__ import annotations

import pytest

from copydesk.eval.metrics.gleu import corpus_gleu, sentence_stats


def test_stats_penalise_ngrams_kept_from_the_source():
    source = "he go to school"
    reference = "he goes to school"
    copy = sentence_stats(source, source, reference)
    fixed = sentence_stats(source, reference, reference)
    # unigrams: he, to, school match the reference (3); "go" is in the source only (-1)
    assert copy[:4] == [4, 4, 2, 4]
    assert fixed[2:4] == [4, 4]


def test_corpus_gleu_orders_systems_and_handles_several_references():
    sources = ["he go to school every days", "she have two cat"]
    refs = [
        ["he goes to school every day", "she has two cats"],
        ["he goes to school each day", "she has two cats"],
    ]
    perfect = corpus_gleu(sources, refs[0], refs, iterations=50)
    copy = corpus_gleu(sources, sources, refs, iterations=50)
    partial = corpus_gleu(sources, ["he goes to school every days", "she has two cat"], refs)
    assert copy < partial < perfect <= 100.0
    assert corpus_gleu(sources, refs[0], refs[:1]) == pytest.approx(100.0)
