"""A tiny quality estimator trained on the MLQE-PE dev excerpt, shared by the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXCERPT = Path(__file__).resolve().parents[2] / "fixtures" / "mlqe-pe-dev-excerpt"
LABELS = Path(__file__).resolve().parent / "fixtures"


def excerpt_data(root: Path) -> Path:
    """A data folder in the corpora's layout, every corpus made of the 120-line excerpt."""
    qe = root / "mlqe-pe-ru-en"
    qe.mkdir(parents=True)
    for split in ("train", "dev"):
        for name in ("orig.ru", "orig.mt.en", "doc_ids"):
            shutil.copy(EXCERPT / f"dev.{name}", qe / f"{split}.{name}")
        for name in ("hter", "da_z_mean"):
            shutil.copy(LABELS / f"dev.{name}", qe / f"{split}.{name}")
    (root / "news-en").mkdir()
    shutil.copy(EXCERPT / "dev.detok.pe.en", root / "news-en" / "newstest2008-2020.en.txt")
    (root / "ru-en-parallel").mkdir()
    shutil.copy(EXCERPT / "dev.orig.ru", root / "ru-en-parallel" / "newstest2012-2020.ru")
    shutil.copy(EXCERPT / "dev.detok.pe.en", root / "ru-en-parallel" / "newstest2012-2020.en")
    return root


@pytest.fixture(scope="session")
def tiny_quality(tmp_path_factory) -> tuple[Path, Path, dict]:
    """(data folder, model folder, what training recorded): a minute's training at most."""
    pytest.importorskip("sklearn")
    pytest.importorskip("skl2onnx")
    from copydesk.models.quality.config import TrainSettings
    from copydesk.models.quality.train import train_quality

    root = tmp_path_factory.mktemp("quality")
    data = excerpt_data(root / "data")
    settings = TrainSettings(
        extra_lines=0,
        ngram_bits=(12, 14, 14),
        ngram_min_count=1,
        max_iter=20,
        min_samples_leaf=5,
        max_leaf_nodes=7,
        folds=3,
    )
    record = train_quality(data, root / "model", settings, log=lambda _: None)
    return data, root / "model", record
