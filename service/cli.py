"""The ``copydesk`` command line."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from copydesk import models
from copydesk.eval.data import NEWS_CORPUS, NEWS_PROVENANCE
from copydesk.eval.inputs import InputError as ScoreInputError
from copydesk.service.render import as_diff, as_json, summary
from copydesk.service.settings import get_settings

EXIT_INPUT = 1  # an input file could not be read
EXIT_USAGE = 2  # click's own code for bad options
EXIT_CONFIG = 3  # a pipeline file or setting is invalid
EXIT_ENGINE = 4  # any other error the engine raised on purpose


class InputError(click.ClickException):
    exit_code = EXIT_INPUT


def read_text(name: str) -> str:
    """Read a UTF-8 file (``-`` for standard input) exactly, line endings included."""
    label = "standard input" if name == "-" else repr(name)
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise InputError(f"cannot read {label}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"cannot read {label}: it is a directory") from None
    except OSError as exc:
        raise InputError(f"cannot read {label}: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"cannot read {label}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="copydesk")
def cli() -> None:
    """Repair machine-translated English news and score repairs."""


@cli.command()
@click.argument("file", default="-", metavar="[FILE|-]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "diff"]),
    default="text",
    show_default=True,
    help="text: the repaired text; json: the full result; diff: inline changes.",
)
@click.option("--pipeline", type=click.Path(dir_okay=False), help="Pipeline TOML file.")
@click.option("--source", type=str, help="The source-language original (e.g. Russian).")
@click.option("--threshold", type=click.FloatRange(0, 1), help="Confidence to apply an edit.")
@click.option("--color/--no-color", default=None, help="Colour the diff (default: on a terminal).")
def repair(
    file: str,
    fmt: str,
    pipeline: str | None,
    source: str | None,
    threshold: float | None,
    color: bool | None,
) -> None:
    """Repair FILE (or standard input) and print the result."""
    settings = get_settings()
    text = read_text(file)
    context = models.RepairContext(source=read_text(source) if source else None)
    engine = models.load(pipeline or settings.pipeline, overrides=settings.stage_overrides())
    result = engine.repair(text, context, threshold=settings.threshold_for(threshold))
    if fmt == "json":
        click.echo(as_json(result), nl=False)
    elif fmt == "diff":
        use_color = sys.stdout.isatty() if color is None else color
        click.echo(as_diff(result, color=use_color), nl=False, color=use_color)
        click.echo(summary(result), err=True)
    else:
        sys.stdout.buffer.write(result.repaired.encode("utf-8"))
        sys.stdout.flush()


@cli.command()
@click.option("--host", help="Default: COPYDESK_HOST or 127.0.0.1.")
@click.option("--port", type=int, help="Default: COPYDESK_PORT or 8000.")
def serve(host: str | None, port: int | None) -> None:
    """Start the HTTP service (models load once, at start-up)."""
    import uvicorn

    from copydesk.service.api import create_app

    settings = get_settings()
    app = create_app(settings)
    host, port = host or settings.host, port or settings.port
    click.echo(f"copydesk is serving on http://{host}:{port} (API docs at /docs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


EXIT_REJECTS = 5  # a batch job finished, but some records were rejected


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out",
    required=True,
    type=click.Path(),
    help="Output file (JSONL, or lines " "from one file) or folder (documents).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["txt", "jsonl", "xliff"]),
    help="Default: by extension (.jsonl, .xlf/.xliff, else txt).",
)
@click.option("--lines", is_flag=True, help="Plain text: one segment per line, not per file.")
@click.option("--text-field", default="text", show_default=True)
@click.option("--source-field", default="source", show_default=True)
@click.option("--id-field", default="id", show_default=True)
@click.option("--with-edits", is_flag=True, help="JSONL: add edits; XLIFF: add notes.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--chunk-size", default=64, show_default=True, type=click.IntRange(1, 100_000))
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="ray: Ray Data with --workers actors.",
)
@click.option("--ray-address", help="'auto' or 'ray://host:10001'; default: a local Ray.")
@click.option("--pipeline", type=click.Path(dir_okay=False), help="Pipeline TOML file.")
@click.option("--threshold", type=click.FloatRange(0, 1))
def batch(
    inputs: tuple[str, ...],
    out: str,
    fmt: str | None,
    lines: bool,
    text_field: str,
    source_field: str,
    id_field: str,
    with_edits: bool,
    workers: int,
    chunk_size: int,
    engine: str,
    ray_address: str | None,
    pipeline: str | None,
    threshold: float | None,
) -> None:
    """Repair INPUT files in checkpointed chunks; run it again after a kill to resume."""
    from copydesk.service.batch.formats import Fields, input_format
    from copydesk.service.batch.job import JobSpec, progress_printer, run_job

    settings = get_settings()
    paths = [Path(p) for p in inputs]
    spec = JobSpec(
        inputs=paths,
        out=Path(out),
        fmt=input_format(paths, fmt),
        lines=lines,
        fields=Fields(text_field, source_field, id_field),
        with_edits=with_edits,
        chunk_size=chunk_size,
        workers=workers,
        pipeline=pipeline or (str(settings.pipeline) if settings.pipeline else None),
        threshold=settings.threshold_for(threshold),
        max_chars=settings.max_text_chars,
        overrides=settings.stage_overrides(),
        engine=engine,
        ray_address=ray_address,
    )
    summary = run_job(spec, progress_printer())
    click.echo(summary.line(), err=True)
    if summary.rejects:
        click.echo(
            f"copydesk: {summary.rejects} records rejected: see {spec.rejects_path}", err=True
        )
        sys.exit(EXIT_REJECTS)


@cli.group()
def train() -> None:
    """Train the models copydesk ships."""


@train.command("casing")
@click.option("--corpus", required=True, type=click.Path(dir_okay=False), help="Cased text.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Model folder.")
@click.option("--provenance", type=click.Path(dir_okay=False), help="TSV with a 'year' column.")
@click.option("--holdout-year", help="Hold out this year's lines (needs --provenance).")
@click.option("--holdout-lines", default=3000, show_default=True, help="Else the last N lines.")
@click.option("--tune-lines", default=1000, show_default=True, help="Held-out lines for tuning.")
@click.option("--epochs", default=5.0, show_default=True)
@click.option("--max-minutes", type=float, help="Stop training after this long.")
@click.option("--vocab-size", default=8000, show_default=True)
@click.option("--hidden", default=256, show_default=True)
@click.option("--layers", default=4, show_default=True)
@click.option("--seed", default=13, show_default=True)
@click.option("--learning-rate", default=5e-4, show_default=True)
@click.option(
    "--init-from",
    type=click.Path(file_okay=False, exists=True),
    help="Continue training this model folder (its tokenizer and weights) instead.",
)
@click.option("--tune-only", is_flag=True, help="Keep OUT's weights; re-mine lexicon, re-tune.")
@click.option("--batch-rows", default=64, show_default=True)
@click.option("--warmup-steps", default=300, show_default=True)
@click.option("--device", default="auto", show_default=True, help="auto, cpu, cuda, cuda:N.")
@click.option(
    "--prep-workers",
    default=1,
    show_default=True,
    help="Processes preparing each epoch's noised rows (a GPU waits on them otherwise).",
)
def train_casing_command(
    corpus: str,
    out: str,
    provenance: str | None,
    holdout_year: str | None,
    holdout_lines: int,
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
) -> None:
    """Train the casing model on CORPUS and write it, with its model card, to OUT."""
    from copydesk.models.casing.card import write_card
    from copydesk.models.casing.corpus import split_corpus
    from copydesk.models.casing.model import Architecture
    from copydesk.models.casing.train import TrainConfig, retune, train_casing

    split = split_corpus(
        corpus,
        provenance=provenance,
        holdout_year=holdout_year,
        holdout_lines=holdout_lines,
        tune_lines=tune_lines,
    )
    if tune_only:
        threshold = retune(
            out, split.train, split.tune, seed=seed, log=lambda m: click.echo(m, err=True)
        )
        write_card(out, split.description)
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
    report = train_casing(
        split.train,
        split.tune,
        out,
        config,
        log=lambda m: click.echo(m, err=True),
        init_from=init_from,
    )
    write_card(out, split.description)
    click.echo(
        f"trained {report.steps} steps ({report.epochs_done:.2f} epochs) in "
        f"{report.seconds / 60:.1f} min; threshold {report.threshold}; model in {out}"
    )


@train.command("rewrite")
@click.option(
    "--mt", type=click.Path(dir_okay=False, exists=True), help="MT lines (default: mlqe-pe train)."
)
@click.option(
    "--pe", type=click.Path(dir_okay=False, exists=True), help="Post-edit lines, line-aligned."
)
@click.option(
    "--src",
    type=click.Path(dir_okay=False, exists=True),
    help="Source lines (default: mlqe-pe train).",
)
@click.option(
    "--source-rate",
    default=0.0,
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
    help="Clean text for --synthetic, one sentence a line (default: the news-en newstest lines).",
)
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Adapter folder.")
@click.option("--base", type=click.Path(), help="Base model folder or GGUF (default: SmolLM2).")
@click.option("--validation-lines", default=500, show_default=True, help="Last N pairs held out.")
@click.option("--steps", default=400, show_default=True)
@click.option("--batch-size", default=16, show_default=True)
@click.option("--learning-rate", default=3e-4, show_default=True)
@click.option("--warmup-steps", default=20, show_default=True)
@click.option("--lora-rank", default=16, show_default=True)
@click.option("--max-minutes", type=float, help="Stop training after this long.")
@click.option("--seed", default=13, show_default=True)
@click.option("--device", default="auto", show_default=True, help="auto, cpu, cuda, cuda:N.")
def train_rewrite_command(
    mt: str | None,
    pe: str | None,
    src: str | None,
    source_rate: float,
    synthetic: int,
    news: str | None,
    out: str,
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
    """Fine-tune the rewrite model (LoRA) on MT -> post-edit pairs and write it to OUT."""
    from copydesk.models.rewrite.train import RewriteTrainSettings, read_pairs, train_rewrite

    if not 0.0 <= source_rate <= 1.0:
        raise click.BadParameter("must be between 0 and 1", param_hint="--source-rate")
    mlqe = get_settings().data_dir / "mlqe-pe-ru-en"
    if src is None and mt is None and source_rate > 0:
        src = str(mlqe / "train.orig.ru")
    if source_rate > 0 and src is None:
        raise click.BadParameter("a source rate needs --src", param_hint="--source-rate")
    try:
        pairs = read_pairs(
            mt or mlqe / "train.orig.mt.en",
            pe or mlqe / "train.detok.pe.en",
            src if source_rate > 0 else None,
        )
    except (OSError, ValueError) as exc:
        raise InputError(str(exc)) from None
    held = min(validation_lines, len(pairs) // 5)
    train_pairs, validation = pairs[: len(pairs) - held], pairs[len(pairs) - held :]
    made = []
    if synthetic:
        from copydesk.models.casing.corpus import read_lines
        from copydesk.models.rewrite.synthetic import synthetic_pairs

        news_path = news or get_settings().data_dir / NEWS_CORPUS
        try:
            made = synthetic_pairs(read_lines(news_path), synthetic, seed=seed)
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
        click.echo(f"step {step}/{steps} loss {loss:.4f} ({elapsed / 60:.1f} min)", err=True)

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


class SuiteGroup(click.Group):
    """``copydesk eval SUITE`` runs a suite; ``copydesk eval casing|names|grammar`` the rest."""

    def resolve_command(self, ctx: click.Context, args: list[str]):  # noqa: ANN201
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["suite", *args]
        return super().resolve_command(ctx, args)


def _metric_option(f):  # noqa: ANN001, ANN202
    from copydesk.eval.scoring import ALL_METRICS

    return click.option(
        "--metric",
        "metrics",
        multiple=True,
        type=click.Choice(ALL_METRICS),
        help="Repeat for several (default: BLEU, chrF, chrF++, TER, and ERRANT with --src).",
    )(f)


@cli.command("score")
@click.option(
    "--hyp",
    "hyps",
    required=True,
    multiple=True,
    metavar="[NAME=]FILE",
    help="System output; repeat to compare systems.",
)
@click.option(
    "--ref", "refs", required=True, multiple=True, type=click.Path(), help="Reference; repeatable."
)
@click.option(
    "--src",
    type=click.Path(),
    help="The text that was corrected (the MT): adds the do-nothing baseline, "
    "significance and ERRANT.",
)
@_metric_option
@click.option(
    "--unit", type=click.Choice(["lines", "paragraphs"]), default="lines", show_default=True
)
@click.option(
    "--resamples", default=1000, show_default=True, help="Paired bootstrap resamples (0: none)."
)
@click.option("--seed", default=12345, show_default=True)
@click.option("--json", "as_json_out", is_flag=True, help="Print the full result as JSON.")
@click.option("--m2", "m2_dir", type=click.Path(file_okay=False), help="Write M2 files here.")
def score_command(
    hyps: tuple[str, ...],
    refs: tuple[str, ...],
    src: str | None,
    metrics: tuple[str, ...],
    unit: str,
    resamples: int,
    seed: int,
    as_json_out: bool,
    m2_dir: str | None,
) -> None:
    """Score system output against references (sacrebleu metrics, ERRANT, GLEU)."""
    import json

    from copydesk.eval.inputs import check_aligned, read_segments
    from copydesk.eval.report import markdown_tables
    from copydesk.eval.scoring import score

    systems, named = {}, []
    for item in hyps:
        name, sep, path = item.partition("=")
        if not sep:
            name, path = (Path(item).stem if len(hyps) > 1 else "system"), item
        systems[name] = read_segments(path, unit)
        named.append((path, systems[name]))
    references = [read_segments(r, unit) for r in refs]
    named += list(zip(refs, references, strict=True))
    original = read_segments(src, unit) if src else None
    if original is not None:
        named.append((src, original))
    check_aligned(named, unit)
    result = score(
        systems,
        references,
        original=original,
        metrics=list(metrics) or None,
        resamples=resamples,
        seed=seed,
    )
    if m2_dir:
        Path(m2_dir).mkdir(parents=True, exist_ok=True)
        for name, text in result.m2.items():
            (Path(m2_dir) / f"{name}.m2").write_text(text, encoding="utf-8")
    if as_json_out:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(markdown_tables(result), nl=False)


@cli.group("eval", cls=SuiteGroup)
def eval_group() -> None:
    """Evaluate: ``copydesk eval SUITE`` runs a suite; the subcommands evaluate models."""


@eval_group.command("suite")
@click.argument("suite")
@click.option("--pipeline", type=click.Path(dir_okay=False), help="Pipeline TOML file.")
@click.option(
    "--out", type=click.Path(file_okay=False), help="Report folder (default: reports/SUITE)."
)
@click.option("--limit", type=int, help="Only the first N segments.")
@click.option("--resamples", default=1000, show_default=True)
@click.option("--seed", default=12345, show_default=True)
@click.option("--list", "list_suites", is_flag=True, help="List the shipped suites and exit.")
def eval_suite_command(
    suite: str,
    pipeline: str | None,
    out: str | None,
    limit: int | None,
    resamples: int,
    seed: int,
    list_suites: bool,
) -> None:
    """Run the pipeline over SUITE's MT (a shipped name or a TOML path) and write a report."""
    from copydesk.eval.report import markdown_tables, write_report
    from copydesk.eval.suites import load_suite, run_suite, suite_names

    if list_suites:
        click.echo("\n".join(suite_names()))
        return
    settings = get_settings()
    loaded = load_suite(suite, settings.data_dir, limit=limit)
    repairer = models.load(pipeline or settings.pipeline, overrides=settings.stage_overrides())
    with click.progressbar(
        length=len(loaded.mt), label=f"repairing {loaded.name}", file=sys.stderr
    ) as bar:
        run = run_suite(loaded, repairer, resamples=resamples, seed=seed, progress=bar.update)
    meta = {
        "suite": loaded.name,
        "description": loaded.description,
        "segments": f"{len(loaded.mt)} {loaded.unit}",
        "pipeline": pipeline or settings.pipeline or "default",
        "seconds": f"{run.seconds}",
        **loaded.files,
    }
    folder = write_report(
        out or Path("reports") / loaded.name,
        f"copydesk eval {loaded.name}",
        run.result,
        meta,
        outputs={"copydesk": run.outputs},
    )
    click.echo(markdown_tables(run.result), nl=False)
    click.echo(f"report: {folder}/report.html", err=True)


