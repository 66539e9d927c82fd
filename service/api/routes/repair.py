"""Repair texts, and apply an editor's chosen edits."""

from __future__ import annotations

import time

from fastapi import APIRouter, HTTPException, Request

from copydesk.models import EditError, RepairContext, apply_edits, markup
from copydesk.models.stage import OUT_OF_TIME
from copydesk.service.api.deps import PipelineDep, SessionDep, SettingsDep
from copydesk.service.api.routes.glossaries import stored_glossary
from copydesk.service.api.schemas import (
    ApplyRequest,
    ApplyResponse,
    RepairOut,
    RepairRequest,
    RepairResponse,
)

router = APIRouter(tags=["repair"])


@router.post("/repair", response_model=RepairResponse)
def repair(
    body: RepairRequest,
    pipeline: PipelineDep,
    settings: SettingsDep,
    session: SessionDep,
    request: Request,
) -> RepairResponse:
    """Repair one text or several; every edit comes back, applied or suggested."""
    items = body.all_items()
    for i, item in enumerate(items):
        if len(item.text) > settings.max_text_chars:
            raise HTTPException(
                413,
                f"text {i} has {len(item.text)} characters; the limit is {settings.max_text_chars}",
            )
    glossary = body.inline_glossary()
    if body.glossary_id is not None:
        glossary = stored_glossary(session, body.glossary_id).merged(glossary)
    deadline = time.monotonic() + settings.request_seconds
    contexts = [
        RepairContext(source=item.source, glossary=glossary, deadline=deadline) for item in items
    ]
    layouts = [markup.parse(item.text, body.format) for item in items]
    results = markup.repair_layouts(
        pipeline, layouts, contexts, threshold=settings.threshold_for(body.threshold)
    )
    for result in results:
        request.app.state.metrics.observe_result(result)
    unfinished = sorted({s.name for r in results for s in r.stages if s.reason == OUT_OF_TIME})
    if unfinished:
        raise HTTPException(
            503,
            f"the request took over its {settings.request_seconds:g} s budget "
            f"(COPYDESK_REQUEST_SECONDS); not run: {', '.join(unfinished)}",
        )
    return RepairResponse(results=[RepairOut.from_result(r) for r in results])


@router.post("/apply", response_model=ApplyResponse)
def apply(body: ApplyRequest) -> ApplyResponse:
    """The original with the accepted edits applied (overlaps resolved by the edit rule)."""
    try:
        edits = [e.to_edit() for e in body.edits]
        text = apply_edits(body.original, edits)
    except EditError as exc:
        raise HTTPException(422, str(exc)) from exc
    return ApplyResponse(text=text, applied=len(edits))
