"""The pipeline: runs stages in order, applies their edits, and reports each stage."""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from copydesk.models.assessment import SegmentEstimate, assess
from copydesk.models.assessment import warm_up as warm_assessment
from copydesk.models.config import StageSpec
from copydesk.models.document import Document
from copydesk.models.edits import Edit, apply_edits, check_edits, resolve_overlaps
from copydesk.models.errors import ConfigError, EditError, StageUnavailable
from copydesk.models.flags import Flag
from copydesk.models.house import NO_HOUSE_RULES, HouseRules
from copydesk.models.offsets import EditedText
from copydesk.models.source import SourcePairing
from copydesk.models.stage import (
    OUT_OF_TIME,
    Diagnostics,
    Proposal,
    RepairContext,
    Stage,
    StageRegistry,
)
from copydesk.models.thresholds import DEFAULT_THRESHOLD, check_threshold, resolve_threshold
from copydesk.models.waiting import on_waiting


class StageStatus(StrEnum):
    OK = "ok"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class StageReport:
    """How one stage went on one document."""

    name: str
    status: StageStatus
    seconds: float
    reason: str = ""
    proposed: int = 0
    applied: int = 0
    # What the stage itself reports on this document (`Proposal.diagnostics`).
    diagnostics: Diagnostics = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status.value,
            "seconds": round(self.seconds, 6),
            "reason": self.reason,
            "proposed": self.proposed,
            "applied": self.applied,
            "diagnostics": dict(self.diagnostics),
        }


@dataclass(frozen=True)
class RepairResult:
    """The original, the repaired text, every edit (applied or suggested) and stage reports."""

    original: str
    repaired: str
    edits: tuple[Edit, ...]
    stages: tuple[StageReport, ...]
    # What the checks say of the original (`copydesk.models.assessment`); empty when the
    # pipeline runs without checks.
    flags: tuple[Flag, ...] = ()
    segments: tuple[SegmentEstimate, ...] = ()

    @property
    def applied_edits(self) -> tuple[Edit, ...]:
        return tuple(e for e in self.edits if e.applied)

    def apply(self, edits: Iterable[Edit]) -> str:
        """The original with the chosen edits applied (accept/reject in an editor)."""
        return apply_edits(self.original, list(edits))

    def to_dict(self) -> dict[str, Any]:
        return {
            "original": self.original,
            "repaired": self.repaired,
            "edits": [{"id": i, **e.to_dict()} for i, e in enumerate(self.edits)],
            "stages": [s.to_dict() for s in self.stages],
            "flags": [f.to_dict() for f in self.flags],
            "segments": [s.to_dict() for s in self.segments],
        }


@dataclass
class _Slot:
    name: str
    stage: Stage | None
    unavailable: str = ""
    threshold: float | None = None  # the pipeline file's, for this stage


