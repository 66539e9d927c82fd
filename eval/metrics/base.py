"""The metric contract: per-segment sufficient statistics, so one pass gives the corpus
score, segment scores and any number of bootstrap resamples.

A metric is bound to its references (and, for GLEU and ERRANT, the original text) when
it is made, as sacrebleu's metrics cache theirs. Every metric has a registry ``name``, a
``signature`` that says how its figures were made, and the same verbs: ``stats`` (per
segment), ``corpus``, ``segments``, ``resampled`` and ``details`` (what the metric has to
say beyond its score: ERRANT's edit counts and M2 files; nothing for the others).
``corpus_score`` and ``sentence_scores`` are sacrebleu's two verbs over the same path.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from copydesk.eval.metrics.edits import KindSpan


@dataclass
class Details:
    """What a metric reports beside its score for one system."""

    edits: dict | None = None  # ERRANT's counts: strict, split, by type, by copydesk kind
    m2: str = ""  # the system's edits as an M2 file
    reference_m2: str = ""  # the references' edits as an M2 file
    extra: dict = field(default_factory=dict)


class Metric(ABC):
    """A metric bound to its references: per-segment stats, corpus and segment scores.

    A concrete metric sets ``name`` (its registry key) and implements ``stats``,
    ``corpus``, ``segments`` and ``signature``; a class that misses the name cannot be
    defined, one that misses a method cannot be made.
    """

    name: ClassVar[str]
    lower_is_better: ClassVar[bool] = False
    needs_original: ClassVar[bool] = False  # scored against the text that was corrected

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        abstract = any(
            getattr(getattr(cls, a, None), "__isabstractmethod__", False) for a in dir(cls)
        )
        if not abstract and not (isinstance(getattr(cls, "name", None), str) and cls.name):
            raise TypeError(f"metric {cls.__qualname__} sets no name")

    def __init__(
        self, references: Sequence[Sequence[str]], original: Sequence[str] | None = None
    ) -> None:
        """Bind the metric to line-aligned reference sets and the text they correct."""
        if self.needs_original and original is None:
            raise ValueError(f"{self.name} needs the original text (the MT that was corrected)")
        self.references = [list(r) for r in references]
        self.original = list(original) if original is not None else None

    @property
    @abstractmethod
    def signature(self) -> str:
        """How the figures were made (settings, tokenisation, reference count, versions)."""

    @abstractmethod
    def stats(self, hypotheses: Sequence[str]) -> np.ndarray:
        """Per-segment sufficient statistics (first axis: segments)."""

    @abstractmethod
    def corpus(self, stats: np.ndarray) -> float:
        """The corpus score of these segments' statistics."""

    @abstractmethod
    def segments(self, stats: np.ndarray) -> np.ndarray:
        """Each segment's own score."""

    def resampled(
        self, stats: np.ndarray, indices: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """Corpus scores of each row of ``indices`` (a bootstrap resample of segments)."""
        return np.array([self.corpus(stats[row]) for row in indices])

    def details(
        self, hypotheses: Sequence[str], kinds: Sequence[Sequence[KindSpan]] | None
    ) -> Details:
        """What the metric says beyond its score (``kinds``: copydesk's edits per segment)."""
        return Details()

    def corpus_score(self, hypotheses: Sequence[str]) -> float:
        """The corpus score of ``hypotheses`` against the references."""
        return self.corpus(self.stats(hypotheses))

    def sentence_scores(self, hypotheses: Sequence[str]) -> np.ndarray:
        """Each hypothesis's score against its references."""
        return self.segments(self.stats(hypotheses))


__all__ = ["Details", "Metric"]
