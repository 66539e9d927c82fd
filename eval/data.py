"""Where the shared corpora are, for the evaluations, benchmarks and the service's settings.

``COPYDESK_DATA_DIR`` names the folder; without it, ``data/`` in the checkout (a copy of
the corpora, or a link to them). Each corpus keeps the layout and provenance files it
is published with: ``news-en/``, ``mlqe-pe-ru-en/``, ``jfleg-dev/``.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# The clean news lines casing trains on, and the benchmarks and synthetic pairs read.
NEWS_CORPUS = Path("news-en") / "newstest2008-2020.en.txt"
# Each corpus line's test set, year and file (the casing split holds out a year by it).
NEWS_PROVENANCE = Path("news-en") / "newstest2008-2020.en.provenance.tsv"


def data_dir() -> Path:
    """``COPYDESK_DATA_DIR``, else the default beside the project."""
    return Path(os.environ.get("COPYDESK_DATA_DIR") or DEFAULT_DATA_DIR)
