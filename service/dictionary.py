"""Personal dictionaries: the words each API key adds through LanguageTool's ``/v2/words``.

A dictionary belongs to one key of one newsroom (no account needed: the key is the
user, as LanguageTool's ``apiKey``); named dictionaries (``dict``) sit beside the
default one (``""``). The words are protected from every repair of that key
(`copydesk.service.house`).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from copydesk.service.db.tables import PersonalWordRow
from copydesk.service.settings import Caller

MAX_WORDS = 10_000  # per key, over all its dictionaries
MAX_WORD_CHARS = 200
MAX_DICT_CHARS = 100


class DictionaryFull(Exception):
    """The key's dictionaries hold `MAX_WORDS` already."""


def key_hash(caller: Caller) -> str:
    """Whose dictionary: a hash of the caller's key (empty when keys are off)."""
    if caller.key is None:
        return ""
    return hashlib.sha256(caller.key.encode("utf-8")).hexdigest()


def _mine(caller: Caller):  # noqa: ANN202 - a SQLAlchemy clause
    return (PersonalWordRow.newsroom == caller.newsroom) & (
        PersonalWordRow.key_hash == key_hash(caller)
    )


def words(
    session: Session,
    caller: Caller,
    dicts: list[str] | None = None,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[str]:
    """The caller's words, in alphabetical order (of ``dicts`` only, when given)."""
    query = select(PersonalWordRow.word).where(_mine(caller))
    if dicts is not None:
        query = query.where(PersonalWordRow.dict.in_(dicts))
    query = query.distinct().order_by(PersonalWordRow.word).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def add(session: Session, caller: Caller, word: str, dict_name: str = "") -> bool:
    """Add ``word``; False when the dictionary has it already."""
    mine = _mine(caller)
    count = session.scalar(select(func.count()).select_from(PersonalWordRow).where(mine))
    exists = session.scalar(
        select(PersonalWordRow.id).where(
            mine, PersonalWordRow.dict == dict_name, PersonalWordRow.word == word
        )
    )
    if exists is not None:
        return False
    if (count or 0) >= MAX_WORDS:
        raise DictionaryFull(f"a key's dictionaries hold at most {MAX_WORDS} words")
    session.add(
        PersonalWordRow(
            newsroom=caller.newsroom, key_hash=key_hash(caller), dict=dict_name, word=word
        )
    )
    try:
        session.commit()
    except IntegrityError:  # the same word added by a request beside this one
        session.rollback()
        return False
    return True


def remove(session: Session, caller: Caller, word: str, dict_name: str = "") -> bool:
    """Delete ``word``; False when the dictionary did not have it."""
    done = session.execute(
        delete(PersonalWordRow).where(
            _mine(caller), PersonalWordRow.dict == dict_name, PersonalWordRow.word == word
        )
    )
    session.commit()
    return bool(done.rowcount)
