"""Evaluating and tuning casing repair: damage clean text with the noise, repair it, compare.

Figures per system: the share of damaged lines restored exactly, the share of clean
lines damaged, case-sensitive TER (sacrebleu), word-level casing accuracy, and F1 of
capitalised words (a word counts as capitalised when its first letter is upper case).
The test sets are casing suites (`[generate] kind = "casing-noise"`): clean lines, and
the same lines damaged by the noise generator.

The casing model's threshold is tuned here too, on the tuning lines (held out of
training, never tested on): the threshold that restores most damaged lines while
damaging at most `MAX_CLEAN_DAMAGE` of the clean ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import regex

from copydesk.eval.cards import EVALUATION_FILE, write_card
from copydesk.eval.harness import repair_segments
from copydesk.eval.metrics import corpus_score
from copydesk.eval.suites import Suite
from copydesk.models import Document, Pipeline, RepairContext, apply_edits
from copydesk.models.casing.config import LEXICON_FILE, TrainConfig
from copydesk.models.casing.corpus import LINES_PER_DOCUMENT, CorpusSplit, split_corpus
from copydesk.models.casing.decide import decide_document
from copydesk.models.casing.lexicon import mine_lexicon
from copydesk.models.casing.model import CasingModel
from copydesk.models.casing.noise import noise_lines
from copydesk.models.casing.train import TrainReport, train_casing
from copydesk.models.casing.units import rebuild, split_units
from copydesk.models.stages import CasingStage, SentenceCaseStage
from copydesk.models.stages.casing import load_casing_model

Repairer = Callable[[list[str]], list[str]]
_TOKEN = regex.compile(r"\w+(?:[-'’]\w+)*|\S")
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99)
MAX_CLEAN_DAMAGE = 0.003
# The shipped casing test sets, in the order the model card lists them.
SUITES = ("casing-test", "casing-flores", "casing-gum")


@dataclass
class CasingScores:
    restored: float
    clean_damaged: float
    ter: float
    word_accuracy: float
    capitalised_f1: float

    def to_dict(self) -> dict[str, float]:
        return {k: round(v, 6) for k, v in asdict(self).items()}


def restoration(
    clean: Sequence[str], noised: Sequence[str], output: Sequence[str]
) -> tuple[float, float]:
    """Share of damaged lines restored exactly, and share of clean lines damaged."""
    restored = damaged = n_damaged = n_clean = 0
    for ref, inp, out in zip(clean, noised, output, strict=True):
        if inp == ref:
            n_clean += 1
            damaged += out != ref
        else:
            n_damaged += 1
            restored += out == ref
    return restored / max(n_damaged, 1), damaged / max(n_clean, 1)


def score_casing(
    clean: Sequence[str], noised: Sequence[str], output: Sequence[str]
) -> CasingScores:
    """Compare a system's ``output`` for ``noised`` lines with the ``clean`` originals."""
    restored, damaged = restoration(clean, noised, output)
    correct = total = tp = fp = fn = 0
    for ref, out in zip(clean, output, strict=True):
        ref_words, out_words = ref.split(), out.split()
        total += len(ref_words)
        if len(ref_words) != len(out_words):
            fn += sum(_capitalised(w) for w in ref_words)
            continue
        for r, o in zip(ref_words, out_words, strict=True):
            correct += r == o
            gold, pred = _capitalised(r), _capitalised(o)
            tp += gold and pred
            fp += pred and not gold
            fn += gold and not pred
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    ter = corpus_score("ter", output, [clean]).score
    return CasingScores(
        restored=restored,
        clean_damaged=damaged,
        ter=ter,
        word_accuracy=correct / max(total, 1),
        capitalised_f1=f1,
    )


def evaluate_casing(suites: Sequence[Suite], systems: dict[str, Repairer]) -> dict:
    """Score every system on every casing suite (its clean lines, and them damaged)."""
    result: dict = {"sets": {}}
    for suite in suites:
        clean, noised = suite.references[0], suite.mt
        entry = {
            "description": suite.description,
            "noise_seed": suite.generated.get("seed"),
            "lines": len(clean),
            "damaged_lines": sum(a != b for a, b in zip(clean, noised, strict=True)),
            "systems": {},
        }
        for system, repair in systems.items():
            entry["systems"][system] = score_casing(clean, noised, repair(list(noised))).to_dict()
        result["sets"][suite.name] = entry
    return result


