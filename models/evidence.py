"""What the checks read from the quality estimator's shipped tables: the English n-gram
counts (for fluency) and the Russian–English Dice lexicon (for names and negation),
with the tokens and keys they are indexed by. Loaded once, on first use."""

from __future__ import annotations

from copydesk.models.quality.lexicon import Lexicon
from copydesk.models.quality.lm import NgramTables
from copydesk.models.quality.text import WORD, en_key, ru_key

__all__ = ["WORD", "en_key", "lexicon", "ngram_tables", "ru_key"]


def ngram_tables() -> NgramTables:
    from copydesk.models.quality import load_shipped

    return load_shipped().featurizer.ngrams


def lexicon() -> Lexicon:
    from copydesk.models.quality import load_shipped

    return load_shipped().featurizer.lexicon
