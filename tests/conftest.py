"""Fixtures shared across the test packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import tiny_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_mt() -> str:
    return (SEEDS / "idlib-mt.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_light() -> str:
    return (SEEDS / "idlib-reference-light.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """A casing model trained for a few seconds on a made-up corpus."""
    from models.casing.model import Architecture
    from models.casing.train import TrainConfig, train_casing

    folder = tmp_path_factory.mktemp("casing-model")
    config = TrainConfig(
        epochs=2,
        batch_rows=16,
        vocab_size=120,
        warmup_steps=5,
        architecture=Architecture(hidden=32, layers=1, heads=2, max_len=64),
    )
    report = train_casing(
        tiny_corpus(240), tiny_corpus(40, seed=1), folder, config, log=lambda m: None
    )
    return folder, report
