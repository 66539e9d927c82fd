"""Tuning a rewrite model folder's guards on real post-edits, and recording its figures.

Tuning uses pairs held out of the training split (never dev): the similarity bound is
the 10th percentile of chrF(post-edit, MT) over those pairs, so nine real post-edits in
ten are at least that close to their MT and a rewrite further away is treated as a
meaning change; the confidence threshold is the likelihood-gain cut that lowers TER
most on the same pairs, among the cuts whose improved segments outnumber the worsened
ones by a one-sided sign test at p < 0.05. A few hundred pairs give a handful of
rewrites; without the test, three improved against one worsened would set the
threshold, and such a cut did not hold up on unseen data.

TER here is sacrebleu's, case-sensitive, as ``copydesk eval`` scores it. `retune` is what
``copydesk eval rewrite --tune`` runs before it evaluates; `record_evaluation` is where
the evaluation leaves its figures and the folder's card.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sacrebleu.metrics import TER

from copydesk.models.cards import write_card
from copydesk.models.rewrite.generate import Candidate, Rewriter
from copydesk.models.rewrite.guards import similarity, verdict
from copydesk.models.rewrite.meta import update_meta
from copydesk.models.stages.rewrite import RewriteStage, confidence_of, load_rewriter

TUNE_PAIRS = 500  # the last train pairs, held out of the adapter's training

GAIN_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 1.5, 2.0)
SIGN_TEST_ALPHA = 0.05


def sentence_ter(hypothesis: str, reference: str) -> float:
    """Case-sensitive TER of one segment against its post-edit."""
    return float(TER(case_sensitive=True).sentence_score(hypothesis, [reference]).score)


def corpus_ter(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """Case-sensitive corpus TER against one line-aligned set of post-edits."""
    return float(TER(case_sensitive=True).corpus_score(list(hypotheses), [list(references)]).score)


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
    base = [sentence_ter(mt, pe) for mt, pe in zip(mts, post_edits, strict=True)]
    rows = []
    for gain in GAIN_GRID:
        chosen = choose(candidates, bound, gain)
        seg = [sentence_ter(h, pe) for h, pe in zip(chosen, post_edits, strict=True)]
        delta = np.array(seg) - np.array(base)
        improved, worsened = int((delta < 0).sum()), int((delta > 0).sum())
        rows.append(
            {
                "gain": gain,
                "confidence": confidence_of(gain),
                "rewritten": sum(h != mt for h, mt in zip(chosen, mts, strict=True)),
                "ter": round(corpus_ter(chosen, post_edits), 3),
                "improved": improved,
                "worsened": worsened,
                "sign_p": round(sign_test_p(improved, worsened), 4),
            }
        )
        log(f"gain > {gain}: {rows[-1]}")
    do_nothing = round(corpus_ter(mts, post_edits), 3)
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


def retune(
    folder: Path,
    mts: Sequence[str],
    post_edits: Sequence[str],
    sources: Sequence[str | None] | None = None,
    *,
    count: int = TUNE_PAIRS,
    log: Callable[[str], None] = lambda m: None,
) -> dict:
    """Re-tune the folder's guards on the last ``count`` (MT, post-edit[, source]) pairs of
    its training split and write them into its ``copydesk.json``; returns the tuning."""
    stage = RewriteStage(model=str(folder))
    sources = sources or [None] * len(mts)
    held = list(zip(mts, post_edits, sources, strict=True))[-count:]
    tuning = tune(stage.rewriter, held, log=log, use_source=stage.use_source)
    update_meta(folder, stage=tuning)
    load_rewriter.cache_clear()  # a stage built after this reads the new settings
    return tuning


def record_evaluation(folder: Path, evaluation: dict) -> None:
    """Write the figures ``copydesk eval rewrite`` measured into the folder's
    ``copydesk.json``, and its card from them."""
    update_meta(folder, evaluation=evaluation)
    write_card(folder)
