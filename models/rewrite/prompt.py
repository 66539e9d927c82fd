"""The prompt the rewrite model is trained and run with.

A plain completion format rather than the instruct chat template: it is shorter
(training cost on the CPU is per token) and, trained on pairs where the post-edit often
equals the MT, it lets the model copy its input when the input is already right.
The Russian source is not in the prompt: SmolLM2's tokenizer spends 3-4 tokens per
Russian word, which would double the training cost per pair.
"""

from __future__ import annotations

PREFIX = "Machine translation: "
MIDDLE = "\nEdited: "


def build_prompt(mt: str) -> str:
    return f"{PREFIX}{mt.strip()}{MIDDLE}"
