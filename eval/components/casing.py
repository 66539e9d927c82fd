"""Evaluating casing repair: damage clean text with the noise, repair it, compare.

Figures per system: the share of damaged lines restored exactly, the share of clean
lines damaged, case-sensitive TER (sacrebleu), word-level casing accuracy, and F1 of
capitalised words (a word counts as capitalised when its first letter is upper case).
The test sets are casing suites (`[generate] kind = "casing-noise"`): clean lines, and
the same lines damaged by the noise generator.

This module only measures. Tuning the model's threshold, and writing the figures and
the card into its folder, belong to the model package (`copydesk.models.casing.tune`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import regex
from sacremoses import MosesTruecaser

from copydesk.eval.harness import repair_segments
from copydesk.eval.metrics import corpus_score
from copydesk.eval.suites import Suite
from copydesk.models import Pipeline
from copydesk.models.casing.corpus import LINES_PER_DOCUMENT
from copydesk.models.casing.model import CasingModel
from copydesk.models.casing.tune import record_evaluation, restoration, training_split
from copydesk.models.stages import CasingStage, SentenceCaseStage

Repairer = Callable[[list[str]], list[str]]
_TOKEN = regex.compile(r"\w+(?:[-'’]\w+)*|\S")
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


def evaluate_and_record(
    folder: Path,
    suites: Sequence[Suite],
    data_dir: Path,
    *,
    baselines: bool = True,
    record: bool = True,
) -> dict:
    """Evaluate the model folder on ``suites`` and (with ``record``) have the model package
    write the figures and card into it; the Moses baseline trains on the model's own
    training split where it is found."""
    split = training_split(CasingModel.load(folder), data_dir) if baselines else None
    evaluation = evaluate_model(
        folder, suites, train_lines=split.train if split else None, baselines=baselines
    )
    if record:
        record_evaluation(folder, evaluation)
    return evaluation