@eval_group.command("casing")
@click.option("--model", type=click.Path(file_okay=False), help="Model folder (default: shipped).")
@click.option("--corpus", type=click.Path(dir_okay=False), help="Default: news-en in the data dir.")
@click.option("--provenance", type=click.Path(dir_okay=False))
@click.option("--holdout-year", help="Default: the year the model was trained without.")
@click.option("--holdout-lines", type=int, help="Else hold out the last N lines.")
@click.option("--tune-lines", type=int, help="Held-out lines used for tuning, not scored.")
@click.option("--set", "extra_sets", multiple=True, help="NAME=FILE: more clean lines to test on.")
@click.option("--noise-seed", default=7, show_default=True)
@click.option("--baselines/--no-baselines", default=True, show_default=True)
@click.option("--write-card/--no-write-card", default=True, show_default=True)
def eval_casing_command(
    model: str | None,
    corpus: str | None,
    provenance: str | None,
    holdout_year: str | None,
    holdout_lines: int | None,
    tune_lines: int | None,
    extra_sets: tuple[str, ...],
    noise_seed: int,
    baselines: bool,
    write_card: bool,
) -> None:
    """Score the casing stage and two baselines on noised held-out news and Wikinews."""
    import json

    from copydesk.eval.casing import (
        evaluate_casing,
        first_letter_baseline,
        moses_truecaser,
        pipeline_repairer,
    )
    from copydesk.models.casing.card import EVALUATION_FILE, evaluation_table
    from copydesk.models.casing.card import write_card as write_model_card
    from copydesk.models.casing.corpus import read_lines, split_corpus
    from copydesk.models.stages import CasingStage, SentenceCaseStage
    from copydesk.models.stages.casing import DEFAULT_MODEL

    folder = Path(model) if model else DEFAULT_MODEL
    stage = CasingStage(model=str(folder))
    news = get_settings().data_dir / "news-en"
    corpus = corpus or str(get_settings().data_dir / NEWS_CORPUS)
    data = stage.model.settings.get("data", {})
    if holdout_year is None and holdout_lines is None and "holdout_year" in data:
        holdout_year = data["holdout_year"]
        provenance = provenance or str(get_settings().data_dir / NEWS_PROVENANCE)
    split = split_corpus(
        corpus,
        provenance=provenance,
        holdout_year=holdout_year,
        holdout_lines=holdout_lines or data.get("holdout_last_lines", 3000),
        tune_lines=tune_lines if tune_lines is not None else data.get("tune_lines", 1000),
    )
    sets = {f"held-out news ({split.description.get('holdout_year', 'last lines')})": split.test}
    if not extra_sets:
        extra_sets = tuple(
            f"{p.stem}={p}" for p in sorted(news.glob("*wikinews*.txt")) if p.is_file()
        )
    for item in extra_sets:
        name, _, path = item.partition("=")
        if not path:
            raise click.BadParameter(f"{item!r} is not NAME=FILE", param_hint="--set")
        sets[name] = read_lines(path)
    systems = {"do-nothing": list}
    if baselines:
        systems["first-letter"] = first_letter_baseline
        systems["moses-truecaser"] = moses_truecaser(split.train)
    systems["copydesk"] = pipeline_repairer(models.Pipeline([SentenceCaseStage(), stage]))
    result = evaluate_casing(sets, systems, noise_seed=noise_seed)
    if write_card:
        (folder / EVALUATION_FILE).write_text(json.dumps(result, indent=2) + "\n", "utf-8")
        write_model_card(folder)
    click.echo(evaluation_table(result))


