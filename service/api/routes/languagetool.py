"""LanguageTool's public HTTP API (``/v2/check``, ``/v2/languages``, ``/v2/info``,
``/v2/words``), so that LanguageTool's add-ons and client libraries can use copydesk as
their server.

Requests are form fields (POST) or query parameters (GET), as LanguageTool takes them;
errors are plain-text 400s beginning ``Error:`` (413 for a text over the limit), as
LanguageTool's. Keys: the ``X-API-Key`` header, or LanguageTool's ``apiKey`` field; a
key's personal dictionary (``/v2/words``) needs no account, the key is the user.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from copydesk.models import InputError, Pipeline, RepairContext
from copydesk.models.errors import StageUnavailable
from copydesk.models.house import HouseRules
from copydesk.models.langid import detect
from copydesk.models.markup import Layout, parse_annotation, repair_layouts
from copydesk.models.stage import OUT_OF_TIME
from copydesk.models.stages import GrammarStage
from copydesk.service import dictionary
from copydesk.service.api import languagetool as lt
from copydesk.service.api.deps import enter_key
from copydesk.service.house import house_rules
from copydesk.service.settings import Caller, Settings

router = APIRouter(tags=["languagetool"])
# The longest the check for LanguageTool's own matches may take (the grammar stage's
# default): past it the answer comes without them, never later.
PASSTHROUGH_SECONDS = 20.0


def _form_schema(
    fields: dict[str, str],
    required: tuple[str, ...] = (),
    choices: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """OpenAPI for a LanguageTool form: every field a string, as LanguageTool takes it."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {k: {"type": "string", "description": v} for k, v in fields.items()},
    }
    for name, values in (choices or {}).items():
        schema["properties"][name]["enum"] = values
    if required:
        schema["required"] = list(required)
    return {
        "requestBody": {
            "content": {"application/x-www-form-urlencoded": {"schema": schema}},
            "required": True,
        }
    }


_KEY = {"apiKey": "The API key (or the X-API-Key header).", "username": "Ignored."}
CHECK_FIELDS = {
    "text": "The text to check (or data).",
    "data": 'LanguageTool\'s annotation: {"annotation": [{"text": …}, {"markup": …}]}.',
    "language": "en, en-US, en-GB, en-AU, en-CA, en-NZ, en-ZA, or auto.",
    "preferredVariants": "With language=auto: the variants to prefer, e.g. en-GB.",
    "level": "default, or picky (copydesk's suggestions too).",
    "enabledRules": "Rule ids, comma separated.",
    "disabledRules": "Rule ids, comma separated.",
    "enabledCategories": "Category ids, comma separated.",
    "disabledCategories": "Category ids, comma separated.",
    "enabledOnly": "true: only the enabled rules and categories.",
    "source": "The original the text was translated from (copydesk's own field).",
    **_KEY,
}
WORD_FIELDS = {"word": "One word, no whitespace.", "dict": "A named dictionary.", **_KEY}


class LanguageToolError(Exception):
    """A request LanguageTool itself would refuse with a 400."""

    status = 400


class TextTooLong(LanguageToolError):
    """A text over the limit: LanguageTool answers 413."""

    status = 413


@dataclass(frozen=True)
class CheckRequest:
    """One ``/v2/check`` request's fields, checked."""

    layout: Layout
    variant: str  # the English variant checked (``auto`` and ``en``: preferred, or en-US)
    auto: bool
    picky: bool
    rules: lt.RuleFilter
    source: str | None


@router.get("/languages")
def languages() -> list[dict[str, str]]:
    """The languages copydesk checks (English and its US and British variants)."""
    return lt.languages()


@router.get("/info")
def info() -> dict[str, object]:
    return {"software": lt.software(), "languages": lt.languages()}


