"""GLEU for grammatical error correction (Napoles et al., 2015; 2016 "GLEU without tuning").

The JFLEG metric: BLEU-like n-gram precision (n = 1..4) of the hypothesis against a
reference, minus n-grams the hypothesis shares with the source but the reference does
not (so copying errors is penalised), with a brevity penalty. With several references,
each iteration picks one reference per sentence at random (seeded) and the corpus GLEU
is averaged over iterations, as the JFLEG scorer does. Tokens are whitespace-separated.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

MAX_N = 4


def _ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def sentence_stats(source: str, hypothesis: str, reference: str) -> list[int]:
    """[hyp length, ref length, then (matches, possible) for n = 1..4]."""
    s, h, r = source.split(), hypothesis.split(), reference.split()
    stats = [len(h), len(r)]
    for n in range(1, MAX_N + 1):
        h_n, r_n, s_n = _ngrams(h, n), _ngrams(r, n), _ngrams(s, n)
        source_only = Counter({g: c for g, c in s_n.items() if g not in r_n})
        matches = sum((h_n & r_n).values()) - sum((h_n & source_only).values())
        stats += [max(matches, 0), max(len(h) + 1 - n, 0)]
    return stats


def _gleu(stats: Sequence[int]) -> float:
    hyp_len, ref_len = stats[0], stats[1]
    if any(x == 0 for x in stats[2:]) or hyp_len == 0:
        return 0.0
    log_precision = sum(math.log(m / p) for m, p in zip(stats[2::2], stats[3::2], strict=True))
    return math.exp(min(0.0, 1 - ref_len / hyp_len) + log_precision / MAX_N)


def corpus_gleu(
    sources: Sequence[str],
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]],
    *,
    iterations: int = 200,
    seed: int = 1,
) -> float:
    """Corpus GLEU × 100 against one or more line-aligned reference sets."""
    stats = [
        [sentence_stats(s, h, ref[i]) for ref in references]
        for i, (s, h) in enumerate(zip(sources, hypotheses, strict=True))
    ]
    return gleu_from_stats(stats, iterations=iterations, seed=seed)


def gleu_from_stats(
    stats: Sequence[Sequence[Sequence[int]]], *, iterations: int = 200, seed: int = 1
) -> float:
    """Corpus GLEU × 100 from per-segment, per-reference ``sentence_stats``.

    With one reference, one pass; with several, each iteration draws one reference per
    segment (seeded) and the corpus scores are averaged.
    """
    n_refs = len(stats[0]) if len(stats) else 1
    rng = random.Random(seed)
    scores = []
    for _ in range(iterations if n_refs > 1 else 1):
        totals = [0] * (2 + 2 * MAX_N)
        for segment in stats:
            for k, value in enumerate(segment[rng.randrange(n_refs)]):
                totals[k] += value
        scores.append(_gleu(totals))
    return 100 * sum(scores) / len(scores)
