"""Reading a cased corpus and splitting off held-out lines for tuning and testing."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from copydesk.models.errors import ConfigError
from copydesk.models.textfiles import read_lines

# Held-out lines are consecutive news sentences: tuning and evaluation read them as
# documents of this many lines, so the casing decisions see a document's other sentences.
LINES_PER_DOCUMENT = 256
# The shipped model's split: 2013's lines held out, the first 1,000 of them for tuning.
HOLDOUT_YEAR = "2013"
HOLDOUT_LINES = 3000  # without a year: the last lines
TUNE_LINES = 1000


@dataclass(frozen=True)
class CorpusSplit:
    """Training lines, held-out lines for threshold tuning, and held-out lines for testing."""

    train: list[str]
    tune: list[str]
    test: list[str]
    description: dict


def corpus_lines(path: str | Path) -> list[str]:
    """The non-empty lines of a UTF-8 corpus file, stripped."""
    return [line.strip() for line in read_lines(path) if line.strip()]


def split_corpus(
    path: str | Path,
    *,
    provenance: str | Path | None = None,
    holdout_year: str | None = None,
    holdout_lines: int = HOLDOUT_LINES,
    tune_lines: int = TUNE_LINES,
) -> CorpusSplit:
    """Hold out one year (with a provenance TSV that has a ``year`` column) or the last lines.

    The held-out part's first ``tune_lines`` lines tune the threshold; the rest is the test.
    """
    lines = corpus_lines(path)
    if holdout_year is not None:
        if provenance is None:
            raise ConfigError("--holdout-year needs --provenance (a TSV with a 'year' column)")
        years = _years(provenance)
        if len(years) != len(lines):
            raise ConfigError(
                f"provenance has {len(years)} rows but the corpus has {len(lines)} lines"
            )
        train = [line for line, y in zip(lines, years, strict=True) if y != holdout_year]
        held = [line for line, y in zip(lines, years, strict=True) if y == holdout_year]
        how = {"holdout_year": holdout_year}
    else:
        train, held = lines[:-holdout_lines], lines[-holdout_lines:]
        how = {"holdout_last_lines": holdout_lines}
    if not held or len(held) <= tune_lines:
        raise ConfigError(f"held-out part has {len(held)} lines; need more than {tune_lines}")
    description = {
        "corpus": Path(path).name,
        **how,
        "train_lines": len(train),
        "tune_lines": tune_lines,
        "test_lines": len(held) - tune_lines,
    }
    return CorpusSplit(train, held[:tune_lines], held[tune_lines:], description)


def _years(path: str | Path) -> list[str]:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except OSError as exc:
        raise ConfigError(f"cannot read provenance {str(path)!r}: {exc.strerror}") from exc
    if rows and "year" not in rows[0]:
        raise ConfigError(f"provenance {str(path)!r} has no 'year' column")
    return [row["year"] for row in rows]
