"""wordfreq's word frequencies in arrays, read when first asked.

`wordfreq.get_frequency_dict` keeps a language's whole list as a Python dict, and the
list it was built from beside it: 146 MB resident for Russian (713,447 words), which
the estimator reads only for a segment with a source. `FrequencyTable` holds the same
words packed (`copydesk.models.packed`) with each word's frequency bucket: about 24 MB
for Russian, and the same value for every word (`get` returns what the dict holds).
"""

from __future__ import annotations

import gzip
import threading

import msgpack
import numpy as np
import wordfreq

from copydesk.models.memory import release
from copydesk.models.packed import PackedWords


class FrequencyTable:
    """A language's frequencies (``wordlist="best"``), as `get_frequency_dict` gives them."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._lock = threading.Lock()
        self._table: tuple[PackedWords, np.ndarray, list[float]] | None = None

    def __getstate__(self) -> dict:
        return {"lang": self.lang}  # read again where it is unpickled

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["lang"])

    def _load(self) -> tuple[PackedWords, np.ndarray, list[float]]:
        with self._lock:
            if self._table is None:
                self._table = _read(self.lang)
                release()  # the word list it was built from
            return self._table

    def get(self, word: str, default: float = 0.0) -> float:
        """The word's frequency (a probability), else ``default``."""
        words, buckets, freqs = self._table or self._load()
        # A word in two buckets has the later one's, as in the dict.
        at = words.position(word)
        return freqs[buckets[at]] if at >= 0 else default


def _read(lang: str) -> tuple[PackedWords, np.ndarray, list[float]]:
    """The list's words, each one's bucket (``-cB``), and each bucket's frequency exactly
    as wordfreq computes it (`wordfreq.cB_to_freq`)."""
    pack = _read_pack(wordfreq.available_languages("best")[lang])
    buckets = np.repeat(np.arange(len(pack), dtype=np.uint16), [len(b) for b in pack])
    freqs = [wordfreq.cB_to_freq(-i) for i in range(len(pack))]
    words = PackedWords([w for bucket in pack for w in bucket])
    return words, buckets, freqs


def _read_pack(path: str) -> list[list[bytes]]:
    """`wordfreq.read_cBpack` with the words left as UTF-8 bytes (a third of the memory of
    Cyrillic strings while the table is built)."""
    with gzip.open(path, "rb") as handle:
        data = msgpack.load(handle, raw=True)
    if data[0] != {b"format": b"cB", b"version": 1}:
        raise ValueError(f"{path}: not a cBpack word list")
    return data[1:]
