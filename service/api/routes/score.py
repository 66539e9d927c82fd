"""Score hypotheses against references with the evaluation harness (``eval.scoring``)."""

from __future__ import annotations

from fastapi import APIRouter

from copydesk.eval.scoring import score as score_systems
from copydesk.service.api.schemas import MetricOut, ScoreRequest, ScoreResponse

router = APIRouter(tags=["score"])


@router.post("/score", response_model=ScoreResponse)
def score(body: ScoreRequest) -> ScoreResponse:
    """Corpus-level, case-sensitive scores with signatures; with ``original``, the
    do-nothing baseline and a paired bootstrap against it."""
    result = score_systems(
        {"system": body.hypotheses},
        body.references,
        original=body.original,
        metrics=body.metrics,
        resamples=body.resamples,
    )

    def metrics_of(name: str) -> list[MetricOut]:
        scores = result.systems[name].scores
        return [
            MetricOut(metric=m, score=round(scores[m], 4), signature=result.signatures[m])
            for m in result.metrics
        ]

    system = result.systems["system"]
    return ScoreResponse(
        scores=metrics_of("system"),
        baseline=metrics_of(result.baseline) if result.baseline else None,
        versus_baseline=system.versus_baseline or None,
        edits=system.edits,
    )
