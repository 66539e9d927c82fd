"""Training the casing model from any naturally cased text."""

from __future__ import annotations

import io
import math
import multiprocessing
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sentencepiece as spm
import torch

from copydesk.models.casing.config import FORMAT, UNTUNED_THRESHOLD, Architecture, TrainConfig
from copydesk.models.casing.features import IGNORE, Encoded
from copydesk.models.casing.lexicon import CasingLexicon, mine_lexicon
from copydesk.models.casing.model import CasingModel
from copydesk.models.casing.network import (
    TorchScorer,
    load_network,
    new_network,
    save_folder,
)
from copydesk.models.casing.noise import CasingNoise
from copydesk.models.casing.units import OUTPUT_CASES, Case, case_of, split_units
from copydesk.models.devices import machine_description, resolve_device

LABEL_OF = {case: i for i, case in enumerate(OUTPUT_CASES)}


@dataclass
class TrainReport:
    train_lines: int
    steps: int
    epochs_done: float
    seconds: float
    loss_curve: list[tuple[int, float]]


def train_sentencepiece(
    lines: Sequence[str], vocab_size: int, seed: int
) -> spm.SentencePieceProcessor:
    """A unigram model on lowercased text, with pad id 3 beside unk/bos/eos."""
    rng = random.Random(seed)
    sample = rng.sample(list(lines), min(len(lines), 200_000))
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([s.lower() for s in sample]),
        model_writer=buffer,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=0.9995,
        pad_id=3,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        num_threads=2,
        minloglevel=2,
    )
    return spm.SentencePieceProcessor(model_proto=buffer.getvalue())


_PREP_MODEL: CasingModel | None = None  # the model a forked preparation worker encodes with


def _prepare_chunk(job: tuple[list[str], int]) -> list[tuple[Encoded, list[int]]]:
    lines, seed = job
    return _noised_rows(_PREP_MODEL, lines, seed)


def _noised_rows(model: CasingModel, lines: Sequence[str], seed: int) -> list:
    noise = CasingNoise(seed=seed)
    return [pair for line in lines for pair in labelled_rows(model, line, noise)]


def epoch_rows(
    model: CasingModel, lines: Sequence[str], seed: int, workers: int
) -> list[tuple[Encoded, list[int]]]:
    """One epoch's noised, labelled rows; with workers > 1, chunks in forked processes.

    Each chunk gets its own noise seed, so the rows differ from a one-process epoch's.
    """
    if workers <= 1:
        return _noised_rows(model, lines, seed)
    global _PREP_MODEL
    _PREP_MODEL = model
    size = math.ceil(len(lines) / (workers * 4))
    jobs = [
        (list(lines[i : i + size]), seed * 100 + k)
        for k, i in enumerate(range(0, len(lines), size))
    ]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_prepare_chunk, jobs)
    return [pair for part in parts for pair in part]


def labelled_rows(
    model: CasingModel, clean: str, noise: CasingNoise | None
) -> list[tuple[Encoded, list[int]]]:
    """Encoded rows of a (noised) sentence with the clean text's case labels."""
    units = split_units(clean)
    texts = noise.noise_units(units) if noise else [u.text for u in units]
    rows = model.featurizer.encode(units, texts, model.max_len)
    out, k = [], 0
    for row in rows:
        labels = [IGNORE] * len(row.ids)
        for pos in row.unit_positions:
            case = case_of(units[k].text)
            if case is not Case.NONE:
                labels[pos] = LABEL_OF[case]
            k += 1
        out.append((row, labels))
    return out


def _architecture(recorded: dict) -> Architecture:
    """The architecture recorded in casing.json (its derived sizes left out)."""
    return Architecture(**{k: v for k, v in recorded.items() if k in Architecture.model_fields})


def _batches(items: list, batch_rows: int, rng: random.Random) -> list[list]:
    """Length-bucketed batches in random order."""
    rng.shuffle(items)
    pool = 50 * batch_rows
    batches = []
    for p in range(0, len(items), pool):
        chunk = sorted(items[p : p + pool], key=lambda it: len(it[0].ids))
        batches.extend(chunk[b : b + batch_rows] for b in range(0, len(chunk), batch_rows))
    rng.shuffle(batches)
    return batches


# Lines noised and encoded at a time: a run that a time bound stops mid-epoch has not
# prepared the rest of it.
PREP_CHUNK_LINES = 25_000


def _epoch_batches(
    model: CasingModel, lines: Sequence[str], config: TrainConfig, seed: int, rng: random.Random
) -> Iterator[list]:
    """One epoch's batches, the lines in random order, prepared a chunk at a time."""
    order = list(lines)
    rng.shuffle(order)
    for k, start in enumerate(range(0, len(order), PREP_CHUNK_LINES)):
        chunk = order[start : start + PREP_CHUNK_LINES]
        items = epoch_rows(model, chunk, seed * 100 + k, config.prep_workers)
        yield from _batches(items, config.batch_rows, rng)


def _schedule(
    warmup: int, total_steps: int, started: float, deadline: float | None
) -> Callable[[int], float]:
    """Linear warm-up, then a linear decay to zero by the last step or, with a time
    bound, by the deadline, whichever comes first: a run cut short by ``max_minutes``
    still ends at a low learning rate."""

    def factor(s: int) -> float:
        left = (total_steps - s) / max(1, total_steps - warmup)
        if deadline is not None and s >= warmup:
            left = min(left, (deadline - time.monotonic()) / max(1e-9, deadline - started))
        return min((s + 1) / warmup, max(0.0, left))

    return factor


