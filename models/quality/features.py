"""Features of one segment for the quality estimator: deterministic, cheap, all numbers.

Groups (`GROUPS`) are measured one by one in docs/experiments/quality.md. The English
ones read the MT alone; the source ones are NaN when there is no source, and the
English-only model never sees them.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import regex
import wordfreq

from copydesk.models.quality.lexicon import Lexicon
from copydesk.models.quality.lm import NGRAM_FEATURES, NgramTables
from copydesk.models.quality.text import CYRILLIC, LETTERS, tokens
from copydesk.models.quality.wordfreqs import FrequencyTable

NUMBER = regex.compile(r"\p{N}+")
LATIN_WORD = regex.compile(r"\b[A-Za-z][A-Za-z\-]+\b")
_CAPITALISED = regex.compile(r"\p{Lu}")

# Feature names by group, in the order `Featurizer` writes them.
GROUPS: dict[str, tuple[str, ...]] = {
    "length": ("mt_words", "mt_chars", "mt_word_len"),
    "freq_en": ("en_zipf_mean", "en_zipf_min", "en_rare", "en_unknown"),
    "lm": NGRAM_FEATURES,
    "form": ("repeats", "max_share", "lower_start", "caps_share", "mt_commas", "mt_punct"),
    "length_src": ("src_words", "src_chars", "len_ratio", "char_ratio"),
    "freq_ru": ("ru_zipf_mean", "ru_zipf_min", "ru_rare", "ru_unknown"),
    "lexicon": ("lex_src_covered", "lex_mt_explained", "lex_src_unknown", "lex_best_dice"),
    "agreement": (
        "num_mismatch", "names_diff", "end_punct_same", "questions_diff", "latin_kept",
        "cyrillic_left", "src_commas", "commas_diff",
    ),
}  # fmt: skip
ENGLISH_GROUPS = ("length", "freq_en", "lm", "form")
SOURCE_GROUPS = ("length_src", "freq_ru", "lexicon", "agreement")


def feature_names(groups: tuple[str, ...]) -> list[str]:
    return [n for g in groups for n in GROUPS[g]]


class Featurizer:
    """Turns (MT, source) into a feature row; the tables are read once."""

    def __init__(
        self,
        ngrams: NgramTables,
        lexicon: Lexicon,
        en_freq: dict[str, float],
        ru_freq: FrequencyTable,
    ) -> None:
        self.ngrams = ngrams
        self.lexicon = lexicon
        self.en_freq = en_freq
        self.ru_freq = ru_freq

    @classmethod
    def load(
        cls, folder: Path, ngram_file: str, lexicon_file: str, ru_freq_file: str
    ) -> Featurizer:
        return cls(
            NgramTables.load(folder / ngram_file),
            Lexicon.load(folder / lexicon_file),
            wordfreq.get_frequency_dict("en"),
            FrequencyTable.load(folder / ru_freq_file),
        )

    def rows(
        self, mts: list[str], sources: list[str | None], groups: tuple[str, ...]
    ) -> np.ndarray:
        """`row` for many segments (rows × features), the n-gram features in one pass."""
        lm = self.ngrams.features_many(mts) if "lm" in groups else [None] * len(mts)
        out = [self.row(m, s, groups, lm=f) for m, s, f in zip(mts, sources, lm, strict=True)]
        return np.stack(out) if out else np.zeros((0, len(feature_names(groups))))

    def row(
        self,
        mt: str,
        source: str | None,
        groups: tuple[str, ...],
        *,
        lm: np.ndarray | None = None,
    ) -> np.ndarray:
        """The features of ``groups`` for one segment, as float64 (NaN where undefined);
        ``lm``: its n-gram features when already computed (`rows`)."""
        mt_tokens = tokens(mt)
        mt_words = [t for t in mt_tokens if LETTERS.match(t)]
        src_tokens = tokens(source) if source is not None else None
        out: list[float] = []
        for g in groups:
            if g in SOURCE_GROUPS and source is None:
                out.extend([math.nan] * len(GROUPS[g]))
            elif g == "length":
                out += [len(mt_words), len(mt), _mean_len(mt_words)]
            elif g == "freq_en":
                out += _freq(mt_words, lambda ws: [self.en_freq.get(w, 0.0) for w in ws])
            elif g == "lm":
                out += list(lm if lm is not None else self.ngrams.features_many([mt])[0])
            elif g == "form":
                out += _form(mt, mt_tokens, mt_words)
            elif g == "length_src":
                src_words = [t for t in src_tokens if LETTERS.match(t)]
                n_mt, n_src = len(mt_words), len(src_words)
                out += [
                    n_src,
                    len(source),
                    math.log((n_mt + 1) / (n_src + 1)),
                    math.log((len(mt) + 1) / (len(source) + 1)),
                ]
            elif g == "freq_ru":
                src_words = [t for t in src_tokens if LETTERS.match(t)]
                out += _freq(src_words, self.ru_freq.freqs)
            elif g == "lexicon":
                out += self.lexicon.features(source, mt)
            elif g == "agreement":
                out += _agreement(source, src_tokens, mt, mt_tokens)
        return np.asarray(out, dtype=np.float64)


def _mean_len(words: list[str]) -> float:
    return sum(map(len, words)) / len(words) if words else 0.0


def _zipf(freq: float) -> float:
    return math.log10(freq) + 9.0 if freq > 0 else 0.0


def _freq(words: list[str], freqs: Callable[[list[str]], list[float]]) -> list[float]:
    """Mean and least Zipf frequency of the words, shares of rare (< 3) and unknown ones;
    ``freqs`` gives each word's frequency (0.0 when unknown)."""
    if not words:
        return [math.nan, math.nan, math.nan, math.nan]
    z = [_zipf(f) for f in freqs([w.lower().replace("’", "'") for w in words])]
    return [sum(z) / len(z), min(z), sum(x < 3 for x in z) / len(z), z.count(0.0) / len(z)]


