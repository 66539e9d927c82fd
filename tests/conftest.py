"""Fixtures shared across the test packages, and the unit/integration split.

A test is an integration test when it needs a real outside piece: LanguageTool (Java),
PostgreSQL, Chromium, Ray, a built wheel, or model training. Such tests carry the
``integration`` marker, set here from the fixtures they use or by the test itself;
``make test-unit`` runs the others (``pytest -m "not integration"``) in seconds.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from copydesk.models.casing.config import Architecture, TrainConfig
from copydesk.models.casing.corpus import CorpusSplit
from copydesk.models.casing.tune import train_and_tune
from copydesk.models.errors import StageUnavailable
from copydesk.models.grammar.server import START_TIMEOUT, default_lib_dir, shared_server
from tests.helpers import tiny_corpus
from tests.postgres import pg_bin, running_postgres

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# Fixtures that make a test an integration test.
INTEGRATION_FIXTURES = frozenset(
    {"languagetool_url", "postgres_url", "tiny_model", "tiny_adapter", "shipped_rewrite"}
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        uses = set(getattr(item, "fixturenames", ()))
        if uses & INTEGRATION_FIXTURES or "postgresql" in item.name:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def seed_mt() -> str:
    return (SEEDS / "idlib-mt.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_light() -> str:
    return (SEEDS / "idlib-reference-light.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """A casing model trained for a few seconds on a made-up corpus, and tuned."""
    folder = tmp_path_factory.mktemp("casing-model")
    config = TrainConfig(
        epochs=2,
        batch_rows=16,
        vocab_size=120,
        warmup_steps=5,
        architecture=Architecture(hidden=32, layers=1, heads=2, max_len=64),
    )
    split = CorpusSplit(tiny_corpus(240), tiny_corpus(40, seed=1), [], {"corpus": "made up"})
    report, threshold = train_and_tune(split, folder, config, log=lambda m: None)
    return folder, report, threshold


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server for the session (skipped only where PostgreSQL is not installed)."""
    if pg_bin() is None:
        pytest.skip("PostgreSQL is not installed (make test installs it)")
    with running_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each database the service supports: a SQLite file, and PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/state.db"
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    with engine.begin() as conn:  # a clean schema for every test
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def languagetool_url():
    """One real LanguageTool server for the run, shared with subprocesses.

    It is the grammar stage's own shared server, so in-process pipelines use it too;
    subprocesses find it through LANGUAGETOOL_URL. Without Java or the jars, the tests
    that need it fail with the reason; the others do not notice.
    """
    if shutil.which("java") is None:
        pytest.fail("these tests need Java 17 to run LanguageTool (make test installs the jars)")
    try:
        url = shared_server(str(default_lib_dir())).url(wait=START_TIMEOUT)
    except StageUnavailable as exc:
        pytest.fail(f"LanguageTool is needed by this test: {exc.reason}")
    os.environ["LANGUAGETOOL_URL"] = url
    yield url
