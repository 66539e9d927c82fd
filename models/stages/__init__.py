"""Built-in stages, registered in one place."""

from __future__ import annotations

from models.stage import StageRegistry
from models.stages.sentence_case import SentenceCaseStage


def builtin_registry() -> StageRegistry:
    """A registry holding every stage that ships with copydesk."""
    registry = StageRegistry()
    registry.register(SentenceCaseStage.name, SentenceCaseStage)
    return registry


__all__ = ["SentenceCaseStage", "builtin_registry"]
