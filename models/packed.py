"""A large word list packed for lookup: one UTF-8 blob and three arrays, no Python strings.

A dict of a few hundred thousand words costs 100 to 200 bytes a word in Python objects
(more for Cyrillic); packed, a word costs its UTF-8 bytes and 16 bytes of arrays. A
lookup hashes the word (CRC-32, the same in every process), finds the words with that
hash by binary search, and compares their bytes, so it is exact: `position` answers what
``{w: i for i, w in enumerate(words)}.get(w, -1)`` would.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np


class PackedWords:
    """Words by position; `position` finds a word's last position (-1 if absent)."""

    def __init__(self, words: Sequence[bytes]) -> None:
        hashes = np.fromiter(map(zlib.crc32, words), dtype=np.int64, count=len(words))
        # By hash, then by position: equal hashes are scanned from the last position back.
        order = np.lexsort((np.arange(len(words)), hashes))
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        self._hashes = hashes[order]
        self._ends = np.cumsum(lengths[order]).astype(np.uint32)
        self._positions = order.astype(np.uint32)
        self._blob = b"".join([words[i] for i in order])

    def __len__(self) -> int:
        return int(self._positions.size)

    @property
    def nbytes(self) -> int:
        arrays = (self._hashes, self._ends, self._positions)
        return sum(a.nbytes for a in arrays) + len(self._blob)

    def position(self, word: str) -> int:
        """The last position of ``word`` in the list, else -1."""
        key = word.encode("utf-8", "surrogatepass")
        h = zlib.crc32(key)
        at = int(self._hashes.searchsorted(h, "right"))
        while at > 0 and self._hashes[at - 1] == h:
            at -= 1
            if self._blob[(self._ends[at - 1] if at else 0) : self._ends[at]] == key:
                return int(self._positions[at])
        return -1