class Pipeline:
    """An ordered list of stages and the default threshold for applying their edits."""

    def __init__(
        self,
        stages: Sequence[Stage],
        *,
        threshold: float = DEFAULT_THRESHOLD,
        checks: bool = True,
    ) -> None:
        self.threshold = check_threshold(threshold)
        # Whether results carry the checks' flags and the quality estimate.
        self.checks = checks
        self._slots = []
        for stage in stages:
            if not isinstance(stage, Stage):
                raise ConfigError(f"{stage!r} is not a copydesk Stage")
            self._slots.append(_Slot(stage.name, stage))

    @classmethod
    def from_specs(
        cls,
        specs: Sequence[StageSpec],
        *,
        registry: StageRegistry,
        threshold: float = DEFAULT_THRESHOLD,
        checks: bool = True,
    ) -> Pipeline:
        """Build each stage; one whose backend is missing stays in place, reported as skipped."""
        pipeline = cls([], threshold=threshold, checks=checks)
        for spec in specs:
            try:
                stage = registry.create(spec.name, spec.settings)
                pipeline._slots.append(_Slot(spec.name, stage, threshold=spec.threshold))
            except StageUnavailable as exc:
                pipeline._slots.append(_Slot(spec.name, None, exc.reason, spec.threshold))
        return pipeline

    @property
    def stage_names(self) -> list[str]:
        return [slot.name for slot in self._slots]

    def stages(self) -> list[Stage]:
        """The stages that loaded, in order."""
        return [slot.stage for slot in self._slots if slot.stage is not None]

    def status(self) -> dict[str, tuple[str, str]]:
        """Each stage's state and why, at once: ``skipped`` for one that could not be built."""
        return {
            slot.name: slot.stage.status()
            if slot.stage is not None
            else ("skipped", slot.unavailable)
            for slot in self._slots
        }

    def warm_up(self, report: Callable[[str, str, float], None] | None = None) -> None:
        """Warm every stage up in order; ``report(name, state, seconds)`` after each."""
        for slot in self._slots:
            started = time.perf_counter()
            if slot.stage is not None:
                # A stage that cannot get ready says why in its status; the others serve.
                with contextlib.suppress(StageUnavailable):
                    slot.stage.warm_up()
            if report is not None:
                state, why = slot.stage.status() if slot.stage else ("skipped", slot.unavailable)
                report(
                    slot.name, f"{state}: {why}" if why else state, time.perf_counter() - started
                )
        if self.checks:
            # The checks' and the estimator's models, loaded before the first request.
            started = time.perf_counter()
            warm_assessment()
            if report is not None:
                report("checks", "ok", time.perf_counter() - started)

    def close(self) -> None:
        """Close every stage (the service's shutdown): what they started stops."""
        for slot in self._slots:
            if slot.stage is not None:
                slot.stage.close()

    def thresholds(self, requested: float | None = None) -> dict[str, float]:
        """Each stage's threshold for a request (`copydesk.models.thresholds`)."""
        if requested is not None:
            check_threshold(requested)
        return {
            slot.name: resolve_threshold(
                requested=requested,
                configured=slot.threshold,
                own=slot.stage.threshold if slot.stage is not None else None,
                default=self.threshold,
            )
            for slot in self._slots
        }

    def repair(
        self,
        text: str,
        context: RepairContext | None = None,
        *,
        threshold: float | None = None,
    ) -> RepairResult:
        """Run every stage over ``text`` and collect their edits.

        An edit is applied when its confidence reaches its stage's threshold, which
        ``threshold`` (the request's explicit value) overrides for every stage; see
        `copydesk.models.thresholds` for the whole rule.
        """
        return self.repair_many([text], [context or RepairContext()], threshold=threshold)[0]

    def repair_many(
        self,
        texts: Sequence[str],
        contexts: Sequence[RepairContext] | None = None,
        *,
        threshold: float | None = None,
    ) -> list[RepairResult]:
        """Repair several texts in one batch: each stage sees all of them at once.

        Each stage's ``propose_many`` gets the whole batch (the casing model runs once over
        it); a stage report's ``seconds`` is then the stage's time over the whole batch.
        """
        batch = _Batch(texts, contexts, self.thresholds(threshold))
        if not self.checks:
            for slot in self._slots:
                batch.run(slot)
            return batch.results()
        # The checks read the original text alone, so they run on a thread of their own
        # while the stages wait outside Python: from when the first stage that waits on a
        # server has sent its requests (`copydesk.models.waiting`), so that they never
        # hold Python's lock while the stages before it need it; at once where no stage
        # waits so.
        batch.pairings()  # made once, here, for the checks and the first stage alike
        waiter = next((s for s in self._slots if s.stage and s.stage.waits_outside), None)
        assessed = _Background(batch.assess, start=waiter is None)
        for slot in self._slots:
            if slot is waiter:
                with on_waiting(assessed.start):
                    batch.run(slot)
                assessed.start()  # the stage returned without waiting: run them now
            else:
                batch.run(slot)
        return batch.results(assessed.result())

    def repair_stream(
        self,
        batches: Iterable[tuple[Sequence[str], Sequence[RepairContext] | None]],
        *,
        threshold: float | None = None,
        depth: int = 2,
    ) -> Iterator[list[RepairResult]]:
        """Repair a stream of batches as an assembly line, yielding each batch's results
        in order (each equal to `repair_many` on that batch).

        Every stage works on its own thread, so while one stage works on a batch the stage
        before it already works on the next: a stage waiting on LanguageTool and one
        running the casing network (both outside Python's lock) overlap. ``depth`` bounds
        the batches waiting between two stages.
        """
        cutoffs = self.thresholds(threshold)
        queues = [queue.Queue(maxsize=depth) for _ in range(len(self._slots) + 1)]
        failed: list[BaseException] = []
        stop = threading.Event()  # the caller stopped reading, or a stage failed

        def feed() -> None:
            try:
                for texts, contexts in batches:
                    if stop.is_set():
                        break
                    queues[0].put(_Batch(texts, contexts, cutoffs))
            except BaseException as exc:  # handed to the caller, below
                failed.append(exc)
                stop.set()
            queues[0].put(_DONE)

        def work(slot: _Slot, inbox: queue.Queue, outbox: queue.Queue) -> None:
            while (batch := inbox.get()) is not _DONE:
                if not stop.is_set():
                    try:
                        batch.run(slot)
                    except BaseException as exc:
                        failed.append(exc)
                        stop.set()
                outbox.put(batch)
            outbox.put(_DONE)

        threads = [threading.Thread(target=feed, daemon=True)]
        threads += [
            threading.Thread(target=work, args=(slot, queues[i], queues[i + 1]), daemon=True)
            for i, slot in enumerate(self._slots)
        ]
        for thread in threads:
            thread.start()
        try:
            while (batch := queues[-1].get()) is not _DONE:
                if stop.is_set():
                    break
                yield batch.results(batch.assess() if self.checks else None)
        finally:
            stop.set()
            if batch is not _DONE:
                while queues[-1].get() is not _DONE:  # let every thread finish
                    pass
        if failed:
            raise failed[0]