@eval_group.command("rewrite")
@click.option(
    "--model", type=click.Path(file_okay=False), help="Adapter folder (default: shipped)."
)
@click.option(
    "--tune/--no-tune",
    default=False,
    show_default=True,
    help="Re-tune the guards on held-out train pairs first.",
)
@click.option("--tune-pairs", default=500, show_default=True, help="Last N train pairs.")
@click.option("--limit", type=int, help="Only the first N dev sentences.")
@click.option(
    "--out", type=click.Path(file_okay=False), default="reports/rewrite", show_default=True
)
@click.option("--resamples", default=1000, show_default=True)
def eval_rewrite_command(
    model: str | None, tune: bool, tune_pairs: int, limit: int | None, out: str, resamples: int
) -> None:
    """MLQE-PE dev TER: do-nothing, the pipeline, the pipeline + rewrite (with bootstrap)."""
    from collections import Counter

    from copydesk.eval.report import markdown_tables, write_report
    from copydesk.eval.rewrite import tune as tune_rewrite
    from copydesk.eval.scoring import score
    from copydesk.models.rewrite.card import update_meta, write_card
    from copydesk.models.rewrite.train import read_pairs
    from copydesk.models.stages import RewriteStage
    from copydesk.models.stages.rewrite import DEFAULT_MODEL

    settings = get_settings()
    mlqe = settings.data_dir / "mlqe-pe-ru-en"
    folder = Path(model) if model else DEFAULT_MODEL
    log = lambda m: click.echo(m, err=True)  # noqa: E731
    if tune:
        stage = RewriteStage(model=str(folder))
        train = read_pairs(
            mlqe / "train.orig.mt.en", mlqe / "train.detok.pe.en", mlqe / "train.orig.ru"
        )
        held = train[-tune_pairs:]
        tuned = tune_rewrite(stage.rewriter, held, log=log, use_source=stage.use_source)
        update_meta(folder, stage=tuned)
    stage = RewriteStage(model=str(folder))
    mt = (mlqe / "dev.orig.mt.en").read_text(encoding="utf-8").splitlines()[:limit]
    pe = (mlqe / "dev.detok.pe.en").read_text(encoding="utf-8").splitlines()[:limit]
    src = (mlqe / "dev.orig.ru").read_text(encoding="utf-8").splitlines()[:limit]
    pipeline = models.load(settings.pipeline, overrides=settings.stage_overrides())
    contexts = [models.RepairContext(source=s) for s in src]
    started = time.monotonic()
    without = [r.repaired for r in pipeline.repair_many(mt, contexts)]
    pipeline_s = time.monotonic() - started
    rewrite_only = models.Pipeline([stage])
    with_rewrite, guards, started = [], Counter(), time.monotonic()
    for i in range(0, len(without), 64):
        results = rewrite_only.repair_many(without[i : i + 64], contexts[i : i + 64])
        with_rewrite += [r.repaired for r in results]
        for r in results:
            guards.update(r.stages[0].diagnostics)
        log(f"rewrite: {len(with_rewrite)}/{len(without)} sentences")
    rewrite_s = time.monotonic() - started
    result = score(
        {"pipeline": without, "pipeline+rewrite": with_rewrite},
        [pe],
        original=mt,
        metrics=["ter", "chrf", "bleu"],
        resamples=resamples,
    )
    table = markdown_tables(result)
    sentences = sum(guards.values())
    evaluation = {
        "table": table,
        "segments": len(mt),
        "guards": dict(guards),
        "rewrite_sentences_per_s": round(sentences / rewrite_s, 2),
        "pipeline_seconds": round(pipeline_s, 1),
        "scores": result.to_dict()["systems"],
    }
    if limit is None:
        update_meta(folder, evaluation=evaluation)
        write_card(folder)
    meta = {
        "data": str(mlqe),
        "segments": str(len(mt)),
        "rewrite model": str(folder),
        "rewrite sentences/s": str(evaluation["rewrite_sentences_per_s"]),
        "guards": ", ".join(f"{k}: {v}" for k, v in sorted(guards.items())),
    }
    write_report(
        out,
        "copydesk eval rewrite (MLQE-PE dev)",
        result,
        meta,
        outputs={"pipeline": without, "pipeline+rewrite": with_rewrite},
    )
    click.echo(table, nl=False)
    click.echo(
        f"guards: {dict(guards)}; {evaluation['rewrite_sentences_per_s']} sentences/s", err=True
    )


