"""Tune and evaluate the rewrite stage on real post-edits (MLQE-PE ru-en).

Tuning uses pairs held out of the training split (never dev): the similarity bound is
the 10th percentile of chrF(post-edit, MT) over those pairs, so nine real post-edits in
ten are at least that close to their MT and a rewrite further away is treated as a
meaning change; the confidence threshold is the likelihood-gain cut that lowers TER
most on the same pairs, among the cuts whose improved segments outnumber the worsened
ones by a one-sided sign test at p < 0.05. A few hundred pairs give a handful of
rewrites; without the test, three improved against one worsened would set the
threshold, and such a cut did not hold up on unseen data.
Evaluation on dev compares do-nothing, the pipeline without the stage and with it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from copydesk.eval.metrics import corpus_score, sentence_score
from copydesk.models.rewrite.generate import Candidate, Rewriter
from copydesk.models.rewrite.guards import similarity, verdict
from copydesk.models.stages.rewrite import confidence_of

GAIN_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 1.5, 2.0)
SIGN_TEST_ALPHA = 0.05


def sign_test_p(improved: int, worsened: int) -> float:
    """One-sided sign test: the chance of at least ``improved`` of the changed segments
    improving if improving and worsening were equally likely."""
    n = improved + worsened
    if n == 0:
        return 1.0
    return sum(math.comb(n, k) for k in range(improved, n + 1)) / 2**n


def similarity_bound(pairs: Sequence[tuple[str, str]], percentile: float = 10.0) -> float:
    return round(float(np.percentile([similarity(mt, pe) for mt, pe in pairs], percentile)), 1)


def guard_report(candidates: Sequence[Candidate], min_similarity: float) -> dict[str, int]:
    """How many rewrites each guard stopped (first failing guard), and how many passed."""
    return dict(
        Counter(
            verdict(c.mt, c.rewrite, c.gain, min_similarity=min_similarity) or "passed"
            for c in candidates
        )
    )


def choose(candidates: Sequence[Candidate], min_similarity: float, gain: float) -> list[str]:
    """The MT, or its rewrite where the stage would propose it with more than ``gain``."""
    return [
        c.mt
        if verdict(c.mt, c.rewrite, c.gain, min_similarity=min_similarity, min_gain=gain)
        else c.rewrite
        for c in candidates
    ]


def tune(
    rewriter: Rewriter,
    pairs: Sequence[tuple[str, ...]],
    log: Callable[[str], None] = lambda m: None,
    *,
    use_source: bool = False,
) -> dict:
    """Similarity bound and confidence threshold from held-out (MT, post-edit[, source])."""
    mts = [p[0] for p in pairs]
    post_edits = [p[1] for p in pairs]
    bound = similarity_bound(list(zip(mts, post_edits, strict=True)))
    sources = [p[2] if len(p) > 2 else None for p in pairs] if use_source else None
    candidates = rewriter.rewrite_many(mts, sources)
    base = [sentence_score("ter", mt, [pe]).score for mt, pe in zip(mts, post_edits, strict=True)]
    rows = []
    for gain in GAIN_GRID:
        chosen = choose(candidates, bound, gain)
        seg = [
            sentence_score("ter", h, [pe]).score for h, pe in zip(chosen, post_edits, strict=True)
        ]
        delta = np.array(seg) - np.array(base)
        improved, worsened = int((delta < 0).sum()), int((delta > 0).sum())
        rows.append(
            {
                "gain": gain,
                "confidence": confidence_of(gain),
                "rewritten": sum(h != mt for h, mt in zip(chosen, mts, strict=True)),
                "ter": round(corpus_score("ter", chosen, [post_edits]).score, 3),
                "improved": improved,
                "worsened": worsened,
                "sign_p": round(sign_test_p(improved, worsened), 4),
            }
        )
        log(f"gain > {gain}: {rows[-1]}")
    do_nothing = round(corpus_score("ter", mts, [post_edits]).score, 3)
    allowed = [r for r in rows if r["sign_p"] < SIGN_TEST_ALPHA and r["ter"] < do_nothing]
    best = min(allowed, key=lambda r: (r["ter"], -r["gain"])) if allowed else None
    # With no cut that helps, the threshold sits above every gain seen: the stage only suggests.
    threshold = best["confidence"] if best else 1.0
    return {
        "min_similarity": bound,
        "threshold": threshold,
        "tuned_on": f"{len(pairs)} MLQE-PE train pairs held out of training",
        "do_nothing_ter": do_nothing,
        "grid": rows,
        "guards": guard_report(candidates, bound),
    }
