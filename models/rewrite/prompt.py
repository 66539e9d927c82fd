"""The prompt the rewrite model is trained and run with.

A plain completion format rather than the instruct chat template: it is shorter and,
trained on pairs where the post-edit often equals the MT, it lets the model copy its
input when the input is already right. The source-language sentence is optional: a
model trained with some prompts carrying it (``source_rate``) learns both layouts, so
the stage can pass the source where the caller gave one and leave it out elsewhere.
"""

from __future__ import annotations

SOURCE = "Source: "
PREFIX = "Machine translation: "
MIDDLE = "\nEdited: "
# Sentences of this many words are rewritten by the stage (shorter ones leave the model
# too little to go on, longer ones exceed what it was trained on); synthetic training
# pairs are drawn from the same range.
MIN_WORDS, MAX_WORDS = 4, 60


def build_prompt(mt: str, source: str | None = None) -> str:
    head = f"{SOURCE}{source.strip()}\n" if source and source.strip() else ""
    return f"{head}{PREFIX}{mt.strip()}{MIDDLE}"
