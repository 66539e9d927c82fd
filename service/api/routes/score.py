"""Score hypotheses against references with the eval metrics."""

from __future__ import annotations

from fastapi import APIRouter

from eval.metrics import corpus_score
from service.api.schemas import MetricOut, ScoreRequest, ScoreResponse

router = APIRouter(tags=["score"])


@router.post("/score", response_model=ScoreResponse)
def score(body: ScoreRequest) -> ScoreResponse:
    """Corpus-level, case-sensitive scores with sacrebleu signatures."""
    scores = [corpus_score(m, body.hypotheses, body.references) for m in body.metrics]
    return ScoreResponse(scores=[MetricOut(**s.to_dict()) for s in scores])