async def check(request: Request) -> Response:
    """Check ``text`` or ``data`` and answer LanguageTool's JSON (see the module)."""
    settings: Settings = request.app.state.settings
    try:
        fields = request.query_params if request.method == "GET" else await _form(request)
        caller, slot = _enter(request, settings, fields)
    except LanguageToolError as exc:
        return PlainTextResponse(f"Error: {exc}", exc.status)
    except HTTPException as exc:
        return PlainTextResponse(f"Error: {exc.detail}", exc.status_code, exc.headers)
    try:
        req = _parse(fields, settings)
        detected = detect(req.layout.plain)
        if req.auto and not detected.english:
            return JSONResponse(lt.not_checked(detected))
        deadline = time.monotonic() + settings.request_seconds
        house = await run_in_threadpool(_house, request, caller)
        context = RepairContext(source=req.source, deadline=deadline, house=house)
        pipeline: Pipeline = request.app.state.pipeline
        [result], raw = await asyncio.gather(
            run_in_threadpool(
                repair_layouts,
                pipeline,
                [req.layout],
                [context],
                threshold=settings.threshold_for(None),
            ),
            run_in_threadpool(_languagetool_matches, request, req, deadline),
        )
    except LanguageToolError as exc:
        return PlainTextResponse(f"Error: {exc}", exc.status)
    except InputError as exc:
        return PlainTextResponse(f"Error: {exc}", 400)
    finally:
        if slot is not None:
            slot.release()
    request.app.state.metrics.observe_result(result)
    if any(s.reason == OUT_OF_TIME for s in result.stages):
        return PlainTextResponse(
            f"Error: the check took over its {settings.request_seconds:g} s budget", 503
        )
    own = lt.passthrough_matches(
        raw, result, req.layout, house.protected_spans(req.layout.plain), req.rules
    )
    return JSONResponse(
        lt.check_response(
            result,
            req.layout,
            req.variant,
            detected,
            picky=req.picky,
            rules=req.rules,
            languagetool=own,
        )
    )


_CHECK_SCHEMA = _form_schema(
    CHECK_FIELDS,
    ("language",),
    {"language": [*lt.LANGUAGES, lt.AUTO], "level": ["default", "picky"]},
)
# One handler for both methods, as LanguageTool takes either; each its own operation.
for _method in ("GET", "POST"):
    router.add_api_route(
        "/check",
        check,
        methods=[_method],
        operation_id=f"languagetool_check_{_method.lower()}",
        openapi_extra=_CHECK_SCHEMA,
    )


