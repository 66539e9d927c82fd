"""Editors' decisions as the learner reads them, and the page's exported decisions file.

A decision is on one edit copydesk proposed (accepted, rejected, or not reviewed), or a
hand correction the editor made where copydesk proposed nothing (``kind == "manual"``,
with the text the editor replaced and what they wrote).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from copydesk.models.errors import InputError

MANUAL = "manual"
# The longest kind, stage and rule names the feedback store holds.
MAX_KIND, MAX_STAGE, MAX_RULE = 32, 64, 128


def stands_at(context: str, start: int | None, original: str) -> bool:
    """Whether ``original`` stands at code point ``start`` of ``context``."""
    return (
        start is not None
        and 0 <= start <= len(context)
        and (context[start : start + len(original)] == original)
    )


@dataclass(frozen=True)
class Decision:
    """One editor's decision; ``accepted`` is None for an edit nobody reviewed."""

    kind: str
    stage: str = ""
    rule: str = ""
    confidence: float = 1.0
    accepted: bool | None = None
    original: str = ""
    replacement: str = ""
    # The text the edit was proposed on and where in it (what a judge of edits reads);
    # empty where the decision came without it.
    context: str = ""
    start: int = -1

    @property
    def manual(self) -> bool:
        return self.kind == MANUAL

    @property
    def decided(self) -> bool:
        return self.manual or self.accepted is not None

    @property
    def key(self) -> str:
        """The rule the decision teaches about: ``stage:rule``, or the stage alone
        (the name `copydesk.models.house.rule_key` gives an edit)."""
        return f"{self.stage}:{self.rule}" if self.rule else self.stage

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Decision:
        """A decision from the page's JSON (its ``decisionOf``) or a stored row's fields;
        one the feedback store could not hold as it says is refused."""
        try:
            kind = str(data["kind"])
            manual = kind == MANUAL
            accepted = data.get("accepted")
            decision = cls(
                kind=kind,
                stage=str(data.get("stage") or ""),
                rule=str(data.get("rule") or ""),
                confidence=float(data.get("confidence", 1.0) if not manual else 1.0),
                accepted=True if manual else (None if accepted is None else bool(accepted)),
                original=str(data.get("original") or ""),
                replacement=str(data.get("replacement") or ""),
                context=str(data.get("context") or ""),
                start=int(data.get("start", -1) if data.get("context") else -1),
            )
            start = data.get("start") if decision.context else None
            if (
                (accepted is not None and not isinstance(accepted, bool))
                or isinstance(start, bool)
                or (decision.context and not 0 <= decision.start <= len(decision.context))
                or len(kind) > MAX_KIND
                or len(decision.stage) > MAX_STAGE
                or len(decision.rule) > MAX_RULE
                or not 0.0 <= decision.confidence <= 1.0
            ):
                raise ValueError("out of range")
            return decision
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise InputError(f"not a decision: {dict(data)!r:.200}") from exc


def read_export(text: str) -> list[Decision]:
    """The decisions of an exported decisions file: the page's ``copydesk-decisions.json``
    (``{"original", "edits", "decisions"}``), a list of such exports, or a bare list of
    decisions, or a ``{"decisions": [...]}`` feedback body."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"the decisions file is not JSON: {exc}") from exc
    return list(_decisions_in(data))


def _decisions_in(data: Any) -> Iterable[Decision]:
    if isinstance(data, list):
        for item in data:
            if isinstance(item, Mapping) and "decisions" in item:
                yield from _decisions_in(item)
            elif isinstance(item, Mapping):
                yield Decision.from_mapping(item)
            else:
                raise InputError(f"not a decision: {item!r:.200}")
    elif isinstance(data, Mapping) and isinstance(data.get("decisions"), list):
        yield from (Decision.from_mapping(d) for d in data["decisions"])
    else:
        raise InputError("a decisions file holds a 'decisions' list (the page's export)")
