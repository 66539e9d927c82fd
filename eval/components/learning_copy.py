"""Learn-only casing copy from ``extra-en``: sentences the casing network never trained on,
damaged the way the casing sets are (`copydesk.models.casing.noise.noise_lines`).

The network was trained on a reservoir sample of ``extra-en``
(`copydesk.models.casing.corpus.extra_sample`, its size and seed in the shipped model's
``casing.json``). A reservoir sample's members depend only on its seed and on how many
sentences each file holds, so they are found here by replaying the draw on the counts,
and the copy is sentences spread evenly through each file outside it (spread, so that
it is many articles and speeches, not a few). The same files give the same copy.

The casing knowledge counted every ``extra-en`` word, so this copy is for learning only:
a newsroom's decisions on it are an editor's like any other, and nothing is measured on it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from pathlib import Path

from copydesk.eval.components.learning import SimSet
from copydesk.models.casing.corpus import EXTRA_MAX_WORDS, EXTRA_MIN_WORDS, EXTRA_SHARES
from copydesk.models.casing.counts import read_paragraphs, sentences_of
from copydesk.models.casing.model import read_settings
from copydesk.models.casing.noise import noise_lines
from copydesk.models.errors import ConfigError

NOISE_SEED = 7  # the casing sets' noise seed
SHIPPED_MODEL = Path(__file__).resolve().parents[2] / "models" / "casing" / "weights"


def eligible(path: Path) -> Iterator[str]:
    """A file's sentences as `extra_sample` reads them: 6-60 words, opening with a capital."""
    for paragraph in read_paragraphs(path):
        for sentence in sentences_of(paragraph):
            sentence = sentence.strip()
            n = sentence.count(" ") + 1
            if EXTRA_MIN_WORDS <= n <= EXTRA_MAX_WORDS and sentence[:1].isupper():
                yield sentence


def sampled(counts: Mapping[str, int], lines: int, seed: int) -> dict[str, set[int]]:
    """The positions (among each file's eligible sentences) `extra_sample` draws for
    ``lines`` sentences with ``seed`` from files holding ``counts`` of them, in
    `EXTRA_SHARES` order: its random draws replayed without the text."""
    total = sum(EXTRA_SHARES.values())
    rng = random.Random(seed)
    drawn: dict[str, set[int]] = {}
    for name, share in EXTRA_SHARES.items():
        wanted = round(lines * share / total)
        reservoir: list[int] = []
        for seen in range(1, counts[name] + 1):
            if len(reservoir) < wanted:
                reservoir.append(seen - 1)
            else:
                k = rng.randrange(seen)
                if k < wanted:
                    reservoir[k] = seen - 1
        drawn[name] = set(reservoir)
    return drawn


def spread(count: int, wanted: int, skip: set[int]) -> list[int]:
    """``wanted`` positions of ``count``, evenly spaced, each moved on past ``skip``."""
    chosen: list[int] = []
    for k in range(wanted):
        i = max(chosen[-1] + 1 if chosen else 0, (2 * k + 1) * count // (2 * wanted))
        while i in skip:
            i += 1
        if i >= count:
            break
        chosen.append(i)
    return chosen


def extra_casing_copy(
    lines: int,
    directory: Path,
    model: Path = SHIPPED_MODEL,
    shares: Mapping[str, int] | None = None,
) -> list[SimSet]:
    """About ``lines`` sentences of learn-only casing copy, one set per file of the
    ``extra-en`` ``directory`` in ``shares`` (default: the network's, `EXTRA_SHARES`):
    sentences spread evenly through each file, outside the casing network's training
    sample, with generated MT casing errors; the references are the clean sentences."""
    data = read_settings(model).get("data", {})
    shares = dict(shares or EXTRA_SHARES)
    total = sum(shares.values())
    counts: dict[str, int] = {}
    for name in EXTRA_SHARES:
        path = Path(directory) / name
        if not path.is_file():
            raise ConfigError(f"extra-en file {str(path)!r} not found")
        counts[name] = int(data.get("extra_en", {}).get(name, {}).get("of_sentences", 0))
        if not counts[name]:  # a network that drew nothing from the file: count it here
            counts[name] = sum(1 for _ in eligible(path))
    taken = sampled(counts, int(data.get("extra_en_lines", 0)), int(data.get("extra_en_seed", 0)))
    sets = []
    for name, share in shares.items():
        path = Path(directory) / name
        wanted = set(spread(counts[name], round(lines * share / total), taken[name]))
        clean, n = [], 0
        for n, sentence in enumerate(eligible(path), 1):
            if n - 1 in wanted:
                clean.append(sentence)
        if n != counts[name]:
            raise ConfigError(
                f"{path} holds {n} sentences, not the {counts[name]} the casing network drew from"
            )
        label = f"extra-{name.split('-')[0].split('.')[0]}"
        sets.append(SimSet(label, noise_lines(clean, NOISE_SEED), clean))
    return sets
