"""How English writes words, for every feature that asks: frequency, places, usage.

The casing rules and the names stage both ask the same questions of a word (how common
is it, is it a place, does news write it in lowercase), so the answers live here, beneath
both, and neither feature package imports the other.

- `zipf`: how common a word is, from wordfreq's Zipf scale (0 for unseen words, about 7
  for ``the``).
- `known_places` / `is_known_place`: the lowercased place and country names in
  ``names/places.txt.gz`` (built by `copydesk.models.names.gazetteer`).
- `WordUsage`: how the casing model's training text writes single words (always
  capitalised, almost never, given names, ever in lowercase), read from a casing
  lexicon file once per version of the file; `shipped_word_usage` is the shipped model's.
- `FUNCTION_WORDS`: closed-class words, English and the name particles news meets.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from wordfreq import zipf_frequency

_MODELS = Path(__file__).resolve().parent
PLACES_FILE = _MODELS / "names" / "places.txt.gz"
SHIPPED_LEXICON = _MODELS / "casing" / "weights" / "lexicon.json"

FUNCTION_WORDS = frozenset(
    """
    a an the of for and or nor in on at to by with from into onto upon as is are was were be
    been but if than that this these those it its he she they we you i his her their our your
    not no so de la le les du des da di del van von der den al el bin y e et und
    """.split()
)


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common ``word`` is in English (wordfreq's Zipf scale)."""
    return zipf_frequency(word, "en")


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """Lowercased place and country names."""
    with gzip.open(PLACES_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(handle.read().split("\n"))


def is_known_place(name: str) -> bool:
    return name.lower() in known_places()


class WordUsage:
    """How a training text writes single words (each list lowercased)."""

    def __init__(
        self,
        proper: Iterable[str] = (),
        common: Iterable[str] = (),
        given: Iterable[str] = (),
        lowercase: Iterable[str] = (),
    ) -> None:
        # Words the training text always capitalises mid-sentence.
        self.proper = frozenset(proper)
        # Words the training text (almost) never capitalises mid-sentence.
        self.common = frozenset(common)
        # Proper words mostly followed by another capitalised word: given names (``Igor``).
        self.given = frozenset(given)
        # Every word the training text writes in lowercase away from a sentence's start.
        self.lowercase = frozenset(lowercase)

    def seen_in_lowercase(self, word: str) -> bool:
        """Whether the training text writes ``word`` in lowercase away from a sentence's
        start (true of every word for a lexicon saved without that list)."""
        return not self.lowercase or word.lower() in self.lowercase

    def to_data(self) -> dict[str, list[str]]:
        """The lists as a lexicon file stores them."""
        return {
            "proper": sorted(self.proper),
            "common": sorted(self.common),
            "given": sorted(self.given),
            "lowercase": sorted(self.lowercase),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> WordUsage:
        return cls(
            data.get("proper", ()),
            data.get("common", ()),
            data.get("given", ()),
            data.get("lowercase", ()),
        )


_USAGE: dict[tuple[str, int, int], WordUsage] = {}
_USAGE_LOCK = threading.Lock()
_USAGE_VERSIONS = 4


def read_word_usage(path: str | Path, data: Mapping[str, Any] | None = None) -> WordUsage:
    """The word usage of a lexicon file, read once per version of the file in a process:
    the casing model and the names stage share the shipped one (tens of thousands of
    words). ``data``: the file's parsed JSON, when the caller has read it already."""
    resolved = _resolved(path) if Path(path).is_absolute() else Path(path).resolve()
    stat = resolved.stat()
    key = (str(resolved), stat.st_mtime_ns, stat.st_size)
    with _USAGE_LOCK:
        found = _USAGE.get(key)
    if found is not None:
        return found
    if data is None:
        data = json.loads(resolved.read_text(encoding="utf-8"))
    usage = WordUsage.from_data(data)
    with _USAGE_LOCK:
        if len(_USAGE) >= _USAGE_VERSIONS:
            _USAGE.pop(next(iter(_USAGE)))
        return _USAGE.setdefault(key, usage)


@lru_cache(maxsize=64)
def _resolved(path: str | Path) -> Path:
    """An absolute path with its links resolved, once: the names stage asks for the shipped
    word usage a dozen times a request, and resolving walks every folder of the path."""
    return Path(path).resolve()


def shipped_word_usage() -> WordUsage:
    """The shipped casing model's word usage (read from its lexicon's JSON: no model
    runtime needed)."""
    return read_word_usage(SHIPPED_LEXICON)
