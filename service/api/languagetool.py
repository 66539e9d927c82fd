"""copydesk's results in LanguageTool's ``/v2/check`` shape, for LanguageTool's clients.

Every edit becomes a match. LanguageTool's own matches keep their rule ids and
categories (the grammar stage reports them); copydesk's edits get ``COPYDESK_…`` rule
ids and a category per kind. Offsets and lengths are UTF-16 code units, as in
LanguageTool's answers. Suggestions (edits copydesk would not make by itself) are
matches at ``level=picky`` only: at the default level a client's "correct all" gives
exactly copydesk's repaired text; at picky the editor sees everything and decides.
``confidence`` and ``applied`` are extra fields that clients ignore.

Every flag (a span the checks say is probably wrong) becomes a match without
replacements, as LanguageTool returns its own hints, with a ``COPYDESK_FLAG_<KIND>`` rule
id; ``flag`` (its severity and check, and the source span where there is one) is extra.

LanguageTool's own matches in the categories copydesk does not act on
(`PASSTHROUGH_CATEGORIES`: spelling, typography, style) come back beside copydesk's, as
a LanguageTool server would return them, except where they would touch markup, a
protected word, or a span of copydesk's own. No match replaces or inserts at markup.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from copydesk.models import Document, Edit, EditKind, RepairResult
from copydesk.models.flags import Flag, FlagKind
from copydesk.models.langid import Detected
from copydesk.models.markup import Layout
from copydesk.models.utf16 import utf16_offsets

# English and every variant LanguageTool checks, with LanguageTool's names for them.
LANGUAGES = {
    "en": "English",
    "en-US": "English (US)",
    "en-GB": "English (GB)",
    "en-AU": "English (Australian)",
    "en-CA": "English (Canadian)",
    "en-NZ": "English (New Zealand)",
    "en-ZA": "English (South African)",
}
AUTO = "auto"
DEFAULT_VARIANT = "en-US"  # what ``auto`` and ``en`` check, unless preferredVariants says
CONTEXT_CHARS = 40  # on each side of a match, as LanguageTool's context


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    issue_type: str


CATEGORIES = {
    EditKind.CASING: Category("CASING", "Capitalization", "typographical"),
    EditKind.ENTITY: Category("COPYDESK_NAMES", "Names", "mistranslation"),
    EditKind.GRAMMAR: Category("GRAMMAR", "Grammar", "grammar"),
    EditKind.PUNCTUATION: Category("PUNCTUATION", "Punctuation", "typographical"),
    EditKind.SPELLING: Category("TYPOS", "Possible Typo", "misspelling"),
    EditKind.FLUENCY: Category("COPYDESK_FLUENCY", "Fluency", "style"),
}
SHORT = {
    EditKind.CASING: "Capitalization",
    EditKind.ENTITY: "Name",
    EditKind.GRAMMAR: "Grammar",
    EditKind.PUNCTUATION: "Punctuation",
    EditKind.SPELLING: "Spelling",
    EditKind.FLUENCY: "Rephrase",
}
_MEANING = Category("COPYDESK_MEANING", "Meaning (against the source)", "mistranslation")
FLAG_CATEGORIES = {
    FlagKind.NUMBER: _MEANING,
    FlagKind.DATE: _MEANING,
    FlagKind.NEGATION: _MEANING,
    FlagKind.NAME: _MEANING,
    FlagKind.OMISSION: _MEANING,
    FlagKind.UNTRANSLATED: Category("COPYDESK_MEANING", _MEANING.name, "untranslated"),
    FlagKind.FLUENCY: Category("COPYDESK_FLUENCY", "Fluency", "style"),
    FlagKind.DOUBLED_WORD: Category("COPYDESK_FORM", "Form", "duplication"),
    FlagKind.UNPAIRED: Category("COPYDESK_FORM", "Form", "typographical"),
    FlagKind.END_PUNCTUATION: Category("COPYDESK_FORM", "Form", "typographical"),
}
# What copydesk's own rules do, as LanguageTool describes a rule.
DESCRIPTIONS = {
    "sentence-initial-capital": "Capital letter at the start of a sentence",
    "casing-model": "Capitalisation restored by copydesk's casing model",
    "casing-document": "Capitalisation made consistent with the rest of the document",
    "casing-known-name": "Capitalisation of a known name",
    "casing-proper-word": "Capitalisation of a proper name",
    "casing-surname": "Capitalisation of a surname",
    "casing-common-word": "Lower case for a common word",
    "casing-function-word": "Lower case for a function word",
    "casing-pronoun": "Capitalisation of the pronoun I",
    "glossary": "Spelling required by the newsroom's glossary",
    "name-consistency": "One spelling per name within a document",
    "joined-name": "A name run together with the next word",
    "garbled-name": "A name garbled by machine translation",
    "rewrite-model": "Rephrasing of garbled machine translation",
}


def software() -> dict[str, Any]:
    try:
        own = version("copydesk")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        own = "0"
    return {
        "name": "copydesk",
        "version": own,
        "buildDate": "",
        "apiVersion": 1,
        "premium": False,
        "premiumHint": "",
        "status": "",
    }


def languages() -> list[dict[str, str]]:
    """``/v2/languages``: English and its variants, as LanguageTool lists them."""
    return [{"name": name, "code": "en", "longCode": code} for code, name in LANGUAGES.items()]


def variant(requested: str, preferred: tuple[str, ...] = ()) -> str:
    """The English variant a request checks: the one named, else the first English
    ``preferredVariants`` entry (LanguageTool's rule for ``auto``), else en-US."""
    if requested not in (AUTO, "en"):
        return requested
    return next((v for v in preferred if v in LANGUAGES and v != "en"), DEFAULT_VARIANT)


def language_block(checked: str, detected: Detected) -> dict[str, Any]:
    """LanguageTool's ``language``: the variant checked, and the language the text is in.

    A text that is not English, under ``auto``, is answered as LanguageTool answers a
    language it checks but has no rules for: the detected language, and no matches.
    """
    if detected.english:
        found = {"name": LANGUAGES[checked], "code": checked}
    else:
        found = {"name": detected.name, "code": detected.code}
    return {
        "name": LANGUAGES[checked] if checked else detected.name,
        "code": checked or detected.code,
        "detectedLanguage": {**found, "confidence": detected.confidence},
    }


def not_checked(detected: Detected) -> dict[str, Any]:
    """The whole answer for a text in another language, under ``language=auto``."""
    return {
        "software": software(),
        "warnings": {"incompleteResults": False},
        "language": language_block("", detected),
        "matches": [],
    }


def rule_id(edit: Edit) -> str:
    """LanguageTool's ids pass through; copydesk's (``garbled-name``) become LT-shaped."""
    if edit.rule and edit.rule == edit.rule.upper():
        return edit.rule
    return "COPYDESK_" + (edit.rule or edit.kind.value).upper().replace("-", "_")


@dataclass(frozen=True)
class RuleFilter:
    """LanguageTool's rule and category selection, over the matches."""

    enabled_rules: frozenset[str] = frozenset()
    disabled_rules: frozenset[str] = frozenset()
    enabled_categories: frozenset[str] = frozenset()
    disabled_categories: frozenset[str] = frozenset()
    enabled_only: bool = False

    def keeps(self, rule: str, category: str) -> bool:
        if rule in self.disabled_rules or category in self.disabled_categories:
            return False
        if self.enabled_only:
            return rule in self.enabled_rules or category in self.enabled_categories
        return True


def check_response(
    result: RepairResult,
    layout: Layout,
    checked: str,
    detected: Detected,
    *,
    picky: bool = False,
    rules: RuleFilter | None = None,
    languagetool: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The whole ``/v2/check`` answer for one repaired text; ``languagetool``: the
    passthrough matches (`passthrough_matches`), already on the original."""
    known = _grammar_rules(result)
    text = result.original
    units = utf16_offsets(text)
    plain_doc = Document.from_text(layout.plain)
    starts = [s.start for s in plain_doc.sentences]
    matches = []
    for edit in sorted(result.edits, key=lambda e: (e.start, e.end)):
        if not edit.applied and not picky:
            continue
        if layout.touches_markup(edit.start, edit.end):
            continue  # a replacement outside the text: a client would overwrite markup
        rid = rule_id(edit)
        info = known.get(edit.rule, {})
        category = CATEGORIES[edit.kind]
        cat_id = info.get("category") or category.id
        if rules is not None and not rules.keeps(rid, cat_id):
            continue
        matches.append(
            {
                "message": edit.message or DESCRIPTIONS.get(edit.rule, SHORT[edit.kind]),
                "shortMessage": SHORT[edit.kind],
                "replacements": [{"value": edit.replacement}],
                "offset": units[edit.start],
                "length": units[edit.end] - units[edit.start],
                "context": _context(text, edit, units),
                "sentence": _sentence(plain_doc, starts, layout.to_plain(edit.start)),
                "type": {"typeName": "Other"},
                "rule": {
                    "id": rid,
                    "description": info.get("description")
                    or DESCRIPTIONS.get(edit.rule, edit.message or SHORT[edit.kind]),
                    "issueType": info.get("issue_type") or category.issue_type,
                    "category": {"id": cat_id, "name": info.get("category_name") or category.name},
                },
                "ignoreForIncompleteSentence": False,
                "contextForSureMatch": 0,
                "confidence": round(edit.confidence, 4),
                "applied": edit.applied,
            }
        )
    for flag in result.flags:
        match = _flag_match(flag, text, units, plain_doc, starts, layout)
        category = match["rule"]["category"]["id"]
        if rules is None or rules.keeps(match["rule"]["id"], category):
            matches.append(match)
    matches.extend(languagetool or ())
    # In text order; at one offset, the edits before the flags (a stable sort).
    matches.sort(key=lambda m: m["offset"])
    return {
        "software": software(),
        # A stage that did not run, or ran on part of the text only (its report says why).
        "warnings": {"incompleteResults": any(s.status != "ok" or s.reason for s in result.stages)},
        "language": language_block(checked, detected),
        "matches": matches,
    }


def flag_rule_id(flag: Flag) -> str:
    """``COPYDESK_FLAG_NUMBER``, ``COPYDESK_FLAG_DOUBLED_WORD``, …"""
    return "COPYDESK_FLAG_" + flag.kind.value.upper().replace("-", "_")


def _flag_match(
    flag: Flag,
    text: str,
    units: list[int],
    plain_doc: Document,
    starts: list[int],
    layout: Layout,
) -> dict[str, Any]:
    """A flag as a LanguageTool hint: a match with no replacements."""
    category = FLAG_CATEGORIES[flag.kind]
    extra: dict[str, Any] = {"severity": flag.severity.value, "check": flag.check}
    if flag.source_start is not None:
        extra["sourceOffset"], extra["sourceLength"] = (
            flag.source_start,
            flag.source_end - flag.source_start,
        )
    return {
        "message": flag.message,
        "shortMessage": flag.kind.value.replace("-", " ").capitalize(),
        "replacements": [],
        "offset": units[flag.start],
        "length": units[flag.end] - units[flag.start],
        "context": _context(text, flag, units),
        "sentence": _sentence(plain_doc, starts, layout.to_plain(flag.start)),
        "type": {"typeName": "Hint"},
        "rule": {
            "id": flag_rule_id(flag),
            "description": f"copydesk's {flag.check} check",
            "issueType": category.issue_type,
            "category": {"id": category.id, "name": category.name},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
        "confidence": round(flag.confidence, 4),
        "applied": False,
        "flag": extra,
    }


def _grammar_rules(result: RepairResult) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for stage in result.stages:
        out.update(stage.diagnostics.get("rules", {}))
    return out


def _context(text: str, edit: Edit | Flag, units: list[int]) -> dict[str, Any]:
    """The match with up to `CONTEXT_CHARS` either side, on one line, as LanguageTool."""
    left = max(0, edit.start - CONTEXT_CHARS)
    right = min(len(text), edit.end + CONTEXT_CHARS)
    before = text[left : edit.start].replace("\n", " ")
    after = text[edit.end : right].replace("\n", " ")
    prefix = "..." if left > 0 else ""
    suffix = "..." if right < len(text) else ""
    body = prefix + before + text[edit.start : edit.end].replace("\n", " ") + after + suffix
    return {
        "text": body,
        "offset": len(prefix) + units[edit.start] - units[left],
        "length": units[edit.end] - units[edit.start],
    }


def _sentence(doc: Document, starts: list[int], offset: int) -> str:
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0:
        return ""
    return doc.sentence_text(doc.sentences[i]).strip()


# LanguageTool's own categories that copydesk does not act on (its grammar policy turns
# them off): a drop-in server returns their matches, so /v2/check passes them through.
PASSTHROUGH_CATEGORIES = ("TYPOS", "TYPOGRAPHY", "STYLE", "REDUNDANCY", "PLAIN_ENGLISH")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


def passthrough_request(text: str, variant: str) -> dict[str, str]:
    """The form of LanguageTool's check for the passthrough categories only."""
    return {
        "text": text,
        "language": variant,
        "enabledOnly": "true",
        "enabledCategories": ",".join(PASSTHROUGH_CATEGORIES),
    }


def passthrough_matches(
    raw: list[dict[str, Any]],
    result: RepairResult,
    layout: Layout,
    protected: list[tuple[int, int]],
    rules: RuleFilter | None = None,
) -> list[dict[str, Any]]:
    """LanguageTool's own matches on ``layout.plain`` (UTF-16 offsets), as matches on the
    original: those in markup, on a protected word (a personal dictionary's) or on a
    span that one of copydesk's edits or flags covers are left out."""
    plain_units = utf16_offsets(layout.plain)
    text = result.original
    units = utf16_offsets(text)
    taken = [(e.start, e.end) for e in result.edits] + [(f.start, f.end) for f in result.flags]
    plain_doc = Document.from_text(layout.plain)
    starts = [s.start for s in plain_doc.sentences]
    out = []
    for m in raw:
        rule = m.get("rule") or {}
        category = (rule.get("category") or {}).get("id", "")
        if category not in PASSTHROUGH_CATEGORIES:
            continue
        if rules is not None and not rules.keeps(rule.get("id", ""), category):
            continue
        a = bisect.bisect_left(plain_units, int(m.get("offset", 0)))
        b = bisect.bisect_left(plain_units, int(m.get("offset", 0)) + int(m.get("length", 0)))
        if any(s < b and a < e for s, e in protected):
            continue
        span = layout.to_original(a, b)
        if span is None or b > len(layout.plain) or layout.touches_markup(*span):
            continue
        start, end = span
        if any(start <= s <= end if s == e else s < end and start < e for s, e in taken):
            continue
        out.append(
            {
                **m,
                "offset": units[start],
                "length": units[end] - units[start],
                "context": _context(text, _Span(start, end), units),
                "sentence": _sentence(plain_doc, starts, a),
            }
        )
    return out
