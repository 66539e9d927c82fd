"""Flags: spans of a translation that are probably wrong, with why, and no sure repair.

A flag sits beside an `Edit` (`copydesk.models.edits`): the same half-open code-point
offsets into the ORIGINAL text, checked when the flag is made, but no replacement.
It may carry candidate replacements, which nothing ever applies, and the span in the
source text that it contradicts (code points into the whole source).

Checks produce flags the way stages produce edits: a `Check` reads the document and
the source pairing of the repair context (`copydesk.models.source`) and returns its
flags; `CheckRegistry` holds them by name, and a duplicate name raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from copydesk.models.document import Document
from copydesk.models.errors import ConfigError, EditError
from copydesk.models.source import SourcePairing


class FlagKind(StrEnum):
    """What a flag says is wrong. The first seven are about meaning or phrasing; the
    last three are the form checks translators' QA tools run."""

    NUMBER = "number"
    DATE = "date"
    NEGATION = "negation"
    NAME = "name"
    OMISSION = "omission"
    UNTRANSLATED = "untranslated"
    FLUENCY = "fluency"
    DOUBLED_WORD = "doubled-word"
    UNPAIRED = "unpaired"
    END_PUNCTUATION = "end-punctuation"


# The kinds that say the translation's meaning differs from the source's.
MEANING_KINDS = frozenset(
    {FlagKind.NUMBER, FlagKind.DATE, FlagKind.NEGATION, FlagKind.NAME, FlagKind.OMISSION}
)


class Severity(StrEnum):
    """How sure the check is that a reader would be misled: ``error`` (contradicts the
    source), ``warning`` (probably wrong), ``info`` (worth a look)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Flag:
    """``original`` at ``[start, end)`` of the original text is probably wrong: ``message``."""

    start: int
    end: int
    original: str
    kind: FlagKind
    check: str
    message: str
    severity: Severity = Severity.WARNING
    confidence: float = 0.5
    # The span in the source text the flag rests on (code points), where there is one.
    source_start: int | None = None
    source_end: int | None = None
    # Possible replacements, never applied.
    candidates: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", FlagKind(self.kind))
        except ValueError as exc:
            kinds = ", ".join(k.value for k in FlagKind)
            raise EditError(f"unknown flag kind {self.kind!r} (one of {kinds})") from exc
        try:
            object.__setattr__(self, "severity", Severity(self.severity))
        except ValueError as exc:
            raise EditError(f"unknown severity {self.severity!r}") from exc
        if not (0 <= self.start <= self.end):
            raise EditError(f"bad flag span [{self.start}, {self.end})")
        if len(self.original) != self.end - self.start:
            raise EditError(
                f"flag span [{self.start}, {self.end}) has length {self.end - self.start} "
                f"but original {self.original!r} has {len(self.original)}"
            )
        if not (0.0 <= self.confidence <= 1.0):
            raise EditError(f"confidence {self.confidence} is outside [0, 1]")
        if (self.source_start is None) != (self.source_end is None):
            raise EditError("a source span needs both source_start and source_end")
        if self.source_start is not None and not (0 <= self.source_start <= self.source_end):
            raise EditError(f"bad source span [{self.source_start}, {self.source_end})")
        object.__setattr__(self, "candidates", tuple(self.candidates))

    @property
    def is_meaning(self) -> bool:
        """Whether the flag says the meaning differs from the source's."""
        return self.kind in MEANING_KINDS

    def shifted(self, offset: int) -> Flag:
        """The same flag with its span moved by ``offset`` (a segment into its document)."""
        return Flag(
            self.start + offset,
            self.end + offset,
            self.original,
            self.kind,
            self.check,
            self.message,
            self.severity,
            self.confidence,
            self.source_start,
            self.source_end,
            self.candidates,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["severity"] = self.severity.value
        data["candidates"] = list(self.candidates)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Flag:
        """Build a flag from a mapping such as ``to_dict`` gives; unknown keys are an error."""
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise EditError(f"unknown flag field(s): {', '.join(sorted(unknown))}")
        try:
            return cls(**{**data, "candidates": tuple(data.get("candidates", ()))})
        except TypeError as exc:
            raise EditError(f"incomplete flag: {exc}") from exc


def check_flags(text: str, flags: Sequence[Flag], source: str | None = None) -> None:
    """Raise `EditError` unless every flag's span lies in ``text`` (and its source span in
    ``source``) and matches its original."""
    for flag in flags:
        if flag.end > len(text) or text[flag.start : flag.end] != flag.original:
            raise EditError(f"flag at [{flag.start}, {flag.end}) does not fit the text")
        if flag.source_end is not None and (source is None or flag.source_end > len(source)):
            raise EditError(f"flag's source span ends past the source ({flag.source_end})")


def sort_flags(flags: Sequence[Flag]) -> list[Flag]:
    """Flags in text order: by start, then end, then kind and check (a stable order)."""
    return sorted(flags, key=lambda f: (f.start, f.end, f.kind.value, f.check, f.message))


class Check:
    """Base of every check: reads a document and its source pairing, returns flags.

    - ``name``: the id the check is registered under; each of its flags names it.
    - ``needs_source``: a check that compares against the source returns nothing when
      the pairing has no source.
    - ``check(doc, pairing)``: the document's flags, offsets into ``doc.text`` and, for
      source spans, into ``pairing.source``. Changes nothing, keeps no per-call state.
    """

    name: ClassVar[str] = ""
    needs_source: ClassVar[bool] = True

    def check(self, doc: Document, pairing: SourcePairing) -> list[Flag]:
        raise NotImplementedError

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.check is Check.check:
            raise TypeError(f"check {cls.__name__} must define check")


CheckFactory = Callable[..., Check]


class CheckRegistry:
    """Check factories by name; registering a name twice raises."""

    def __init__(self) -> None:
        self._factories: dict[str, CheckFactory] = {}

    def register(self, name: str, factory: CheckFactory) -> None:
        if name in self._factories:
            raise ConfigError(f"check {name!r} is already registered")
        self._factories[name] = factory

    def names(self) -> list[str]:
        return list(self._factories)

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def create(self, name: str) -> Check:
        try:
            return self._factories[name]()
        except KeyError:
            known = ", ".join(self.names()) or "none"
            raise ConfigError(f"unknown check {name!r} (registered: {known})") from None
