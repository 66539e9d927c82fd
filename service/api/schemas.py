"""Request and response schemas of the HTTP API, separate from the engine's dataclasses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, model_validator

from copydesk.eval.significance import RESAMPLES, Comparison
from copydesk.models import Edit, RepairResult
from copydesk.models.flags import Flag
from copydesk.models.names.glossary import Glossary, GlossaryTerm
from copydesk.models.utf16 import utf16_offsets

INT64 = 2**63 - 1
TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _stored_id(value: str) -> str:
    """A stored thing's id: a random token (22 URL-safe characters) or, for a glossary
    made before newsrooms, its old number."""
    if value.isascii() and value.isdigit():
        if not 1 <= int(value) <= INT64:
            raise ValueError("an id number is between 1 and 2^63 - 1")
        return value
    if len(value) != 22 or not set(value) <= TOKEN_CHARS:
        raise ValueError("not an id")
    return value


def _number_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


StoredId = Annotated[
    str,
    BeforeValidator(_number_as_text),
    Field(pattern=r"^([0-9]{1,19}|[A-Za-z0-9_-]{22})$"),
    AfterValidator(_stored_id),
]


# What XML 1.0 cannot hold: a stored glossary is always exportable as TBX.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str) -> str:
    found = NOT_XML.search(value)
    if found is not None:
        code = f"U+{ord(found.group()):04X}"
        raise ValueError(f"holds {code}, a control character no glossary file (TBX) can hold")
    return value


XmlText = Annotated[str, AfterValidator(_xml_text)]
# Not empty, not only spaces (the pattern is searched for, as JSON Schema's are).
NotBlank = Annotated[
    str, Field(pattern=r"\S", description="Not empty or only spaces."), AfterValidator(_xml_text)
]


class GlossaryTermIn(BaseModel):
    """A glossary term. Terms and variants are never blank: an empty variant would match
    between every two characters and insert the term there."""

    term: NotBlank = Field(max_length=500)
    variants: list[NotBlank] = Field(default=[], max_length=1000)
    notes: XmlText = Field(default="", max_length=10_000)

    def to_term(self) -> GlossaryTerm:
        return GlossaryTerm(self.term, tuple(self.variants), self.notes)


class GlossaryTermOut(BaseModel):
    """A stored term as it is (rows may predate a rule of `GlossaryTermIn`)."""

    term: str
    variants: list[str] = []
    notes: str = ""

    def to_term(self) -> GlossaryTerm:
        return GlossaryTerm(self.term, tuple(self.variants), self.notes)


class RepairItem(BaseModel):
    text: str = Field(description="Machine-translated English to repair.")
    source: str | None = Field(default=None, description="The source-language original.")


class RepairRequest(BaseModel):
    """One text (``text``) or several (``items``), repaired in one batch."""

    text: str | None = None
    source: str | None = None
    items: list[RepairItem] | None = Field(default=None, max_length=1000)
    glossary: list[GlossaryTermIn] | None = Field(
        default=None, description="Inline glossary terms."
    )
    glossary_id: StoredId | None = Field(
        default=None, description="A stored glossary of the caller's newsroom to use."
    )
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    format: Literal["text", "html", "markdown"] = Field(
        default="text",
        description="What the texts are written in. Only the text of HTML and Markdown is "
        "repaired: edits come back on the marked-up original, and markup is never changed.",
    )

    @model_validator(mode="after")
    def _one_way_in(self) -> RepairRequest:
        if (self.text is None) == (self.items is None):
            raise ValueError("give either 'text' or 'items'")
        return self

    def all_items(self) -> list[RepairItem]:
        if self.items is not None:
            return self.items
        return [RepairItem(text=self.text or "", source=self.source)]

    def inline_glossary(self) -> Glossary | None:
        if not self.glossary:
            return None
        return Glossary([t.to_term() for t in self.glossary], name="inline")


class EditOut(BaseModel):
    id: int
    start: int = Field(description="Code-point offset into the original (Python string index).")
    end: int
    start_utf16: int = Field(description="The same offset in UTF-16 code units (JavaScript).")
    end_utf16: int
    original: str
    replacement: str
    kind: str
    stage: str
    confidence: float
    message: str
    rule: str
    applied: bool


class StageOut(BaseModel):
    name: str
    status: Literal["ok", "skipped", "failed"]
    seconds: float
    reason: str
    proposed: int
    applied: int


class RepairOut(BaseModel):
    original: str
    repaired: str
    edits: list[EditOut]
    stages: list[StageOut]
    flags: list[FlagOut] = Field(
        default=[], description="Spans of the original probably wrong (the checks), and why."
    )
    segments: list[SegmentOut] = Field(
        default=[], description="Each sentence's quality estimate (offsets into the original)."
    )

    @classmethod
    def from_result(cls, result: RepairResult) -> RepairOut:
        offsets = utf16_offsets(result.original)
        edits = [
            EditOut(
                id=i,
                start_utf16=offsets[e.start],
                end_utf16=offsets[e.end],
                **{k: v for k, v in e.to_dict().items()},
            )
            for i, e in enumerate(result.edits)
        ]
        stages = [StageOut(**s.to_dict()) for s in result.stages]
        return cls(
            original=result.original,
            repaired=result.repaired,
            edits=edits,
            stages=stages,
            flags=FlagOut.from_flags(result.original, result.flags),
            segments=[SegmentOut(**s.to_dict()) for s in result.segments],
        )


class RepairResponse(BaseModel):
    results: list[RepairOut]


class FlagOut(BaseModel):
    """A span that is probably wrong: no sure replacement, perhaps candidates."""

    start: int = Field(description="Code-point offset into the text (Python string index).")
    end: int
    start_utf16: int = Field(description="The same offset in UTF-16 code units (JavaScript).")
    end_utf16: int
    original: str
    kind: str
    check: str = Field(description="The check that raised the flag.")
    message: str
    severity: Literal["error", "warning", "info"]
    confidence: float
    source_start: int | None = Field(
        default=None, description="The span in the source it rests on (code points), if any."
    )
    source_end: int | None = None
    candidates: list[str] = Field(default=[], description="Possible replacements, not applied.")

    @classmethod
    def from_flags(cls, text: str, flags: Sequence[Flag]) -> list[FlagOut]:
        offsets = utf16_offsets(text)
        return [
            cls(start_utf16=offsets[f.start], end_utf16=offsets[f.end], **f.to_dict())
            for f in flags
        ]


class SegmentOut(BaseModel):
    """A segment's (sentence's) estimate: predicted HTER and DA z-score."""

    start: int = Field(description="Code-point offset of the segment into the text.")
    end: int
    hter: float = Field(description="Predicted share of words a post-editor would change.")
    da: float = Field(description="Predicted DA z-score (higher is better).")


class CheckRequest(BaseModel):
    text: str = Field(description="Machine-translated English to check.")
    source: str | None = Field(default=None, description="The source-language original.")


class CheckResponse(BaseModel):
    flags: list[FlagOut]
    segments: list[SegmentOut]


class EditIn(BaseModel):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    original: str
    replacement: str
    kind: str = "fluency"
    stage: str = "editor"
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)

    def to_edit(self) -> Edit:
        return Edit(
            self.start,
            self.end,
            self.original,
            self.replacement,
            self.kind,
            self.stage,
            self.confidence,
        )


class ApplyRequest(BaseModel):
    original: str
    edits: list[EditIn] = Field(description="The edits the editor accepted.")


class DroppedEdit(BaseModel):
    index: int = Field(description="The edit's place in the request's `edits`.")
    overlaps: int = Field(description="The applied edit it clashed with (its place).")
    reason: Literal["duplicate", "overlap"] = Field(
        description="`duplicate`: the same change as the applied edit; `overlap`: the spans "
        "clash and the other ranks first (higher confidence, then earlier start, then "
        "shorter span, then the order given)."
    )


class ApplyResponse(BaseModel):
    text: str
    applied: int = Field(description="How many edits were applied.")
    applied_edits: list[int] = Field(description="Their places in `edits`, in text order.")
    dropped: list[DroppedEdit] = Field(description="The edits left out, and why.")


class ScoreRequest(BaseModel):
    hypotheses: list[str] = Field(min_length=1)
    references: list[list[str]] = Field(min_length=1, description="One or more reference sets.")
    original: list[str] | None = Field(
        None,
        description="The text that was corrected (the MT). Adds the do-nothing baseline, "
        "a paired bootstrap against it, and makes ERRANT and GLEU available.",
    )
    metrics: list[Literal["bleu", "chrf", "chrf++", "ter", "errant", "gleu"]] | None = Field(
        None,
        description="Default: BLEU, chrF, chrF++ and TER, and ERRANT with `original`, as "
        "`copydesk score` does.",
    )
    resamples: int = Field(RESAMPLES, ge=0, le=10_000, description="Bootstrap resamples (0: none).")

    @model_validator(mode="after")
    def _aligned(self) -> ScoreRequest:
        for i, refs in enumerate(self.references):
            if len(refs) != len(self.hypotheses):
                raise ValueError(
                    f"reference set {i} has {len(refs)} lines for {len(self.hypotheses)} hypotheses"
                )
        if self.original is not None and len(self.original) != len(self.hypotheses):
            raise ValueError(
                f"original has {len(self.original)} lines for {len(self.hypotheses)} hypotheses"
            )
        needs = {"errant", "gleu"} & set(self.metrics or ())
        if needs and self.original is None:
            raise ValueError(f"{', '.join(sorted(needs))} needs 'original' (the MT)")
        return self


class MetricOut(BaseModel):
    metric: str
    score: float
    signature: str


class ScoreResponse(BaseModel):
    scores: list[MetricOut]
    baseline: list[MetricOut] | None = None
    versus_baseline: dict[str, Comparison] | None = None
    edits: dict[str, Any] | None = Field(None, description="ERRANT figures, when requested.")


class LearnedOut(BaseModel):
    """One thing the newsroom's decisions taught."""

    id: str
    kind: Literal["cutoff", "protected", "candidate", "judge"] = Field(
        description="A rule's learned cutoff, a protected word, a glossary candidate, or "
        "the newsroom's judge of edits (its weights and bars in the value)."
    )
    key: str = Field(description='The rule (stage:rule), the word, "variant -> term", or "edits".')
    status: Literal["active", "proposed", "approved", "undone"]
    value: dict[str, Any] = Field(description="The figures it was learned from.")
    updated_at: datetime


class LearnRunOut(BaseModel):
    """One relearning of the caller's newsroom."""

    newsroom: str
    source: str
    decisions: int = Field(description="The decisions it learned from.")
    changes: list[str] = Field(description="What it changed: + added, ~ changed, - lapsed.")
    at: datetime | None


class LearnIn(BaseModel):
    """Decisions to add to the newsroom's store before relearning: the page's exported
    decisions file as it is (``{"original", "edits", "decisions"}``), or several."""

    export: dict[str, Any] | list[dict[str, Any]] | None = None


class LearnedListing(BaseModel):
    last_run: LearnRunOut | None
    entries: list[LearnedOut]