_DONE = object()


class _Background:
    """``call()`` on a thread of its own, from `start` (at once with ``start=True``);
    `result` starts it if nothing did, waits for it, and raises what it raised.

    The thread exists from the outset, waiting, so that `start` only sets an event: it
    may be called from any thread, and never waits on the new thread."""

    def __init__(self, call: Callable[[], Any], *, start: bool = True) -> None:
        self._call, self._value, self._error = call, None, None
        self._go = threading.Event()
        if start:
            self._go.set()
        self._thread = threading.Thread(target=self._run, name="copydesk-checks", daemon=True)
        self._thread.start()

    def start(self) -> None:
        self._go.set()

    def _run(self) -> None:
        self._go.wait()
        try:
            self._value = self._call()
        except BaseException as exc:  # handed to the caller by `result`
            self._error = exc

    def result(self) -> Any:
        self._go.set()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


class _Batch:
    """Texts on their way through the stages together."""

    def __init__(
        self,
        texts: Sequence[str],
        contexts: Sequence[RepairContext] | None,
        cutoffs: Mapping[str, float],
    ) -> None:
        self.texts = list(texts)
        given = list(contexts) if contexts is not None else [RepairContext() for _ in texts]
        # Each stage may ask the context for its resolved threshold (the casing rules do).
        self.contexts = [c.with_thresholds(cutoffs) for c in given]
        self.cutoffs = cutoffs
        # The originals, segmented once: the first stage and the checks read them.
        self.originals = [Document.from_text(t) for t in self.texts]
        self.states = [
            _TextState(EditedText(t), _doc=d)
            for t, d in zip(self.texts, self.originals, strict=True)
        ]

    def run(self, slot: _Slot) -> None:
        """One stage over every text of the batch (none past the batch's deadline)."""
        started = time.perf_counter()
        if slot.stage is None or self._past_deadline():
            why = slot.unavailable if slot.stage is None else OUT_OF_TIME
            for state in self.states:
                state.reports.append(StageReport(slot.name, StageStatus.SKIPPED, 0.0, why))
            return
        outcomes = _propose_all(slot.stage, [s.document() for s in self.states], self.contexts)
        seconds = time.perf_counter() - started
        for state, outcome, context in zip(self.states, outcomes, self.contexts, strict=True):
            state.take(slot.name, outcome, self.cutoffs[slot.name], seconds, context.house)

    def _past_deadline(self) -> bool:
        deadlines = [c.deadline for c in self.contexts if c.deadline is not None]
        return bool(deadlines) and time.monotonic() >= min(deadlines)

    def pairings(self) -> list[SourcePairing]:
        """Each original text's source pairing (made once per context, then read)."""
        return [c.pairing(d) for c, d in zip(self.contexts, self.originals, strict=True)]

    def assess(self) -> list[tuple[list[Flag], list[SegmentEstimate]]]:
        """The checks' flags and estimates of each original text, under the pairing the
        stages see."""
        return assess(self.originals, self.pairings())

    def results(
        self, assessed: Sequence[tuple[list[Flag], list[SegmentEstimate]]] | None = None
    ) -> list[RepairResult]:
        """Each text's result, with its flags and estimates where ``assessed`` has them."""
        results = [state.result(text) for state, text in zip(self.states, self.texts, strict=True)]
        if assessed is None:
            return results
        return [
            replace(result, flags=tuple(flags), segments=tuple(segments))
            for result, (flags, segments) in zip(results, assessed, strict=True)
        ]


