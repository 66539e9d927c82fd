"""The stage protocol, the context stages receive, and the registry of stages by name."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from copydesk.models.document import Document
from copydesk.models.edits import Edit
from copydesk.models.errors import ConfigError

if TYPE_CHECKING:
    from copydesk.models.names.glossary import Glossary


@dataclass(frozen=True)
class RepairContext:
    """What a caller passes beside the text: the source-language original, a glossary, options."""

    source: str | None = None
    glossary: Glossary | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@runtime_checkable
class Stage(Protocol):
    """Proposes edits for a document; never changes it.

    Offsets of the returned edits refer to ``doc.text``. A stage that cannot run raises
    `StageUnavailable`; any other exception marks it failed for that document.
    """

    name: str

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]: ...


StageFactory = Callable[..., Stage]


class StageRegistry:
    """Stage factories by name; registering a name twice raises."""

    def __init__(self) -> None:
        self._factories: dict[str, StageFactory] = {}

    def register(self, name: str, factory: StageFactory) -> None:
        if name in self._factories:
            raise ConfigError(f"stage {name!r} is already registered")
        self._factories[name] = factory

    def names(self) -> list[str]:
        return sorted(self._factories)

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def create(self, name: str, settings: Mapping[str, Any] | None = None) -> Stage:
        """Build stage ``name`` with keyword ``settings``; unknown names or settings raise."""
        try:
            factory = self._factories[name]
        except KeyError:
            known = ", ".join(self.names()) or "none"
            raise ConfigError(f"unknown stage {name!r} (registered: {known})") from None
        settings = dict(settings or {})
        params = inspect.signature(factory).parameters
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
            unknown = sorted(set(settings) - set(params))
            if unknown:
                allowed = ", ".join(sorted(params)) or "none"
                raise ConfigError(
                    f"stage {name!r} has no setting(s) {', '.join(unknown)} (allowed: {allowed})"
                )
        try:
            return factory(**settings)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"stage {name!r}: bad settings: {exc}") from exc
