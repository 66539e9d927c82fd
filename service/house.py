"""A caller's house rules (`copydesk.models.house.HouseRules`), loaded from the state
database for each request: the one place every way in gets them from."""

from __future__ import annotations

from sqlalchemy.orm import Session

from copydesk.models.house import HouseRules
from copydesk.service import dictionary
from copydesk.service.learning.store import house_rules as learned_rules
from copydesk.service.settings import Caller

__all__ = ["house_rules"]


def house_rules(session: Session, caller: Caller) -> HouseRules:
    """What copydesk must respect for ``caller``: the words of its key's personal
    dictionaries and what its newsroom learned from its editors' decisions (protected
    words and cutoffs). Never another newsroom's."""
    personal = HouseRules.of(dictionary.words(session, caller))
    return learned_rules(session, caller.newsroom).merged(personal)
