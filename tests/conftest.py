"""Fixtures shared across the test packages."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_mt() -> str:
    return (SEEDS / "idlib-mt.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_light() -> str:
    return (SEEDS / "idlib-reference-light.txt").read_text(encoding="utf-8")
