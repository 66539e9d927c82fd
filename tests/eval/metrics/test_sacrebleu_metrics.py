"""sacrebleu's metrics, case-sensitive, bound or called directly: sacrebleu's figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU

from copydesk.eval.metrics import METRICS, SACREBLEU_METRICS, corpus_score, sentence_score
from copydesk.eval.metrics.sacrebleu import build_metric

ROOT = Path(__file__).resolve().parents[3]


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


def seed_paragraphs(name: str) -> list[str]:
    text = (ROOT / "seeds" / name).read_text(encoding="utf-8")
    return [p.strip() for p in text.strip().split("\n\n")]


@pytest.mark.parametrize("name", SACREBLEU_METRICS)
def test_bound_metrics_equal_sacrebleus_own_corpus_and_sentence_scores(name):
    mt, light, full = (
        seed_paragraphs(f"idlib-{n}.txt") for n in ("mt", "reference-light", "reference-full")
    )
    metric = METRICS[name]([light, full], mt)
    own = build_metric(name)
    assert metric.corpus_score(mt) == own.corpus_score(mt, [light, full]).score
    assert metric.signature == str(own.get_signature())
    if name == "bleu":
        own = BLEU(lowercase=False, effective_order=True)
    expected = [
        own.sentence_score(h, [a, b]).score for h, a, b in zip(mt, light, full, strict=True)
    ]
    assert metric.sentence_scores(mt).tolist() == pytest.approx(expected, abs=1e-9)
