"""The estimator's features: stable hashes, deterministic rows, the source groups optional."""

from __future__ import annotations

import math

import numpy as np
import pytest

from copydesk.models.quality.features import (
    ENGLISH_GROUPS,
    GROUPS,
    SOURCE_GROUPS,
    Featurizer,
    feature_names,
)
from copydesk.models.quality.lexicon import Lexicon
from copydesk.models.quality.lm import NgramTables, dequantise, quantise
from copydesk.models.quality.text import mix_array, ru_key, tokens, word_hash
from copydesk.models.quality.wordfreqs import FrequencyTable

ENGLISH = [
    "The minister said the talks would resume in February.",
    "Russia and Turkey agreed on a ceasefire in Idlib.",
    "The talks in Munich ended without an agreement.",
] * 3


@pytest.fixture(scope="module")
def featurizer() -> Featurizer:
    lexicon = Lexicon(
        {"минист": {"minist": 0.6}, "перего": {"talks": 0.5}, "феврал": {"februa": 0.7}}
    )
    en = {"the": 0.05, "minister": 1e-5, "said": 1e-3, "talks": 1e-5, "february": 1e-5}
    # wordfreq's layout: the words of bucket b have frequency 10 ** (-b / 100).
    pack: list[list[str]] = [[] for _ in range(501)]
    pack[400] = ["сказал"]
    pack[500] = ["министр", "переговоры", "феврале"]
    ru = FrequencyTable.from_buckets(pack)
    return Featurizer(NgramTables.build(ENGLISH, bits=(10, 12, 12), min_count=1), lexicon, en, ru)


def test_hashes_are_stable():
    """The shipped tables are keyed by these values: they must never change."""
    assert word_hash("мир") == 3997776342
    assert word_hash("the") == 1011183078
    a, b = np.array([word_hash("a")], dtype=np.uint64), np.array([word_hash("b")], dtype=np.uint64)
    assert int(mix_array(a, b)[0]) == 12957426442638447935


def test_tokens_and_keys():
    assert tokens("В 2019 году, т.е. «давно»") == [
        "В",
        "2019",
        "году",
        ",",
        "т",
        ".",
        "е",
        ".",
        "«",
        "давно",
        "»",
    ]
    assert ru_key("Ёлками") == "елками"[:6]


def test_quantised_counts_round_trip_within_a_step():
    counts = np.array([0, 1, 2, 10, 1000, 10**6])
    back = dequantise(quantise(counts))
    assert back[0] == 0
    assert np.all(np.abs(np.log2(1 + back) - np.log2(1 + counts)) <= 0.5 / 8 + 1e-9)


def test_seen_text_is_more_fluent_than_shuffled(featurizer):
    seen, shuffled = featurizer.ngrams.features_many(
        [ENGLISH[0], "February the would in resume minister talks said."]
    )
    assert seen[0] > shuffled[0]  # mean log-probability
    assert seen[3] < shuffled[3]  # share of unseen word pairs


def test_rows_are_deterministic_and_named(featurizer):
    groups = tuple(GROUPS)
    a = featurizer.row(ENGLISH[0], "Министр сказал, что переговоры возобновятся в феврале.", groups)
    b = featurizer.row(ENGLISH[0], "Министр сказал, что переговоры возобновятся в феврале.", groups)
    assert a.shape == (len(feature_names(groups)),)
    assert np.array_equal(a, b, equal_nan=True)


def test_without_a_source_the_source_groups_are_nan(featurizer):
    row = featurizer.row(ENGLISH[0], None, tuple(GROUPS))
    names = feature_names(tuple(GROUPS))
    for name, value in zip(names, row, strict=True):
        if name in feature_names(SOURCE_GROUPS):
            assert math.isnan(value), name
        else:
            assert not math.isnan(value), name
    english = featurizer.row(ENGLISH[0], None, ENGLISH_GROUPS)
    assert np.array_equal(english, row[: len(english)])


def test_agreement_sees_numbers_and_cyrillic(featurizer):
    source = "В 2019 году погибли 15 человек."
    good = _named(featurizer, "In 2019, 15 people died.", source, "agreement")
    bad = _named(featurizer, "In 2018, 15 человек died.", source, "agreement")
    assert good["num_mismatch"] == 0 and bad["num_mismatch"] == 2
    assert good["cyrillic_left"] == 0 and bad["cyrillic_left"] == 7


def test_lexicon_coverage(featurizer):
    source = "Министр сказал, что переговоры возобновятся в феврале."
    full = _named(featurizer, "The minister said talks resume in February.", source, "lexicon")
    part = _named(featurizer, "He said something.", source, "lexicon")
    assert full["lex_src_covered"] == 1.0
    assert part["lex_src_covered"] == 0.0


def _named(featurizer: Featurizer, mt: str, source: str, group: str) -> dict[str, float]:
    return dict(zip(feature_names((group,)), featurizer.row(mt, source, (group,)), strict=True))


def test_ngram_features_of_a_batch_are_each_lines_own(featurizer):
    """One path computes the n-gram features: a line's numbers do not depend on the batch
    it came in (empty and one-word lines included)."""
    lines = [ENGLISH[0], "", "Hello.", "word word", "February the would in resume minister."]
    batch = featurizer.ngrams.features_many(lines)
    alone = np.stack([featurizer.ngrams.features_many([line])[0] for line in lines])
    np.testing.assert_allclose(batch, alone, rtol=0, atol=1e-12)
