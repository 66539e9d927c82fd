"""The house rules a request runs under: its newsroom's, never another's."""

from __future__ import annotations

from sqlalchemy.orm import Session

from copydesk.models.house import HouseRules
from copydesk.service.learning.store import house_rules as learned_rules
from copydesk.service.settings import Caller


def house_rules(session: Session, caller: Caller) -> HouseRules:
    """The caller's newsroom's protected words and learned cutoffs."""
    return learned_rules(session, caller.newsroom)
