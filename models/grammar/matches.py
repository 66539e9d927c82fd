"""Grammar matches: LanguageTool's and copydesk's own, as the grammar stage acts on them.

A `GrammarMatch` is one rule's finding with its first replacement, in a document's
offsets; `offer_interacting` keeps two edits that meet from both being made.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from copydesk.models.document import Document
from copydesk.models.edits import Edit, EditKind
from copydesk.models.grammar import mt_rules
from copydesk.models.grammar.client import LanguageToolMatch

INTERACTING_WORDS = 1  # edits with at most this many words between them interact
KINDS = {
    "TYPOS": EditKind.SPELLING,
    "PUNCTUATION": EditKind.PUNCTUATION,
    "TYPOGRAPHY": EditKind.PUNCTUATION,
}


@dataclass(frozen=True)
class GrammarMatch:
    """One LanguageTool match: the span in the document, its first replacement, its rule."""

    start: int
    end: int
    original: str
    replacement: str
    rule: str
    category: str
    message: str
    category_name: str = ""
    issue_type: str = ""
    description: str = ""

    def rule_info(self) -> dict[str, str]:
        """What LanguageTool says of the rule, for its compatible API's matches."""
        return {
            "category": self.category,
            "category_name": self.category_name,
            "issue_type": self.issue_type,
            "description": self.description,
        }

    def to_edit(self, stage: str, confidence: float) -> Edit:
        return Edit(
            self.start,
            self.end,
            self.original,
            self.replacement,
            KINDS.get(self.category, EditKind.GRAMMAR),
            stage,
            confidence,
            self.message,
            self.rule,
        )


def mt_rule_matches(doc: Document) -> list[GrammarMatch]:
    """copydesk's own MT rules' matches in ``doc`` (`copydesk.models.grammar.mt_rules`)."""
    return [
        GrammarMatch(
            a,
            b,
            original,
            new,
            mt_rules.RULE,
            mt_rules.CATEGORY,
            mt_rules.MESSAGE,
            mt_rules.CATEGORY_NAME,
            "grammar",
            mt_rules.DESCRIPTION,
        )
        for a, b, original, new in mt_rules.conditional_future(doc)
    ]


def languagetool_match(text: str, start: int, m: LanguageToolMatch) -> GrammarMatch | None:
    """A LanguageTool match at ``start`` of ``text``, if copydesk acts on its kind."""
    if not m.replacements:
        return None
    a, b = start + m.offset, start + m.offset + m.length
    if text[a:b].isupper():
        return None  # LanguageTool misreads ALL-CAPS text (MT of interface strings)
    if text[a:b] == m.replacements[0]:
        return None
    return GrammarMatch(
        a,
        b,
        text[a:b],
        m.replacements[0],
        m.rule_id,
        m.category_id,
        m.message,
        m.category_name,
        m.issue_type,
        m.rule_description,
    )


def offer_interacting(doc: Document, edits: list[Edit], made_from: float) -> list[Edit]:
    """Of two edits to be made (confidence from ``made_from``) in one sentence at most
    `INTERACTING_WORDS` words apart, only the first is made; the other is offered. Each
    rule saw the text without the other's change, so both together can make a text
    neither meant (``this are`` -> ``These is``)."""
    words = [t.start for t in doc.tokens if t.is_word]
    out, last = [], None
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        made = edit.applied and edit.confidence >= made_from
        if made and last is not None:
            between = bisect.bisect_left(words, edit.start) - bisect.bisect_left(words, last.end)
            same_sentence = _sentence_of(doc, last.start) == _sentence_of(doc, edit.start)
            if same_sentence and between <= INTERACTING_WORDS:
                edit = replace(
                    edit,
                    applied=False,
                    message=f"{edit.message} (offered, not made: it meets {last.rule}'s edit)",
                )
        if made and edit.applied:
            last = edit
        out.append(edit)
    return out


def _sentence_of(doc: Document, offset: int) -> int:
    starts = [s.start for s in doc.sentences]
    return bisect.bisect_right(starts, offset)


def document_matches(
    check_texts: Callable[..., Sequence[Any]],
    docs: Sequence[Document],
    wait: float,
    deadline: float | None,
) -> tuple[list[list[GrammarMatch]], list[tuple[str, bool]]]:
    """Each document's matches (its paragraphs checked in bulk by ``check_texts``, then
    copydesk's own MT rules), and for each document why part of it went unchecked (a text
    too costly for LanguageTool) and whether that was all of it."""
    spans = [(d, p.start, p.end) for d, doc in enumerate(docs) for p in doc.paragraphs]
    texts = [docs[d].text[a:b] for d, a, b in spans]
    found = check_texts(texts, wait, deadline=deadline) if texts else []
    out = [mt_rule_matches(doc) for doc in docs]
    reasons: list[list[str]] = [[] for _ in docs]
    whole = [bool(doc.paragraphs) for doc in docs]
    for (d, start, _), checked in zip(spans, found, strict=True):
        text = docs[d].text
        for m in checked.matches:
            match = languagetool_match(text, start, m)
            if match is not None:
                out[d].append(match)
        if checked.unchecked:
            reasons[d].append(checked.unchecked)
        whole[d] = whole[d] and checked.checked_nothing
    unchecked = [("; ".join(dict.fromkeys(r)), whole[d] and bool(r)) for d, r in enumerate(reasons)]
    return out, unchecked
