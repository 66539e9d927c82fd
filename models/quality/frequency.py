"""wordfreq's word frequencies in arrays, read when first asked.

`wordfreq.get_frequency_dict` keeps a language's whole list as a Python dict, and the
list it was built from beside it: 146 MB resident for Russian (713,447 words), which
the estimator reads only for a segment with a source. `FrequencyTable` holds the same
words as one UTF-8 blob sorted by hash, with each word's frequency bucket: about 18 MB
for Russian, and the same value for every word (`get` returns what the dict holds).
"""

from __future__ import annotations

import gzip
import threading

import msgpack
import numpy as np
import wordfreq

from copydesk.models.memory import release

_Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, bytes, list[float]]


class FrequencyTable:
    """A language's frequencies (``wordlist="best"``), as `get_frequency_dict` gives them."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._lock = threading.Lock()
        self._arrays: _Arrays | None = None

    def _load(self) -> _Arrays:
        with self._lock:
            if self._arrays is None:
                self._arrays = _read(self.lang)
                release()  # the word list it was built from
            return self._arrays

    def get(self, word: str, default: float = 0.0) -> float:
        """The word's frequency (a probability), else ``default``."""
        hashes, ends, buckets, blob, freqs = self._arrays or self._load()
        key = word.encode("utf-8", "surrogatepass")
        h = hash(key)
        at = int(hashes.searchsorted(h, "right"))
        # Equal hashes are in list order: the last one that is this word wins, as in the
        # dict, where a later bucket's entry replaces an earlier one.
        while at > 0 and hashes[at - 1] == h:
            at -= 1
            if blob[(ends[at - 1] if at else 0) : ends[at]] == key:
                return freqs[buckets[at]]
        return default


def _read(lang: str) -> _Arrays:
    """The list's words sorted by (hash, list order): their hashes, the end of each in the
    blob, each one's bucket (``-cB``); and each bucket's frequency exactly as wordfreq
    computes it (`wordfreq.cB_to_freq`)."""
    pack = _read_pack(wordfreq.available_languages("best")[lang])
    words = [w for bucket in pack for w in bucket]
    buckets = np.repeat(np.arange(len(pack), dtype=np.uint16), [len(b) for b in pack])
    freqs = [wordfreq.cB_to_freq(-i) for i in range(len(pack))]
    del pack
    hashes = np.fromiter(map(hash, words), dtype=np.int64, count=len(words))
    order = np.lexsort((np.arange(len(words)), hashes))
    ends = np.cumsum(np.fromiter(map(len, words), dtype=np.int64, count=len(words))[order])
    blob = b"".join([words[i] for i in order])
    return hashes[order], ends.astype(np.uint32), buckets[order], blob, freqs


def _read_pack(path: str) -> list[list[bytes]]:
    """`wordfreq.read_cBpack` with the words left as UTF-8 bytes (a third of the memory of
    Cyrillic strings while the table is built)."""
    with gzip.open(path, "rb") as handle:
        data = msgpack.load(handle, raw=True)
    if data[0] != {b"format": b"cB", b"version": 1}:
        raise ValueError(f"{path}: not a cBpack word list")
    return data[1:]
