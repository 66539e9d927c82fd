"""Helpers shared by tests: a made-up corpus for training tiny models."""

from __future__ import annotations

import random

NAMES = ["Munich Security Conference", "Sergey Lavrov", "Heiko Maas", "United Nations", "NATO"]
NOUNS = ["meeting", "minister", "summit", "report", "ceasefire", "talks"]
VERBS = ["opened", "ended", "began", "resumed", "stalled"]


def tiny_corpus(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for _ in range(n):
        name, noun, verb = rng.choice(NAMES), rng.choice(NOUNS), rng.choice(VERBS)
        lines.append(f"The {noun} with {name} {verb} in Geneva on Monday.")
    return lines
