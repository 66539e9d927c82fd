"""What the reviews API takes and gives: a review saved from the editor's page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from copydesk.service.api.schemas import XmlText


class ReviewIn(BaseModel):
    title: XmlText = Field(min_length=1, max_length=200, description="What the editor calls it.")
    state: dict[str, Any] = Field(
        description="The page's review as it stands: the repair result, the text on screen, "
        "the decisions. Kept whole and given back as sent."
    )


class ReviewSummary(BaseModel):
    id: str
    newsroom: str
    title: str
    created_at: datetime
    updated_at: datetime


class ReviewOut(ReviewSummary):
    state: dict[str, Any]