@eval_group.command("grammar")
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the table as JSON.")
def eval_grammar_command(out: str | None) -> None:
    """Each LanguageTool category alone on mlqe-pe dev (TER) and JFLEG dev (GLEU)."""
    import json

    from copydesk.eval.grammar import evaluate_policy
    from copydesk.models.stages import GrammarStage

    settings = get_settings()
    data = settings.data_dir
    stage = GrammarStage(url=settings.languagetool_url, timeout=120, server_side_filter=False)
    mlqe = data / "mlqe-pe-ru-en"
    jfleg = data / "jfleg-dev"
    table = evaluate_policy(
        stage,
        (read_lines_exact(mlqe / "dev.orig.mt.en"), read_lines_exact(mlqe / "dev.detok.pe.en")),
        (
            read_lines_exact(jfleg / "dev.src"),
            [read_lines_exact(jfleg / f"dev.ref{i}") for i in range(4)],
        ),
    )
    if out:
        Path(out).write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
    click.echo("| applied | edits (mlqe) | TER mlqe-pe dev | edits (JFLEG) | GLEU JFLEG dev |")
    click.echo("| --- | ---: | ---: | ---: | ---: |")
    for name, r in table.items():
        click.echo(
            f"| {name} | {r['edits_mlqe']} | {r['ter_mlqe']} | {r['edits_jfleg']} "
            f"| {r['gleu_jfleg']} |"
        )


