"""Training the quality estimator from the corpora (needs the ``train`` extra).

The recipe: count English n-grams (news-en but newstest 2017–2020, and a slice of
extra-en), learn a Dice lexicon from the Russian-English parallel text (newstest
2012–2016, TICO-19, Tatoeba: `copydesk.models.quality.parallel`), extract the features
of MLQE-PE ru-en train, fit a ridge regression on hashed words (its out-of-fold scores
become two features), then per label and kind of input boosted trees, exported to ONNX,
and a ridge regression over the same features, the two blended; with a source, then a
second stage of the same kind that also reads the other label's out-of-fold first-stage
estimate (stacking).

Every choice was made by cross-validation on train, 5 folds grouped by document (the
proverbs' page, one document of unrelated lines, is cut into chunks); dev is only read
by the evaluation (`copydesk.eval.components.quality`).
"""

from __future__ import annotations

import itertools
import json
import lzma
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.models.quality.bag import bag_rows, full_coefficients
from copydesk.models.quality.config import (
    BAG_FILE,
    FORMAT,
    LABELS,
    LEXICON_FILE,
    LINEAR_FILE,
    NGRAM_FILE,
    ONNX_FILES,
    SETTINGS_FILE,
    STACKED_ONNX_FILES,
    TrainSettings,
)
from copydesk.models.quality.export import trees_to_onnx
from copydesk.models.quality.features import Featurizer, feature_names
from copydesk.models.quality.lexicon import Lexicon
from copydesk.models.quality.linear import LinearModel, blend
from copydesk.models.quality.lm import NgramTables
from copydesk.models.quality.model import INPUTS
from copydesk.models.quality.parallel import held_out_english, tuning_pairs

MLQE = "mlqe-pe-ru-en"
EXTRA = ("wikipedia-2015.en.txt.xz", "ungdc.en.txt.xz")
LENGTH_FEATURES = {"source": "src_words", "english": "mt_words"}


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[: -1 or None]


@dataclass
class QeSplit:
    """One MLQE-PE split: sources, MT, labels and document ids, line-aligned."""

    source: list[str]
    mt: list[str]
    da: np.ndarray
    hter: np.ndarray
    docs: list[str]

    @classmethod
    def read(cls, folder: Path, split: str) -> QeSplit:
        def lines(suffix: str) -> list[str]:
            return read_lines(folder / f"{split}.{suffix}")

        return cls(
            lines("orig.ru"),
            lines("orig.mt.en"),
            np.asarray(lines("da_z_mean"), dtype=np.float64),
            np.asarray(lines("hter"), dtype=np.float64),
            lines("doc_ids"),
        )

    def label(self, name: str) -> np.ndarray:
        return self.da if name == "da" else self.hter


def cv_groups(docs: Sequence[str], chunk: int) -> np.ndarray:
    """Group ids for grouped folds: one per document, the proverbs' page cut into chunks."""
    keys = [d + (f"#{i // chunk}" if "wikiquote" in d else "") for i, d in enumerate(docs)]
    return np.unique(keys, return_inverse=True)[1]


def english_lines(data: Path, extra_lines: int) -> Iterator[str]:
    """news-en without newstest 2017–2020 (the checks' held-out years), then ``extra_lines``
    paragraphs of each extra-en file."""
    held_out = held_out_english(data)
    yield from (
        x for x in read_lines(data / "news-en" / "newstest2008-2020.en.txt") if x not in held_out
    )
    for name in EXTRA:
        path = data / "extra-en" / name
        if path.is_file() and extra_lines:
            with lzma.open(path, "rt", encoding="utf-8") as f:
                yield from itertools.islice(f, extra_lines)


def _folds(groups: np.ndarray, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import GroupKFold

    n = min(n, len(np.unique(groups)))
    return list(GroupKFold(n).split(groups, groups=groups))


def _ridge(bag: Any, y: np.ndarray, alpha: float) -> Any:
    from sklearn.linear_model import Ridge

    return Ridge(alpha=alpha).fit(bag, y)


def _oof_bag(bag: Any, y: np.ndarray, groups: np.ndarray, s: TrainSettings) -> np.ndarray:
    """Out-of-fold ridge scores (rows × labels), so no row is scored by a fit that saw it."""
    out = np.zeros(y.shape)
    for tr, te in _folds(groups, s.folds):
        out[te] = _ridge(bag[tr], y[tr], s.bag_alpha).predict(bag[te])
    return out


def _trees(x: np.ndarray, y: np.ndarray, s: TrainSettings) -> Any:
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(
        learning_rate=s.learning_rate,
        max_iter=s.max_iter,
        max_leaf_nodes=s.max_leaf_nodes,
        min_samples_leaf=s.min_samples_leaf,
        l2_regularization=s.l2_regularization,
        random_state=s.seed,
    ).fit(x, y)


def _length_fit(x: np.ndarray, y: np.ndarray, bins: int = 12) -> dict[str, list[float]]:
    """The length-only baseline: the mean label per bin of a word count (bins at quantiles)."""
    edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)[1:-1]))
    which = np.searchsorted(edges, x, side="right")
    means = [
        float(y[which == b].mean()) if (which == b).any() else float(y.mean())
        for b in range(len(edges) + 1)
    ]
    return {"edges": edges.round(6).tolist(), "means": np.round(means, 6).tolist()}


