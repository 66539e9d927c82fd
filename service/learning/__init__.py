"""Learning per newsroom in the service: the store of what was learned, where decisions
come from, and the background schedule (the learning itself is `copydesk.models.learning`)."""

from copydesk.service.learning.scheduler import Relearner
from copydesk.service.learning.sources import decisions_file, implied_from_pairs, paired_texts
from copydesk.service.learning.store import (
    LEARNED_GLOSSARY,
    Run,
    approve,
    entries,
    house_rules,
    last_run,
    learned_glossary,
    relearn,
    store_decisions,
    stored_decisions,
    undo,
)

__all__ = [
    "LEARNED_GLOSSARY",
    "Relearner",
    "Run",
    "approve",
    "decisions_file",
    "entries",
    "house_rules",
    "implied_from_pairs",
    "last_run",
    "learned_glossary",
    "paired_texts",
    "relearn",
    "store_decisions",
    "stored_decisions",
    "undo",
]
