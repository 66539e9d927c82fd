"""copydesk's repair engine: documents, edits, stages and the pipeline that runs them."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from copydesk.models.config import (
    StageSpec,
    checks_enabled,
    in_file,
    parse_config,
    read_config,
)
from copydesk.models.document import Document
from copydesk.models.edits import Edit, EditKind, apply_edits, resolve_overlaps
from copydesk.models.errors import (
    ConfigError,
    CopydeskError,
    EditError,
    InputError,
    StageError,
    StageUnavailable,
)
from copydesk.models.house import HouseRules
from copydesk.models.pipeline import Pipeline, RepairResult, StageReport, StageStatus
from copydesk.models.source import SourcePairing
from copydesk.models.stage import Proposal, RepairContext, Stage, StageRegistry
from copydesk.models.stages import builtin_registry
from copydesk.models.thresholds import DEFAULT_THRESHOLD, resolve_threshold
from copydesk.models.tokens import Paragraph, Sentence, Token, TokenKind

DEFAULT_PIPELINE = "default.toml"


def default_config_path() -> Path:
    """The pipeline file shipped with the package."""
    return Path(str(resources.files("copydesk.models") / "pipelines" / DEFAULT_PIPELINE))


def default_config() -> dict[str, Any]:
    """The pipeline description shipped with the package."""
    return read_config(default_config_path())


def load(
    config: str | Path | Mapping[str, Any] | None = None,
    *,
    registry: StageRegistry | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    checks: bool = True,
) -> Pipeline:
    """Build a pipeline from a TOML path, a parsed mapping, or the shipped default.

    ``overrides`` adds settings to named stages (the service's LanguageTool URL, say). A
    request's threshold is given to `Pipeline.repair`, not here
    (`copydesk.models.thresholds`). ``checks=False`` turns off the flags and the quality
    estimate that results carry, as ``checks = false`` in the file does.
    """
    path = None
    if config is None:
        config = default_config()
    elif not isinstance(config, Mapping):
        path, config = config, read_config(config)
    specs, file_threshold = parse_config(config, path=path)
    for name, extra in (overrides or {}).items():
        specs = [
            s.model_copy(update={"settings": {**s.settings, **extra}}) if s.name == name else s
            for s in specs
        ]
    try:
        return Pipeline.from_specs(
            specs,
            registry=registry or builtin_registry(),
            threshold=file_threshold,
            checks=checks and checks_enabled(config),
        )
    except ConfigError as exc:  # a stage's settings: say which file they are in
        raise in_file(path, exc) from exc


__all__ = [
    "DEFAULT_THRESHOLD",
    "ConfigError",
    "CopydeskError",
    "Document",
    "Edit",
    "EditError",
    "EditKind",
    "HouseRules",
    "InputError",
    "Paragraph",
    "Pipeline",
    "Proposal",
    "RepairContext",
    "RepairResult",
    "Sentence",
    "SourcePairing",
    "Stage",
    "StageError",
    "StageRegistry",
    "StageReport",
    "StageSpec",
    "StageStatus",
    "StageUnavailable",
    "Token",
    "TokenKind",
    "apply_edits",
    "builtin_registry",
    "default_config",
    "default_config_path",
    "load",
    "resolve_overlaps",
    "resolve_threshold",
]