def train_casing(
    train_lines: Sequence[str],
    out_dir: str | Path,
    config: TrainConfig | None = None,
    log: Callable[[str], None] = print,
    init_from: str | Path | None = None,
    data: dict | None = None,
    lexicon_lines: Sequence[str] | None = None,
    known_names: Iterable[str] = (),
    word_cases: Mapping[str, Case] | None = None,
) -> TrainReport:
    """Train sentencepiece, mine the lexicon, train the network, and save a model folder.

    The threshold is tuned afterwards on held-out lines (`copydesk.models.casing.tune`);
    ``data`` (the corpus split's description) is recorded in the folder's settings.

    The lexicon is mined from ``lexicon_lines`` (default: ``train_lines``; the news when
    other text is mixed in). ``known_names`` (multiword names, e.g. the casing knowledge's)
    join the mined names as the network's known-name input, the mined form winning where
    both have a name; ``word_cases`` give single words a known case where no name spans
    them (`copydesk.models.casing.lexicon`). The folder's lexicon file keeps both, so the
    input stays the one the network was trained with.

    ``init_from`` (a model folder) continues training that model instead: its tokenizer,
    architecture and weights, with the lexicon mined from ``train_lines``.
    """
    config = config or TrainConfig()
    device = resolve_device(config.device)
    started = time.monotonic()
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    train_lines = [line for line in train_lines if line.strip()]
    mined_from = train_lines if lexicon_lines is None else lexicon_lines
    lexicon = mine_lexicon([line for line in mined_from if line.strip()])
    mined = len(lexicon.names)
    lexicon.names = {**CasingLexicon(known_names).names, **lexicon.names}
    lexicon.word_cases = dict(word_cases or {})
    log(
        f"lexicon: {len(lexicon.names)} names ({mined} mined, "
        f"{len(lexicon.names) - mined} more known), {len(lexicon.word_cases)} known word "
        f"cases, {len(lexicon.mixed)} mixed forms"
    )
    earlier: list[dict] = []
    if init_from is not None:
        network = load_network(init_from)
        model = CasingModel.load(init_from, scorer=TorchScorer(network))
        model.lexicon = model.featurizer.lexicon = lexicon
        previous = model.settings.get("training", {})
        earlier = [*previous.pop("earlier", []), previous] if previous else []
        shape = previous.get("architecture")
        arch = _architecture(shape) if shape else config.architecture
        log(f"continuing {init_from}: {sum(r.get('steps', 0) for r in earlier)} steps before")
    else:
        sp = train_sentencepiece(train_lines, config.vocab_size, config.seed)
        log(f"sentencepiece: {sp.get_piece_size()} pieces")
        arch = config.architecture
        network = new_network(arch, sp.get_piece_size(), sp.pad_id())
        # Its rules read the casing knowledge beside its own lexicon, as the shipped model's.
        settings = {
            "format": FORMAT,
            "max_len": arch.max_len,
            "threshold": UNTUNED_THRESHOLD,
            "knowledge": True,
        }
        model = CasingModel(TorchScorer(network), sp, lexicon, settings)
    network = network.to(device)
    network.train()
    # Continued training sees noise it has not seen: its epochs count on from the earlier ones.
    first_epoch = math.ceil(sum(r.get("epochs", 0) for r in earlier))
    batches_per_epoch = math.ceil(len(train_lines) / config.batch_rows)
    total_steps = max(1, int(config.epochs * batches_per_epoch))
    optimizer = torch.optim.AdamW(network.parameters(), lr=config.learning_rate, weight_decay=0.01)
    warmup = min(config.warmup_steps, max(1, total_steps // 10))
    deadline = started + config.max_minutes * 60 if config.max_minutes else None
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, _schedule(warmup, total_steps, started, deadline)
    )
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    curve: list[tuple[int, float]] = []
    step, running, epoch = 0, [], first_epoch
    while step < total_steps and (deadline is None or time.monotonic() < deadline):
        for batch in _epoch_batches(model, train_lines, config, config.seed * 1000 + epoch, rng):
            ids, types, mask = map(torch.from_numpy, model.batch_arrays([row for row, _ in batch]))
            labels = torch.full(ids.shape, IGNORE, dtype=torch.long)
            for i, (_, lab) in enumerate(batch):
                labels[i, : len(lab)] = torch.tensor(lab)
            ids, types, mask, labels = (t.to(device) for t in (ids, types, mask, labels))
            logits = network(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
            loss = loss_fn(logits.view(-1, logits.shape[-1]), labels.view(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            running.append(loss.item())
            if step % 100 == 0 or step == total_steps:
                curve.append((step, float(np.mean(running))))
                elapsed = time.monotonic() - started
                log(f"step {step}/{total_steps} loss {np.mean(running):.4f} {elapsed / 60:.1f} min")
                running = []
            if step >= total_steps or (deadline is not None and time.monotonic() >= deadline):
                break
        epoch += 1
    network.eval()
    model.settings.update(
        training={
            "train_lines": len(train_lines),
            "steps": step,
            "epochs": round(step / batches_per_epoch, 3),
            "seconds": round(time.monotonic() - started, 1),
            "config": config.model_dump(exclude={"architecture"}),
            "architecture": {**arch.model_dump(), "intermediate": arch.intermediate},
            "machine": machine_description(device),
            "loss_curve": curve,
            **({"earlier": earlier} if earlier else {}),
        },
        **({"data": data} if data is not None else {}),
    )
    save_folder(out_dir, network, model.featurizer.sp, lexicon, model.settings)
    return TrainReport(
        train_lines=len(train_lines),
        steps=step,
        epochs_done=step / batches_per_epoch,
        seconds=time.monotonic() - started,
        loss_curve=curve,
    )