@dataclass
class _TextState:
    """One text's progress through the pipeline."""

    edited: EditedText
    suggestions: list[Edit] = field(default_factory=list)
    reports: list[StageReport] = field(default_factory=list)
    _doc: Document | None = None

    def document(self) -> Document:
        """The current text, segmented again only when an earlier stage changed it, and
        then only the paragraphs it changed."""
        if self._doc is None or self._doc.text != self.edited.current:
            self._doc = Document.from_text(self.edited.current, previous=self._doc)
        return self._doc

    def take(
        self,
        name: str,
        outcome: Proposal | StageReport,
        cutoff: float,
        seconds: float,
        house: HouseRules = NO_HOUSE_RULES,
    ) -> None:
        """Apply a stage's proposals (or record why it did not run)."""
        if isinstance(outcome, StageReport):
            self.reports.append(replace(outcome, name=name, seconds=seconds))
            return
        # Protected words are never changed: such proposals are neither made nor offered.
        kept = resolve_overlaps(house.allows(outcome.edits, self.edited.current))
        # A proposal is made when its confidence reaches the cutoff (a learned one for its
        # rule, where the newsroom has one; the newsroom's judge of edits, where it has
        # one), unless the stage offers it only (``applied=False``); the rest are
        # suggestions.
        made = [house.applies(e, cutoff, self.edited.current) for e in kept]
        accepted = [e for e, m in zip(kept, made, strict=True) if m]
        for edit, m in zip(kept, made, strict=True):
            if not m:
                mapped = self.edited.map_suggestion(edit)
                if mapped is not None:
                    self.suggestions.append(mapped.with_applied(False))
        self.edited.apply(accepted)
        self.reports.append(
            StageReport(
                name,
                StageStatus.SKIPPED if outcome.skipped else StageStatus.OK,
                seconds,
                outcome.reason,
                len(outcome.edits),
                len(accepted),
                outcome.diagnostics,
            )
        )

    def result(self, text: str) -> RepairResult:
        edits = sorted(
            [*self.edited.applied, *self.suggestions], key=lambda e: (e.start, e.end, not e.applied)
        )
        return RepairResult(text, self.edited.current, tuple(edits), tuple(self.reports))


def _propose_all(
    stage: Stage, docs: Sequence[Document], contexts: Sequence[RepairContext]
) -> list[Proposal | StageReport]:
    """Each document's proposal, or a skipped/failed report; one text's failure is its own.

    The stage gets the whole batch; if it fails on a batch of several, each document is
    tried alone so that only the documents it fails on are reported failed.
    """
    try:
        proposals = stage.propose_many(docs, contexts)
    except StageUnavailable as exc:
        return [_problem(stage, StageStatus.SKIPPED, exc.reason) for _ in docs]
    except Exception as exc:  # a failing stage must never take the texts with it
        if len(docs) == 1:
            return [_problem(stage, StageStatus.FAILED, f"{type(exc).__name__}: {exc}")]
        return [_propose_all(stage, [d], [c])[0] for d, c in zip(docs, contexts, strict=True)]
    if len(proposals) != len(docs):
        reason = f"returned {len(proposals)} proposals for {len(docs)} documents"
        return [_problem(stage, StageStatus.FAILED, reason) for _ in docs]
    return [_checked(doc.text, p) for doc, p in zip(docs, proposals, strict=True)]


def _checked(text: str, proposal: Proposal) -> Proposal | StageReport:
    try:
        check_edits(text, proposal.edits)
    except EditError as exc:
        return StageReport("", StageStatus.FAILED, 0.0, f"EditError: {exc}")
    return proposal


def _problem(stage: Stage, status: StageStatus, reason: str) -> StageReport:
    return StageReport(stage.name, status, 0.0, reason)
