"""Tokens and stable hashes shared by the quality estimator's tables and features.

Every table the estimator ships is keyed by these hashes, so they must not change
between training and inference: CRC-32 of the UTF-8 word, mixed into 64 bits.
"""

from __future__ import annotations

import zlib

import numpy as np
import regex

WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’]*|\p{N}+(?:[.,]\p{N}+)*|[^\s\p{L}\p{N}]")
LETTERS = regex.compile(r"\p{L}")
CYRILLIC = regex.compile(r"\p{Cyrillic}")
MASK64 = (1 << 64) - 1
_MIX = 0x9E3779B97F4A7C15
BOUNDARY = "\x02"  # the sentence boundary's token in n-gram keys


def tokens(text: str) -> list[str]:
    """Words, numbers and single punctuation marks, in order."""
    return WORD.findall(text)


def word_hash(word: str) -> int:
    """A stable 32-bit hash of a word."""
    return zlib.crc32(word.encode("utf-8"))


def mix(a: int, b: int) -> int:
    """Combine two hashes into one 64-bit key (the same arithmetic as `mix_array`)."""
    x = ((a * _MIX) & MASK64) ^ b
    return (x ^ (x >> 29)) & MASK64


def mix_array(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`mix` over uint64 arrays (multiplication wraps modulo 2**64, as `mix` masks)."""
    with np.errstate(over="ignore"):
        x = (a.astype(np.uint64) * np.uint64(_MIX)) ^ b.astype(np.uint64)
    return x ^ (x >> np.uint64(29))


def ru_key(word: str) -> str:
    """A Russian word's lexicon key: lower case, ё as е, cut to its first six letters.

    A cheap stand-in for a lemma: measured against pymorphy3's lemmas in the lexicon
    features (see docs/experiments/quality.md), at a hundredth of the cost.
    """
    return word.lower().replace("ё", "е")[:6]


def en_key(word: str) -> str:
    """An English word's lexicon key: lower case, cut to its first six letters."""
    return word.lower()[:6]
