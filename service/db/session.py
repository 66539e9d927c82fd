"""The database engine and migrations; one engine per app, made at start-up."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for ``url``, its schema brought up to date.

    A SQLite file gets its folder and schema made here; the engine then opens it for
    reading and writing only, a connection per use, so a file deleted or made read-only
    under the running service is an error (503) and never a fresh empty database.
    """
    if not url.startswith("sqlite:///") or url.startswith("sqlite:///:memory:"):
        engine = create_engine(url, pool_pre_ping=True)
        migrate(engine)
        return engine
    path = Path(url.removeprefix("sqlite:///")).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    setup = create_engine(url)
    migrate(setup)
    setup.dispose()
    return create_engine(
        f"sqlite:///file:{path}?mode=rw&uri=true",
        connect_args={"check_same_thread": False},
        poolclass=NullPool,
    )


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)
