"""Editor feedback on edits, and the precision per stage it measures."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from copydesk.models import EditKind
from copydesk.service.api.deps import SessionDep
from copydesk.service.db.tables import FeedbackRow

router = APIRouter(tags=["feedback"])


class Decision(BaseModel):
    kind: EditKind
    stage: str = Field(min_length=1, max_length=64)
    rule: str = Field(default="", max_length=128)
    confidence: float = Field(ge=0.0, le=1.0)
    accepted: bool
    original: str = ""
    replacement: str = ""


class FeedbackIn(BaseModel):
    decisions: list[Decision] = Field(min_length=1, max_length=10_000)


class FeedbackOut(BaseModel):
    recorded: int


class StageStats(BaseModel):
    stage: str
    kind: str
    accepted: int
    rejected: int
    precision: float


@router.post("/feedback", status_code=201, response_model=FeedbackOut)
def record(body: FeedbackIn, session: SessionDep) -> FeedbackOut:
    """Record which edits an editor accepted and rejected."""
    session.add_all(FeedbackRow(**d.model_dump()) for d in body.decisions)
    session.commit()
    return FeedbackOut(recorded=len(body.decisions))


@router.get("/stats", response_model=list[StageStats])
def stats(session: SessionDep) -> list[StageStats]:
    """Precision per stage and kind: the share of its edits that editors accepted."""
    accepted = func.sum(func.cast(FeedbackRow.accepted, FeedbackRow.id.type))
    rows = session.execute(
        select(FeedbackRow.stage, FeedbackRow.kind, accepted, func.count())
        .group_by(FeedbackRow.stage, FeedbackRow.kind)
        .order_by(FeedbackRow.stage, FeedbackRow.kind)
    ).all()
    return [
        StageStats(stage=s, kind=k, accepted=int(a), rejected=int(n - a), precision=a / n)
        for s, k, a, n in rows
    ]
