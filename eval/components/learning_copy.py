"""Learn-only casing copy from ``extra-en``: sentences the casing network never trained on,
damaged the way the casing sets are (`copydesk.models.casing.noise.noise_lines`).

The network was trained on a reservoir sample of ``extra-en``
(`copydesk.models.casing.corpus.extra_sample`, its size and seed in the shipped model's
``casing.json``). A reservoir sample's members depend only on its seed and on how many
sentences each file holds, so they are found here by replaying the draw on the counts,
and the copy is the last sentences of each file outside it, in the sample's shares (the
encyclopedia twice the UN speeches). The same files give the same copy.

The casing knowledge counted every ``extra-en`` word, so this copy is for learning only:
a newsroom's decisions on it are an editor's like any other, and nothing is measured on it.
"""

from __future__ import annotations

import random
from collections import deque
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
# How many more of a file's last sentences are kept than are wanted, for those the
# network's sample took (about one in forty).
MARGIN = 1.25


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


def extra_casing_copy(lines: int, directory: Path, model: Path = SHIPPED_MODEL) -> list[SimSet]:
    """About ``lines`` sentences of learn-only casing copy, one set per file of the
    ``extra-en`` ``directory`` (``extra-wikipedia``, ``extra-ungdc``): each file's last
    sentences outside the casing network's training sample, with generated MT casing
    errors; the references are the clean sentences."""
    data = read_settings(model).get("data", {})
    total = sum(EXTRA_SHARES.values())
    tails: dict[str, list[tuple[int, str]]] = {}
    counts: dict[str, int] = {}
    for name, share in EXTRA_SHARES.items():
        path = Path(directory) / name
        if not path.is_file():
            raise ConfigError(f"extra-en file {str(path)!r} not found")
        wanted = round(lines * share / total)
        tail: deque[tuple[int, str]] = deque(maxlen=int(wanted * MARGIN) + 10)
        n = 0
        for n, sentence in enumerate(eligible(path), 1):
            tail.append((n - 1, sentence))
        counts[name], tails[name] = n, list(tail)
        expected = data.get("extra_en", {}).get(name, {}).get("of_sentences")
        if expected is not None and expected != n:
            raise ConfigError(
                f"{path} holds {n} sentences, not the {expected} the casing network drew from"
            )
    taken = sampled(counts, int(data.get("extra_en_lines", 0)), int(data.get("extra_en_seed", 0)))
    sets = []
    for name, share in EXTRA_SHARES.items():
        wanted = round(lines * share / total)
        clean = [s for i, s in tails[name] if i not in taken[name]][-wanted:] if wanted else []
        label = f"extra-{name.split('-')[0].split('.')[0]}"
        sets.append(SimSet(label, noise_lines(clean, NOISE_SEED), clean))
    return sets
