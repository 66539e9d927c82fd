"""One unit of batch work, whatever format it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Record:
    """Which file and position it came from, its text (with placeholders for inline codes
    when ``meta["placeholders"]``), source, payload, or why it was rejected.

    ``meta["raw_b64"]``, when set, is what the output holds in the record's place if it
    is rejected (a line's or a row's own bytes), so outputs stay aligned with inputs.
    """

    file: int
    key: str
    text: str = ""
    source: str | None = None
    payload: dict[str, Any] | None = None
    reject: str | None = None
    raw: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
