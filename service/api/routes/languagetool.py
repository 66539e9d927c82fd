"""LanguageTool's public HTTP API (``/v2/check``, ``/v2/languages``, ``/v2/info``), so
that LanguageTool's add-ons and client libraries can use copydesk as their server.

Requests are form fields (POST) or query parameters (GET), as LanguageTool takes them;
errors are plain-text 400s beginning ``Error:``, as LanguageTool's. Keys: the
``X-API-Key`` header, or LanguageTool's ``apiKey`` field.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from copydesk.models import InputError, Pipeline, RepairContext
from copydesk.models.markup import Layout, parse_annotation, repair_layouts
from copydesk.models.stage import OUT_OF_TIME
from copydesk.service.api import languagetool as lt
from copydesk.service.api.deps import enter_key
from copydesk.service.settings import Settings

router = APIRouter(tags=["languagetool"])


class LanguageToolError(Exception):
    """A request LanguageTool itself would refuse with a 400."""


@router.get("/languages")
def languages() -> list[dict[str, str]]:
    """The languages copydesk checks (English and its US and British variants)."""
    return lt.languages()


@router.get("/info")
def info() -> dict[str, object]:
    return {"software": lt.software(), "languages": lt.languages()}


@router.api_route("/check", methods=["GET", "POST"])
async def check(request: Request) -> Response:
    """Check ``text`` or ``data`` and answer LanguageTool's JSON (see the module)."""
    settings: Settings = request.app.state.settings
    try:
        fields = request.query_params if request.method == "GET" else await _form(request)
    except LanguageToolError as exc:
        return PlainTextResponse(f"Error: {exc}", 400)
    try:
        slot = enter_key(
            request,
            settings,
            request.headers.get("x-api-key") or fields.get("apiKey"),
            name="apiKey",
        )
    except HTTPException as exc:
        return PlainTextResponse(f"Error: {exc.detail}", exc.status_code, exc.headers)
    try:
        layout, language, picky, rules, context = _parse(fields, settings)
        pipeline: Pipeline = request.app.state.pipeline
        [result] = await run_in_threadpool(
            repair_layouts,
            pipeline,
            [layout],
            [context],
            threshold=settings.threshold_for(None),
        )
    except (LanguageToolError, InputError) as exc:
        return PlainTextResponse(f"Error: {exc}", 400)
    finally:
        if slot is not None:
            slot.release()
    request.app.state.metrics.observe_result(result)
    if any(s.reason == OUT_OF_TIME for s in result.stages):
        return PlainTextResponse(
            f"Error: the check took over its {settings.request_seconds:g} s budget", 503
        )
    return JSONResponse(lt.check_response(result, layout, language, picky=picky, rules=rules))


async def _form(request: Request) -> Mapping[str, str]:
    try:
        form = await request.form()
    except Exception as exc:  # the multipart parser's own errors are many
        raise LanguageToolError(f"the form cannot be read: {exc}") from exc
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _parse(
    fields: Mapping[str, str], settings: Settings
) -> tuple[Layout, str, bool, lt.RuleFilter, RepairContext]:
    text, data = fields.get("text"), fields.get("data")
    if text is None and data is None:
        raise LanguageToolError("Missing 'text' or 'data' parameter")
    if text is not None and data is not None:
        raise LanguageToolError("Set only 'text' or 'data', not both")
    language = fields.get("language")
    if not language:
        raise LanguageToolError("Missing 'language' parameter, e.g. 'language=en-US'")
    if language != lt.AUTO and language not in lt.LANGUAGES:
        raise LanguageToolError(
            f"'{language}' is not a language copydesk checks: it repairs English "
            f"({', '.join([*lt.LANGUAGES, lt.AUTO])})"
        )
    level = fields.get("level", "default")
    if level not in ("default", "picky"):
        raise LanguageToolError(f"'level' must be 'default' or 'picky', not '{level}'")
    layout = Layout.plain_text(text) if text is not None else parse_annotation(data)
    if len(layout.plain) > settings.max_text_chars:
        raise LanguageToolError(
            f"the text has {len(layout.plain)} characters; the limit is {settings.max_text_chars}"
        )
    rules = lt.RuleFilter(
        enabled_rules=_ids(fields.get("enabledRules")),
        disabled_rules=_ids(fields.get("disabledRules")),
        enabled_categories=_ids(fields.get("enabledCategories")),
        disabled_categories=_ids(fields.get("disabledCategories")),
        enabled_only=fields.get("enabledOnly", "false").lower() == "true",
    )
    if rules.enabled_only and not (rules.enabled_rules or rules.enabled_categories):
        raise LanguageToolError("enabledOnly=true needs enabledRules or enabledCategories")
    source = fields.get("source") or None
    if source is not None and len(source) > settings.max_source_chars:
        raise LanguageToolError(
            f"the source has {len(source)} characters; the limit is {settings.max_source_chars}"
        )
    deadline = time.monotonic() + settings.request_seconds
    return (
        layout,
        language,
        level == "picky",
        rules,
        RepairContext(source=source, deadline=deadline),
    )


def _ids(value: str | None) -> frozenset[str]:
    return frozenset(v.strip() for v in (value or "").split(",") if v.strip())
