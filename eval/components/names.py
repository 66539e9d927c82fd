"""Evaluating name repair on documents with one name garbled on purpose, and on real MT.

The garbled set is built from clean news: in each document one name used at least
twice is garbled once (not at its first use) in one of three ways MT garbles names: a
Russian adjective ending (``Idlib`` -> ``Idlibskiy``, with a letter changed half the
time), one or two letters changed (first letter kept), or a transliteration variant
(``Sergey`` -> ``Sergei``). Documents left clean measure false edits.

News has real misspellings of its own (``Merkal``, ``Dortmend``), so an edit that is not
the planted repair is not always wrong. ``names_judged.tsv`` records a person's verdict
on such edits (document number, original, replacement): the "judged" figures count the
ones judged right as right; edits nobody has judged count as false there too.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from copydesk.eval.suites import Suite
from copydesk.models import Document, RepairContext, Stage
from copydesk.models.names.inventory import name_inventory
from copydesk.models.translit import variant_key
from copydesk.models.wordstats import zipf

ADJECTIVE_ENDINGS = ("skiy", "sky", "skaya", "skoye", "skoy", "ski")
TRANSLIT_SWAPS = (
    ("ey", "ei"),
    ("ei", "ey"),
    ("y", "i"),
    ("i", "y"),
    ("ks", "x"),
    ("x", "ks"),
    ("iy", "y"),
    ("sky", "skiy"),
    ("skiy", "sky"),
)
LETTERS = "aeioulnrstdkmvgb"
JUDGED_FILE = Path(__file__).resolve().parent / "names_judged.tsv"
SEED = 11
JUDGED_COLUMNS = ("document", "original", "replacement", "verdict", "context")
Judgements = dict[tuple[int, str, str], bool]


@dataclass(frozen=True)
class Garbled:
    text: str
    start: int
    end: int
    garbled: str
    expected: str
    how: str


def garble_document(text: str, rng: random.Random) -> Garbled | None:
    """Garble one later use of a repeated name, or None when the document has none."""
    uses = [
        u
        for u in name_inventory(Document.from_text(text)).values()
        if u.count >= 2 and u.mid_sentence and len(u.form) >= 5 and u.form.isalpha()
    ]
    if not uses:
        return None
    use = rng.choice(uses)
    token = rng.choice(use.tokens[1:])
    name = token.text
    for _ in range(20):
        how = rng.choice(("adjective", "letters", "transliteration"))
        garbled = _garble(name, how, rng)
        if garbled and garbled != name and zipf(garbled.lower()) == 0.0:
            if how == "transliteration" and variant_key(garbled) != variant_key(name):
                continue
            if how != "transliteration" and variant_key(garbled) == variant_key(name):
                continue
            new = text[: token.start] + garbled + text[token.end :]
            return Garbled(new, token.start, token.start + len(garbled), garbled, name, how)
    return None


def _garble(name: str, how: str, rng: random.Random) -> str | None:
    if how == "adjective":
        stem = _change_letters(name, 1, rng) if rng.random() < 0.5 else name
        return stem + rng.choice(ADJECTIVE_ENDINGS)
    if how == "letters":
        return _change_letters(name, rng.choice((1, 2)), rng)
    swaps = [(a, b) for a, b in TRANSLIT_SWAPS if name.lower().endswith(a) or (a in name[1:])]
    if not swaps:
        return None
    a, b = rng.choice(swaps)
    if name.lower().endswith(a):
        return name[: -len(a)] + b
    return name[0] + name[1:].replace(a, b, 1)


def _change_letters(name: str, n: int, rng: random.Random) -> str:
    chars = list(name)
    for i in rng.sample(range(1, len(chars)), min(n, len(chars) - 1)):
        chars[i] = rng.choice([c for c in LETTERS if c != chars[i].lower()])
    return "".join(chars)


def score_names(
    stage: Stage,
    documents: Sequence[str],
    *,
    seed: int = SEED,
    threshold: float = 0.7,
    first_document: int = 0,
    judged: Judgements | None = None,
    unjudged: list[dict] | None = None,
) -> dict:
    """Precision and recall of repairs on garbled documents; false edits on clean ones.

    Documents are numbered from ``first_document``; ``judged`` maps (number, original,
    replacement) to a verdict on an edit that is not the planted repair. Such edits
    without a verdict are appended to ``unjudged``, with some context, for a person to judge.
    """
    judged = judged or {}
    rng = random.Random(seed)
    tp = fp = garbled_count = clean_false = clean_words = judged_right = unknown = 0
    clean_right = 0
    by_how: dict[str, list[int]] = {}
    for number, text in enumerate(documents, start=first_document):
        case = garble_document(text, rng) if rng.random() < 0.5 else None
        doc_text = case.text if case else text
        edits = [
            e
            for e in stage.propose(Document.from_text(doc_text), RepairContext())
            if e.confidence >= threshold
        ]
        planted = [
            e
            for e in edits
            if case and (e.start, e.end, e.replacement) == (case.start, case.end, case.expected)
        ]
        for e in edits:
            if e in planted:
                continue
            verdict = judged.get((number, e.original, e.replacement))
            if verdict is None:
                unknown += 1
                if unjudged is not None:
                    unjudged.append(
                        {
                            "document": number,
                            "original": e.original,
                            "replacement": e.replacement,
                            "verdict": "",
                            "context": _context(doc_text, e.start, e.end),
                        }
                    )
            if case is None:
                clean_right += bool(verdict)
            else:
                judged_right += bool(verdict)
        if case is None:
            clean_false += len(edits)
            clean_words += len(text.split())
            continue
        garbled_count += 1
        hit = bool(planted)
        tp += hit
        fp += len(edits) - hit
        by_how.setdefault(case.how, [0, 0])
        by_how[case.how][0] += hit
        by_how[case.how][1] += 1
    per_10k = 10_000 / max(clean_words, 1)
    return {
        "documents": len(documents),
        "garbled": garbled_count,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / garbled_count if garbled_count else 0.0,
        "recall_by_kind": {k: v[0] / v[1] for k, v in sorted(by_how.items())},
        "clean_words": clean_words,
        "false_edits_per_10k_clean_words": clean_false * per_10k,
        "judged": {
            "precision": (tp + judged_right) / (tp + fp) if tp + fp else 0.0,
            "false_edits_per_10k_clean_words": (clean_false - clean_right) * per_10k,
            "edits_judged_right": judged_right + clean_right,
            "edits_not_judged": unknown,
        },
    }


def read_judgements(path: str | Path = JUDGED_FILE) -> Judgements:
    """Verdicts (``right`` or ``wrong``) on edits that are not planted repairs."""
    if not Path(path).is_file():
        return {}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {
            (int(r["document"]), r["original"], r["replacement"]): r["verdict"] == "right"
            for r in rows
            if r["verdict"] in ("right", "wrong")
        }


def write_unjudged(rows: Sequence[dict], path: str | Path) -> None:
    """Edits to judge, as a TSV in ``names_judged.tsv``'s columns (verdict left empty)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, JUDGED_COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _context(text: str, start: int, end: int, width: int = 70) -> str:
    """The words around an edit, on one line, the edited word in [brackets]."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return " ".join(f"{before}[{text[start:end]}]{after}".split())


_CAPITALISED = regex.compile(r"(?<!^)(?<![.!?]\s)\b\p{Lu}\p{Ll}+")


def score_source_aware(
    stage: Stage,
    sources: Sequence[str],
    mts: Sequence[str],
    post_edits: Sequence[str],
    *,
    threshold: float = 0.7,
) -> dict:
    """On real MT: lines whose MT and post-edit differ in a name, with and without the source."""
    result = {}
    for mode in ("without source", "with source"):
        fixed = name_lines = edits_total = edits_right = 0
        for src, mt, pe in zip(sources, mts, post_edits, strict=True):
            context = RepairContext(source=src if mode == "with source" else None)
            edits = [
                e
                for e in stage.propose(Document.from_text(mt), context)
                if e.confidence >= threshold
            ]
            pe_words = set(regex.findall(r"\p{L}+", pe))
            for e in edits:
                edits_total += 1
                edits_right += e.replacement in pe_words and e.original not in pe_words
            mt_names = {w for w in _CAPITALISED.findall(mt) if w not in pe_words}
            pe_names = {
                w for w in _CAPITALISED.findall(pe) if w not in set(regex.findall(r"\p{L}+", mt))
            }
            if mt_names and pe_names:
                name_lines += 1
                fixed += any(e.original in mt_names and e.replacement in pe_names for e in edits)
        result[mode] = {
            "lines": len(mts),
            "lines_with_a_name_difference": name_lines,
            "name_differences_repaired": fixed,
            "edits": edits_total,
            "edits_matching_the_post_edit": edits_right,
        }
    return result


def evaluate_names(
    stage: Stage,
    news: Suite,
    real_mt: Suite | None = None,
    *,
    seed: int = SEED,
    judged: Judgements | None = None,
    unjudged: list[dict] | None = None,
    parallel: Suite | None = None,
    parallel_lines: slice | None = None,
) -> dict:
    """Name repair on ``news`` (a `news-documents` suite, garbled here); given a suite
    with sources (MLQE-PE dev), on real MT with and without its source; given a
    ``parallel`` suite (newstest ru-en), on its human translations with a name garbled
    and the source beside them (`score_source_garbles`)."""
    threshold = stage.threshold if stage.threshold is not None else 0.7
    first = int(str(news.generated.get("documents", "0:")).partition(":")[0] or 0)
    result = {
        "garbled news": score_names(
            stage,
            news.mt,
            seed=seed,
            threshold=threshold,
            first_document=first,
            judged=read_judgements() if judged is None else judged,
            unjudged=unjudged,
        )
    }
    if real_mt is not None and real_mt.source is not None:
        result[real_mt.name] = score_source_aware(
            stage, real_mt.source, real_mt.mt, real_mt.references[0], threshold=threshold
        )
    if parallel is not None and parallel.source is not None:
        lines = parallel_lines or slice(None)
        result[f"{parallel.name} lines {lines.start}:{lines.stop} with a name garbled"] = (
            score_source_garbles(
                stage,
                parallel.references[0][lines],
                parallel.source[lines],
                seed=seed,
                threshold=threshold,
            )
        )
    return result


def garble_line(text: str, source: str, rng: random.Random) -> Garbled | None:
    """Garble, in one translated sentence, a word that renders a name of its Russian
    ``source`` (as the checks read the source's names), or None when it has none."""
    from copydesk.models.checks.names import rendered
    from copydesk.models.checks.names import source_names as checked_names

    names = checked_names(source)
    if not names:
        return None
    found = [
        m
        for m in regex.finditer(r"(?<=\p{L}[\s,]+)\p{Lu}\p{Ll}{4,}\b", text)
        if any(rendered(w, [m.group()]) for n in names for w in n.words)
    ]
    if not found:
        return None
    m = rng.choice(found)
    name = m.group()
    for _ in range(20):
        how = rng.choice(("adjective", "letters", "transliteration"))
        garbled = _garble(name, how, rng)
        if garbled and garbled != name and zipf(garbled.lower()) == 0.0:
            if (how == "transliteration") != (variant_key(garbled) == variant_key(name)):
                continue
            new = text[: m.start()] + garbled + text[m.end() :]
            return Garbled(new, m.start(), m.start() + len(garbled), garbled, name, how)
    return None


def score_source_garbles(
    stage: Stage,
    translations: Sequence[str],
    sources: Sequence[str],
    *,
    seed: int = SEED,
    threshold: float = 0.7,
) -> dict:
    """Name repair with the source, sentence by sentence: in each human translation that
    renders a source name, that word garbled (an adjective ending, letters changed, or a
    transliteration variant); repaired when the stage restores it (any spelling with its
    variant key). Edits on the clean translations are false."""
    from collections import Counter

    planted, repaired, wrong = Counter(), Counter(), Counter()
    false_edits = clean_lines = 0
    for index, (text, source) in enumerate(zip(translations, sources, strict=True)):
        if not text.strip() or not source.strip():
            continue
        context = RepairContext(source=source)
        clean_lines += 1
        false_edits += sum(
            e.confidence >= threshold for e in stage.propose(Document.from_text(text), context)
        )
        g = garble_line(text, source, random.Random(f"{seed}:{index}"))
        if g is None:
            continue
        planted[g.how] += 1
        for e in stage.propose(Document.from_text(g.text), context):
            if e.confidence < threshold:
                continue
            if e.start == g.start and variant_key(e.replacement) == variant_key(g.expected):
                repaired[g.how] += 1
            else:
                wrong[g.how] += 1
    total = sum(planted.values())
    return {
        "lines": clean_lines,
        "false_edits_on_clean_lines": false_edits,
        "garbled": total,
        "recall": round(sum(repaired.values()) / max(1, total), 3),
        "wrong_edits_on_garbled_lines": sum(wrong.values()),
        "by_how": {
            how: {"garbled": n, "repaired": repaired[how], "wrong": wrong[how]}
            for how, n in sorted(planted.items())
        },
    }
