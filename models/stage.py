"""The stage contract, the context stages receive, and the registry of stages by name."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, ClassVar, Protocol

from copydesk.models.config import check_settings
from copydesk.models.document import Document
from copydesk.models.edits import Edit
from copydesk.models.errors import ConfigError
from copydesk.models.house import NO_HOUSE_RULES, HouseRules
from copydesk.models.source import NO_SOURCE, Source, SourcePairing

Diagnostics = Mapping[str, int | float | str]
# The reason a stage reports when the request's deadline came before it could finish.
OUT_OF_TIME = "the request's time budget ran out before this stage finished"


class Term(Protocol):
    """One of a caller's glossary entries, as the core sees it: the spelling to enforce."""

    @property
    def term(self) -> str: ...


class GlossaryLike(Protocol):
    """A caller's glossary, as the core sees it: named terms.

    The core never reads more; the names feature's `copydesk.models.names.glossary.Glossary`
    is the one the service passes, and the stages that use a glossary read it as that.
    """

    @property
    def name(self) -> str: ...

    @property
    def terms(self) -> Sequence[Term]: ...


@dataclass(frozen=True)
class RepairContext:
    """What a caller passes beside the text: the source-language original, a glossary, options.

    The source is segmented once per context and paired with each document by one policy
    (`copydesk.models.source`); every stage asks `pairing` rather than pairing it itself,
    and reads the whole source, where it needs it, as the pairing's ``source``. A stage
    whose proposals depend on its threshold (the casing rules) asks `threshold_for`.
    """

    source: str | None = None
    glossary: GlossaryLike | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    # `time.monotonic()` by which the request must be answered (None: no budget); a stage
    # waiting on a backend waits no longer, and the pipeline starts no stage past it.
    deadline: float | None = None
    # Each stage's threshold for this request as the pipeline resolved it
    # (`copydesk.models.thresholds`), by stage name; empty outside a pipeline.
    thresholds: Mapping[str, float] = field(default_factory=dict)
    # The caller's newsroom's protected words and learned cutoffs (`copydesk.models.house`).
    house: HouseRules = NO_HOUSE_RULES
    _pairings: dict[str, SourcePairing] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @cached_property
    def _source(self) -> Source:
        return Source(self.source) if self.source else NO_SOURCE

    def seconds_left(self, default: float) -> float:
        """``default``, or less if the request's deadline comes sooner (never below 0)."""
        if self.deadline is None:
            return default
        return max(0.0, min(default, self.deadline - time.monotonic()))

    def threshold_for(self, stage: str, default: float) -> float:
        """The threshold the pipeline resolved for ``stage``, or ``default`` (a stage's own)
        when the stage is called outside a pipeline."""
        return self.thresholds.get(stage, default)

    def with_thresholds(self, thresholds: Mapping[str, float]) -> RepairContext:
        """This context with the pipeline's resolved thresholds; the source's segmentation
        and pairings are shared with this one, not made again."""
        resolved = replace(self, thresholds=dict(thresholds))
        object.__setattr__(resolved, "_pairings", self._pairings)
        if "_source" in self.__dict__:
            resolved.__dict__["_source"] = self.__dict__["_source"]
        return resolved

    def pairing(self, doc: Document) -> SourcePairing:
        """The source paired with ``doc``'s paragraphs and sentences (computed once per text)."""
        found = self._pairings.get(doc.text)
        if found is None:
            found = self._pairings[doc.text] = self._source.pair(doc)
        return found


@dataclass(frozen=True)
class Proposal:
    """One document's proposed edits, and what the stage wants on its report."""

    edits: list[Edit]
    diagnostics: Diagnostics = field(default_factory=dict)
    # Why the stage left this document, or part of it, unchecked (a text too costly for
    # its backend, say): the document's report carries it, as skipped when ``skipped``.
    reason: str = ""
    skipped: bool = False


class Stage:
    """Base of every stage: proposes edits for documents and never changes them.

    What the pipeline relies on, and nothing else:

    - ``name``: the name the stage is registered under (a class attribute).
    - ``threshold``: the confidence from which the stage's edits are applied by default;
      ``None`` (the default) leaves it to the pipeline file or the pipeline's default
      (`copydesk.models.thresholds`).
    - ``propose(doc, context)``: one document's edits, with offsets into ``doc.text``.
      An edit the stage proposes with ``applied=False`` is only ever a suggestion.
    - ``propose_many(docs, contexts)``: a batch, one `Proposal` per document. The default
      calls ``propose`` document by document; a stage with a model overrides it to batch.
      A `Proposal`'s ``diagnostics`` (counts, say) land on that document's stage report.
    - ``context.threshold_for(name, own)``: for a stage whose proposals depend on its
      threshold (the casing rules run only where it allows them), the threshold the
      pipeline resolved for this request; its own outside a pipeline.
    - ``warm_up()``: get ready for the first request (start a server, load a model);
      the service calls it at start-up. Default: nothing to do.
    - ``status()``: ``("ok", "")``, or a state (``starting``, ``stopped``, ``failed``…) and
      why, answered at once, never waiting on a backend. Default: ok.
    - ``waits_outside``: whether the stage spends its time waiting on a server and says so
      once its requests are out (it calls `copydesk.models.waiting.waiting_hook`'s hook);
      the pipeline runs a request's checks from then. Default: no.

    A subclass overrides at least one of the two. Raising `StageUnavailable` reports the
    stage skipped; any other exception reports it failed, for that document only. A stage
    keeps no per-call state on itself: one pipeline serves concurrent requests.
    """

    name: ClassVar[str] = ""
    threshold: float | None = None
    waits_outside: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.propose is Stage.propose and cls.propose_many is Stage.propose_many:
            raise TypeError(f"stage {cls.__name__} must define propose or propose_many")

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        return self.propose_many([doc], [context])[0].edits

    def warm_up(self) -> None:
        return None

    def status(self) -> tuple[str, str]:
        return ("ok", "")

    def close(self) -> None:
        """Release what the stage holds (connections, servers it started); a no-op here."""
        return None

    def propose_many(
        self, docs: Sequence[Document], contexts: Sequence[RepairContext]
    ) -> list[Proposal]:
        return [Proposal(self.propose(d, c)) for d, c in zip(docs, contexts, strict=True)]


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
        """Build stage ``name`` with keyword ``settings``; unknown names, and settings the
        factory does not declare or of another type, raise `ConfigError`."""
        try:
            factory = self._factories[name]
        except KeyError:
            known = ", ".join(self.names()) or "none"
            raise ConfigError(f"unknown stage {name!r} (registered: {known})") from None
        settings = dict(settings or {})
        check_settings(name, factory, settings)
        try:
            return factory(**settings)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"stage {name!r}: bad settings: {exc}") from exc
