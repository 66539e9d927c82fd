"""Tuning a casing model folder, and everything else that writes into one after training.

The threshold is tuned on the tuning lines (held out of training, never tested on): the
threshold that restores most damaged lines while damaging at most `MAX_CLEAN_DAMAGE` of
the clean ones, measured as the stages ship (the sentence-initial rule, then the model's
decisions). `train_and_tune` is what ``copydesk train casing`` runs; `record_evaluation`
is where ``copydesk eval casing`` leaves its figures. Every writer here refreshes the
folder's card (`copydesk.models.cards`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from copydesk.models.cards import EVALUATION_FILE, write_card
from copydesk.models.casing.config import LEXICON_FILE, TrainConfig
from copydesk.models.casing.corpus import LINES_PER_DOCUMENT, CorpusSplit, split_corpus
from copydesk.models.casing.decide import decide_document
from copydesk.models.casing.lexicon import mine_lexicon
from copydesk.models.casing.model import CasingModel
from copydesk.models.casing.noise import noise_lines
from copydesk.models.casing.units import Case, rebuild, split_units
from copydesk.models.document import Document
from copydesk.models.edits import apply_edits
from copydesk.models.stage import RepairContext
from copydesk.models.stages.casing import load_casing_model
from copydesk.models.stages.sentence_case import SentenceCaseStage

if TYPE_CHECKING:
    from copydesk.models.casing.knowledge import Knowledge
    from copydesk.models.casing.train import TrainReport

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99)
MAX_CLEAN_DAMAGE = 0.003


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
    return pick_threshold(table, max_clean_damage), table


def pick_threshold(table: Sequence[dict], max_clean_damage: float) -> float:
    """The row restoring most within the clean-damage bound; where no row keeps within it,
    the row damaging fewest clean lines, restoring most among those."""
    ok = [row for row in table if row["clean_damaged"] <= max_clean_damage]
    if not ok:
        least = min(row["clean_damaged"] for row in table)
        ok = [row for row in table if row["clean_damaged"] == least]
    return float(max(ok, key=lambda r: (r["restored"], r["threshold"]))["threshold"])


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
        # The network's input stays as it was trained.
        lexicon.names = model.featurizer.lexicon.names
        lexicon.word_cases = model.featurizer.lexicon.word_cases
        lexicon.save(Path(folder) / LEXICON_FILE)
        model = CasingModel.load(folder)  # its rules read the knowledge with it, as it ships
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
    extra: Sequence[str] = (),
    extra_description: dict | None = None,
    known: Knowledge | None = None,
    known_source: str | None = None,
) -> tuple[TrainReport, float]:
    """Train a casing model on ``split.train``, tune its threshold on ``split.tune``, and
    write its card.

    ``extra`` (other cased text, `copydesk.models.casing.corpus.extra_sample`) is mixed
    into the training lines; the lexicon is still mined from the split's news.
    ``known`` (casing knowledge, from ``known_source``) is the network's known-case input
    beside the mined names: its multiword names, and its proper words as Capitalised and
    common words as lower case (`network_input`). The tuning noise seed is the training
    seed plus one, as the shipped model's was.
    """
    # Late: training needs torch and transformers (the train extra); tuning, recording
    # and the evaluation that reads this module do not.
    from copydesk.models.casing.train import train_casing

    config = config or TrainConfig()
    data = {**split.description, **(extra_description or {})}
    names, word_cases = network_input(known) if known else ([], {})
    if known:
        data["known_input"] = {
            "source": known_source,
            "names": len(names),
            "capitalised_words": sum(c is Case.CAPITALISED for c in word_cases.values()),
            "lowercase_words": sum(c is Case.LOWER for c in word_cases.values()),
        }
    report = train_casing(
        [*split.train, *extra],
        out,
        config,
        log=log,
        init_from=init_from,
        data=data,
        lexicon_lines=split.train,
        known_names=names,
        word_cases=word_cases,
    )
    threshold = tune_model(out, split.tune, seed=config.seed + 1, log=log)
    write_card(out)
    return report, threshold


def network_input(known: Knowledge) -> tuple[list[str], dict[str, Case]]:
    """The multiword names and single-word cases a network reads from casing knowledge:
    proper words Capitalised, common words lower case (proper winning where both)."""
    cases = {word: Case.LOWER for word in known.common}
    cases.update({word: Case.CAPITALISED for word in known.proper})
    return list(known.names), cases


def retune_model(
    folder: str | Path, split: CorpusSplit, *, seed: int, log: Callable[[str], None] = print
) -> float:
    """Re-mine a trained model's lexicon from ``split.train`` and re-tune it on
    ``split.tune`` (weights unchanged); its card is rewritten."""
    threshold = tune_model(folder, split.tune, seed=seed + 1, train_lines=split.train, log=log)
    write_card(folder)
    return threshold


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


def record_evaluation(folder: str | Path, evaluation: dict) -> None:
    """Write ``evaluation.json`` (the figures `copydesk eval casing` measured) beside the
    model, and its card from them."""
    folder = Path(folder)
    (folder / EVALUATION_FILE).write_text(json.dumps(evaluation, indent=2) + "\n", "utf-8")
    write_card(folder)
