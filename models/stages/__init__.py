"""Built-in stages, registered in one place."""

from __future__ import annotations

from copydesk.models.stage import StageRegistry
from copydesk.models.stages.casing import CasingStage
from copydesk.models.stages.entities import EntitiesStage
from copydesk.models.stages.grammar import GrammarStage
from copydesk.models.stages.rewrite import RewriteStage
from copydesk.models.stages.sentence_case import SentenceCaseStage


def builtin_registry() -> StageRegistry:
    """A registry holding every stage that ships with copydesk."""
    registry = StageRegistry()
    registry.register(SentenceCaseStage.name, SentenceCaseStage)
    registry.register(CasingStage.name, CasingStage)
    registry.register(EntitiesStage.name, EntitiesStage)
    registry.register(GrammarStage.name, GrammarStage)
    registry.register(RewriteStage.name, RewriteStage)
    return registry


__all__ = [
    "CasingStage",
    "EntitiesStage",
    "GrammarStage",
    "RewriteStage",
    "SentenceCaseStage",
    "builtin_registry",
]
