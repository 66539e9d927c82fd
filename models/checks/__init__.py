"""Checks of a translation against its Russian source, and of its form, giving flags.

::

    from copydesk.models.checks import run_checks

    flags = run_checks(english, source=russian)      # list[Flag], in text order

Source checks (numbers, dates, negation, names, omission, end punctuation) compare each
translated sentence with the source sentence the repair context paired it with
(`copydesk.models.source`); without a source they are simply absent. The others
(untranslated Cyrillic, garbled phrasing, doubled words, unpaired quotes and brackets)
read the English alone. Every check is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence

from copydesk.models.checks.dates import DateCheck
from copydesk.models.checks.fluency import FluencyCheck
from copydesk.models.checks.form import DoubledWordCheck, EndPunctuationCheck, UnpairedCheck
from copydesk.models.checks.names import NameCheck
from copydesk.models.checks.negation import NegationCheck
from copydesk.models.checks.numbers import NumberCheck
from copydesk.models.checks.omission import OmissionCheck
from copydesk.models.checks.untranslated import UntranslatedCheck
from copydesk.models.document import Document
from copydesk.models.flags import Check, CheckRegistry, Flag, FlagKind, sort_flags
from copydesk.models.source import SourcePairing
from copydesk.models.stage import RepairContext

# Flags under this confidence are left out by default: on the tuning part they were
# mostly false (a negation said with "unaware" or "against", clause counts that differ).
DEFAULT_THRESHOLD = 0.5
# Every built-in check, in the order they run.
DEFAULT_CHECKS = (
    "numbers", "dates", "negation", "names", "omission", "untranslated", "fluency",
    "doubled-word", "unpaired", "end-punctuation",
)  # fmt: skip


def builtin_checks() -> CheckRegistry:
    """A registry holding every check that ships with copydesk."""
    registry = CheckRegistry()
    for check in (
        NumberCheck,
        DateCheck,
        NegationCheck,
        NameCheck,
        OmissionCheck,
        UntranslatedCheck,
        FluencyCheck,
        DoubledWordCheck,
        UnpairedCheck,
        EndPunctuationCheck,
    ):
        registry.register(check.name, check)
    return registry


_DEFAULT: list[Check] = []


def default_checks() -> list[Check]:
    """The built-in checks, built once (they keep no per-call state)."""
    if not _DEFAULT:
        registry = builtin_checks()
        _DEFAULT.extend(registry.create(name) for name in DEFAULT_CHECKS)
    return list(_DEFAULT)


def check_document(
    doc: Document,
    pairing: SourcePairing,
    checks: Sequence[Check] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Flag]:
    """The flags of a segmented document and its source pairing with at least
    ``threshold`` confidence, in text order."""
    flags: list[Flag] = []
    if pairing.has_source and not doc.text.strip():
        assert pairing.source is not None
        flags.append(
            Flag(
                0,
                0,
                "",
                FlagKind.OMISSION,
                "omission",
                "the source has no translation",
                confidence=0.9,
                source_start=0,
                source_end=len(pairing.source),
            )
        )
    for check in default_checks() if checks is None else checks:
        if check.needs_source and not pairing.has_source:
            continue
        flags += check.check(doc, pairing)
    return sort_flags([f for f in flags if f.confidence >= threshold])


def check_context(
    doc: Document,
    context: RepairContext,
    checks: Sequence[Check] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Flag]:
    """The flags of a document under a repair context, reusing the context's pairing."""
    return check_document(doc, context.pairing(doc), checks, threshold=threshold)


def run_checks(
    text: str,
    source: str | None = None,
    checks: Sequence[Check] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Flag]:
    """The flags of ``text`` (against ``source`` when given) with at least ``threshold``
    confidence, in text order; ``threshold=0`` gives every flag."""
    doc = Document.from_text(text)
    return check_context(doc, RepairContext(source=source), checks, threshold=threshold)


__all__ = [
    "DEFAULT_CHECKS",
    "DEFAULT_THRESHOLD",
    "DateCheck",
    "DoubledWordCheck",
    "EndPunctuationCheck",
    "FluencyCheck",
    "NameCheck",
    "NegationCheck",
    "NumberCheck",
    "OmissionCheck",
    "UnpairedCheck",
    "UntranslatedCheck",
    "builtin_checks",
    "check_context",
    "check_document",
    "default_checks",
    "run_checks",
]
