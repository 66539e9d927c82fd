"""Tokens and stable hashes shared by the quality estimator's tables and features.

Every table the estimator ships is keyed by these hashes, so they must not change
between training and inference: CRC-32 of the UTF-8 word, mixed into 64 bits.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np
import regex

WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’]*|\p{N}+(?:[.,]\p{N}+)*|[^\s\p{L}\p{N}]")
LETTERS = regex.compile(r"\p{L}")
CYRILLIC = regex.compile(r"\p{Cyrillic}")
_MIX = 0x9E3779B97F4A7C15
BOUNDARY = "\x02"  # the sentence boundary's token in n-gram keys


def tokens(text: str) -> list[str]:
    """Words, numbers and single punctuation marks, in order."""
    return list(_tokens(text))


@lru_cache(maxsize=1024)
def _tokens(text: str) -> tuple[str, ...]:
    # Each segment is read by several feature groups: tokenised once.
    return tuple(WORD.findall(text))


@lru_cache(maxsize=1 << 16)
def word_hash(word: str) -> int:
    """A stable 32-bit hash of a word."""
    return zlib.crc32(word.encode("utf-8"))


def mix_array(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Combine two arrays of hashes into 64-bit keys (multiplication wraps modulo 2**64)."""
    with np.errstate(over="ignore"):
        x = (a.astype(np.uint64) * np.uint64(_MIX)) ^ b.astype(np.uint64)
    return x ^ (x >> np.uint64(29))


@lru_cache(maxsize=1 << 16)
def ru_key(word: str) -> str:
    """A Russian word's lexicon key: lower case, ё as е, cut to its first six letters.

    A cheap stand-in for a lemma: pymorphy3 took about 200 µs a word here, which alone
    would cost more than every other feature together; its lemmas were not tried.
    """
    return word.lower().replace("ё", "е")[:6]


def en_key(word: str) -> str:
    """An English word's lexicon key: lower case, cut to its first six letters."""
    return word.lower()[:6]
