"""The Russian–English parallel text the learnt tables come from, and what is kept out.

The Dice lexicon (`copydesk.models.quality.lexicon`, which the checks consult too) and
the checks' name table (`copydesk.models.checks.name_table`) are learnt from the same
pairs: newstest ru-en 2012–2016, TICO-19 and Tatoeba. Newstest 2017–2020 is left out,
because the checks are evaluated on it (`copydesk.eval.components.checks`); its English
sentences are kept out of the English n-gram counts as well (the fluency check reads
them).
"""

from __future__ import annotations

from pathlib import Path

NEWSTEST = "newstest2012-2020"
# newstest2012-2020's first 14,819 pairs are 2012–2016 (by the published sets' lines);
# from here on, 2017–2020: the checks' held-out years, never learnt from.
NEWSTEST_2017_START = 14_819
OTHER_CORPORA = ("tico19-test", "tatoeba-test")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[: -1 or None]


def corpus_pairs(data: Path, stem: str) -> list[tuple[str, str]]:
    """One corpus of ``ru-en-parallel`` as (Russian, English) pairs; none if it is absent."""
    ru, en = data / "ru-en-parallel" / f"{stem}.ru", data / "ru-en-parallel" / f"{stem}.en"
    if not ru.is_file():
        return []
    return list(zip(_lines(ru), _lines(en), strict=True))


def tuning_pairs(data: Path) -> list[tuple[str, str]]:
    """Every pair the tables may learn from: newstest 2012–2016, TICO-19, Tatoeba."""
    pairs = corpus_pairs(data, NEWSTEST)[:NEWSTEST_2017_START]
    for stem in OTHER_CORPORA:
        pairs += corpus_pairs(data, stem)
    return pairs


def held_out_english(data: Path) -> frozenset[str]:
    """The English sentences of newstest 2017–2020, never counted into a table."""
    return frozenset(en for _, en in corpus_pairs(data, NEWSTEST)[NEWSTEST_2017_START:])
