"""Evaluating casing repair: damage clean text with the noise, repair it, compare.

Figures per system: the share of damaged lines restored exactly, the share of clean
lines damaged, case-sensitive TER (sacrebleu), word-level casing accuracy, and F1 of
capitalised words (a word counts as capitalised when its first letter is upper case).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from copydesk.eval.metrics import corpus_score
from copydesk.models import Pipeline
from copydesk.models.casing.corpus import LINES_PER_DOCUMENT
from copydesk.models.casing.noise import CasingNoise, restoration

Repairer = Callable[[list[str]], list[str]]
_TOKEN = regex.compile(r"\w+(?:[-'’]\w+)*|\S")


@dataclass
class CasingScores:
    restored: float
    clean_damaged: float
    ter: float
    word_accuracy: float
    capitalised_f1: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 6) for k, v in self.__dict__.items()}


def noise_lines(clean: Sequence[str], seed: int) -> list[str]:
    noise = CasingNoise(seed=seed)
    return [noise.noise_text(line) for line in clean]


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


def evaluate_casing(
    sets: dict[str, Sequence[str]], systems: dict[str, Repairer], *, noise_seed: int = 7
) -> dict:
    """Score every system on every set of clean lines, damaged with one noise seed."""
    result: dict = {"noise_seed": noise_seed, "sets": {}}
    for name, clean in sets.items():
        noised = noise_lines(clean, noise_seed)
        entry = {
            "lines": len(clean),
            "damaged_lines": sum(a != b for a, b in zip(clean, noised, strict=True)),
            "systems": {},
        }
        for system, repair in systems.items():
            output = repair(list(noised))
            entry["systems"][system] = score_casing(clean, noised, output).as_dict()
        result["sets"][name] = entry
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
    from copydesk.eval.suites import repair_as_document

    def repair(lines: list[str]) -> list[str]:
        out: list[str] = []
        for i in range(0, len(lines), chunk):
            out.extend(repair_as_document(pipeline, lines[i : i + chunk])[0])
        return out

    return repair
