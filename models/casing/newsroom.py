"""A newsroom's own names and casings, learnt from its published articles.

``copydesk learn-names ARCHIVE… --out FILE`` counts a newsroom's archive in one pass
(`copydesk.models.casing.counts`) and keeps what the archive writes as names: words it
always capitalises away from a sentence's start (``Degtyaryov``), multiword names it
writes capitalised most of the time it has them (``Penza Regional Court``), given names,
and mixed forms (``eBay``). Nothing is retrained: the casing rules read the file beside
the shipped lexicon (`CasingLexicon.with_newsroom`), and the newsroom's usage wins over
the shipped word classes for the words it names. Learning from a year of news takes
seconds.

The file is the knowledge format (`copydesk.models.casing.knowledge.Knowledge`), gzipped
JSON; learning again into an existing file adds to it.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from copydesk.models.casing.counts import (
    _WORD,
    CorpusCounts,
    count_paragraphs,
    read_paragraphs,
)
from copydesk.models.casing.knowledge import Knowledge, phrase_totals
from copydesk.models.casing.units import Case, case_of
from copydesk.models.errors import InputError
from copydesk.models.wordstats import FUNCTION_WORDS, known_places

PROPER_MIN = 3  # capitalised uses away from a sentence's start (2: headings slip in)
PROPER_SHARE = 0.99
NAME_MIN = 2
NAME_SHARE = 0.6
GIVEN_FOLLOWED = 0.7
ARCHIVE_SUFFIXES = (".txt", ".xz", ".gz")
_MIXED = re.compile(r"\b[^\W\d_]*[a-z][^\W\d_]*[A-Z][^\W\d_]*\b")


def archive_paragraphs(paths: Iterable[str | Path]) -> Iterator[str]:
    """The paragraphs (lines) of the archive's files; a folder gives its text files."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix in ARCHIVE_SUFFIXES)
        elif path.is_file():
            files = [path]
        else:
            raise InputError(f"{path}: no such file or folder")
        for file in files:
            if file.suffix == ".gz":
                with gzip.open(file, "rt", encoding="utf-8") as handle:
                    yield from handle
            else:
                try:
                    yield from read_paragraphs(file)
                except UnicodeDecodeError as exc:
                    raise InputError(f"{file}: not UTF-8 text ({exc.reason})") from exc


def learn_names(paragraphs: Iterable[str], into: Knowledge | None = None) -> Knowledge:
    """The names and casings of ``paragraphs`` (added to ``into``'s, where given)."""
    lines = [p for p in paragraphs if p.strip()]
    counts = count_paragraphs(lines, known_places())
    cases = _cases(counts)
    proper = {
        word
        for word, c in cases.items()
        if len(word) > 1
        and c[Case.CAPITALISED] >= PROPER_MIN
        and c[Case.CAPITALISED] / sum(c.values()) >= PROPER_SHARE
    }
    given = {w for w in proper if counts.followed[w] >= GIVEN_FOLLOWED * cases[w][Case.CAPITALISED]}
    names = _names(counts, lines)
    mixed = _mixed(lines)
    old = into or Knowledge()
    return Knowledge(
        proper=old.proper | proper,
        given=old.given | given,
        names=sorted(set(old.names) | set(names)),
        mixed={**old.mixed, **mixed},
    )


def _cases(counts: CorpusCounts) -> dict[str, Counter[Case]]:
    out: dict[str, Counter[Case]] = {}
    for form, n in counts.words.items():
        out.setdefault(form.lower(), Counter())[case_of(form)] += n
    return out


def _names(counts: CorpusCounts, lines: list[str]) -> list[str]:
    forms: dict[str, Counter[str]] = {}
    for form, n in counts.spans.items():
        if n >= NAME_MIN and form.split()[-1].lower() not in FUNCTION_WORDS:
            forms.setdefault(form.lower(), Counter())[form] += n
    totals = phrase_totals(lines, forms)
    return sorted(
        f.most_common(1)[0][0]
        for key, f in forms.items()
        if sum(f.values()) / max(totals[key], 1) >= NAME_SHARE
    )


def _mixed(lines: list[str]) -> dict[str, str]:
    """Mixed forms (``eBay``, ``McCain``) the archive writes so at least twice and in
    most of its uses of the word."""
    seen = Counter(m.group() for line in lines for m in _MIXED.finditer(line))
    wanted = {form.lower() for form, n in seen.items() if n >= 2}
    uses: Counter[str] = Counter()
    for line in lines:
        uses.update(w.lower() for w in _WORD.findall(line) if w.lower() in wanted)
    out = {}
    for form, n in seen.most_common():
        lower = form.lower()
        if lower in wanted and lower not in out and n / max(uses[lower], 1) > 0.5:
            out[lower] = form
    return out


@lru_cache(maxsize=16)
def _read(path: str, mtime_ns: int, size: int) -> Knowledge:
    return Knowledge.load(Path(path))


def read_newsroom_lexicon(path: str | Path) -> Knowledge:
    """A newsroom lexicon file, read once per version of it in a process."""
    resolved = Path(path).resolve()
    try:
        stat = resolved.stat()
    except OSError as exc:
        raise InputError(f"newsroom lexicon {path}: {exc.strerror}") from exc
    return _read(str(resolved), stat.st_mtime_ns, stat.st_size)
