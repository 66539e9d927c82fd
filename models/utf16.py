"""Offsets in UTF-16 code units, which JavaScript and LanguageTool count in."""

from __future__ import annotations


def utf16_offsets(text: str) -> list[int]:
    """UTF-16 offset of every code-point offset 0..len(text)."""
    offsets, total = [0], 0
    for ch in text:
        total += 2 if ord(ch) > 0xFFFF else 1
        offsets.append(total)
    return offsets
