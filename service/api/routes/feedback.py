"""Editor feedback on edits, and the precision per stage it measures.

Decisions belong to the caller's newsroom: a review id is the newsroom's own (another
newsroom's review of the same id is another review), and stats count the newsroom's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import case, delete, func, select

from copydesk.models import EditKind
from copydesk.service.api.deps import CallerDep, SessionDep, visible
from copydesk.service.db.tables import FeedbackRow
from copydesk.service.settings import NEWSROOM_NAME

router = APIRouter(tags=["feedback"])


class Decision(BaseModel):
    kind: EditKind
    stage: str = Field(min_length=1, max_length=64)
    rule: str = Field(default="", max_length=128)
    confidence: float = Field(ge=0.0, le=1.0)
    accepted: bool | None = Field(
        default=None, description="The editor's decision; null: the edit was not reviewed."
    )
    original: str = ""
    replacement: str = ""
    review: str | None = Field(
        default=None, max_length=64, description="One editor's pass over one text."
    )
    edit: int | None = Field(
        default=None,
        ge=0,
        le=2**31 - 1,
        description="The edit's id in that pass: a later decision on it replaces this one.",
    )

    def to_row(self, newsroom: str) -> FeedbackRow:
        data = self.model_dump()
        reviewed = data.pop("accepted") is not None
        return FeedbackRow(
            **data,
            newsroom=newsroom,
            accepted=bool(self.accepted),
            decision="decided" if reviewed else "not_reviewed",
        )


class FeedbackIn(BaseModel):
    decisions: list[Decision] = Field(min_length=1, max_length=10_000)


class FeedbackOut(BaseModel):
    recorded: int


class StageStats(BaseModel):
    stage: str
    kind: str
    accepted: int
    rejected: int
    not_reviewed: int
    precision: float | None = Field(description="accepted / (accepted + rejected)")


@router.post("/feedback", status_code=201, response_model=FeedbackOut)
def record(body: FeedbackIn, session: SessionDep, caller: CallerDep) -> FeedbackOut:
    """Record which edits an editor accepted, rejected or left unreviewed. A decision on
    an edit of one of the newsroom's reviews that was already recorded replaces it (undo,
    a changed mind)."""
    keyed = [
        (d.review, d.edit) for d in body.decisions if d.review is not None and d.edit is not None
    ]
    for review, edit in keyed:
        session.execute(
            delete(FeedbackRow).where(
                FeedbackRow.newsroom == caller.newsroom,
                FeedbackRow.review == review,
                FeedbackRow.edit == edit,
            )
        )
    session.add_all(d.to_row(caller.newsroom) for d in body.decisions)
    session.commit()
    return FeedbackOut(recorded=len(body.decisions))


@router.get("/stats", response_model=list[StageStats])
def stats(
    session: SessionDep,
    caller: CallerDep,
    newsroom: Annotated[
        str | None,
        Query(pattern=NEWSROOM_NAME, description="Admin: this newsroom's (default: all)."),
    ] = None,
) -> list[StageStats]:
    """Precision per stage and kind in the caller's newsroom (an admin's: every
    newsroom's together, or the one named): the share of its reviewed edits that editors
    accepted; edits nobody reviewed are counted apart and never as rejections."""
    reviewed = FeedbackRow.decision == "decided"
    accepted = func.sum(case((reviewed & FeedbackRow.accepted, 1), else_=0))
    decided = func.sum(case((reviewed, 1), else_=0))
    query = select(FeedbackRow.stage, FeedbackRow.kind, accepted, decided, func.count())
    shown = visible(caller, newsroom)
    if shown is not None:
        query = query.where(FeedbackRow.newsroom == shown)
    rows = session.execute(
        query.group_by(FeedbackRow.stage, FeedbackRow.kind).order_by(
            FeedbackRow.stage, FeedbackRow.kind
        )
    ).all()
    return [
        StageStats(
            stage=s,
            kind=k,
            accepted=int(a),
            rejected=int(d - a),
            not_reviewed=int(n - d),
            precision=a / d if d else None,
        )
        for s, k, a, d, n in rows
    ]
