"""Evaluate the rewrite stage on real post-edits (MLQE-PE ru-en).

Evaluation on dev compares do-nothing, the pipeline without the stage and with it. The
guards it runs with are tuned in the model package (`copydesk.models.rewrite.tune`),
which also writes the figures measured here, and the card, into the model folder.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from copydesk.eval.report import markdown_tables, write_report
from copydesk.eval.scoring import ScoreResult, score
from copydesk.eval.significance import RESAMPLES
from copydesk.eval.suites import Suite
from copydesk.models import Pipeline, RepairContext
from copydesk.models.errors import StageError
from copydesk.models.rewrite.tune import record_evaluation
from copydesk.models.stages.rewrite import RewriteStage

BATCH = 64


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
    resamples: int = RESAMPLES,
    record: bool = True,
    log: Callable[[str], None] = lambda m: None,
) -> tuple[ScoreResult, dict]:
    """Score the pipeline with and without the folder's rewrite stage on ``dev`` and write
    a report; with ``record``, the model package writes the figures and the card into the
    model folder."""
    stage = RewriteStage(model=str(folder))
    result, evaluation, outputs = evaluate_rewrite(
        stage, pipeline, dev, resamples=resamples, log=log
    )
    if record:
        record_evaluation(folder, evaluation)
    meta = {
        "suite": dev.name,
        "segments": str(len(dev.mt)),
        "rewrite model": str(folder),
        "rewrite sentences/s": str(evaluation["rewrite_sentences_per_s"]),
        "guards": ", ".join(f"{k}: {v}" for k, v in sorted(evaluation["guards"].items())),
    }
    write_report(out_dir, f"copydesk eval rewrite ({dev.name})", result, meta, outputs=outputs)
    return result, evaluation