def length_predict(fit: dict[str, list[float]], x: np.ndarray) -> np.ndarray:
    return np.asarray(fit["means"])[np.searchsorted(fit["edges"], x, side="right")]


def _ranks(x: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties sharing their mean rank (as Spearman's rho needs)."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x))
    ranks[order] = np.arange(1, len(x) + 1)
    values, inverse = np.unique(x, return_inverse=True)
    sums = np.bincount(inverse, weights=ranks, minlength=len(values))
    return (sums / np.bincount(inverse, minlength=len(values)))[inverse]


def correlations(pred: np.ndarray, gold: np.ndarray) -> dict[str, float | None]:
    """Pearson and Spearman; None where the prediction is constant (undefined)."""
    pred, gold = np.asarray(pred, dtype=np.float64), np.asarray(gold, dtype=np.float64)
    if np.ptp(pred) == 0:
        return {"pearson": None, "spearman": None}
    return {
        "pearson": round(float(np.corrcoef(pred, gold)[0, 1]), 4),
        "spearman": round(float(np.corrcoef(_ranks(pred), _ranks(gold))[0, 1]), 4),
    }


def _fit_predict(xtr: np.ndarray, y: np.ndarray, xte: np.ndarray, s: TrainSettings) -> np.ndarray:
    """Trees and the linear model fitted on one label, their blended predictions."""
    trees = _trees(xtr, y, s).predict(xte)
    return blend(trees, LinearModel.fit(xtr, y, s.linear_alpha).predict(xte), s.linear_weight)


def other_label(estimates: np.ndarray, j: int) -> np.ndarray:
    """The second stage's extra column for label ``j``: the other label's estimate."""
    return estimates[:, [1 - j]]


def cross_validate(
    x: np.ndarray,
    bag: Any,
    labels: np.ndarray,
    groups: np.ndarray,
    s: TrainSettings,
    first: np.ndarray | None = None,
) -> np.ndarray:
    """Out-of-fold predictions (rows × labels) of the whole recipe, the bag nested inside.

    ``first``: the first stage's out-of-fold estimates (this function without it, on the
    same rows and folds); given, the second stage's predictions come back, the first
    stage on each training part cross-validated again inside it, so that no estimate a
    row is fitted on saw that row's labels."""
    pred = np.zeros(labels.shape)
    for tr, te in _folds(groups, s.folds):
        inner = _oof_bag(bag[tr], labels[tr], groups[tr], s)
        outer = _ridge(bag[tr], labels[tr], s.bag_alpha).predict(bag[te])
        xtr, xte = np.hstack([x[tr], inner]), np.hstack([x[te], outer])
        if first is not None:
            inner_first = cross_validate(x[tr], bag[tr], labels[tr], groups[tr], s)
        for j in range(labels.shape[1]):
            if first is None:
                pred[te, j] = _fit_predict(xtr, labels[tr, j], xte, s)
                continue
            pred[te, j] = _fit_predict(
                np.hstack([xtr, other_label(inner_first, j)]),
                labels[tr, j],
                np.hstack([xte, other_label(first[te], j)]),
                s,
            )
    return pred


def _tables(data: Path, out: Path, s: TrainSettings, tables: Path | None, log: Callable) -> None:
    """The n-gram counts and the lexicon: built from the corpora, or copied from ``tables``."""
    if tables is not None:
        for name in (NGRAM_FILE, LEXICON_FILE):
            if (tables / name).resolve() != (out / name).resolve():
                shutil.copyfile(tables / name, out / name)
        log(f"n-gram counts and lexicon: from {tables}")
        return
    ngrams = NgramTables.build(english_lines(data, s.extra_lines), s.ngram_bits, s.ngram_min_count)
    ngrams.save(out / NGRAM_FILE)
    log(f"n-gram counts: {ngrams.total:,} tokens")
    lexicon = Lexicon.learn(tuning_pairs(data))
    lexicon.save(out / LEXICON_FILE)
    log(f"lexicon: {len(lexicon.table):,} Russian keys")


def train_quality(
    data: Path,
    out: Path,
    settings: TrainSettings | None = None,
    *,
    qe_folder: Path | None = None,
    tables: Path | None = None,
    log: Callable[[str], object] = print,
) -> dict:
    """Build every table and graph into ``out``; returns what ``config.json`` records.

    ``tables``: a model folder whose n-gram counts and lexicon are reused as they are
    (the checks read the same tables, so retraining the estimator need not change them).
    """
    s = settings or TrainSettings()
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    _tables(data, out, s, tables, log)
    featurizer = Featurizer.load(out, NGRAM_FILE, LEXICON_FILE)
    train = QeSplit.read(qe_folder or data / MLQE, "train")
    groups = cv_groups(train.docs, s.proverb_chunk)
    labels = np.stack([train.label(name) for name in LABELS], axis=1)
    record: dict = {"format": FORMAT, "settings": s.model_dump(mode="json"), "inputs": {}}
    bags: dict[str, np.ndarray] = {}
    linears: dict[str, np.ndarray] = {}
    cv: dict = {}
    for kind, feature_groups in INPUTS.items():
        sources = train.source if kind == "source" else [None] * len(train.mt)
        x = np.stack(
            [
                featurizer.row(m, src, feature_groups)
                for m, src in zip(train.mt, sources, strict=True)
            ]
        )
        bag, buckets = bag_rows(list(zip(train.mt, sources, strict=True)))
        names = feature_names(feature_groups)
        first = cross_validate(x, bag, labels, groups, s)
        stacked = (LABELS[0], kind) in STACKED_ONNX_FILES
        pred = cross_validate(x, bag, labels, groups, s, first) if stacked else first
        lengths = x[:, names.index(LENGTH_FEATURES[kind])]
        length_pred = np.zeros(labels.shape)
        for tr, te in _folds(groups, s.folds):
            for j in range(labels.shape[1]):
                length_pred[te, j] = length_predict(
                    _length_fit(lengths[tr], labels[tr, j]), lengths[te]
                )
        cv[kind] = {
            label: {
                "model": correlations(pred[:, j], labels[:, j]),
                **({"first_stage": correlations(first[:, j], labels[:, j])} if stacked else {}),
                "length": correlations(length_pred[:, j], labels[:, j]),
                "constant": correlations(np.full(len(labels), labels[:, j].mean()), labels[:, j]),
            }
            for j, label in enumerate(LABELS)
        }
        log(f"CV ({kind}): {json.dumps(cv[kind])}")
        scores = _oof_bag(bag, labels, groups, s)
        xfull = np.hstack([x, scores])
        for j, label in enumerate(LABELS):
            ridge = _ridge(bag, labels[:, j], s.bag_alpha)
            bags[f"{kind}_{label}"] = full_coefficients(ridge.coef_, buckets)
            bags[f"{kind}_{label}_b"] = np.float64(ridge.intercept_)
            stages = [(ONNX_FILES, xfull, "")]
            if stacked:
                second = np.hstack([xfull, other_label(first, j)])
                stages.append((STACKED_ONNX_FILES, second, "_stacked"))
            for files, extra, suffix in stages:
                trees = _trees(extra, labels[:, j], s)
                graph = trees_to_onnx(trees, extra.shape[1])
                (out / files[(label, kind)]).write_bytes(graph)
                linear = LinearModel.fit(extra, labels[:, j], s.linear_alpha)
                linears.update(linear.arrays(f"{kind}_{label}{suffix}"))
        record["inputs"][kind] = {
            "groups": list(feature_groups),
            "features": [*names, *(f"bag_{label}" for label in LABELS)],
            "length_baseline": {
                label: _length_fit(lengths, labels[:, j]) for j, label in enumerate(LABELS)
            },
            "length_feature": LENGTH_FEATURES[kind],
            "constant_baseline": {
                label: round(float(labels[:, j].mean()), 6) for j, label in enumerate(LABELS)
            },
        }
    np.savez_compressed(out / BAG_FILE, **bags)
    np.savez_compressed(out / LINEAR_FILE, **linears)
    record["cv"] = cv
    record["training"] = {
        "train_segments": len(train.mt),
        "ngram_tokens": featurizer.ngrams.total,
        "lexicon_keys": len(featurizer.lexicon.table),
        "minutes": round((time.time() - started) / 60, 1),
    }
    record["size_bytes"] = sum(p.stat().st_size for p in out.iterdir() if p.name != SETTINGS_FILE)
    (out / SETTINGS_FILE).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return record
