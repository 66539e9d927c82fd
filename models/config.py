"""Pipeline files and stage settings, validated by pydantic models that refuse unknown keys.

A pipeline file (TOML) is a `PipelineFile`: a ``threshold`` and ``[[stages]]`` tables,
each a `StageEntry`. A stage's ``settings`` are checked against the settings its factory
declares, as spaCy checks a component's config against its factory: `settings_model`
builds a model from the factory's typed keyword arguments (strict: ``"0.5"`` is no
number, ``1`` is no boolean). Every error is a `ConfigError` that names the file (where
there is one), the key and what was expected.
"""

from __future__ import annotations

import inspect
import tomllib
import typing
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from copydesk.models.errors import ConfigError
from copydesk.models.thresholds import DEFAULT_THRESHOLD

Threshold = Annotated[float, Field(ge=0, le=1)]
_STRICT = ConfigDict(extra="forbid", strict=True)


class StageEntry(BaseModel):
    """One ``[[stages]]`` table of a pipeline file."""

    model_config = _STRICT

    name: str
    enabled: bool = True
    settings: dict[str, Any] = Field(default_factory=dict)
    threshold: Threshold | None = None


class PipelineFile(BaseModel):
    """A whole pipeline file."""

    model_config = _STRICT

    threshold: Threshold = DEFAULT_THRESHOLD
    stages: list[StageEntry] = Field(default_factory=list)
    # Whether results carry the checks' flags and a quality estimate per sentence.
    checks: bool = True


class StageSpec(BaseModel):
    """A stage to build: its name, its settings and its threshold from the pipeline file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    settings: dict[str, Any] = Field(default_factory=dict)
    threshold: float | None = None


def parse_config(
    config: Mapping[str, Any], *, path: str | Path | None = None
) -> tuple[list[StageSpec], float]:
    """Stage specs (enabled stages only) and threshold from a parsed pipeline file."""
    try:
        parsed = PipelineFile.model_validate(dict(config))
    except ValidationError as exc:
        raise ConfigError(_explain(exc, _where(path), config)) from None
    specs = [
        StageSpec(name=entry.name, settings=dict(entry.settings), threshold=entry.threshold)
        for entry in parsed.stages
        if entry.enabled
    ]
    return specs, float(parsed.threshold)


def checks_enabled(config: Mapping[str, Any]) -> bool:
    """A pipeline file's ``checks`` (on unless it says ``checks = false``); parse it with
    `parse_config` first, which refuses a value that is no boolean."""
    return bool(config.get("checks", True))


def read_config(path: str | Path) -> dict[str, Any]:
    """Parse a pipeline TOML file; unreadable or invalid files raise `ConfigError`."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read pipeline file {str(path)!r}: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"pipeline file {str(path)!r} is not valid TOML: {exc}") from exc


def in_file(path: str | Path | None, exc: ConfigError) -> ConfigError:
    """``exc`` saying which pipeline file it is about."""
    return ConfigError(f"{_where(path)}: {exc}") if path is not None else exc


@lru_cache(maxsize=64)
def settings_model(factory: Callable[..., Any]) -> type[BaseModel] | None:
    """A strict model of ``factory``'s keyword settings; None when it takes ``**kwargs``."""
    params = inspect.signature(factory).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return None
    try:
        hints = typing.get_type_hints(factory.__init__ if inspect.isclass(factory) else factory)
    except (NameError, TypeError):  # an annotation this module cannot resolve: any value
        hints = {}
    fields: dict[str, Any] = {
        name: (hints.get(name, Any), ... if p.default is p.empty else p.default)
        for name, p in params.items()
        if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.POSITIONAL_ONLY)
    }
    config = ConfigDict(extra="forbid", strict=True, arbitrary_types_allowed=True)
    return create_model(
        f"{getattr(factory, '__name__', 'Stage')}Settings", __config__=config, **fields
    )


def check_settings(stage: str, factory: Callable[..., Any], settings: Mapping[str, Any]) -> None:
    """`ConfigError` unless ``settings`` are settings ``factory`` declares, of their types."""
    model = settings_model(factory)
    if model is None:
        return
    try:
        model.model_validate(dict(settings))
    except ValidationError as exc:
        allowed = ", ".join(sorted(model.model_fields)) or "none"
        problems = []
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"])
            if error["type"] == "extra_forbidden":
                problems.append(f"stage {stage!r} has no setting {key!r} (allowed: {allowed})")
            elif error["type"] == "missing":
                problems.append(f"stage {stage!r} needs the setting {key!r}")
            else:
                problems.append(f"stage {stage!r}: setting {key!r}: {_expected(error)}")
        raise ConfigError("; ".join(problems)) from None


def _where(path: str | Path | None) -> str:
    return f"pipeline file {str(path)!r}" if path is not None else "pipeline"


def _explain(exc: ValidationError, where: str, config: Mapping[str, Any]) -> str:
    """Each problem of a pipeline file: the key (a stage by its name) and what was expected."""
    problems = []
    for error in exc.errors():
        loc = list(error["loc"])
        if loc[:1] == ["stages"] and len(loc) >= 2 and isinstance(loc[1], int):
            key, fields, hint = _stage_label(config, loc[1]), StageEntry.model_fields, True
            loc = loc[2:]
        else:
            key, fields, hint = "", PipelineFile.model_fields, False
        name = ".".join(str(part) for part in loc)
        label = f"{key}: " if key else ""
        if error["type"] == "extra_forbidden":
            expected = ", ".join(fields)
            more = "; put stage settings under [stages.settings]" if hint else ""
            problems.append(f"{label}unknown key {name!r} (expected: {expected}{more})")
        elif error["type"] == "missing":
            problems.append(f"{label}{name!r} is missing")
        else:
            problems.append(f"{label}{name or 'entry'}: {_expected(error)}")
    return f"{where}: " + "; ".join(problems)


def _stage_label(config: Mapping[str, Any], index: int) -> str:
    stages = config.get("stages")
    entry = stages[index] if isinstance(stages, list) and index < len(stages) else None
    name = entry.get("name") if isinstance(entry, Mapping) else None
    return f"stage {name!r}" if isinstance(name, str) else f"stage #{index + 1}"


def _expected(error: Mapping[str, Any]) -> str:
    """Pydantic's ``Input should be …`` as ``expected …, not <value>``."""
    if error["type"] in ("greater_than_equal", "less_than_equal"):  # only thresholds have bounds
        return f"expected a number in [0, 1], not {error['input']!r}"
    message = str(error["msg"]).removeprefix("Input should be ").removeprefix("Value error, ")
    return f"expected {message}, not {error['input']!r}"