@router.get(
    "/words",
    openapi_extra={
        "parameters": [
            {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
            for name in ("offset", "limit", "dicts", "apiKey", "username")
        ]
    },
)
async def words(request: Request) -> Response:
    """The words of the key's personal dictionaries (``offset``, ``limit``, ``dicts``)."""
    settings: Settings = request.app.state.settings
    fields = request.query_params
    try:
        caller, slot = _enter(request, settings, fields)
    except HTTPException as exc:
        return PlainTextResponse(f"Error: {exc.detail}", exc.status_code, exc.headers)
    try:
        offset = _count(fields, "offset", 0)
        limit = _count(fields, "limit", 10)
        dicts = sorted(_ids(fields.get("dicts"))) if fields.get("dicts") else None
        found = await run_in_threadpool(
            _in_session, request, dictionary.words, caller, dicts, offset=offset, limit=limit
        )
    except LanguageToolError as exc:
        return PlainTextResponse(f"Error: {exc}", exc.status)
    finally:
        if slot is not None:
            slot.release()
    return JSONResponse({"words": found})


@router.post("/words/add", openapi_extra=_form_schema(WORD_FIELDS, ("word",)))
async def add_word(request: Request) -> Response:
    """Add ``word`` to the key's dictionary (``dict``: a named one); copydesk's stages
    never change it, and LanguageTool's spelling matches leave it alone."""
    return await _change_word(request, add=True)


@router.post("/words/delete", openapi_extra=_form_schema(WORD_FIELDS, ("word",)))
async def delete_word(request: Request) -> Response:
    """Delete ``word`` from the key's dictionary (``dict``: a named one)."""
    return await _change_word(request, add=False)


async def _change_word(request: Request, *, add: bool) -> Response:
    settings: Settings = request.app.state.settings
    try:
        fields = await _form(request)
        caller, slot = _enter(request, settings, fields)
    except LanguageToolError as exc:
        return PlainTextResponse(f"Error: {exc}", exc.status)
    except HTTPException as exc:
        return PlainTextResponse(f"Error: {exc.detail}", exc.status_code, exc.headers)
    try:
        word, dict_name = _word(fields)
        change = dictionary.add if add else dictionary.remove
        done = await run_in_threadpool(_in_session, request, change, caller, word, dict_name)
    except LanguageToolError as exc:
        return PlainTextResponse(f"Error: {exc}", exc.status)
    except dictionary.DictionaryFull as exc:
        return PlainTextResponse(f"Error: {exc}", 400)
    finally:
        if slot is not None:
            slot.release()
    return JSONResponse({"added": done} if add else {"deleted": done})


def _enter(request: Request, settings: Settings, fields: Mapping[str, str]) -> tuple[Caller, Any]:
    """The caller the request's key makes, and its request slot (the caller releases
    it); `HTTPException` 401 for a missing or unknown key."""
    key = request.headers.get("x-api-key") or fields.get("apiKey")
    slot = enter_key(request, settings, key, name="apiKey")
    caller = settings.caller(key)
    assert caller is not None  # enter_key refused an unknown key
    return caller, slot


def _in_session(request: Request, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``call(session, *args, **kwargs)`` in a session of the state database."""
    with request.app.state.sessions() as session:
        return call(session, *args, **kwargs)


def _house(request: Request, caller: Caller) -> HouseRules:
    with request.app.state.sessions() as session:
        return house_rules(session, caller)


def _languagetool_matches(request: Request, req: CheckRequest, deadline: float) -> list[dict]:
    """LanguageTool's own matches in the passthrough categories (`lt.PASSTHROUGH_CATEGORIES`)
    on the plain text; none when the setting is off or no LanguageTool answers in time."""
    settings: Settings = request.app.state.settings
    if not settings.languagetool_passthrough or not req.layout.plain.strip():
        return []
    url = _languagetool_url(request.app.state.pipeline)
    left = min(deadline - time.monotonic(), PASSTHROUGH_SECONDS)
    if url is None or left <= 0:
        return []
    try:
        response = httpx.post(
            f"{url.rstrip('/')}/v2/check",
            data=lt.passthrough_request(req.layout.plain, req.variant),
            timeout=left,
        )
        response.raise_for_status()
        return list(response.json().get("matches", []))
    except (httpx.HTTPError, ValueError):
        return []  # the grammar stage reports LanguageTool's trouble; these are extras


def _languagetool_url(pipeline: Pipeline) -> str | None:
    """The LanguageTool the pipeline's grammar stage uses; None without one, or while the
    stage's own server is not ready (never waits for it)."""
    for stage in pipeline.stages():
        if isinstance(stage, GrammarStage):
            if stage.backend.server is not None and stage.status()[0] != "ok":
                return None
            try:
                return stage.backend.client().url
            except StageUnavailable:
                return None
    return None


async def _form(request: Request) -> Mapping[str, str]:
    try:
        form = await request.form()
    except Exception as exc:  # the multipart parser's own errors are many
        raise LanguageToolError(f"the form cannot be read: {exc}") from exc
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _parse(fields: Mapping[str, str], settings: Settings) -> CheckRequest:
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
    preferred = tuple(_ids_in_order(fields.get("preferredVariants")))
    if preferred and language != lt.AUTO:
        raise LanguageToolError(
            "You can specify 'preferredVariants' only when 'language=auto' is set"
        )
    level = fields.get("level", "default")
    if level not in ("default", "picky"):
        raise LanguageToolError(f"'level' must be 'default' or 'picky', not '{level}'")
    layout = Layout.plain_text(text) if text is not None else parse_annotation(data)
    if len(layout.plain) > settings.max_text_chars:
        raise TextTooLong(
            f"Your text exceeds the limit of {settings.max_text_chars} characters (it's "
            f"{len(layout.plain)} characters). Please submit a shorter text."
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
        raise TextTooLong(
            f"the source has {len(source)} characters; the limit is {settings.max_source_chars}"
        )
    return CheckRequest(
        layout=layout,
        variant=lt.variant(language, preferred),
        auto=language == lt.AUTO,
        picky=level == "picky",
        rules=rules,
        source=source,
    )


def _word(fields: Mapping[str, str]) -> tuple[str, str]:
    """``word`` and ``dict``, checked as LanguageTool checks them (one word, no spaces)."""
    word = fields.get("word")
    if not word:
        raise LanguageToolError("Missing 'word' parameter")
    if any(ch.isspace() for ch in word):
        raise LanguageToolError("'word' must not contain whitespace: add phrases word by word")
    if len(word) > dictionary.MAX_WORD_CHARS:
        raise LanguageToolError(f"'word' is longer than {dictionary.MAX_WORD_CHARS} characters")
    dict_name = fields.get("dict") or ""
    if len(dict_name) > dictionary.MAX_DICT_CHARS:
        raise LanguageToolError(f"'dict' is longer than {dictionary.MAX_DICT_CHARS} characters")
    return word, dict_name


def _count(fields: Mapping[str, str], name: str, default: int) -> int:
    value = fields.get(name)
    if value is None:
        return default
    if not value.isdigit() or int(value) > 1_000_000:
        raise LanguageToolError(f"'{name}' must be a whole number from 0 to 1000000")
    return int(value)


def _ids_in_order(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _ids(value: str | None) -> frozenset[str]:
    return frozenset(v.strip() for v in (value or "").split(",") if v.strip())
