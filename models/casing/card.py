"""The model card of a casing model folder, written from its own recorded figures."""

from __future__ import annotations

import json
from pathlib import Path

from copydesk.models.casing.corpus import LINES_PER_DOCUMENT
from copydesk.models.casing.model import SETTINGS_FILE

CARD_FILE = "MODEL_CARD.md"
EVALUATION_FILE = "evaluation.json"


def write_card(folder: str | Path, data: dict | None = None) -> Path:
    """(Re)write MODEL_CARD.md from casing.json, and evaluation.json when it exists.

    ``data`` (the corpus split) is recorded in casing.json the first time it is given.
    """
    folder = Path(folder)
    settings_path = folder / SETTINGS_FILE
    settings = json.loads(settings_path.read_text(encoding="utf-8"))
    if data is not None:
        settings["data"] = data
        settings_path.write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n", "utf-8")
    training = settings.get("training", {})
    arch = training.get("architecture", {})
    lines = [
        "# copydesk casing model",
        "",
        "A denoising truecaser for machine-translated English: a BERT-style token classifier",
        "trained from scratch with `copydesk train casing`. It reads the text *with its",
        "casing* (sentencepiece pieces of the lowercased words, plus each word's current case,",
        "the space before it and the case a known name gives it) and predicts each word's",
        "case: lower, Capitalised, UPPER or mixed (spelled from a lexicon of seen forms).",
        "",
        "## Data",
        "",
    ]
    for key, value in settings.get("data", {}).items():
        lines.append(f"- {key}: {value}")
    lines += [
        "- training input: each sentence damaged by `models/casing/noise.py` with a fresh seed",
        "  every epoch (half the sentences left clean), labels from the clean sentence",
        "",
        "## Settings",
        "",
        f"- architecture: {json.dumps(arch)}",
        f"- training: {json.dumps(training.get('config', {}))}",
        f"- steps: {training.get('steps')} ({training.get('epochs')} epochs) in "
        f"{training.get('seconds', 0) / 60:.1f} min on {training.get('torch_threads')} CPU threads",
        *[
            f"- continued from an earlier run: {run.get('steps')} steps "
            f"({run.get('epochs')} epochs) in {run.get('seconds', 0) / 60:.1f} min, learning rate "
            f"{run.get('config', {}).get('learning_rate')}"
            for run in training.get("earlier", [])
        ],
        f"- applied threshold (tuned on the tuning lines: the highest restoration with clean "
        f"damage ≤ {training.get('config', {}).get('max_clean_damage')}): "
        f"{settings.get('threshold')}",
        "",
        "Loss (mean over each 100 steps):",
        "",
        "| step | loss |",
        "| ---: | ---: |",
    ]
    curve = training.get("loss_curve", [])
    stride = max(1, len(curve) // 15)
    shown = curve[::stride]
    if curve and shown[-1] != curve[-1]:
        shown.append(curve[-1])
    for step, loss in shown:
        lines.append(f"| {step} | {loss:.4f} |")
    lines += [
        "",
        f"Threshold tuning (the stage's decisions on each tuning line as a whole, the lines "
        f"read as documents of {LINES_PER_DOCUMENT}; the stage itself also splits lines into "
        f"sentences and skips title-case headlines, so `copydesk eval casing` on these "
        f"lines differs a little):",
        "",
    ]
    lines += [
        "| threshold | damaged lines restored | clean lines damaged |",
        "| ---: | ---: | ---: |",
    ]
    for row in training.get("tuning", []):
        lines.append(f"| {row['threshold']} | {row['restored']:.2%} | {row['clean_damaged']:.2%} |")
    evaluation_path = folder / EVALUATION_FILE
    lines += ["", "## Held-out figures", ""]
    if evaluation_path.is_file():
        lines.append(evaluation_table(json.loads(evaluation_path.read_text(encoding="utf-8"))))
    else:
        lines.append("Not evaluated yet: run `copydesk eval casing` (see the README).")
    card = folder / CARD_FILE
    card.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return card


def evaluation_table(evaluation: dict) -> str:
    """Markdown tables, one per test set, of the figures `eval casing` recorded."""
    out = []
    for name, result in evaluation.get("sets", {}).items():
        out += [
            f"### {name}",
            "",
            f"{result['lines']} lines, {result['damaged_lines']} damaged by the noise "
            f"(seed {evaluation.get('noise_seed')}). TER is sacrebleu's, case-sensitive.",
            "",
            "| system | damaged restored | clean damaged | TER | word accuracy | capitalised F1 |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for system, m in result["systems"].items():
            out.append(
                f"| {system} | {m['restored']:.2%} | {m['clean_damaged']:.2%} | {m['ter']:.2f} "
                f"| {m['word_accuracy']:.2%} | {m['capitalised_f1']:.4f} |"
            )
        out.append("")
    return "\n".join(out)
