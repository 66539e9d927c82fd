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
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from copydesk.eval.metrics import corpus_score, sentence_score
from copydesk.eval.report import markdown_tables, write_report
from copydesk.eval.scoring import ScoreResult, score
from copydesk.eval.significance import RESAMPLES
from copydesk.eval.suites import Suite
from copydesk.models import Pipeline, RepairContext
from copydesk.models.cards import write_card
from copydesk.models.errors import StageError
from copydesk.models.rewrite.generate import Candidate, Rewriter
from copydesk.models.rewrite.guards import similarity, verdict
from copydesk.models.rewrite.meta import update_meta
from copydesk.models.stages.rewrite import RewriteStage, confidence_of, load_rewriter

BATCH = 64
TUNE_PAIRS = 500  # the last train pairs, held out of the adapter's training

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


def evaluate_rewrite(
    stage: RewriteStage,
    pipeline: Pipeline,
    dev: Suite,
    *,
    resamples: int = RESAMPLES,
    log: Callable[[str], None] = lambda m: None,
) -> tuple[ScoreResult, dict, dict[str, list[str]]]:
    """TER, chrF and BLEU on ``dev``: do-nothing, ``pipeline``, and ``pipeline`` + ``stage``.

    Returns the scores, the evaluation record (guard outcomes, speed) the model card
    shows, and each system's output.
    """
    contexts = [RepairContext(source=s) for s in dev.source] if dev.source else None
    started = time.monotonic()
    without = [r.repaired for r in pipeline.repair_many(dev.mt, contexts)]
    pipeline_s = time.monotonic() - started
    rewrite_only = Pipeline([stage])
    with_rewrite: list[str] = []
    guards: Counter[str] = Counter()
    started = time.monotonic()
    for i in range(0, len(without), BATCH):
        part = contexts[i : i + BATCH] if contexts else None
        for result in rewrite_only.repair_many(without[i : i + BATCH], part):
            report = result.stages[0]
            if report.status != "ok":
                raise StageError(report.name, f"{report.status.value}: {report.reason}")
            with_rewrite.append(result.repaired)
            guards.update(report.diagnostics.get("units", report.diagnostics))
        log(f"rewrite: {len(with_rewrite)}/{len(without)} sentences")
    rewrite_s = time.monotonic() - started
    result = score(
        {"pipeline": without, "pipeline+rewrite": with_rewrite},
        dev.references,
        original=dev.mt,
        metrics=["ter", "chrf", "bleu"],
        resamples=resamples,
    )
    sentences = sum(guards.values())
    evaluation = {
        "table": markdown_tables(result),
        "segments": len(dev.mt),
        "guards": dict(guards),
        "rewrite_sentences_per_s": round(sentences / rewrite_s, 2) if rewrite_s else 0.0,
        "pipeline_seconds": round(pipeline_s, 1),
        "scores": result.to_dict()["systems"],
    }
    return result, evaluation, {"pipeline": without, "pipeline+rewrite": with_rewrite}


def evaluate_backend(
    base_url: str,
    model: str,
    pipeline: Pipeline,
    suites: Sequence[Suite],
    *,
    resamples: int = RESAMPLES,
    log: Callable[[str], None] = lambda m: None,
) -> dict[str, dict]:
    """What a newsroom's own model server would do, before it is turned on: each suite
    scored as do-nothing, ``pipeline``, and ``pipeline`` with the chat backend's every
    guarded edit applied, with the guards' refusals by reason."""
    stage = RewriteStage(backend="openai", base_url=base_url, model=model, threshold=0.0)
    out = {}
    for suite in suites:
        log(f"{suite.name}: {len(suite.mt)} segments")
        _, evaluation, _ = evaluate_rewrite(stage, pipeline, suite, resamples=resamples, log=log)
        out[suite.name] = evaluation
    return out


def evaluate_and_record(
    folder: Path,
    pipeline: Pipeline,
    dev: Suite,
    out_dir: Path,
    *,
    tune_on: Suite | None = None,
    tune_pairs: int = TUNE_PAIRS,
    resamples: int = RESAMPLES,
    record: bool = True,
    log: Callable[[str], None] = lambda m: None,
) -> tuple[ScoreResult, dict]:
    """Optionally re-tune the guards on ``tune_on``'s last ``tune_pairs`` pairs, then score
    the pipeline with and without the rewrite stage on ``dev`` and write a report; with
    ``record``, the figures and the card go into the model folder."""
    if tune_on is not None:
        stage = RewriteStage(model=str(folder))
        sources = tune_on.source or [None] * len(tune_on.mt)
        held = list(zip(tune_on.mt, tune_on.references[0], sources, strict=True))[-tune_pairs:]
        update_meta(folder, stage=tune(stage.rewriter, held, log=log, use_source=stage.use_source))
        load_rewriter.cache_clear()
    stage = RewriteStage(model=str(folder))
    result, evaluation, outputs = evaluate_rewrite(
        stage, pipeline, dev, resamples=resamples, log=log
    )
    if record:
        update_meta(folder, evaluation=evaluation)
        write_card(folder)
    meta = {
        "suite": dev.name,
        "segments": str(len(dev.mt)),
        "rewrite model": str(folder),
        "rewrite sentences/s": str(evaluation["rewrite_sentences_per_s"]),
        "guards": ", ".join(f"{k}: {v}" for k, v in sorted(evaluation["guards"].items())),
    }
    write_report(out_dir, f"copydesk eval rewrite ({dev.name})", result, meta, outputs=outputs)
    return result, evaluation
