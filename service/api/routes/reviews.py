"""Reviews saved from the editor's page: save, list, reopen, replace, delete.

Each belongs to the caller's newsroom; another newsroom's review answers 404, as one that
does not exist (an admin reaches every newsroom's). Decisions still go to /v1/feedback as
they are made: a saved review is the editor's work in progress, not the feedback record.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi import Path as PathParam
from sqlalchemy import select
from sqlalchemy.orm import Session

from copydesk.service.api.deps import CallerDep, SessionDep, visible
from copydesk.service.api.review_schemas import ReviewIn, ReviewOut, ReviewSummary
from copydesk.service.api.schemas import StoredId
from copydesk.service.db.tables import ReviewRow
from copydesk.service.settings import NEWSROOM_NAME, Caller

router = APIRouter(prefix="/reviews", tags=["reviews"])
ReviewId = Annotated[StoredId, PathParam(description="A saved review's id.")]


def _summary(row: ReviewRow) -> ReviewSummary:
    return ReviewSummary(
        id=row.id,
        newsroom=row.newsroom,
        title=row.title,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _out(row: ReviewRow) -> ReviewOut:
    return ReviewOut(**_summary(row).model_dump(), state=row.state)


def owned_review(session: Session, caller: Caller, review_id: str) -> ReviewRow:
    """The review if the caller may reach it; 404 alike for none and another newsroom's."""
    row = session.get(ReviewRow, review_id)
    if row is None or not caller.sees(row.newsroom):
        raise HTTPException(404, f"no review {review_id}")
    return row


@router.post("", status_code=201, response_model=ReviewOut)
def create(body: ReviewIn, session: SessionDep, caller: CallerDep) -> ReviewOut:
    row = ReviewRow(newsroom=caller.newsroom, title=body.title, state=body.state)
    session.add(row)
    session.commit()
    return _out(row)


@router.get("", response_model=list[ReviewSummary])
def list_all(
    session: SessionDep,
    caller: CallerDep,
    newsroom: Annotated[
        str | None,
        Query(pattern=NEWSROOM_NAME, description="Admin: only this newsroom's (default: all)."),
    ] = None,
) -> list[ReviewSummary]:
    """The newsroom's saved reviews, the latest first."""
    query = select(ReviewRow).order_by(ReviewRow.updated_at.desc(), ReviewRow.id)
    shown = visible(caller, newsroom)
    if shown is not None:
        query = query.where(ReviewRow.newsroom == shown)
    return [_summary(r) for r in session.scalars(query)]


@router.get("/{review_id}", response_model=ReviewOut)
def get(review_id: ReviewId, session: SessionDep, caller: CallerDep) -> ReviewOut:
    return _out(owned_review(session, caller, review_id))


@router.put("/{review_id}", response_model=ReviewOut)
def replace(
    review_id: ReviewId, body: ReviewIn, session: SessionDep, caller: CallerDep
) -> ReviewOut:
    """Save the review again under the same id (the page's Save after a first save)."""
    row = owned_review(session, caller, review_id)
    row.title, row.state = body.title, body.state
    session.commit()
    return _out(row)


@router.delete("/{review_id}", status_code=204)
def delete(review_id: ReviewId, session: SessionDep, caller: CallerDep) -> Response:
    session.delete(owned_review(session, caller, review_id))
    session.commit()
    return Response(status_code=204)
