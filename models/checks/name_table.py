"""Russian names whose English form is no transliteration: ``Германия`` -> ``Germany``.

The table (``names-ru-en.tsv.gz``: lemma, English word, pairs seen together) is learnt
from sentence-aligned Russian–English text by `build_table`: a capitalised Russian word
inside a sentence, reduced to its lemma, and a capitalised English word inside the
paired sentence that co-occur in most of the sentence pairs that have either.
Pairs whose English word any standard transliteration already comes close to are left
out, since the name check finds those without a table (``Идлиб`` -> ``Idlib``).
"""

from __future__ import annotations

import gzip
import io
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import regex

from copydesk.models.checks.russian import lemma
from copydesk.models.checks.translit import transliterates_to

TABLE_FILE = Path(__file__).resolve().parent / "names-ru-en.tsv.gz"
MIN_PAIRS = 3
# The English word must come with the lemma in this share of its sentence pairs, and the
# lemma with the English word in this share of its own.
MIN_SHARE_EN = 0.6
MIN_SHARE_RU = 0.25
_RU = regex.compile(r"\p{Lu}[\p{Ll}\p{Lu}]+(?:-\p{Lu}?\p{Ll}+)*")
_EN = regex.compile(r"\b[A-Z][A-Za-z]+\b")
_CYRILLIC = regex.compile(r"^\p{Cyrillic}")


@lru_cache(maxsize=1)
def name_table() -> dict[str, tuple[str, ...]]:
    """Russian lemma -> its English forms, most often seen first."""
    table: dict[str, list[str]] = {}
    with gzip.open(TABLE_FILE, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            ru, en, _ = line.rstrip("\n").split("\t")
            table.setdefault(ru, []).append(en)
    return {k: tuple(v) for k, v in table.items()}


def _inner(pattern: regex.Pattern, text: str) -> set[str]:
    """Capitalised words that do not open the sentence."""
    return {m.group() for m in pattern.finditer(text) if m.start() > 0}


def build_table(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """(lemma, English word, pairs together), by lemma, then by pairs seen, most first."""
    ru_count: Counter[str] = Counter()
    en_count: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    for ru, en in pairs:
        lemmas_ = {lemma(w).capitalize() for w in _inner(_RU, ru) if _CYRILLIC.match(w)}
        words = _inner(_EN, en)
        ru_count.update(lemmas_)
        en_count.update(words)
        together.update((r, e) for r in lemmas_ for e in words)
    rows = []
    for (r, e), n in together.items():
        if n < MIN_PAIRS or n / en_count[e] < MIN_SHARE_EN or n / ru_count[r] < MIN_SHARE_RU:
            continue
        if transliterates_to(r, e.lower()):
            continue
        rows.append((r.lower(), e, n))
    return sorted(rows, key=lambda row: (row[0], -row[2], row[1]))


def write_table(rows: list[tuple[str, str, int]], provenance: str, path: Path = TABLE_FILE) -> None:
    """Write the table (the same bytes for the same rows), with its provenance as comments."""
    text = io.StringIO()
    for line in provenance.strip().splitlines():
        text.write(f"# {line}\n")
    for ru, en, n in rows:
        text.write(f"{ru}\t{en}\t{n}\n")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(text.getvalue().encode("utf-8"))