@eval_group.command("names")
@click.option(
    "--documents",
    default="3000:4500",
    show_default=True,
    help="Slice of the news documents to test on (the first 800 tuned the stage).",
)
@click.option("--seed", default=11, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the figures as JSON.")
@click.option(
    "--unjudged",
    type=click.Path(dir_okay=False),
    help="Write the edits that are neither planted repairs nor judged yet to this TSV.",
)
def eval_names_command(documents: str, seed: int, out: str | None, unjudged: str | None) -> None:
    """Name repair: garbled news documents, and real MT with its Russian source."""
    import csv
    import json

    from copydesk.eval.names import (
        news_documents,
        read_judgements,
        score_names,
        score_source_aware,
        write_unjudged,
    )
    from copydesk.models.casing.corpus import read_lines
    from copydesk.models.stages import EntitiesStage

    data = get_settings().data_dir
    lines = read_lines(data / NEWS_CORPUS)
    with open(data / NEWS_PROVENANCE, encoding="utf-8") as handle:
        files = [row["repo_path"] for row in csv.DictReader(handle, delimiter="\t")]
    start, _, stop = documents.partition(":")
    first = int(start or 0)
    docs = news_documents(lines, files)[first : int(stop) if stop else None]
    stage = EntitiesStage()
    to_judge: list[dict] = []
    result = {
        "garbled news": score_names(
            stage,
            docs,
            seed=seed,
            threshold=stage.threshold,
            first_document=first,
            judged=read_judgements(),
            unjudged=to_judge,
        )
    }
    if unjudged:
        write_unjudged(to_judge, unjudged)
    mlqe = data / "mlqe-pe-ru-en"
    if mlqe.is_dir():
        result["mlqe-pe ru-en dev"] = score_source_aware(
            stage,
            read_lines_exact(mlqe / "dev.orig.ru"),
            read_lines_exact(mlqe / "dev.orig.mt.en"),
            read_lines_exact(mlqe / "dev.detok.pe.en"),
            threshold=stage.threshold,
        )
    text = json.dumps(result, indent=2)
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    click.echo(text)


def read_lines_exact(path: Path) -> list[str]:
    """Every line of a line-aligned UTF-8 file, empty ones included."""
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def main() -> None:
    """Console entry point: engine errors become one line on stderr and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("copydesk: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        click.echo(f"copydesk: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except models.ConfigError as exc:
        click.echo(f"copydesk: error: {exc}", err=True)
        sys.exit(EXIT_CONFIG)
    except ScoreInputError as exc:
        click.echo(f"copydesk: error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except models.CopydeskError as exc:
        click.echo(f"copydesk: error: {exc}", err=True)
        sys.exit(EXIT_ENGINE)


if __name__ == "__main__":
    main()
