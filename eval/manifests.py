"""The suite manifest's schema: pydantic models that refuse unknown keys.

`parse_manifest` checks a suite's TOML table; a problem is a ``ConfigError`` that names
the suite file, the key and what was expected. Reading the files a manifest names is
`copydesk.eval.suites`' job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from copydesk.eval.metrics import ALL_METRICS
from copydesk.eval.scoring import DEFAULT_METRICS
from copydesk.models.errors import ConfigError

DOCUMENT_SIZE = 15  # lines per generated news document


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CasingNoise(_Table):
    """Clean lines with generated MT casing errors; the clean lines are the reference."""

    kind: Literal["casing-noise"]
    clean: str
    provenance: str | None = None
    holdout_year: str | None = None
    holdout_lines: PositiveInt = 3000  # held out when no year is
    tune_lines: NonNegativeInt = 1000  # the held-out lines' first, for tuning
    part: Literal["test", "tune"] = "test"
    seed: int = 7


class NewsDocuments(_Table):
    """The news corpus cut into documents of consecutive lines of one source file."""

    kind: Literal["news-documents"]
    clean: str
    provenance: str
    documents: str = Field(":", pattern=r"^(-?\d+)?:(-?\d+)?$")  # a slice, as "800:3000"
    size: PositiveInt = DOCUMENT_SIZE


Generate = Annotated[CasingNoise | NewsDocuments, Field(discriminator="kind")]
GENERATORS: dict[str, type[_Table]] = {"casing-noise": CasingNoise, "news-documents": NewsDocuments}


class SuiteManifest(_Table):
    """A suite: the MT and its references (files, or a ``[generate]`` table), the metrics."""

    name: str | None = None
    description: str = ""
    unit: Literal["lines", "paragraphs", "documents"] = "lines"
    document_lines: PositiveInt | None = None
    mt: str | None = None
    references: list[str] | None = Field(None, min_length=1)
    source: str | None = None
    metrics: list[Literal[ALL_METRICS]] = list(DEFAULT_METRICS)  # type: ignore[valid-type]
    generate: Generate | None = None

    @field_validator("document_lines")
    @classmethod
    def _for_lines(cls, value: int | None, info: ValidationInfo) -> int | None:
        unit = info.data.get("unit", "lines")
        if value is not None and unit != "lines":
            raise ValueError(f"only a suite of lines takes it (this one's unit is {unit!r})")
        return value

    @model_validator(mode="after")
    def _one_way_to_the_mt(self) -> SuiteManifest:
        files = [k for k in ("mt", "references") if getattr(self, k) is not None]
        if self.generate is not None and files:
            raise ValueError(f"'{files[0]}' or a [generate] table, not both")
        if self.generate is None and len(files) < 2:
            missing = "mt" if self.mt is None else "references"
            raise ValueError(f"'{missing}' is needed (or a [generate] table)")
        return self


def parse_manifest(table: dict[str, Any], manifest: Path) -> SuiteManifest:
    """The checked manifest; a ``ConfigError`` naming the file, the key and what was expected."""
    try:
        return SuiteManifest.model_validate(table)
    except ValidationError as exc:
        problems = "; ".join(_problem(error) for error in exc.errors(include_url=False))
        raise ConfigError(f"{manifest}: {problems}") from None


def _problem(error: Any) -> str:
    """One validation error as the key and what was expected."""
    loc = list(error["loc"])
    if len(loc) > 1 and loc[0] == "generate" and loc[1] in GENERATORS:
        table, loc = GENERATORS[loc[1]], [loc[0], *loc[2:]]  # the kind is the tag, not a key
    else:
        table = SuiteManifest
    key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    kind, message = error["type"], error["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        expected = ", ".join(table.model_fields)
        return f"unknown key '{key}' (expected one of: {expected})"
    if kind == "missing":
        return f"'{key}' is needed"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return f"'{key}.kind' must be one of: {', '.join(GENERATORS)}"
    if not key:
        return message
    message = message[0].lower() + message[1:]
    if kind in ("value_error", "too_short", "too_long"):  # the message says what it got
        return f"'{key}': {message}"
    return f"'{key}': {message}, not {error['input']!r}"


__all__ = ["DOCUMENT_SIZE", "CasingNoise", "NewsDocuments", "SuiteManifest", "parse_manifest"]