def first_letter_baseline(lines: list[str]) -> list[str]:
    """Upper-case the first letter of each line."""
    out = []
    for line in lines:
        i = next((k for k, ch in enumerate(line) if ch.isalpha()), None)
        out.append(line if i is None else line[:i] + line[i].upper() + line[i + 1 :])
    return out


def moses_truecaser(train_lines: Sequence[str]) -> Repairer:
    """The Moses truecaser (sacremoses) trained on ``train_lines``, then first-letter capitals.

    Moses truecases the first word too (``The`` becomes ``the``, to be undone by a
    detruecaser), so the baseline capitalises the first letter after it. Tokens are words
    and single punctuation marks; the line's own spacing is kept.
    """
    from sacremoses import MosesTruecaser

    truecaser = MosesTruecaser()
    truecaser.train([_TOKEN.findall(line) for line in train_lines], processes=1)

    def repair(lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            matches = list(_TOKEN.finditer(line))
            if not matches:
                out.append(line)
                continue
            cased = truecaser.truecase(" ".join(m.group() for m in matches))
            parts, cursor = [], 0
            for match, token in zip(matches, cased, strict=True):
                parts += [line[cursor : match.start()], token]
                cursor = match.end()
            out.append("".join(parts) + line[cursor:])
        return first_letter_baseline(out)

    return repair


def _capitalised(word: str) -> bool:
    letter = next((ch for ch in word if ch.isalpha()), "")
    return letter.isupper()


def pipeline_repairer(pipeline: Pipeline, chunk: int = LINES_PER_DOCUMENT) -> Repairer:
    """Run a repair pipeline over lines, ``chunk`` lines (as paragraphs) per document."""

    def repair(lines: list[str]) -> list[str]:
        return repair_segments(pipeline, lines, document_size=chunk)[0]

    return repair


def training_split(model: CasingModel, data_dir: Path) -> CorpusSplit | None:
    """The split the model was trained on, rebuilt from its recorded data (None if unknown)."""
    data = model.settings.get("data", {})
    corpus = data.get("corpus_path") or (
        str(data_dir / "news-en" / data["corpus"]) if "corpus" in data else None
    )
    if corpus is None or not Path(corpus).is_file():
        return None
    provenance = data.get("provenance_path") or str(
        Path(corpus).with_name(Path(corpus).name.removesuffix(".txt") + ".provenance.tsv")
    )
    return split_corpus(
        corpus,
        provenance=provenance if "holdout_year" in data else None,
        holdout_year=data.get("holdout_year"),
        holdout_lines=data.get("holdout_last_lines", 3000),
        tune_lines=data.get("tune_lines", 1000),
    )


def evaluate_model(
    folder: Path,
    suites: Sequence[Suite],
    *,
    train_lines: Sequence[str] | None = None,
    baselines: bool = True,
) -> dict:
    """The casing stage (after the sentence-initial rule) and the baselines on ``suites``.

    The Moses truecaser is trained on ``train_lines`` (the model's own training lines);
    without them it is left out.
    """
    stage = CasingStage(model=str(folder))
    systems: dict[str, Repairer] = {"do-nothing": list}
    if baselines:
        systems["first-letter"] = first_letter_baseline
        if train_lines:
            systems["moses-truecaser"] = moses_truecaser(train_lines)
    systems["copydesk"] = pipeline_repairer(Pipeline([SentenceCaseStage(), stage]))
    return evaluate_casing(suites, systems)


def record_evaluation(folder: Path, evaluation: dict) -> None:
    """Write ``evaluation.json`` beside the model; the card is written from it."""
    (folder / EVALUATION_FILE).write_text(json.dumps(evaluation, indent=2) + "\n", "utf-8")


def tune_threshold(
    model: CasingModel, clean: Sequence[str], seed: int, max_clean_damage: float
) -> tuple[float, list[dict]]:
    """The threshold restoring most damaged lines while keeping clean damage in bounds.

    Measured as the stages ship: the sentence-initial rule, then the model's decisions,
    the lines read as documents of `LINES_PER_DOCUMENT`.
    """
    noised = noise_lines(clean, seed)
    rules = SentenceCaseStage()
    ruled = [
        apply_edits(line, rules.propose(Document.from_text(line), RepairContext()))
        for line in noised
    ]
    rows = [(u, [x.text for x in u]) for u in map(split_units, ruled)]
    probs = model.predict(rows)
    table = []
    for threshold in THRESHOLDS:
        decided = []
        for s in range(0, len(rows), LINES_PER_DOCUMENT):
            decided += decide_document(
                rows[s : s + LINES_PER_DOCUMENT],
                probs[s : s + LINES_PER_DOCUMENT],
                model.lexicon,
                floor=threshold,
                threshold=threshold,
            )
        output = []
        for line, (units, texts), changes in zip(ruled, rows, decided, strict=True):
            texts = list(texts)
            for change in changes:
                texts[change.unit] = change.text
            output.append(rebuild(line, units, texts))
        restored, damaged = restoration(clean, noised, output)
        table.append({"threshold": threshold, "restored": restored, "clean_damaged": damaged})
    ok = [row for row in table if row["clean_damaged"] <= max_clean_damage]
    best = max(ok, key=lambda r: r["restored"]) if ok else table[-1]
    return float(best["threshold"]), table


def tune_model(
    folder: str | Path,
    tune_lines: Sequence[str],
    *,
    seed: int,
    max_clean_damage: float = MAX_CLEAN_DAMAGE,
    train_lines: Sequence[str] | None = None,
    log: Callable[[str], None] = print,
) -> float:
    """Tune a model folder's threshold (with ``train_lines``, re-mine its lexicon first).

    The mining is deterministic, so the names the network was trained with come out the
    same; what changes is what the decisions on top of the network use.
    """
    model = CasingModel.load(folder)
    if train_lines is not None:
        lexicon = mine_lexicon([x for x in train_lines if x.strip()])
        model.lexicon = model.featurizer.lexicon = lexicon
        lexicon.save(Path(folder) / LEXICON_FILE)
    threshold, table = tune_threshold(model, tune_lines, seed, max_clean_damage)
    log(f"tuned threshold {threshold}: {json.dumps(table)}")
    model.settings["threshold"] = threshold
    model.settings.setdefault("training", {}).update(
        tuning=table, max_clean_damage=max_clean_damage
    )
    model.save_settings(folder)
    load_casing_model.cache_clear()  # a stage built after this reads the new threshold
    return threshold


def train_and_tune(
    split: CorpusSplit,
    out: str | Path,
    config: TrainConfig | None = None,
    *,
    log: Callable[[str], None] = print,
    init_from: str | Path | None = None,
) -> tuple[TrainReport, float]:
    """Train a casing model on ``split.train``, tune its threshold on ``split.tune``.

    The tuning noise seed is the training seed plus one, as the shipped model's was.
    """
    config = config or TrainConfig()
    report = train_casing(
        split.train, out, config, log=log, init_from=init_from, data=split.description
    )
    threshold = tune_model(out, split.tune, seed=config.seed + 1, log=log)
    write_card(out)
    return report, threshold


def retune_model(
    folder: str | Path, split: CorpusSplit, *, seed: int, log: Callable[[str], None] = print
) -> float:
    """Re-mine a trained model's lexicon from ``split.train`` and re-tune it on
    ``split.tune`` (weights unchanged); its card is rewritten."""
    threshold = tune_model(folder, split.tune, seed=seed + 1, train_lines=split.train, log=log)
    write_card(folder)
    return threshold


def evaluate_and_record(
    folder: Path,
    suites: Sequence[Suite],
    data_dir: Path,
    *,
    baselines: bool = True,
    record: bool = True,
) -> dict:
    """Evaluate the model folder on ``suites`` and (with ``record``) write its figures and
    card; the Moses baseline trains on the model's own training split where it is found."""
    split = training_split(CasingModel.load(folder), data_dir) if baselines else None
    evaluation = evaluate_model(
        folder, suites, train_lines=split.train if split else None, baselines=baselines
    )
    if record:
        record_evaluation(folder, evaluation)
        write_card(folder)
    return evaluation
