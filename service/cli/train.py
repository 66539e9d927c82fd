"""``copydesk train``: rebuild the models copydesk ships (defaults: the shipped recipes)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from copydesk.eval.data import NEWS_CORPUS, NEWS_PROVENANCE
from copydesk.models.casing.config import Architecture, TrainConfig
from copydesk.models.casing.corpus import (
    HOLDOUT_LINES,
    HOLDOUT_YEAR,
    TUNE_LINES,
    corpus_lines,
    extra_sample,
    split_corpus,
)
from copydesk.models.casing.tune import retune_model, train_and_tune
from copydesk.models.rewrite.synthetic import synthetic_pairs
from copydesk.models.rewrite.train import RewriteTrainSettings, train_rewrite
from copydesk.service.cli.common import InputError, echo_err, load_suites
from copydesk.service.cli.quality import train_quality_command
from copydesk.service.settings import get_settings

CASING = TrainConfig()
ARCH = Architecture()
REWRITE = RewriteTrainSettings()
EXTRA_DIR = "extra-en"


@click.group()
def train() -> None:
    """Train the models copydesk ships."""


@train.command("casing")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Model folder.")
@click.option("--corpus", type=click.Path(dir_okay=False), help="Cased text (default: news-en).")
@click.option("--provenance", type=click.Path(dir_okay=False), help="TSV with a 'year' column.")
@click.option("--holdout-year", help=f"Hold out this year's lines (default: {HOLDOUT_YEAR}).")
@click.option("--holdout-lines", type=click.IntRange(1), help="Hold out the last N lines instead.")
@click.option("--tune-lines", default=TUNE_LINES, show_default=True, help="Held-out tuning lines.")
@click.option("--epochs", default=CASING.epochs, show_default=True)
@click.option("--max-minutes", type=float, help="Stop training after this long.")
@click.option("--vocab-size", default=CASING.vocab_size, show_default=True)
@click.option("--hidden", default=ARCH.hidden, show_default=True)
@click.option("--layers", default=ARCH.layers, show_default=True)
@click.option("--seed", default=CASING.seed, show_default=True)
@click.option("--learning-rate", default=CASING.learning_rate, show_default=True)
@click.option(
    "--init-from",
    type=click.Path(file_okay=False, exists=True),
    help="Continue training this model folder (its tokenizer and weights) instead.",
)
@click.option("--tune-only", is_flag=True, help="Keep OUT's weights; re-mine lexicon, re-tune.")
@click.option("--batch-rows", default=CASING.batch_rows, show_default=True)
@click.option("--warmup-steps", default=CASING.warmup_steps, show_default=True)
@click.option("--device", default=CASING.device, show_default=True, help="auto, cpu, cuda, cuda:N.")
@click.option(
    "--prep-workers",
    default=CASING.prep_workers,
    show_default=True,
    help="Processes preparing each epoch's noised rows (a GPU waits on them otherwise).",
)
@click.option(
    "--extra-lines",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="Mix this many sentences of extra-en (COPYDESK_DATA_DIR/extra-en, two parts "
    "encyclopedia to one part UN speeches) into the training lines; the full recipe takes "
    "as many as there are news lines.",
)
@click.option(
    "--knowledge",
    "knowledge_file",
    type=click.Path(dir_okay=False, exists=True),
    help="Casing knowledge (copydesk train knowledge; the shipped one is "
    "models/casing/knowledge.json.gz) the network reads as its known-case input: its "
    "names, proper and common words, frozen into OUT's lexicon.",
)
def train_casing_command(
    out: str,
    corpus: str | None,
    provenance: str | None,
    holdout_year: str | None,
    holdout_lines: int | None,
    tune_lines: int,
    epochs: float,
    max_minutes: float | None,
    vocab_size: int,
    hidden: int,
    layers: int,
    seed: int,
    learning_rate: float,
    init_from: str | None,
    tune_only: bool,
    batch_rows: int,
    warmup_steps: int,
    device: str,
    prep_workers: int,
    extra_lines: int,
    knowledge_file: str | None,
) -> None:
    """Train the casing model, tune its threshold, and write it with its card to OUT.

    The shipped model's recipe adds --extra-lines 93950 --knowledge
    models/casing/knowledge.json.gz --max-minutes 75 (docs/development.md).
    """
    data = get_settings().data_dir
    if holdout_lines is None and holdout_year is None:
        holdout_year = HOLDOUT_YEAR
        provenance = provenance or (None if corpus else str(data / NEWS_PROVENANCE))
    split = split_corpus(
        corpus or data / NEWS_CORPUS,
        provenance=provenance,
        holdout_year=holdout_year if holdout_lines is None else None,
        holdout_lines=holdout_lines or HOLDOUT_LINES,
        tune_lines=tune_lines,
    )
    if tune_only:
        threshold = retune_model(out, split, seed=seed, log=echo_err)
        click.echo(f"re-tuned {out}: threshold {threshold}")
        return
    config = TrainConfig(
        epochs=epochs,
        max_minutes=max_minutes,
        vocab_size=vocab_size,
        seed=seed,
        learning_rate=learning_rate,
        architecture=Architecture(hidden=hidden, layers=layers, heads=max(1, hidden // 64)),
        batch_rows=batch_rows,
        warmup_steps=warmup_steps,
        device=device,
        prep_workers=prep_workers,
    )
    extra, described = [], None
    if extra_lines:
        extra, described = extra_sample(data / EXTRA_DIR, extra_lines, seed)
        echo_err(f"extra-en: {len(extra)} sentences {described['extra_en']}")
    from copydesk.models.casing.knowledge import Knowledge

    known = Knowledge.load(Path(knowledge_file)) if knowledge_file else None
    report, threshold = train_and_tune(
        split,
        out,
        config,
        log=echo_err,
        init_from=init_from,
        extra=extra,
        extra_description=described,
        known=known,
        known_source=Path(knowledge_file).name if knowledge_file else None,
    )
    click.echo(
        f"trained {report.steps} steps ({report.epochs_done:.2f} epochs) in "
        f"{report.seconds / 60:.1f} min; threshold {threshold}; model in {out}"
    )


@train.command("knowledge")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Where to write it (default: the shipped models/casing/knowledge.json.gz).",
)
@click.option(
    "--cache",
    default="build/knowledge",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Counts kept between runs: a rebuild from them takes under a minute.",
)
@click.option("--all", "keep_all", is_flag=True, help="Keep every list, the left-out ones too.")
def train_knowledge_command(out: str | None, cache: str, keep_all: bool) -> None:
    """Count the casing lexicon of news-en and extra-en (COPYDESK_DATA_DIR): about ten
    minutes on two cores the first time."""
    from copydesk.models.casing.build_knowledge import build
    from copydesk.models.casing.knowledge import KNOWLEDGE_FILE, LEFT_OUT

    build(
        get_settings().data_dir,
        Path(cache),
        Path(out) if out else KNOWLEDGE_FILE,
        lambda line: click.echo(line, err=True),
        left_out=() if keep_all else LEFT_OUT,
    )


@train.command("rewrite")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Adapter folder.")
@click.option("--suite", default="mlqe-train", show_default=True, help="MT, post-edits, sources.")
@click.option(
    "--source-rate",
    type=click.FloatRange(0, 1),
    default=REWRITE.source_rate,
    show_default=True,
    help="Share of prompts that show the source sentence (0: never).",
)
@click.option(
    "--synthetic",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Add this many damaged -> clean pairs made from --news (models.rewrite.synthetic).",
)
@click.option(
    "--news",
    type=click.Path(dir_okay=False, exists=True),
    help="Clean text for --synthetic, one sentence a line (default: the news-en lines).",
)
@click.option("--base", type=click.Path(), help="Base model folder or GGUF (default: SmolLM2).")
@click.option("--validation-lines", default=500, show_default=True, help="Last N pairs held out.")
@click.option("--steps", default=REWRITE.steps, show_default=True)
@click.option("--batch-size", default=REWRITE.batch_size, show_default=True)
@click.option("--learning-rate", default=REWRITE.learning_rate, show_default=True)
@click.option("--warmup-steps", default=REWRITE.warmup_steps, show_default=True)
@click.option("--lora-rank", default=REWRITE.lora_rank, show_default=True)
@click.option("--max-minutes", type=float, help="Stop training after this long.")
@click.option("--seed", default=REWRITE.seed, show_default=True)
@click.option(
    "--device", default=REWRITE.device, show_default=True, help="auto, cpu, cuda, cuda:N."
)
def train_rewrite_command(
    out: str,
    suite: str,
    source_rate: float,
    synthetic: int,
    news: str | None,
    base: str | None,
    validation_lines: int,
    steps: int,
    batch_size: int,
    learning_rate: float,
    warmup_steps: int,
    lora_rank: int,
    max_minutes: float | None,
    seed: int,
    device: str,
) -> None:
    """Fine-tune the rewrite model (LoRA) on a suite's MT -> post-edit pairs; write it to OUT."""
    [data] = load_suites([suite])
    if source_rate > 0 and data.source is None:
        raise click.BadParameter(f"suite {data.name!r} has no source", param_hint="--source-rate")
    sources = data.source if source_rate > 0 and data.source else None
    pairs = list(zip(data.mt, data.references[0], *([sources] if sources else []), strict=True))
    held = min(validation_lines, len(pairs) // 5)
    train_pairs, validation = pairs[: len(pairs) - held], pairs[len(pairs) - held :]
    made = []
    if synthetic:
        try:
            made = synthetic_pairs(
                corpus_lines(news or get_settings().data_dir / NEWS_CORPUS), synthetic, seed=seed
            )
        except ValueError as exc:
            raise InputError(str(exc)) from None
    settings = RewriteTrainSettings(
        steps=steps,
        batch_size=batch_size,
        learning_rate=learning_rate,
        warmup_steps=warmup_steps,
        lora_rank=lora_rank,
        lora_alpha=2 * lora_rank,
        max_minutes=max_minutes,
        seed=seed,
        source_rate=source_rate,
        device=device,
    )
    started = time.monotonic()

    def progress(step: int, loss: float) -> None:
        elapsed = time.monotonic() - started
        echo_err(f"step {step}/{steps} loss {loss:.4f} ({elapsed / 60:.1f} min)")

    result = train_rewrite(
        train_pairs,
        out,
        base=base,
        settings=settings,
        validation=validation,
        synthetic=made,
        progress=progress,
    )
    click.echo(
        f"trained {result.steps_done} steps on {result.pairs} pairs in "
        f"{result.seconds / 60:.1f} min; validation loss {result.validation_loss}; adapter in {out}"
    )


train.add_command(train_quality_command)
