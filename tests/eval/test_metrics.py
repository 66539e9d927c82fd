from __future__ import annotations

import pytest

from copydesk.eval.metrics import corpus_score, sentence_score


def test_metrics_are_case_sensitive_with_signatures():
    hyp = ["the Munich security conference opened."]
    ref = [["The Munich Security Conference opened."]]
    for name in ("bleu", "chrf", "chrf++"):
        low, fixed = corpus_score(name, hyp, ref), corpus_score(name, ref[0], ref)
        assert low.score < fixed.score == pytest.approx(100.0)
        assert "case:mixed" in low.signature or "lc:no" in low.signature
    ter = corpus_score("ter", hyp, ref)
    assert ter.score == pytest.approx(300 / 5)
    assert "case:mixed" in ter.signature


def test_several_references_and_sentence_level():
    refs = [["The talks in Geneva ended on Monday."], ["Talks in Geneva ended on Monday."]]
    hyp = ["Talks in Geneva ended on Monday."]
    assert corpus_score("bleu", hyp, refs).score == pytest.approx(100.0)
    assert corpus_score("bleu", hyp, refs[:1]).score < 100.0
    assert sentence_score("chrf", "Talks ended.", ["The talks ended.", "Talks ended."]).score == (
        pytest.approx(100.0)
    )
    with pytest.raises(ValueError, match="unknown metric"):
        corpus_score("meteor", ["a"], [["a"]])
