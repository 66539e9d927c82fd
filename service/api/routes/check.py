"""Check a text against its source and estimate its quality, without repairing it."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from copydesk.service.api.deps import SettingsDep
from copydesk.service.api.schemas import CheckRequest, CheckResponse, FlagOut, SegmentOut
from copydesk.service.checking import check_text

router = APIRouter(tags=["check"])


@router.post("/check", response_model=CheckResponse)
def check(body: CheckRequest, settings: SettingsDep) -> CheckResponse:
    """The flags (spans probably wrong, and why) and an estimate per sentence."""
    if len(body.text) > settings.max_text_chars:
        raise HTTPException(
            413, f"text has {len(body.text)} characters; the limit is {settings.max_text_chars}"
        )
    if body.source is not None and len(body.source) > settings.max_source_chars:
        raise HTTPException(
            413,
            f"source has {len(body.source)} characters; the limit is "
            f"{settings.max_source_chars} (COPYDESK_MAX_SOURCE_CHARS)",
        )
    report = check_text(body.text, body.source)
    return CheckResponse(
        flags=FlagOut.from_flags(body.text, report.flags),
        segments=[SegmentOut(**s.to_dict()) for s in report.segments],
    )
