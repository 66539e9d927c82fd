"""The quality estimator's folder layout and training settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

FORMAT = 3
SETTINGS_FILE = "config.json"
EVALUATION_FILE = "evaluation.json"
NGRAM_FILE = "ngrams.npz"
LEXICON_FILE = "lexicon.tsv.gz"
BAG_FILE = "bag.npz"
LINEAR_FILE = "linear.npz"
# One graph per (label, input): with a source, and from the English alone.
ONNX_FILES = {
    ("da", "source"): "da.onnx",
    ("hter", "source"): "hter.onnx",
    ("da", "english"): "da_en.onnx",
    ("hter", "english"): "hter_en.onnx",
}
LABELS = ("da", "hter")
# The second stage (stacking), with a source only: per label, graphs and linear models of
# the same recipe that also read the other label's first-stage estimate. From the
# English alone it lost in cross-validation, so that kind has one stage.
STACKED_ONNX_FILES = {(label, "source"): f"{label}_stacked.onnx" for label in LABELS}
SHIPPED = Path(__file__).resolve().parent / "weights"


class TrainSettings(BaseModel):
    """What `train_quality` reads and how it fits; the defaults are the shipped recipe."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    extra_lines: int = 60_000  # paragraphs of each extra-en file for the n-gram counts
    ngram_bits: tuple[int, int, int] = (20, 22, 22)
    ngram_min_count: int = 2
    bag_alpha: float = 1.0
    learning_rate: float = 0.08
    max_iter: int = 150
    max_leaf_nodes: int = 15
    min_samples_leaf: int = 40
    l2_regularization: float = 1.0
    linear_alpha: float = 10.0  # ridge over the standardised features, beside the trees
    linear_weight: float = 0.4  # its share of the blended estimate
    folds: int = 5
    proverb_chunk: int = 20  # the proverbs' page is one document of unrelated lines
    seed: int = 0
