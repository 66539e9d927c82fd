"""copydesk: repairs machine-translated English news and scores repairs.

The public API, in the spirit of ``errant.load``::

    import copydesk

    pipeline = copydesk.load()                   # the shipped default pipeline
    result = pipeline.repair(text, copydesk.RepairContext(source=russian))
    result.repaired, result.edits                # every edit, applied or suggested
    copydesk.score({"copydesk": outputs}, [references], original=mt)

The engine lives in `copydesk.models`, scoring in `copydesk.eval` and the ways in
(command line, HTTP service, batch jobs) in `copydesk.service`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from copydesk.models import (
    ConfigError,
    CopydeskError,
    Document,
    Edit,
    EditKind,
    Pipeline,
    RepairContext,
    RepairResult,
    Stage,
    StageError,
    StageUnavailable,
    load,
)

if TYPE_CHECKING:
    from copydesk.eval.scoring import score

__all__ = [
    "ConfigError",
    "CopydeskError",
    "Document",
    "Edit",
    "EditKind",
    "Pipeline",
    "RepairContext",
    "RepairResult",
    "Stage",
    "StageError",
    "StageUnavailable",
    "load",
    "score",
]


def __getattr__(name: str) -> Any:
    # Scoring pulls in spaCy, errant and sacrebleu (seconds of import); repairing alone
    # does not need them, so `import copydesk` leaves them until `copydesk.score` is read.
    if name == "score":
        from copydesk.eval.scoring import score

        return score
    raise AttributeError(f"module 'copydesk' has no attribute {name!r}")