def _form(mt: str, toks: list[str], words: list[str]) -> list[float]:
    """Repeated words, the most repeated word's share, a lower-case start, capitals, commas."""
    lower = [w.lower() for w in words]
    repeats = sum(1 for a, b in itertools.pairwise(lower) if a == b)
    counts = Counter(w for w in lower if len(w) > 3)
    max_share = max(counts.values()) / len(lower) if counts else 0.0
    first = next((c for c in mt if c.isalpha()), "")
    caps = sum(1 for w in words if len(w) > 1 and w.isupper()) / len(words) if words else 0.0
    punct = sum(1 for t in toks if not t[0].isalnum())
    return [
        repeats,
        max_share,
        float(first.islower()),
        caps,
        mt.count(","),
        punct / len(toks) if toks else 0.0,
    ]


def _capitalised_inside(toks: list[str]) -> int:
    """Capitalised words that do not start a sentence: names, mostly."""
    n, start = 0, True
    for t in toks:
        if t in '.!?:—-«"':
            start = True
            continue
        if LETTERS.match(t):
            if not start and _CAPITALISED.match(t):
                n += 1
            start = False
    return n


def _agreement(source: str, src_toks: list[str], mt: str, mt_toks: list[str]) -> list[float]:
    """Numbers, names, end punctuation, questions, Latin words kept, Cyrillic left, commas."""
    src_nums = Counter(NUMBER.findall(source))
    mt_nums = Counter(NUMBER.findall(mt))
    mismatch = sum(((src_nums - mt_nums) + (mt_nums - src_nums)).values())
    latin = LATIN_WORD.findall(source)
    kept = sum(1 for w in latin if w.lower() in mt.lower()) / len(latin) if latin else 1.0
    end_s = source.rstrip()[-1:] if source.strip() else ""
    end_m = mt.rstrip()[-1:] if mt.strip() else ""
    return [
        mismatch,
        _capitalised_inside(mt_toks) - _capitalised_inside(src_toks),
        float((end_s in ".!?…") == (end_m in ".!?…") and (end_s == "?") == (end_m == "?")),
        mt.count("?") - source.count("?"),
        kept,
        len(CYRILLIC.findall(mt)),
        source.count(","),
        mt.count(",") - source.count(","),
    ]
