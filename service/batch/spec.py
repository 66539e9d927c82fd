"""What a batch job is asked to do: its inputs, output, format, options and engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from copydesk.models.house import HouseRules
from copydesk.models.learning.edit_judge import EditJudge
from copydesk.models.names.glossary import Glossary
from copydesk.models.names.glossary_term import GlossaryTerm
from copydesk.service.settings import MAX_TEXT_CHARS

WORK_SUFFIX = ".copydesk-work"
LOCK_SUFFIX = ".copydesk-lock"
DEFAULT_CHUNK_SIZE = 64

Format = Literal["txt", "jsonl", "xliff", "tmx", "csv", "tsv"]


class Fields(BaseModel):
    """Column or field names of JSONL, CSV and TSV records."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = "text"
    source: str = "source"
    id: str = "id"


class QAOptions(BaseModel):
    """Which units a job's QA report lists, and in what order (`copydesk.service.batch.qa`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sort: Literal["hter", "da", "position"] = "hter"
    min_hter: float | None = None
    max_da: float | None = None
    flagged_only: bool = False
    limit: int = Field(default=1000, ge=0, le=1_000_000)


class LearnedTerm(BaseModel):
    """A term of a newsroom's learned glossary."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    term: str = Field(min_length=1)
    variants: tuple[str, ...] = ()
    notes: str = ""


class HouseSnapshot(BaseModel):
    """A newsroom's learned rules (`copydesk.models.house`) and learned glossary, as they
    stood when the job was made: every record of the job runs under the same ones, in
    whatever process repairs it, however the newsroom relearns meanwhile."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    newsroom: str
    protected: tuple[str, ...] = ()
    cutoffs: dict[str, float] = Field(default_factory=dict)
    glossary: tuple[LearnedTerm, ...] = ()
    # The newsroom's judge of edits, as exported (`EditJudge.to_dict`); None: none.
    judge: dict[str, Any] | None = None

    @field_validator("judge")
    @classmethod
    def _a_judge(cls, judge: dict[str, Any] | None) -> dict[str, Any] | None:
        if judge is not None:
            EditJudge.from_dict(judge)  # ValueError: refused when the job is read
        return judge

    @classmethod
    def of(
        cls, newsroom: str, rules: HouseRules, glossary: Glossary | None
    ) -> HouseSnapshot | None:
        """The snapshot of ``rules`` and ``glossary``; None where the newsroom has learned
        nothing (its jobs run as shipped)."""
        terms = glossary.terms if glossary is not None else []
        if not rules and not terms:
            return None
        return cls(
            newsroom=newsroom,
            protected=tuple(sorted(rules.protected)),
            cutoffs=dict(sorted(rules.cutoffs.items())),
            judge=rules.judge.to_dict() if rules.judge is not None else None,
            glossary=tuple(
                LearnedTerm(term=t.term, variants=t.variants, notes=t.notes) for t in terms
            ),
        )

    def rules(self) -> HouseRules:
        judge = EditJudge.from_dict(self.judge) if self.judge is not None else None
        return HouseRules.of(self.protected, self.cutoffs, judge)

    def learned_glossary(self) -> Glossary | None:
        if not self.glossary:
            return None
        terms = [GlossaryTerm(t.term, t.variants, t.notes) for t in self.glossary]
        return Glossary(terms)


def context_fields(house: HouseSnapshot | None) -> dict[str, Any]:
    """What a `RepairContext` takes of ``house``: its rules and learned glossary (nothing
    without one). Built once per batch of texts: the rules compile their patterns once."""
    if house is None:
        return {}
    return {"house": house.rules(), "glossary": house.learned_glossary()}


class JobSpec(BaseModel):
    """A job's whole request, checked when it is made: an unknown option is refused."""

    model_config = ConfigDict(extra="forbid")

    inputs: list[Path] = Field(min_length=1)
    out: Path
    fmt: Format
    lines: bool = False
    text_format: Literal["text", "html", "markdown"] = "text"  # what each text is written in
    source_file: Path | None = None  # --lines: the line-aligned source
    doc_ids: Path | None = None  # --lines: a document id per line (consecutive lines join)
    doc_id_column: str | None = None  # doc_ids is a TSV with a header; this column
    include_final: bool = False  # XLIFF: repair locked, approved and final units too
    fields: Fields = Field(default_factory=Fields)
    with_edits: bool = False
    chunk_size: int = Field(default=DEFAULT_CHUNK_SIZE, ge=1)
    workers: int = Field(default=1, ge=1)
    pipeline: str | None = None
    threshold: float | None = None
    max_chars: int = Field(default=MAX_TEXT_CHARS, ge=1)
    overrides: dict[str, dict[str, Any]] = Field(default_factory=dict)
    engine: Literal["local", "ray"] = "local"
    ray_address: str | None = None  # None: a local Ray started for the job
    restart: bool = False  # a checkpoint of a job with other options (or inputs) is discarded
    qa_report: Path | None = None  # the QA report's base name (default: beside the output)
    qa: QAOptions = Field(default_factory=lambda: QAOptions())
    house: HouseSnapshot | None = None  # None: the shipped behaviour, no newsroom's rules

    @property
    def single_file(self) -> bool:
        """Whether the output is one file (JSONL, one XLIFF, lines from one input) or a folder."""
        if self.fmt in ("xliff", "tmx", "csv", "tsv"):
            return len(self.inputs) == 1
        return self.fmt == "jsonl" or (self.lines and len(self.inputs) == 1)

    @property
    def work_dir(self) -> Path:
        return self.out.with_name(self.out.name + WORK_SUFFIX)

    @property
    def lock_path(self) -> Path:
        return self.out.with_name(self.out.name + LOCK_SUFFIX)

    @property
    def qa_base(self) -> Path:
        """The QA report is this name plus ``.json`` and ``.md``."""
        if self.qa_report is not None:
            return (
                self.qa_report.with_suffix("")
                if self.qa_report.suffix
                in (
                    ".json",
                    ".md",
                )
                else self.qa_report
            )
        return self.out.with_name(self.out.name + ".qa")  # beside the file or folder

    @property
    def rejects_path(self) -> Path:
        base = self.out if self.single_file else self.out / "rejects"
        return base.with_name(base.name + ".rejects.jsonl")
