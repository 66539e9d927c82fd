"""Learning from the caller's newsroom's decisions: relearn, list, export, approve a
glossary candidate, undo. Everything here is the caller's newsroom's alone."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi import Path as PathParam
from sqlalchemy.orm import Session

from copydesk.models import InputError
from copydesk.models.learning import read_export
from copydesk.service.api.deps import CallerDep, SessionDep, SettingsDep
from copydesk.service.api.schemas import LearnedListing, LearnedOut, LearnIn, LearnRunOut
from copydesk.service.db.tables import LearnedRow
from copydesk.service.learning import (
    approve,
    entries,
    last_run,
    relearn,
    store_decisions,
    undo,
)
from copydesk.service.learning.store import PROPOSED
from copydesk.service.settings import Caller

router = APIRouter(prefix="/learn", tags=["learning"])
EntryId = Annotated[str, PathParam(max_length=32, description="A learned entry's id.")]


def _out(row: LearnedRow) -> LearnedOut:
    return LearnedOut(
        id=row.id,
        kind=row.kind,
        key=row.key,
        status=row.status,
        value=row.value,
        updated_at=row.updated_at,
    )


def _owned(session: Session, caller: Caller, entry_id: str) -> LearnedRow:
    """The caller's newsroom's entry; 404 alike for none and another newsroom's."""
    row = session.get(LearnedRow, entry_id)
    if row is None or row.newsroom != caller.newsroom:
        raise HTTPException(404, f"no learned entry {entry_id}")
    return row


@router.post("", response_model=LearnRunOut)
def learn_now(
    session: SessionDep,
    caller: CallerDep,
    settings: SettingsDep,
    request: Request,
    body: LearnIn | None = None,
) -> LearnRunOut:
    """Relearn the caller's newsroom from its stored decisions, after adding an exported
    decisions file's, when the body carries one."""
    source = "feedback"
    if body is not None and body.export is not None:
        try:
            decisions = read_export(json.dumps(body.export))
        except InputError as exc:
            raise HTTPException(422, str(exc)) from exc
        store_decisions(session, caller.newsroom, decisions)
        source = "export"
    run = relearn(
        session,
        caller.newsroom,
        source=source,
        precision=settings.learn_precision,
        shipped=request.app.state.pipeline.thresholds(settings.threshold),
    )
    return LearnRunOut(**vars(run))


@router.get("", response_model=LearnedListing)
def listing(session: SessionDep, caller: CallerDep) -> LearnedListing:
    """Everything the newsroom's decisions taught, undone entries included, and its last
    relearning."""
    run = last_run(session, caller.newsroom)
    return LearnedListing(
        last_run=None
        if run is None
        else LearnRunOut(
            newsroom=run.newsroom,
            source=run.source,
            decisions=run.decisions,
            changes=run.changes,
            at=run.created_at,
        ),
        entries=[_out(r) for r in entries(session, caller.newsroom)],
    )


@router.get("/export")
def export(session: SessionDep, caller: CallerDep) -> Response:
    """Everything learned, as a JSON file to keep or to read elsewhere."""
    rows = [_out(r).model_dump(mode="json") for r in entries(session, caller.newsroom)]
    body = json.dumps({"newsroom": caller.newsroom, "entries": rows}, indent=2)
    return Response(
        body,
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="copydesk-learned.json"'},
    )


@router.get("/candidates", response_model=list[LearnedOut])
def candidates(session: SessionDep, caller: CallerDep) -> list[LearnedOut]:
    """Glossary entries the newsroom's hand corrections propose, awaiting approval."""
    rows = entries(session, caller.newsroom, "candidate")
    return [_out(r) for r in rows if r.status == PROPOSED]


@router.post("/candidates/{entry_id}/approve", response_model=LearnedOut)
def approve_candidate(entry_id: EntryId, session: SessionDep, caller: CallerDep) -> LearnedOut:
    """Add a proposed entry to the newsroom's learned glossary, which its repairs use."""
    row = _owned(session, caller, entry_id)
    if row.kind != "candidate" or row.status != PROPOSED:
        raise HTTPException(409, f"entry {entry_id} is not a proposed glossary candidate")
    approve(session, row)
    return _out(row)


@router.delete("/{entry_id}", response_model=LearnedOut)
def undo_entry(entry_id: EntryId, session: SessionDep, caller: CallerDep) -> LearnedOut:
    """Undo a learned entry: the shipped behaviour returns, and relearning leaves it
    undone."""
    row = _owned(session, caller, entry_id)
    undo(session, row)
    return _out(row)
