"""A Russian -> English lexicon learned from parallel sentences by association (Dice).

Keys are cut-down words (`ru_key`, `en_key`), not lemmas: cheap at run time, and the
cut merges most inflections of a word. For each Russian key the lexicon keeps the
English keys whose Dice coefficient with it is highest, above a floor.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from copydesk.models.quality.text import LETTERS, en_key, ru_key, tokens

STOP_EN = frozenset(
    "the a an of to in and or is are was were be been it its this that for on at by with as "
    "from but not no he she they we you i his her their our my your them him us me".split()
)


def ru_keys(text: str) -> list[str]:
    return [ru_key(t) for t in tokens(text) if LETTERS.match(t)]


def en_keys(text: str) -> list[str]:
    return [en_key(t) for t in tokens(text) if LETTERS.match(t) and t.lower() not in STOP_EN]


class Lexicon:
    """Russian key -> {English key: Dice}."""

    def __init__(self, table: dict[str, dict[str, float]]) -> None:
        self.table = table

    @classmethod
    def learn(
        cls,
        pairs: Iterable[tuple[str, str]],
        *,
        min_count: int = 2,
        min_dice: float = 0.05,
        top: int = 8,
    ) -> Lexicon:
        """Dice of every co-occurring (Russian key, English key) over sentence pairs."""
        from sklearn.feature_extraction import DictVectorizer  # the ``train`` extra

        pairs = list(pairs)
        r_vec, e_vec = DictVectorizer(), DictVectorizer()
        r = r_vec.fit_transform([dict.fromkeys(ru_keys(ru), 1.0) for ru, _ in pairs])
        e = e_vec.fit_transform([dict.fromkeys(en_keys(en), 1.0) for _, en in pairs])
        co = (r.T @ e).tocoo()
        fr = np.asarray(r.sum(axis=0)).ravel()
        fe = np.asarray(e.sum(axis=0)).ravel()
        dice = 2 * co.data / (fr[co.row] + fe[co.col])
        keep = (co.data >= min_count) & (dice >= min_dice)
        ru_names = r_vec.feature_names_
        en_names = e_vec.feature_names_
        table: dict[str, dict[str, float]] = {}
        for f, w, d in zip(co.row[keep], co.col[keep], dice[keep], strict=True):
            table.setdefault(str(ru_names[f]), {})[str(en_names[w])] = round(float(d), 3)
        for k, v in table.items():
            table[k] = dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
        return cls(table)

    def save(self, path: Path) -> None:
        """One line per Russian key: the key, then ``english:dice`` pairs, tab-separated."""
        lines = [
            "\t".join([k, *(f"{e}:{d:g}" for e, d in v.items())])
            for k, v in sorted(self.table.items())
        ]
        data = ("\n".join(lines) + "\n").encode("utf-8")
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
            f.write(data)  # a fixed mtime: the same table gives the same bytes

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        table: dict[str, dict[str, float]] = {}
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                key, *rest = line.rstrip("\n").split("\t")
                table[key] = {e: float(d) for e, _, d in (p.rpartition(":") for p in rest)}
        return cls(table)

    def features(self, source: str, mt: str) -> list[float]:
        """How much of each side the other explains: the share of known source words with a
        translation in the MT, the share of MT words some source word translates to, the
        share of source words the lexicon does not know, the mean best Dice per source word."""
        src = ru_keys(source)
        tgt = en_keys(mt)
        tgt_set = set(tgt)
        known = [k for k in src if k in self.table]
        covered = [k for k in known if tgt_set.intersection(self.table[k])]
        best = [
            max((d for e, d in self.table[k].items() if e in tgt_set), default=0.0) for k in known
        ]
        explained: set[str] = set()
        for k in known:
            explained.update(self.table[k])
        return [
            len(covered) / len(known) if known else np.nan,
            sum(1 for t in tgt if t in explained) / len(tgt) if tgt else np.nan,
            1 - len(known) / len(src) if src else np.nan,
            float(np.mean(best)) if best else np.nan,
        ]
