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
    from copydesk.models.casing.model import Architecture
    from copydesk.models.casing.train import TrainConfig, train_casing

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


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server for the session (skipped only where PostgreSQL is not installed)."""
    from tests.postgres import pg_bin, running_postgres

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
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:  # a clean schema for every test
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session", autouse=True)
def languagetool_url():
    """One real LanguageTool server for the whole run, shared with subprocesses.

    It is the grammar stage's own shared server, so in-process pipelines use it too;
    subprocesses find it through LANGUAGETOOL_URL.
    """
    import os

    from copydesk.models.errors import StageUnavailable
    from copydesk.models.grammar.server import shared_server
    from copydesk.models.stages.grammar import DEFAULT_LIB

    try:
        url = shared_server(str(DEFAULT_LIB.resolve())).url()
    except StageUnavailable as exc:
        pytest.fail(f"LanguageTool is needed by the tests: {exc.reason}")
    os.environ["LANGUAGETOOL_URL"] = url
    yield url
