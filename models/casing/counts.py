"""Counting how a cased corpus writes words and names, in one streaming pass.

What `copydesk.models.casing.knowledge` builds its lists from: for every word form away
from a sentence's start, how often it is written; for every run of capitalised words
(``Ministry of Foreign Affairs``), its spans of two to `MAX_SPAN` words that open and
close with a capital; how often a capitalised word is followed at once by another (given
names); and, for the name patterns, how often a word follows a known place or stands
before a capitalised word, capitalised or not (``Penza Region`` against ``Penza
region``, ``Governor Smith`` against ``governor Smith``), how often each known place is
followed by each word (``Moscow region`` against ``Moscow Region``: the usage of one
pair), and how often a capitalised word before ``of`` or ``for`` heads a capitalised
complement (``Ministry of Defence``) or a lowercase one (``Lord of darkness``).

The pass is stdlib ``re`` over each paragraph and ``Counter.update`` on whole lists, so
that most of the work runs in C: about two million words a second on one core, the 94 M
words of ``extra-en`` in a few minutes. Counts of one source are pruned of what was
seen once (`prune`) and cached as gzipped JSON, so a rebuild with other weights or
thresholds reads the cache instead of the corpus.
"""

from __future__ import annotations

import gzip
import json
import lzma
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAX_SPAN = 6
_WORD = re.compile(r"[^\W\d_]+")
# A sentence ends at . ! ? (and any closing quote or bracket) before a space and a capital,
# a digit or an opening quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_JOINERS = "of|for|the|and|de|la|le|du|des|da|di|del|van|von|der|den|al|on|in"
_CAP = r"[A-Z][^\W_]*(?:[’'-][^\W\d_]+)*"
# Capitalised words separated by spaces only, joined by at most two name words.
_RUN = re.compile(rf"(?<![^\s\"“‘(\[]){_CAP}(?:\s+(?:(?:{_JOINERS})\s+){{0,2}}{_CAP})+")
# A capitalised word followed at once by a word, for the pattern counts.
_PAIR = re.compile(rf"(?<![^\s\"“‘(\[])({_CAP})\s+(?=([^\W\d_]+)\b)")
_LOWER_BEFORE_CAP = re.compile(r"(?<![^\s\"“‘(\[])([a-z]+)\s+(?=[A-Z][a-z])")
# A capitalised word, ``of`` or ``for`` (and any ``the``), and the complement's first word.
_HEAD = re.compile(r"(?<![^\s\"“‘(\[])([A-Z][a-z]+)\s+(of|for)\s+(?:the\s+)?([^\W\d_]+)")
# `head_of` keys: "Ministry of ^" (a capitalised complement), "Lord of _" (a lowercase one).
HEAD_CAPITAL, HEAD_LOWER = "^", "_"
COUNTERS = ("words", "spans", "followed", "after_place", "before_capital", "place_pairs", "head_of")


@dataclass
class CorpusCounts:
    """One corpus's counts (see the module's docstring); every key is a string."""

    words: Counter[str] = field(default_factory=Counter)  # form -> uses away from the start
    spans: Counter[str] = field(default_factory=Counter)  # "Form Form" -> capitalised uses
    followed: Counter[str] = field(default_factory=Counter)  # lower -> capitalised, then a capital
    after_place: Counter[str] = field(default_factory=Counter)  # form after a known place
    before_capital: Counter[str] = field(default_factory=Counter)  # form before a capital
    place_pairs: Counter[str] = field(default_factory=Counter)  # "Place form" -> uses
    head_of: Counter[str] = field(default_factory=Counter)  # "Head of ^" / "Head of _" -> uses
    sentences: int = 0
    tokens: int = 0

    def add(self, other: CorpusCounts) -> None:
        for name in COUNTERS:
            getattr(self, name).update(getattr(other, name))
        self.sentences += other.sentences
        self.tokens += other.tokens

    def prune(self, min_count: int = 2) -> None:
        """Drop what was seen fewer than ``min_count`` times (most of a big corpus's keys)."""
        for name in COUNTERS:
            counter = getattr(self, name)
            for key in [k for k, n in counter.items() if n < min_count]:
                del counter[key]

    def save(self, path: Path) -> None:
        data = {name: dict(getattr(self, name)) for name in COUNTERS}
        data |= {"sentences": self.sentences, "tokens": self.tokens}
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)

    @classmethod
    def load(cls, path: Path) -> CorpusCounts:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        return cls(
            **{name: Counter(data.get(name, {})) for name in COUNTERS},
            sentences=data["sentences"],
            tokens=data["tokens"],
        )


def sentences_of(paragraph: str) -> list[str]:
    """A paragraph cut at sentence ends (a plain full stop before a capital is one)."""
    return _SENTENCE_END.split(paragraph.strip())


def count_paragraphs(
    paragraphs: Iterable[str], places: frozenset[str], *, prune_every: int = 200_000
) -> CorpusCounts:
    """Count ``paragraphs`` (one pass); ``places``: lowercased known places."""
    counts = CorpusCounts()
    words, spans, followed = counts.words, counts.spans, counts.followed
    after_place, before_capital = counts.after_place, counts.before_capital
    place_pairs, head_of = counts.place_pairs, counts.head_of
    for n, paragraph in enumerate(paragraphs, 1):
        for sentence in sentences_of(paragraph):
            found = _WORD.findall(sentence)
            if len(found) < 2:
                continue
            counts.sentences += 1
            counts.tokens += len(found)
            words.update(found[1:])
            opening = _WORD.search(sentence)
            first_end = opening.end() if opening else 0
            for match in _RUN.finditer(sentence):
                run = match.group().split()
                if match.start() < first_end:
                    run = run[1:]  # a sentence's first capital proves nothing
                    while run and not run[0][:1].isupper():
                        run = run[1:]
                _count_run(run, spans, followed)
            for match in _PAIR.finditer(sentence, first_end):
                if match.group(1).lower() in places:
                    after_place[match.group(2)] += 1
                    place_pairs[f"{match.group(1)} {match.group(2)}"] += 1
            before_capital.update(m.group(1) for m in _LOWER_BEFORE_CAP.finditer(sentence))
            before_capital.update(
                m.group(1) for m in _PAIR.finditer(sentence, first_end) if m.group(2)[:1].isupper()
            )
            head_of.update(
                f"{m.group(1)} {m.group(2)} "
                + (HEAD_CAPITAL if m.group(3)[:1].isupper() else HEAD_LOWER)
                for m in _HEAD.finditer(sentence, first_end)
            )
        if prune_every and n % prune_every == 0:
            counts.spans = spans = _pruned(spans)
            counts.place_pairs = place_pairs = _pruned(place_pairs)
    return counts


def _pruned(counter: Counter[str]) -> Counter[str]:
    """Keep what was seen more than once so far (lossy counting of the long tail)."""
    return Counter({k: v for k, v in counter.items() if v > 1})


def _count_run(run: list[str], spans: Counter[str], followed: Counter[str]) -> None:
    """Spans of a capitalised run that open and close with a capital; given-name evidence."""
    for a, word in enumerate(run):
        if not word[:1].isupper():
            continue
        if a + 1 < len(run) and run[a + 1][:1].isupper():
            followed[word.lower()] += 1
        for b in range(a + 2, min(a + MAX_SPAN, len(run)) + 1):
            if run[b - 1][:1].isupper():
                spans[" ".join(run[a:b])] += 1


def read_paragraphs(path: Path, lines: Iterable[str] | None = None) -> Iterator[str]:
    """A corpus file's paragraphs (xz-compressed or plain), or the given lines."""
    if lines is not None:
        yield from lines
        return
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle
