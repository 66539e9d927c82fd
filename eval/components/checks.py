"""Evaluating the checks against the source with meaning errors planted in human translations.

Clean segments are human translations with their Russian sources: the post-edits of
MLQE-PE ru-en and the references of WMT newstest ru-en. Into each, where it can, one
error of each kind is planted, in a copy:

- ``number``: a number the source also has is changed (``25`` -> ``35``, ``three`` ->
  ``four``, ``2.5 million`` -> ``3.5 million``);
- ``date``: a month or weekday the source also names becomes another, or a year shifts;
- ``negation``: a negation the source also has is dropped (``did not go`` -> ``did
  go``), or, in a sentence that negates nothing, one is added (``is`` -> ``is not``);
- ``name``: a word that renders a name in the source becomes another segment's name
  (one that is no spelling variant of it: a different variant key, under 70% alike);
- ``omission``: the longest clause between commas (four words or more) is cut.

Apart, for the ``fluency`` check: each clean sentence of six to sixty words and a
scrambled copy of it (`scramble`: a block of words moved, two neighbours swapped), with
another seed than the one its weights were fitted with (`fit_fluency`, on MLQE-PE train).

A planted error is caught when the copy has more flags of its kind than the clean
segment (number and date flags count for each other: a shifted day is both). False
flags are the meaning flags (`copydesk.models.flags.MEANING_KINDS`) on the clean
segments, per 100 segments; the form flags are counted apart.

Thresholds are tuned on the tuning part (MLQE-PE train post-edits and newstest
2012–2016) and the figures reported on the held-out part (MLQE-PE dev post-edits and
newstest 2017–2020).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex
from rapidfuzz.fuzz import ratio

from copydesk.eval.suites import Suite
from copydesk.models.checks import run_checks
from copydesk.models.checks.dates import EN_WEEKDAYS, english_names, russian_names
from copydesk.models.checks.name_table import build_table, write_table
from copydesk.models.checks.names import rendered, source_names
from copydesk.models.checks.negation import english_negation, russian_negation
from copydesk.models.checks.numbers import (
    EN_MONTHS,
    EN_UNITS,
    english_mentions,
    russian_mentions,
)
from copydesk.models.flags import MEANING_KINDS, Flag, FlagKind
from copydesk.models.quality.parallel import NEWSTEST_2017_START, tuning_pairs
from copydesk.models.translit import variant_key

SEED = 30
PLANTED_KINDS = ("number", "date", "negation", "name", "omission")
# A planted error of one kind is caught by a flag of any of these kinds.
CATCHING = {
    "number": {FlagKind.NUMBER, FlagKind.DATE},
    "date": {FlagKind.DATE, FlagKind.NUMBER},
    "negation": {FlagKind.NEGATION},
    "name": {FlagKind.NAME},
    "omission": {FlagKind.OMISSION},
}
AUXILIARIES = regex.compile(
    r"\b(is|are|was|were|will|would|can|could|should|has|have|had|does|did|do|must|may)\b"
)
_WORD_NUMBERS = {v: k for k, v in EN_UNITS.items()}


@dataclass(frozen=True)
class Segment:
    """A clean human translation and its source."""

    text: str
    source: str


@dataclass(frozen=True)
class Planted:
    kind: str
    how: str
    text: str


@dataclass
class PartReport:
    """One part's figures: segments, planted and caught per kind, false flags."""

    segments: int = 0
    planted: Counter = field(default_factory=Counter)
    caught: Counter = field(default_factory=Counter)
    false_flags: Counter = field(default_factory=Counter)
    segments_flagged: int = 0
    seconds: float = 0.0
    examples: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        meaning = sum(n for k, n in self.false_flags.items() if FlagKind(k) in MEANING_KINDS)
        form = sum(self.false_flags.values()) - meaning
        per = 100 / max(1, self.segments)
        return {
            "segments": self.segments,
            "recall": {
                k: round(self.caught[k] / self.planted[k], 3) if self.planted[k] else None
                for k in PLANTED_KINDS
            },
            "planted": {k: self.planted[k] for k in PLANTED_KINDS},
            "caught": {k: self.caught[k] for k in PLANTED_KINDS},
            "false_meaning_flags_per_100": round(meaning * per, 2),
            "segments_with_a_false_meaning_flag_per_100": round(self.segments_flagged * per, 2),
            "false_flags_per_100_by_kind": {
                k: round(n * per, 2) for k, n in sorted(self.false_flags.items())
            },
            "form_flags_per_100": round(form * per, 2),
            "ms_per_segment": round(1000 * self.seconds / max(1, self.segments), 1),
            "examples": self.examples,
        }


def segments_of(suite: Suite, lines: slice | None = None) -> list[Segment]:
    """A suite's first references with their sources, as clean segments."""
    if suite.source is None:
        raise ValueError(f"suite {suite.name} has no source")
    lines = lines or slice(None)
    pairs = zip(suite.references[0][lines], suite.source[lines], strict=True)
    return [Segment(t, s) for t, s in pairs if t.strip() and s.strip()]


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def plant_number(seg: Segment, rng: random.Random) -> Planted | None:
    """Change a number that the source also has."""
    theirs = russian_mentions(seg.source)
    ours = [
        m
        for m in english_mentions(seg.text)
        if not m.weak and not m.is_date and any(m.agrees(t) for t in theirs)
    ]
    if not ours:
        return None
    m = rng.choice(ours)
    said = seg.text[m.start : m.end]
    digits = regex.search(r"\d+", said)
    if digits:
        value = int(digits.group())
        new_value = value + rng.choice([1, 2, 3, 5, 10]) * (
            1 if value < 2 or rng.random() < 0.5 else -1
        )
        new_value = max(new_value, value + 1) if new_value <= 0 else new_value
        new = said[: digits.start()] + str(new_value) + said[digits.end() :]
        return Planted("number", "digits", _replace(seg.text, m.start, m.end, new))
    word = regex.match(r"[A-Za-z]+", said)
    if word and word.group().lower() in EN_UNITS:
        value = EN_UNITS[word.group().lower()]
        options = [w for v, w in _WORD_NUMBERS.items() if v != value and 2 <= v <= 12]
        new_word = rng.choice(options)
        if word.group()[0].isupper():
            new_word = new_word.capitalize()
        new = new_word + said[word.end() :]
        return Planted("number", "words", _replace(seg.text, m.start, m.end, new))
    return None


def plant_date(seg: Segment, rng: random.Random) -> Planted | None:
    """Name another month or weekday than the source, or shift a year."""
    named = {n.what for n in russian_names(seg.source)}
    ours = [n for n in english_names(seg.text) if n.what in named]
    if ours:
        n = rng.choice(ours)
        kind, index = n.what
        pool = EN_MONTHS if kind == "month" else EN_WEEKDAYS
        new = pool[(index + rng.randint(1, len(pool) - 1)) % len(pool)].capitalize()
        return Planted("date", kind, _replace(seg.text, n.start, n.end, new))
    theirs = russian_mentions(seg.source)
    years = [
        m
        for m in english_mentions(seg.text)
        if m.is_date
        and any(m.agrees(t) for t in theirs)
        and regex.fullmatch(r"(19|20)\d\d", seg.text[m.start : m.end])
    ]
    if not years:
        return None
    m = rng.choice(years)
    year = int(seg.text[m.start : m.end]) + rng.choice([-2, -1, 1, 2])
    return Planted("date", "year", _replace(seg.text, m.start, m.end, str(year)))


def plant_negation(seg: Segment, rng: random.Random) -> Planted | None:
    """Drop a negation both sides have, or add one where neither side negates."""
    ours, theirs = english_negation(seg.text), russian_negation(seg.source)
    if ours.count and theirs.count:
        start, end = rng.choice(ours.spans)
        word = seg.text[start:end]
        low = word.lower().replace("’", "'")
        if low in ("not", "never"):
            # "did not go" -> "did go"; drop the space before the word too
            cut_start = start - 1 if start and seg.text[start - 1] == " " else start
            return Planted("negation", "drop", seg.text[:cut_start] + seg.text[end:])
        if low.endswith("n't"):
            base = {"won't": "will", "can't": "can", "cannot": "can"}.get(low, word[:-3])
            return Planted("negation", "drop", _replace(seg.text, start, end, base))
        if low in ("no", "none", "nothing", "nobody", "without"):
            new = {
                "no": "some",
                "none": "all",
                "nothing": "everything",
                "nobody": "everybody",
                "without": "with",
            }[low]
            new = new.capitalize() if word[0].isupper() else new
            return Planted("negation", "drop", _replace(seg.text, start, end, new))
        return None
    if ours.count or theirs.count:
        return None
    aux = list(AUXILIARIES.finditer(seg.text))
    if not aux:
        return None
    m = rng.choice(aux)
    return Planted("negation", "add", _replace(seg.text, m.end(), m.end(), " not"))


def plant_name(seg: Segment, rng: random.Random, pool: Sequence[str]) -> Planted | None:
    """Replace a word that renders a source name by a name from another segment."""
    names = source_names(seg.source)
    if not names:
        return None
    words = list(regex.finditer(r"\b[A-Z][a-z]{2,}\b", seg.text))
    found = []
    for m in words:
        for name in names:
            if any(rendered(w, [m.group()]) for w in name.words):
                found.append(m)
                break
    if not found:
        return None
    m = rng.choice(found)
    for _ in range(20):
        other = rng.choice(pool)
        if (
            variant_key(other) != variant_key(m.group())
            and ratio(other.lower(), m.group().lower()) < 70
            and other not in seg.text
        ):
            return Planted("name", "replace", _replace(seg.text, m.start(), m.end(), other))
    return None


def plant_omission(seg: Segment, rng: random.Random) -> Planted | None:
    """Cut the longest clause between commas (or after the last), four words or more."""
    pieces = [m for m in regex.finditer(r",[^,;:]+", seg.text)]
    clauses = [m for m in pieces if len(m.group().split()) >= 4]
    if not clauses:
        return None
    m = max(clauses, key=lambda c: len(c.group()))
    tail = regex.match(r"[^.!?…]*", m.group()).group()
    out = seg.text[: m.start()] + seg.text[m.start() + len(tail) :]
    if len(out.split()) < 3:
        return None
    return Planted("omission", "clause", out)


def name_pool(segments: Sequence[Segment]) -> list[str]:
    """Names to plant: capitalised words inside the translations that render a source name."""
    pool: set[str] = set()
    for seg in segments[:3000]:
        names = source_names(seg.source)
        for m in regex.finditer(r"(?<=\w[\s,]+)[A-Z][a-z]{3,}\b", seg.text):
            if any(rendered(w, [m.group()]) for n in names for w in n.words):
                pool.add(m.group())
    return sorted(pool)


def plant_all(seg: Segment, rng: random.Random, pool: Sequence[str]) -> list[Planted]:
    """One error of each kind that this segment allows."""
    found = [
        plant_number(seg, rng),
        plant_date(seg, rng),
        plant_negation(seg, rng),
        plant_name(seg, rng, pool),
        plant_omission(seg, rng),
    ]
    return [p for p in found if p is not None and p.text != seg.text]


def _count(flags: Sequence[Flag], kinds: set[FlagKind]) -> int:
    return sum(f.kind in kinds for f in flags)


def evaluate_part(
    segments: Sequence[Segment],
    *,
    seed: int = SEED,
    checker: Callable[[str, str], list[Flag]] = run_checks,
    examples: int = 5,
) -> PartReport:
    """Plant errors into ``segments``, run the checks on clean and planted copies."""
    report = PartReport()
    pool = name_pool(segments)
    for index, seg in enumerate(segments):
        rng = random.Random(f"{seed}:{index}")
        started = time.perf_counter()
        clean = checker(seg.text, seg.source)
        report.seconds += time.perf_counter() - started
        report.segments += 1
        meaning = [f for f in clean if f.is_meaning]
        report.segments_flagged += bool(meaning)
        for flag in clean:
            report.false_flags[flag.kind.value] += 1
            shown = report.examples.setdefault(f"false {flag.kind.value}", [])
            if len(shown) < examples:
                shown.append({"text": seg.text, "source": seg.source, "flag": flag.message})
        for planted in plant_all(seg, rng, pool):
            kinds = CATCHING[planted.kind]
            flags = checker(planted.text, seg.source)
            report.planted[planted.kind] += 1
            if _count(flags, kinds) > _count(clean, kinds):
                report.caught[planted.kind] += 1
            else:
                shown = report.examples.setdefault(f"missed {planted.kind}", [])
                if len(shown) < examples:
                    shown.append({"text": planted.text, "source": seg.source, "how": planted.how})
    return report


@dataclass(frozen=True)
class Record:
    """One segment's flags at every confidence: the clean translation's and each planted
    copy's, as (kind, confidence) pairs, for `trade_off`."""

    clean: tuple[tuple[str, float], ...]
    planted: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]


def record_part(segments: Sequence[Segment], *, seed: int = SEED) -> list[Record]:
    """Plant errors into ``segments`` as `evaluate_part` does, keeping every flag."""
    pool = name_pool(segments)

    def flags(text: str, source: str) -> tuple[tuple[str, float], ...]:
        return tuple(
            (f.kind.value, f.confidence)
            for f in run_checks(text, source, threshold=0)
            if f.is_meaning
        )

    records = []
    for index, seg in enumerate(segments):
        rng = random.Random(f"{seed}:{index}")
        planted = tuple((p.kind, flags(p.text, seg.source)) for p in plant_all(seg, rng, pool))
        records.append(Record(flags(seg.text, seg.source), planted))
    return records


def _at_least(found: tuple[tuple[str, float], ...], kinds: set[str], threshold: float) -> int:
    return sum(k in kinds and c >= threshold for k, c in found)


def trade_off(records: Sequence[Record], thresholds: Sequence[float]) -> dict:
    """Per planted kind and threshold: recall, and false flags of that kind per 100 clean
    segments (the curve to choose a kind's threshold on)."""
    per = 100 / max(1, len(records))
    out: dict = {}
    for kind in PLANTED_KINDS:
        catching = {k.value for k in CATCHING[kind]}
        rows = []
        for t in thresholds:
            planted = caught = false = 0
            for r in records:
                false += sum(k == kind and c >= t for k, c in r.clean)
                for what, found in r.planted:
                    if what == kind:
                        planted += 1
                        caught += _at_least(found, catching, t) > _at_least(r.clean, catching, t)
            rows.append(
                {
                    "threshold": t,
                    "recall": round(caught / max(1, planted), 3),
                    "false_per_100": round(false * per, 2),
                    "planted": planted,
                }
            )
        out[kind] = rows
    return out


def parts(
    mlqe_train: Suite, mlqe_dev: Suite, newstest: Suite, *, limit: int | None = None
) -> dict[str, dict[str, list[Segment]]]:
    """The tuning and held-out parts, each by corpus (``limit``: segments per corpus)."""
    cut = slice(None, limit)
    return {
        "tune": {
            "mlqe-pe train post-edits": segments_of(mlqe_train)[cut],
            "newstest 2012-2016": segments_of(newstest, slice(None, NEWSTEST_2017_START))[cut],
        },
        "held-out": {
            "mlqe-pe dev post-edits": segments_of(mlqe_dev)[cut],
            "newstest 2017-2020": segments_of(newstest, slice(NEWSTEST_2017_START, None))[cut],
        },
    }


def evaluate_checks(
    corpora: dict[str, dict[str, list[Segment]]],
    *,
    seed: int = SEED,
    only: Sequence[str] | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> dict:
    """Each part's and corpus's figures (``only``: the parts to run, e.g. ``held-out``)."""
    out: dict = {}
    for part, by_corpus in corpora.items():
        if only and part not in only:
            continue
        for corpus, segments in by_corpus.items():
            log(f"{part}: {corpus} ({len(segments)} segments)")
            figures = evaluate_part(segments, seed=seed).to_dict()
            figures["fluency"] = evaluate_fluency([seg.text for seg in segments], seed + 1)
            out.setdefault(part, {})[corpus] = figures
    return out


def markdown_table(result: dict) -> str:
    """Recall per kind and false flags per 100 clean segments, one row per corpus."""
    rows = [
        "| part | corpus | segments | "
        + " | ".join(f"recall {k}" for k in PLANTED_KINDS)
        + " | false meaning flags /100 | form flags /100 | recall fluency (scrambled)"
        " | fluency flags /100 | ms/segment |",
        "| --- | --- | ---: | "
        + " | ".join("---:" for _ in PLANTED_KINDS)
        + " | ---: | ---: | ---: | ---: | ---: |",
    ]
    for part, by_corpus in result.items():
        for corpus, r in by_corpus.items():
            recalls = [
                f"{r['recall'][k]:.3f} ({r['planted'][k]})" if r["recall"][k] is not None else "-"
                for k in PLANTED_KINDS
            ]
            rows.append(
                f"| {part} | {corpus} | {r['segments']} | "
                + " | ".join(recalls)
                + f" | {r['false_meaning_flags_per_100']} | {r['form_flags_per_100']}"
                + (
                    f" | {r['fluency']['recall']:.3f} ({r['fluency']['garbled']})"
                    f" | {r['fluency']['false_flags_per_100']}"
                    if "fluency" in r
                    else " | - | -"
                )
                + f" | {r['ms_per_segment']} |"
            )
    return "\n".join(rows) + "\n"


NAME_TABLE_PROVENANCE = """Russian lemma, English word, sentence pairs seen together.
Learnt by copydesk.models.checks.name_table.build_table from ru-en-parallel
(Helsinki-NLP/OPUS-MT-testsets): WMT newstest ru-en 2012-2016 (the first 14,819 pairs;
WMT terms, research use), TICO-19 test (CC0 1.0), Tatoeba eng-rus test (CC BY 2.0 FR).
Newstest 2017-2020 is left out: the checks are evaluated on it."""


def rebuild_name_table(data_dir: Path) -> int:
    """Learn the shipped name table again from the tuning years of the parallel text (the
    same bytes for the same data); returns its number of pairs."""
    pairs = tuning_pairs(data_dir)
    rows = build_table(pairs)
    write_table(rows, NAME_TABLE_PROVENANCE)
    return len(rows)


def scramble(text: str, rng: random.Random) -> str | None:
    """A garbled copy of a sentence, the way word-for-word MT garbles it: a block of two
    to four words moved two or more places, and half the time two neighbours swapped
    (``Turkey will move by the end of February`` -> ``Turkey by the end of February
    will move``). None for a sentence of under six words."""
    body = text.rstrip(".!?")
    words, end = body.split(), text[len(body) :]
    n = len(words)
    if n < 6:
        return None
    k = rng.randint(2, min(4, n - 2))
    i = rng.randrange(0, n - k + 1)
    block, rest = words[i : i + k], words[:i] + words[i + k :]
    j = rng.choice([x for x in range(len(rest) + 1) if abs(x - i) >= 2] or [0])
    out = rest[:j] + block + rest[j:]
    if rng.random() < 0.5:
        a = rng.randrange(0, n - 1)
        out[a], out[a + 1] = out[a + 1], out[a]
    garbled = " ".join(out) + end
    return None if garbled == text else garbled


FLUENCY_PROVENANCE = (
    "Fitted by copydesk.eval.components.checks.fit_fluency on MLQE-PE ru-en train "
    "post-edits (clean) and a scrambled copy of each (garbled); the threshold lets "
    "through 1 flag per 100 clean train sentences."
)


def fluency_sets(lines: Sequence[str], seed: int) -> tuple[list[str], list[str]]:
    """Clean sentences of a length the check reads, and a scrambled copy of each."""
    from copydesk.models.checks.fluency import MAX_WORDS, MIN_WORDS

    clean = [t for t in lines if MIN_WORDS <= len(t.split()) <= MAX_WORDS]
    rng = random.Random(seed)
    pairs = [(t, scramble(t, rng)) for t in clean]
    return [t for t, g in pairs if g], [g for _, g in pairs if g]


def fit_fluency(data_dir: Path, *, false_per_100: float = 1.0) -> dict:
    """Fit the fluency check's weights and threshold on MLQE-PE ru-en train and write
    them next to the check (the same numbers for the same data); returns them."""
    import json

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from copydesk.models.checks.fluency import FEATURES, WEIGHTS_FILE, fluency_features

    lines = (data_dir / "mlqe-pe-ru-en" / "train.detok.pe.en").read_text("utf-8").split("\n")
    clean, garbled = fluency_sets(lines, SEED)
    x = fluency_features(garbled + clean)
    y = np.r_[np.ones(len(garbled)), np.zeros(len(clean))]
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=1.0, max_iter=5000).fit((x - mean) / scale, y)
    p = model.predict_proba((x - mean) / scale)[:, 1]
    threshold = float(np.quantile(p[y == 0], 1 - false_per_100 / 100))
    weights = {
        "provenance": FLUENCY_PROVENANCE,
        "features": list(FEATURES),
        "mean": [round(float(v), 8) for v in mean],
        "scale": [round(float(v), 8) for v in scale],
        "coef": [round(float(v), 8) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 8),
        "threshold": round(threshold, 4),
        "train": {
            "clean": len(clean),
            "garbled": len(garbled),
            "recall": round(float((p[y == 1] >= threshold).mean()), 3),
        },
    }
    WEIGHTS_FILE.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    return weights


def evaluate_fluency(clean_lines: Sequence[str], seed: int = SEED + 1) -> dict:
    """Flags per 100 clean sentences and recall on their scrambled copies."""
    from copydesk.models.checks.fluency import FluencyCheck
    from copydesk.models.document import Document
    from copydesk.models.stage import RepairContext

    check = FluencyCheck()
    clean, garbled = fluency_sets(clean_lines, seed)

    def flagged(text: str) -> bool:
        doc = Document.from_text(text)
        return bool(check.check(doc, RepairContext().pairing(doc)))

    false = sum(map(flagged, clean))
    caught = sum(map(flagged, garbled))
    return {
        "clean": len(clean),
        "false_flags_per_100": round(100 * false / max(1, len(clean)), 2),
        "garbled": len(garbled),
        "recall": round(caught / max(1, len(garbled)), 3),
    }
