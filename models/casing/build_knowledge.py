"""Rebuilding the casing knowledge from news-en and extra-en.

``copydesk train knowledge [--cache DIR] [--out FILE] [--all]`` runs it.

News is the casing model's own training lines (every year but the held-out 2013);
``extra-en`` is read as it ships. Each source is counted once and its counts cached
(``build/knowledge/`` by default, ignored by git), so a rebuild with other thresholds
takes seconds. The encyclopedia is counted in one extra process while this one counts
the UN speeches and the news.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from copydesk.models.casing.corpus import HOLDOUT_YEAR, split_corpus
from copydesk.models.casing.counts import CorpusCounts, count_paragraphs, read_paragraphs
from copydesk.models.casing.knowledge import LEFT_OUT, Knowledge, build_knowledge
from copydesk.models.casing.name_lists import extend, names_dataset, natasha_names
from copydesk.models.wordstats import known_places

EXTRA_FILES = {"wikipedia": "wikipedia-2015.en.txt.xz", "un": "ungdc.en.txt.xz"}
NEWS_FILE = "newstest2008-2020.en.txt"
# Cached counts of another shape (fewer counters) are counted again, not read.
COUNTS_VERSION = 2


def news_training_lines(data_dir: Path) -> list[str]:
    """The casing model's training lines: news-en without the held-out year."""
    news = data_dir / "news-en" / NEWS_FILE
    provenance = news.with_name("newstest2008-2020.en.provenance.tsv")
    return split_corpus(news, provenance=provenance, holdout_year=HOLDOUT_YEAR).train


def _count_file(path: str, cache: str) -> str:
    counts = count_paragraphs(read_paragraphs(Path(path)), known_places())
    counts.prune()
    counts.save(Path(cache))
    return cache


def source_counts(
    data_dir: Path, cache_dir: Path, log: Callable[[str], None] = print
) -> dict[str, CorpusCounts]:
    """Each source's counts, from the cache where it has them."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    caches = {
        name: cache_dir / f"{name}.counts-v{COUNTS_VERSION}.json.gz"
        for name in ("news", *EXTRA_FILES)
    }
    with ProcessPoolExecutor(max_workers=1) as pool:
        pending = None
        if not caches["wikipedia"].is_file():
            path = data_dir / "extra-en" / EXTRA_FILES["wikipedia"]
            pending = pool.submit(_count_file, str(path), str(caches["wikipedia"]))
        if not caches["un"].is_file():
            _count_file(str(data_dir / "extra-en" / EXTRA_FILES["un"]), str(caches["un"]))
        if not caches["news"].is_file():
            counts = count_paragraphs(news_training_lines(data_dir), known_places())
            counts.save(caches["news"])
        if pending is not None:
            pending.result()
    out = {name: CorpusCounts.load(path) for name, path in caches.items()}
    for name, c in out.items():
        log(f"{name}: {c.tokens:,} words, {c.sentences:,} sentences, {len(c.words):,} forms")
    return out


def build(
    data_dir: Path,
    cache_dir: Path,
    out: Path,
    log: Callable[[str], None] = print,
    *,
    left_out: tuple[str, ...] = LEFT_OUT,
) -> Knowledge:
    start = time.perf_counter()
    counts = source_counts(data_dir, cache_dir, log)
    log(f"counted in {time.perf_counter() - start:.0f} s")
    knowledge = build_knowledge(counts, news_training_lines(data_dir), known_places())
    # Given names from the name lists (`name_lists`): the one list that restored more.
    knowledge = extend(knowledge, given=names_dataset()[0] | natasha_names()[0])
    knowledge = knowledge.without(left_out)
    knowledge.save(out)
    log(
        f"{out}: {out.stat().st_size / 1e6:.1f} MB; proper {len(knowledge.proper):,}, "
        f"common {len(knowledge.common):,}, given {len(knowledge.given):,}, "
        f"lowercase {len(knowledge.lowercase):,}, names {len(knowledge.names):,}, "
        f"designators {len(knowledge.designators):,}, offices {len(knowledge.offices):,}, "
        f"institutions {len(knowledge.institutions):,} "
        f"({time.perf_counter() - start:.0f} s)"
    )
    return knowledge
