"""Tables (SQLAlchemy 2.0 declarative); the schema itself is made by the Alembic migrations.

Every row belongs to a newsroom (`copydesk.service.settings.Caller`). Ids that the API
shows are random tokens (`new_id`), so that nobody reaches a row by counting; glossaries
made before newsrooms keep their old numbers, as text.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID_CHARS = 32  # a new id has 22 (128 random bits); old glossary ids are at most 19 digits


def _now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """A random, URL-safe id of 128 bits; never all digits, which old glossary ids are."""
    while True:
        token = secrets.token_urlsafe(16)
        if not token.isdigit():
            return token


class Base(DeclarativeBase):
    pass


class GlossaryRow(Base):
    __tablename__ = "glossaries"
    __table_args__ = (UniqueConstraint("newsroom", "name", name="uq_glossaries_newsroom_name"),)

    id: Mapped[str] = mapped_column(String(ID_CHARS), primary_key=True, default=new_id)
    newsroom: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    terms: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, onupdate=_now
    )


class FeedbackRow(Base):
    """One editor's decision on one edit; its id is internal (the API never shows it)."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    newsroom: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(128), default="")
    confidence: Mapped[float] = mapped_column(Float)
    accepted: Mapped[bool] = mapped_column()
    # "decided" (accepted says how), or "not_reviewed": nobody looked at it.
    decision: Mapped[str] = mapped_column(String(16), default="decided")
    review: Mapped[str | None] = mapped_column(String(64), nullable=True)  # one editor's pass
    edit: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the edit's id in it
    original: Mapped[str] = mapped_column(Text, default="")
    replacement: Mapped[str] = mapped_column(Text, default="")
    # The text the edit was proposed on and its offset there, where the decision came
    # with them (what the newsroom's judge of edits learns from).
    context: Mapped[str | None] = mapped_column(Text, nullable=True)
    start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class JobRow(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    newsroom: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    spec: Mapped[dict] = mapped_column(JSON)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    records: Mapped[int] = mapped_column(Integer, default=0)
    rejects: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, onupdate=_now
    )


class LearnedRow(Base):
    """One thing a newsroom's decisions taught: a rule's cutoff, a protected word, or a
    glossary entry its hand corrections propose (`copydesk.service.learning`)."""

    __tablename__ = "learned"
    __table_args__ = (UniqueConstraint("newsroom", "kind", "key", name="uq_learned_key"),)

    id: Mapped[str] = mapped_column(String(ID_CHARS), primary_key=True, default=new_id)
    newsroom: Mapped[str] = mapped_column(String(64), index=True)
    # "cutoff", "protected", "candidate" or "judge" (the newsroom's judge of edits)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(500))  # the rule, the word, "variant -> term"
    # "active" (in force), "proposed" (a candidate awaiting approval), "approved" (a
    # candidate in the newsroom's glossary) or "undone" (relearning leaves it undone).
    status: Mapped[str] = mapped_column(String(16))
    value: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, onupdate=_now
    )


class LearningRunRow(Base):
    """One relearning of a newsroom: when, from what, and what it changed."""

    __tablename__ = "learning_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    newsroom: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(32))
    decisions: Mapped[int] = mapped_column(Integer, default=0)
    changes: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ReviewRow(Base):
    """An editor's review kept to reopen: the repair, the text on screen and the decisions.
    The page owns the shape of ``state``; the service keeps it whole."""

    __tablename__ = "reviews"

    id: Mapped[str] = mapped_column(String(ID_CHARS), primary_key=True, default=new_id)
    newsroom: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, onupdate=_now
    )


class PersonalWordRow(Base):
    """One word of an API key's personal dictionary (LanguageTool's ``/v2/words``).

    A dictionary belongs to one key of one newsroom; the key is kept as a hash, never
    itself. With keys off, every request is the default newsroom's, with no key.
    """

    __tablename__ = "personal_words"
    __table_args__ = (
        UniqueConstraint("newsroom", "key_hash", "dict", "word", name="uq_personal_words"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    newsroom: Mapped[str] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(64))
    dict: Mapped[str] = mapped_column(String(100), default="")
    word: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
