"""Repair texts, and apply an editor's chosen edits."""

from __future__ import annotations

import bisect
import time

from fastapi import APIRouter, HTTPException, Request

from copydesk.models import Edit, EditError, RepairContext, apply_edits, markup
from copydesk.models.edits import resolve_overlaps
from copydesk.models.stage import OUT_OF_TIME
from copydesk.service.api.deps import CallerDep, PipelineDep, SessionDep, SettingsDep
from copydesk.service.api.routes.glossaries import stored_glossary
from copydesk.service.api.schemas import (
    ApplyRequest,
    ApplyResponse,
    DroppedEdit,
    RepairOut,
    RepairRequest,
    RepairResponse,
)
from copydesk.service.house import house_rules

router = APIRouter(tags=["repair"])


@router.post("/repair", response_model=RepairResponse)
def repair(
    body: RepairRequest,
    pipeline: PipelineDep,
    settings: SettingsDep,
    session: SessionDep,
    caller: CallerDep,
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
        if item.source is not None and len(item.source) > settings.max_source_chars:
            raise HTTPException(
                413,
                f"source {i} has {len(item.source)} characters; the limit is "
                f"{settings.max_source_chars} (COPYDESK_MAX_SOURCE_CHARS)",
            )
    glossary = body.inline_glossary()
    if body.glossary_id is not None:
        glossary = stored_glossary(session, caller, body.glossary_id).merged(glossary)
    deadline = time.monotonic() + settings.request_seconds
    house = house_rules(session, caller)
    contexts = [
        RepairContext(source=item.source, glossary=glossary, deadline=deadline, house=house)
        for item in items
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
    """The original with the accepted edits applied. Edits that clash (the same change
    twice, or overlapping spans) are resolved by the edit rule: the answer lists which
    were applied, and for each one left out, which applied edit it clashed with."""
    try:
        edits = [e.to_edit() for e in body.edits]
        text = apply_edits(body.original, edits)
    except EditError as exc:
        raise HTTPException(422, str(exc)) from exc
    kept = resolve_overlaps(edits)  # the same rule apply_edits applied
    place = {id(edit): i for i, edit in enumerate(edits)}
    applied = [place[id(edit)] for edit in kept]
    chosen, spans = set(applied), [(k.start, k.end) for k in kept]
    dropped = [
        _why_dropped(i, edits[i], kept, spans, place) for i in range(len(edits)) if i not in chosen
    ]
    return ApplyResponse(text=text, applied=len(applied), applied_edits=applied, dropped=dropped)


def _why_dropped(
    index: int, edit: Edit, kept: list[Edit], spans: list[tuple[int, int]], place: dict[int, int]
) -> DroppedEdit:
    """The applied edit that ``edit`` clashes with. Kept edits are in offset order and do
    not overlap one another, so it is one of the few about its position."""
    at = bisect.bisect_left(spans, (edit.start, edit.end))
    near = kept[max(0, at - 2) : at + 2]
    other = next((k for k in near if edit.overlaps(k)), None)
    if other is None:  # not reached by the overlap rule; a full scan rather than a guess
        other = next(k for k in kept if edit.overlaps(k))
    same = (other.start, other.end, other.replacement) == (edit.start, edit.end, edit.replacement)
    return DroppedEdit(
        index=index, overlaps=place[id(other)], reason="duplicate" if same else "overlap"
    )
