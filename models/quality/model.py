"""The quality estimator at run time: features, the bag scores, ONNX graphs of boosted
trees and the linear models blended with them; with a source, in two stages: the second
stage's graph for each label also reads the first stage's estimate of the other label.

`QualityModel.estimate(mt, source)` predicts a segment's HTER (the share of words a
post-editor would change, 0-1) and its DA z-score (a judge's rating, higher is better).
Without a source, the English-only graphs answer. No scikit-learn or torch is needed
here: the boosted trees run as ONNX graphs in ONNX Runtime.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import onnxruntime

from copydesk.models.errors import StageUnavailable
from copydesk.models.quality.bag import bag_scores
from copydesk.models.quality.config import (
    BAG_FILE,
    FORMAT,
    LABELS,
    LEXICON_FILE,
    LINEAR_FILE,
    NGRAM_FILE,
    ONNX_FILES,
    SETTINGS_FILE,
    SHIPPED,
    STACKED_ONNX_FILES,
)
from copydesk.models.quality.features import ENGLISH_GROUPS, GROUPS, Featurizer
from copydesk.models.quality.linear import LinearModel, blend

INPUTS = {"source": tuple(GROUPS), "english": ENGLISH_GROUPS}


@dataclass(frozen=True)
class QualityEstimate:
    """One segment's predicted HTER (0-1, lower is better) and DA z-score (higher is better)."""

    hter: float
    da: float


class BagScorer:
    """The linear bag-of-words scores, per input kind and label (see `bag`)."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays
        self.models = {
            kind: [
                (arrays[f"{kind}_{label}"], float(arrays[f"{kind}_{label}_b"])) for label in LABELS
            ]
            for kind in ("source", "english")
        }

    @classmethod
    def load(cls, path: Path) -> BagScorer:
        with np.load(path) as z:
            return cls({k: z[k] for k in z.files})

    def scores(self, kind: str, mt: str, source: str | None) -> list[float]:
        return bag_scores(self.models[kind], mt, source)


@cache
def _session(path: str) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


class QualityModel:
    """A weights folder: features, bag scores, graphs and linear models, read once."""

    def __init__(
        self,
        folder: Path,
        settings: dict,
        featurizer: Featurizer,
        bag: BagScorer,
        linear: dict[tuple[str, str, int], LinearModel],
    ) -> None:
        self.folder = folder
        self.settings = settings
        self.featurizer = featurizer
        self.bag = bag
        self.linear = linear
        self.linear_weight = float(settings["settings"]["linear_weight"])

    @classmethod
    def load(cls, folder: str | Path | None = None) -> QualityModel:
        """Read a weights folder (default: the shipped one)."""
        folder = Path(folder) if folder is not None else SHIPPED
        settings_path = folder / SETTINGS_FILE
        missing = [
            name
            for name in (
                SETTINGS_FILE,
                NGRAM_FILE,
                LEXICON_FILE,
                BAG_FILE,
                LINEAR_FILE,
                *ONNX_FILES.values(),
                *STACKED_ONNX_FILES.values(),
            )
            if not (folder / name).is_file()
        ]
        if missing:
            raise StageUnavailable(
                "quality",
                f"{folder} lacks {', '.join(missing)} (copydesk train quality writes them)",
            )
        settings = json.loads(settings_path.read_text(encoding="utf-8"))
        if settings.get("format") != FORMAT:
            raise StageUnavailable("quality", f"{folder} has format {settings.get('format')}")
        featurizer = Featurizer.load(folder, NGRAM_FILE, LEXICON_FILE)
        with np.load(folder / LINEAR_FILE) as z:
            arrays = {k: z[k] for k in z.files}
        linear = {
            (label, kind, stage): LinearModel.from_arrays(arrays, f"{kind}_{label}{suffix}")
            for stage, (files, suffix) in enumerate(
                ((ONNX_FILES, ""), (STACKED_ONNX_FILES, "_stacked"))
            )
            for label, kind in files
        }
        return cls(folder, settings, featurizer, BagScorer.load(folder / BAG_FILE), linear)

    def features(self, mt: str, source: str | None) -> np.ndarray:
        """The row the graphs read: the feature groups of its kind, then its bag scores."""
        kind = "english" if source is None else "source"
        row = self.featurizer.row(mt, source, INPUTS[kind])
        return np.concatenate([row, self.bag.scores(kind, mt, source)])

    def estimate(self, mt: str, source: str | None = None) -> QualityEstimate:
        """One segment's estimate; ``source`` is its Russian original, when known."""
        return self.estimate_many([mt], [source])[0]

    def estimate_many(
        self, mts: Sequence[str], sources: Sequence[str | None] | None = None
    ) -> list[QualityEstimate]:
        """Estimates for many segments: per kind of input, one graph run per label and
        stage, each blended with its linear model."""
        if sources is None:
            sources = [None] * len(mts)
        if len(sources) != len(mts):
            raise ValueError(f"{len(mts)} segments but {len(sources)} sources")
        out: dict[str, np.ndarray] = {label: np.zeros(len(mts)) for label in LABELS}
        for kind in INPUTS:
            idx = [i for i, s in enumerate(sources) if (s is None) == (kind == "english")]
            if not idx:
                continue
            batch_mts = [mts[i] for i in idx]
            batch_sources = [sources[i] for i in idx]
            features = self.featurizer.rows(batch_mts, batch_sources, INPUTS[kind])
            scores = [
                self.bag.scores(kind, m, s) for m, s in zip(batch_mts, batch_sources, strict=True)
            ]
            rows = np.hstack([features, np.asarray(scores)])
            first = np.stack([self._stage(rows, label, kind, 0) for label in LABELS], axis=1)
            for j, label in enumerate(LABELS):
                out[label][idx] = first[:, j]
                if (label, kind) in STACKED_ONNX_FILES:
                    stacked = np.hstack([rows, first[:, [1 - j]]])
                    out[label][idx] = self._stage(stacked, label, kind, 1)
        hter = np.clip(out["hter"], 0.0, 1.0)
        return [
            QualityEstimate(hter=round(float(h), 6), da=round(float(d), 6))
            for h, d in zip(hter, out["da"], strict=True)
        ]

    def _stage(self, rows: np.ndarray, label: str, kind: str, stage: int) -> np.ndarray:
        """One stage's estimate of one label: its graph blended with its linear model."""
        files = STACKED_ONNX_FILES if stage else ONNX_FILES
        session = _session(str(self.folder / files[(label, kind)]))
        trees = session.run(None, {session.get_inputs()[0].name: rows})[0]
        trees = np.asarray(trees, dtype=np.float64).ravel()
        linear = self.linear[(label, kind, stage)].predict(rows)
        return blend(trees, linear, self.linear_weight)


@cache
def load_shipped() -> QualityModel:
    """The shipped model, read once per process."""
    return QualityModel.load(SHIPPED)


def estimate(mt: str, source: str | None = None) -> QualityEstimate:
    """One segment's estimate from the shipped model."""
    return load_shipped().estimate(mt, source)


def estimate_many(
    mts: Sequence[str], sources: Sequence[str | None] | None = None
) -> list[QualityEstimate]:
    """Many segments' estimates from the shipped model, batched."""
    return load_shipped().estimate_many(mts, sources)
