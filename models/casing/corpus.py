"""Reading a cased corpus and splitting off held-out lines for tuning and testing."""

from __future__ import annotations

import csv
import random
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


# The extra-en files a training sample is drawn from, and each one's share of it: the
# encyclopedia twice the UN speeches, as in its words and in the knowledge's weights.
EXTRA_SHARES = {"wikipedia-2015.en.txt.xz": 2, "ungdc.en.txt.xz": 1}
EXTRA_MIN_WORDS = 6
EXTRA_MAX_WORDS = 60


def extra_sample(
    directory: str | Path, lines: int, seed: int, shares: dict[str, int] | None = None
) -> tuple[list[str], dict]:
    """``lines`` sentences drawn evenly from the extra-en paragraphs (read as a stream),
    and a description of the draw for the model's settings.

    Each file gives its share of the lines (`EXTRA_SHARES`), a reservoir sample of its
    sentences of `EXTRA_MIN_WORDS` to `EXTRA_MAX_WORDS` words that open with a capital.
    """
    from copydesk.models.casing.counts import read_paragraphs, sentences_of

    shares = shares or EXTRA_SHARES
    total = sum(shares.values())
    rng = random.Random(seed)
    sample: list[str] = []
    drawn = {}
    for name, share in shares.items():
        path = Path(directory) / name
        if not path.is_file():
            raise ConfigError(f"extra-en file {str(path)!r} not found")
        wanted = round(lines * share / total)
        reservoir: list[str] = []
        seen = 0
        for paragraph in read_paragraphs(path):
            for sentence in sentences_of(paragraph):
                sentence = sentence.strip()
                n = sentence.count(" ") + 1
                if not EXTRA_MIN_WORDS <= n <= EXTRA_MAX_WORDS or not sentence[:1].isupper():
                    continue
                seen += 1
                if len(reservoir) < wanted:
                    reservoir.append(sentence)
                else:
                    k = rng.randrange(seen)
                    if k < wanted:
                        reservoir[k] = sentence
        sample.extend(reservoir)
        drawn[name] = {"lines": len(reservoir), "of_sentences": seen}
    description = {"extra_en_lines": len(sample), "extra_en_seed": seed, "extra_en": drawn}
    return sample, description
