"""Russian word frequencies as a compact table: wordfreq's list, hashed.

wordfreq's own dictionary of Russian holds 713,000 Python strings (about 120 MB in
memory); the estimator needs only each word's frequency, so the table keeps a 64-bit
hash per word and wordfreq's centibel bucket (its frequency is ``10 ** (-bucket / 100)``,
exactly the value wordfreq's dictionary holds): about 6 MB. English stays wordfreq's
dictionary, which the casing rules load in the same process anyway.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def word_key(word: str) -> int:
    """64 bits: CRC-32 of the word, then of the word reversed (no two of wordfreq's collide)."""
    data = word.encode("utf-8")
    return zlib.crc32(data) << 32 | zlib.crc32(data[::-1])


class FrequencyTable:
    """A word -> frequency lookup with the interface of wordfreq's dictionary (``get``)."""

    def __init__(self, keys: np.ndarray, buckets: np.ndarray) -> None:
        self.keys = keys  # uint64, sorted, unique
        self.buckets = buckets  # uint16, aligned with keys
        # Each bucket's frequency as wordfreq computes it (``cB_to_freq``), to the last bit.
        top = int(buckets.max()) + 1 if len(buckets) else 0
        self.bucket_freq = np.asarray([10 ** (-i / 100) for i in range(top)], dtype=np.float64)
        self._seen: dict[str, float] = {}  # words looked up lately: most words recur

    CACHE = 1 << 16

    @classmethod
    def from_wordfreq(cls, lang: str) -> FrequencyTable:
        """From wordfreq's list for ``lang`` (read without keeping wordfreq's cached copy)."""
        import wordfreq

        return cls.from_buckets(wordfreq.get_frequency_list.__wrapped__(lang))

    @classmethod
    def from_buckets(cls, pack: Sequence[Sequence[str]]) -> FrequencyTable:
        """From wordfreq's layout: ``pack[b]`` lists the words of frequency 10 ** (-b / 100)."""
        keys = np.fromiter(
            (word_key(w) for bucket in pack for w in bucket),
            dtype=np.uint64,
            count=sum(map(len, pack)),
        )
        buckets = np.repeat(np.arange(len(pack), dtype=np.uint16), [len(b) for b in pack])
        order = np.argsort(keys, kind="stable")
        keys, buckets = keys[order], buckets[order]
        last = np.append(keys[1:] != keys[:-1], True)[: len(keys)]  # a repeat: last bucket wins
        return cls(keys[last], buckets[last])

    def save(self, path: Path) -> None:
        np.savez_compressed(path, keys=self.keys, buckets=self.buckets)

    @classmethod
    def load(cls, path: Path) -> FrequencyTable:
        with np.load(path) as z:
            return cls(z["keys"], z["buckets"])

    def freqs(self, words: list[str]) -> list[float]:
        """Each word's frequency, 0.0 for a word wordfreq does not know."""
        missing = [w for w in dict.fromkeys(words) if w not in self._seen]
        if missing:
            if len(self._seen) > self.CACHE:
                self._seen.clear()
            self._seen.update(zip(missing, self._lookup(missing), strict=True))
        return [self._seen[w] for w in words]

    def _lookup(self, words: list[str]) -> list[float]:
        if not len(self.keys):
            return [0.0] * len(words)
        keys = np.fromiter(map(word_key, words), dtype=np.uint64, count=len(words))
        where = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        hit = self.keys[where] == keys
        return np.where(hit, self.bucket_freq[self.buckets[where]], 0.0).tolist()

    def get(self, word: str, default: float = 0.0) -> float:
        """One word's frequency, as wordfreq's dictionary's ``get``."""
        return self.freqs([word])[0] or default

    def __len__(self) -> int:
        return len(self.keys)
