"""Editor feedback on edits, and the precision per stage it measures.

Decisions belong to the caller's newsroom: a review id is the newsroom's own (another
newsroom's review of the same id is another review), and stats count the newsroom's.
Besides decisions on copydesk's edits, a decision may be a hand correction (``kind:
"manual"``): the editor replaced ``original`` with ``replacement`` where copydesk proposed
nothing. Learning (`copydesk.service.learning`) reads both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import case, delete, func, select

from copydesk.models import EditKind
from copydesk.models.learning.decisions import stands_at
from copydesk.service.api.deps import CallerDep, SessionDep, visible
from copydesk.service.db.tables import FeedbackRow
from copydesk.service.learning import house_rules, last_run
from copydesk.service.settings import MAX_TEXT_CHARS, NEWSROOM_NAME

router = APIRouter(tags=["feedback"])


class Decision(BaseModel):
    kind: EditKind | Literal["manual"] = Field(
        description='What the edit repairs; "manual": a hand correction where copydesk '
        "proposed nothing (``original`` became ``replacement``; stage and confidence optional)."
    )
    stage: str = Field(default="manual", min_length=1, max_length=64)
    rule: str = Field(default="", max_length=128)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
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
    context: str | None = Field(
        default=None,
        max_length=MAX_TEXT_CHARS,
        description="The text the edit was proposed on (the repair's original); with "
        "``start``, what the newsroom's judge of edits learns from.",
    )
    start: int | None = Field(
        default=None,
        ge=0,
        le=MAX_TEXT_CHARS,
        strict=True,
        description="The edit's code-point offset in ``context`` (only with it).",
    )

    @model_validator(mode="after")
    def _edit_or_hand_correction(self) -> Decision:
        given = self.model_fields_set
        if self.kind == "manual":
            if not self.original and not self.replacement:
                raise ValueError("a hand correction names its original or its replacement")
            self.accepted = True  # the editor made it
        elif not {"stage", "confidence"} <= given:
            raise ValueError("a decision on an edit names its stage and confidence")
        if self.context is not None:
            if not stands_at(self.context, self.start, self.original):
                raise ValueError("start must be where original stands in context")
        elif self.start is not None:
            raise ValueError("start is an offset in context: give both or neither")
        return self

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
    learned_cutoffs: dict[str, float] = Field(
        default={}, description="The newsroom's learned cutoffs for the stage's rules."
    )
    learned_at: datetime | None = Field(
        default=None, description="When the newsroom last relearnt (null: never)."
    )
    learned_changes: list[str] = Field(
        default=[], description="What that relearning changed (GET /v1/learn lists it all)."
    )


@router.post("/feedback", status_code=201, response_model=FeedbackOut)
def record(body: FeedbackIn, session: SessionDep, caller: CallerDep) -> FeedbackOut:
    """Record which edits an editor accepted, rejected or left unreviewed. A decision on
    an edit of one of the newsroom's reviews that was already recorded replaces it (undo,
    a changed mind)."""
    keyed = [
        (d.review, d.edit) for d in body.decisions if d.review is not None and d.edit is not None
    ]
    texts: dict[tuple[str | None, int | None], tuple[str, int]] = {}
    for review, edit in keyed:
        mine = (
            FeedbackRow.newsroom == caller.newsroom,
            FeedbackRow.review == review,
            FeedbackRow.edit == edit,
        )
        # A decision sent again without its text (a closing page) keeps the one it had.
        for context, start in session.execute(
            select(FeedbackRow.context, FeedbackRow.start).where(
                *mine, FeedbackRow.context.is_not(None)
            )
        ):
            texts[review, edit] = (context, start)
        session.execute(delete(FeedbackRow).where(*mine))
    rows = [d.to_row(caller.newsroom) for d in body.decisions]
    for d, row in zip(body.decisions, rows, strict=True):
        if d.context is not None or (d.review, d.edit) not in texts:
            continue
        context, start = texts[d.review, d.edit]
        if stands_at(context, start, d.original):
            row.context, row.start = context, start
    session.add_all(rows)
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
    query = select(FeedbackRow.stage, FeedbackRow.kind, accepted, decided, func.count()).where(
        FeedbackRow.kind != "manual"  # hand corrections measure no stage's precision
    )
    shown = visible(caller, newsroom)
    if shown is not None:
        query = query.where(FeedbackRow.newsroom == shown)
    rows = session.execute(
        query.group_by(FeedbackRow.stage, FeedbackRow.kind).order_by(
            FeedbackRow.stage, FeedbackRow.kind
        )
    ).all()
    cutoffs: dict[str, float] = {}
    run = None
    if shown is not None:  # learning is per newsroom: shown for one newsroom only
        cutoffs = dict(house_rules(session, shown).cutoffs)
        run = last_run(session, shown)
    return [
        StageStats(
            stage=s,
            kind=k,
            accepted=int(a),
            rejected=int(d - a),
            not_reviewed=int(n - d),
            precision=a / d if d else None,
            learned_cutoffs={
                key: c for key, c in cutoffs.items() if key == s or key.startswith(f"{s}:")
            },
            learned_at=run.created_at if run else None,
            learned_changes=list(run.changes) if run else [],
        )
        for s, k, a, d, n in rows
    ]
