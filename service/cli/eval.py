"""``copydesk eval``: a suite through the pipeline, or one component's evaluation.

Everything is imported at the top except what the casing command imports when it runs:
its evaluation trains and tunes, which loads torch.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from copydesk.eval.components import edit_classes, grammar, harm, learning, rewrite
from copydesk.eval.components.checks import SEED as CHECKS_SEED
from copydesk.eval.components.checks import evaluate_checks, markdown_table, parts
from copydesk.eval.components.names import SEED as NAMES_SEED
from copydesk.eval.components.names import evaluate_names, write_unjudged
from copydesk.eval.report import markdown_tables
from copydesk.eval.significance import RESAMPLES, SEED
from copydesk.eval.suites import evaluate_suite, load_suite, suite_names
from copydesk.models.quality.parallel import NEWSTEST_2017_START
from copydesk.models.rewrite.tune import retune
from copydesk.models.stages import EntitiesStage, GrammarStage
from copydesk.models.stages.rewrite import DEFAULT_MODEL as REWRITE_MODEL
from copydesk.service.cli.common import (
    load_pipeline,
    load_suites,
    pipeline_option,
    suite_option,
    threshold_option,
)
from copydesk.service.cli.quality import eval_qe_command
from copydesk.service.settings import get_settings


class SuiteGroup(click.Group):
    """``copydesk eval SUITE`` runs a suite; ``copydesk eval casing|names|…`` the rest."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = args[0] if args else None
        if (
            first
            and first not in self.commands
            and first not in ("-h", "--help")
            and (not first.startswith("-") or first == "--list")
        ):
            args = ["suite", *args]
        return super().parse_args(ctx, args)


@click.group("eval", cls=SuiteGroup)
def eval_group() -> None:
    """Evaluate: ``copydesk eval SUITE`` runs a suite; the subcommands evaluate components."""


@eval_group.command("suite")
@click.argument("suite", required=False)
@pipeline_option
@threshold_option
@click.option(
    "--out", type=click.Path(file_okay=False), help="Report folder (default: reports/SUITE)."
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N segments.")
@click.option("--resamples", default=RESAMPLES, show_default=True)
@click.option("--seed", default=SEED, show_default=True)
@click.option("--list", "list_suites", is_flag=True, help="List the shipped suites and exit.")
def eval_suite_command(
    suite: str | None,
    pipeline: str | None,
    threshold: float | None,
    out: str | None,
    limit: int | None,
    resamples: int,
    seed: int,
    list_suites: bool,
) -> None:
    """Run the pipeline over SUITE's MT (a shipped name or a TOML path) and write a report."""
    if list_suites:
        click.echo("\n".join(suite_names()))
        return
    if suite is None:
        raise click.UsageError("name a suite (copydesk eval --list shows the shipped ones)")
    settings = get_settings()
    loaded = load_suite(suite, settings.data_dir, limit=limit)
    repairer = load_pipeline(pipeline)
    with click.progressbar(
        length=len(loaded.mt), label=f"repairing {loaded.name}", file=sys.stderr
    ) as bar:
        run, folder = evaluate_suite(
            loaded,
            repairer,
            out or Path("reports") / loaded.name,
            pipeline_name=str(pipeline or settings.pipeline or "default"),
            resamples=resamples,
            seed=seed,
            threshold=settings.threshold_for(threshold),
            progress=bar.update,
        )
    click.echo(markdown_tables(run.result), nl=False)
    click.echo(f"report: {folder}/report.html", err=True)


@eval_group.command("casing")
@click.option("--model", type=click.Path(file_okay=False), help="Model folder (default: shipped).")
@suite_option(("casing-test", "casing-flores", "casing-gum"), "Casing test sets.", multiple=True)
@click.option("--baselines/--no-baselines", default=True, show_default=True)
@click.option(
    "--write-card/--no-write-card",
    default=True,
    show_default=True,
    help="Record the figures in the model folder and rewrite its card.",
)
def eval_casing_command(
    model: str | None, suites: tuple[str, ...], baselines: bool, write_card: bool
) -> None:
    """Score the casing stage and two baselines on casing suites (held-out news, Wikinews)."""
    from copydesk.eval.components.casing import evaluate_and_record
    from copydesk.models.cards import evaluation_table
    from copydesk.models.stages.casing import DEFAULT_MODEL

    evaluation = evaluate_and_record(
        Path(model) if model else DEFAULT_MODEL,
        load_suites(suites),
        get_settings().data_dir,
        baselines=baselines,
        record=write_card,
    )
    click.echo(evaluation_table(evaluation))


@eval_group.command("harm")
@suite_option(("casing-test", "mlqe-dev"), "Clean text: each suite's references.", multiple=True)
@pipeline_option
@click.option("--limit", type=click.IntRange(1), help="Only the first N lines of each suite.")
@click.option(
    "--document-lines",
    default=20,
    show_default=True,
    type=click.IntRange(1),
    help="Lines per document in document mode (a suite's own, where it has one).",
)
@click.option("--examples", default=3, show_default=True, type=click.IntRange(0))
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the audit as JSON.")
def eval_harm_command(
    suites: tuple[str, ...],
    pipeline: str | None,
    limit: int | None,
    document_lines: int,
    examples: int,
    out: str | None,
) -> None:
    """Every edit the pipeline applies to clean text (each one false), by stage, rule,
    kind and confidence, line by line and as documents."""
    loaded = load_suites(list(suites), limit=limit)
    engine = load_pipeline(pipeline)
    found = {}
    for suite in loaded:
        lines = suite.references[0]
        reports = harm.audit(
            engine,
            lines,
            sources=suite.source,
            document_lines=suite.document_lines or document_lines,
            examples=examples,
            log=lambda m: click.echo(m, err=True),
        )
        found[suite.name] = {mode: r.to_dict() for mode, r in reports.items()}
        click.echo(harm.markdown_table(suite.name, reports))
        for mode, report in reports.items():
            for rule, shown in list(report.examples.items())[:8]:
                for example in shown:
                    click.echo(f"  {mode} {rule}: {example}")
    if out:
        Path(out).write_text(
            json.dumps(found, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )


@eval_group.command("learning")
@suite_option(
    ("casing-test", "casing-flores", "casing-gum"),
    "Sets with references: learn on the first half, measure on the second.",
    multiple=True,
)
@click.option(
    "--learn-from",
    "learn_from",
    multiple=True,
    default=("casing-tune",),
    show_default=True,
    help="Sets the newsroom also learns from, all of their lines, and is never measured on "
    "(sets copydesk was tuned on). A shipped suite's name or a suite TOML file.",
)
@click.option(
    "--extra-en",
    "extra_en",
    default=3000,
    show_default=True,
    type=click.IntRange(0),
    help="Also learn from this many lines of casing copy made from extra-en (sentences the "
    "casing network never trained on, damaged as the casing sets are); never measured on. "
    "0 for none (the MT desk).",
)
@pipeline_option
@click.option(
    "--limit",
    type=click.IntRange(2),
    help="The first N lines of each set (default: all of them).",
)
@click.option(
    "--precision",
    default=0.95,
    show_default=True,
    type=click.FloatRange(0.5, 1.0),
    help="The newsroom's precision for applied edits.",
)
@click.option(
    "--house-style/--no-house-style",
    default=True,
    show_default=True,
    help="Also replay the two newsrooms of opposite house style.",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the figures as JSON.")
@click.option(
    "--record",
    type=click.Path(dir_okay=False),
    help="Only record the repairs of the learning stream and the measuring halves, with "
    "the simulated editor's verdicts, to this .json.gz file (for --replay).",
)
@click.option(
    "--replay",
    type=click.Path(exists=True, dir_okay=False),
    help="Measure the learning curve on repairs --record wrote, without repairing again "
    "(no glossary, no house-style pair: an approximation for iterating on the learner).",
)
def eval_learning_command(
    suites: tuple[str, ...],
    learn_from: tuple[str, ...],
    extra_en: int,
    pipeline: str | None,
    limit: int | None,
    precision: float,
    house_style: bool,
    out: str | None,
    record: str | None,
    replay: str | None,
) -> None:
    """Replay an editor on SUITES and measure what one newsroom learns from it: TER,
    precision of applied edits and edits left to the editor, before and after, at 50,
    200, 1,000 and 5,000 decisions; and two newsrooms of opposite house style."""
    if replay:
        from copydesk.eval.components import learning_replay

        curve, total = learning_replay.replay_curve(Path(replay), precision=precision)
        click.echo(learning.markdown(curve, total, {}))
        return
    loaded = load_suites(list(suites), limit=limit)
    extra = load_suites([s for s in learn_from if s], limit=limit)
    engine = load_pipeline(pipeline)
    engine.warm_up()  # every stage ready before the replay (LanguageTool starts slowly)
    sets = [learning.SimSet(s.name, s.mt, s.references[0]) for s in loaded]
    learn_only = [learning.SimSet(s.name, s.mt, s.references[0]) for s in extra]
    if extra_en:
        from copydesk.eval.components.learning_copy import extra_casing_copy

        learn_only += extra_casing_copy(extra_en, get_settings().data_dir / "extra-en")
    click.echo(
        f"learning: {len(sets)} sets, {sum(len(s.mt) for s in sets)} lines; "
        f"learning only from {sum(len(s.mt) for s in learn_only)} more",
        err=True,
    )
    if record:
        from copydesk.eval.components import learning_replay

        learning_replay.save(learning_replay.record(engine, sets, learn_only), Path(record))
        engine.close()
        return
    curve, total = learning.learning_curve(engine, sets, learn_only=learn_only, precision=precision)
    house: dict[str, dict] = {}
    if house_style:
        data = get_settings().data_dir
        news = data / "news-en" / "newstest2008-2020.en.txt"
        mlqe = [data / "mlqe-pe-ru-en" / f"{part}.orig.mt.en" for part in ("train", "dev")]
        lines = [
            line
            for path in (news, *mlqe)
            if path.is_file()
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
        house = learning.house_style(engine, learning.house_lines(lines), precision=precision)
    engine.close()
    click.echo(learning.markdown(curve, total, house))
    if out:
        report = {
            "suites": list(suites),
            "learn_from": list(learn_from),
            "extra_en": extra_en,
            "limit": limit,
            "precision": precision,
            "decisions": total,
            "curve": [p.to_dict() for p in curve],
            "house_style": house,
        }
        Path(out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


@eval_group.command("names")
@suite_option("names-news", "Documents to plant garbled names in.")
@click.option("--real-mt", default="mlqe-dev", show_default=True, help="Real MT with sources.")
@click.option("--seed", default=NAMES_SEED, show_default=True)
@click.option(
    "--parallel",
    default="newstest-ru-en",
    show_default=True,
    help="Human translations with sources to garble a name in ('' to skip).",
)
@click.option(
    "--parallel-lines",
    default=f"{NEWSTEST_2017_START}:{NEWSTEST_2017_START + 1200}",
    show_default=True,
    help="Which of its lines (the default: the first 1,200 of newstest 2017-2020).",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the figures as JSON.")
@click.option(
    "--unjudged",
    type=click.Path(dir_okay=False),
    help="Write the edits that are neither planted repairs nor judged yet to this TSV.",
)
def eval_names_command(
    suite: str,
    real_mt: str,
    seed: int,
    parallel: str,
    parallel_lines: str,
    out: str | None,
    unjudged: str | None,
) -> None:
    """Name repair: garbled news documents, real MT with its Russian source, and human
    translations with a name garbled and their source."""
    news, mlqe = load_suites([suite, real_mt])
    pairs = load_suites([parallel])[0] if parallel else None
    start, _, stop = parallel_lines.partition(":")
    lines = slice(int(start) if start else None, int(stop) if stop else None)
    to_judge: list[dict] = []
    result = evaluate_names(
        EntitiesStage(),
        news,
        mlqe,
        seed=seed,
        unjudged=to_judge,
        parallel=pairs,
        parallel_lines=lines,
    )
    if unjudged:
        write_unjudged(to_judge, unjudged)
    text = json.dumps(result, indent=2)
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    click.echo(text)


@eval_group.command("checks")
@click.option(
    "--part",
    "parts_",
    type=click.Choice(["tune", "held-out"]),
    multiple=True,
    default=("held-out",),
    show_default=True,
    help="Which part to run: the tuning part or the held-out one the figures are reported on.",
)
@click.option("--limit", type=click.IntRange(1), help="Only the first N segments per corpus.")
@click.option("--seed", default=CHECKS_SEED, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the figures as JSON.")
def eval_checks_command(
    parts_: tuple[str, ...], limit: int | None, seed: int, out: str | None
) -> None:
    """Checks against the source: meaning errors planted in human translations (MLQE-PE
    post-edits, newstest ru-en), recall per kind and false flags per 100 clean segments."""
    mlqe_train, mlqe_dev, newstest = load_suites(["mlqe-train", "mlqe-dev", "newstest-ru-en"])
    corpora = parts(mlqe_train, mlqe_dev, newstest, limit=limit)
    result = evaluate_checks(corpora, seed=seed, only=parts_, log=lambda m: click.echo(m, err=True))
    if out:
        Path(out).write_text(
            json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    click.echo(markdown_table(result), nl=False)


@eval_group.command("grammar")
@click.option("--mt-suite", default="mlqe-dev", show_default=True, help="Real MT (TER).")
@click.option("--learner-suite", default="jfleg-dev", show_default=True, help="Learners (GLEU).")
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the table as JSON.")
def eval_grammar_command(mt_suite: str, learner_suite: str, out: str | None) -> None:
    """Each LanguageTool category alone on real MT (TER) and learner English (GLEU)."""
    mlqe, jfleg = load_suites([mt_suite, learner_suite])
    stage = GrammarStage(url=get_settings().languagetool_url, timeout=120, server_side_filter=False)
    table = grammar.evaluate_policy(stage, mlqe, jfleg)
    if out:
        Path(out).write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
    click.echo(grammar.markdown_table(table), nl=False)


@eval_group.command("rewrite")
@click.option(
    "--model",
    help="The local model's adapter folder (default: shipped); with --base-url, the name of "
    "the model the server serves.",
)
@click.option(
    "--base-url",
    help="An OpenAI-compatible server (vLLM, llama.cpp, Ollama …), e.g. "
    "http://127.0.0.1:8080/v1: score what its model would do, on the suite and the seed.",
)
@suite_option("mlqe-dev", "Dev set: MT with post-edits (and sources).")
@pipeline_option
@click.option(
    "--tune/--no-tune",
    default=False,
    show_default=True,
    help="Re-tune the guards on the tuning suite's last pairs first.",
)
@click.option("--tune-suite", default="mlqe-train", show_default=True)
@click.option("--limit", type=click.IntRange(1), help="Only the first N dev sentences.")
@click.option(
    "--out", type=click.Path(file_okay=False), default="reports/rewrite", show_default=True
)
@click.option("--resamples", default=RESAMPLES, show_default=True)
def eval_rewrite_command(
    model: str | None,
    base_url: str | None,
    suite: str,
    pipeline: str | None,
    tune: bool,
    tune_suite: str,
    limit: int | None,
    out: str,
    resamples: int,
) -> None:
    """Dev TER: do-nothing, the pipeline, the pipeline + rewrite (with bootstrap)."""
    data = get_settings().data_dir
    dev = load_suite(suite, data, limit=limit)
    if base_url:
        if not model:
            raise click.UsageError("--base-url needs --model, the name the server serves")
        found = rewrite.evaluate_backend(
            base_url,
            model,
            load_pipeline(pipeline),
            [dev, load_suite("seeds", data)],
            resamples=resamples,
            log=lambda m: click.echo(m, err=True),
        )
        Path(out).mkdir(parents=True, exist_ok=True)
        report = Path(out) / f"backend-{''.join(c if c.isalnum() else '-' for c in model)}.json"
        report.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
        for name, evaluation in found.items():
            click.echo(f"## {name}\n\n{evaluation['table']}\nguards: {evaluation['guards']}\n")
        return
    folder = Path(model) if model else REWRITE_MODEL
    if tune:
        held = load_suite(tune_suite, data)
        retune(
            folder,
            held.mt,
            held.references[0],
            held.source,
            log=lambda m: click.echo(m, err=True),
        )
    result, evaluation = rewrite.evaluate_and_record(
        folder,
        load_pipeline(pipeline),
        dev,
        Path(out),
        resamples=resamples,
        record=limit is None,
        log=lambda m: click.echo(m, err=True),
    )
    click.echo(evaluation["table"], nl=False)
    click.echo(
        f"guards: {evaluation['guards']}; {evaluation['rewrite_sentences_per_s']} sentences/s",
        err=True,
    )


@eval_group.command("edit-classes")
@suite_option("mlqe-dev", "MT with post-edits.")
def eval_edit_classes_command(suite: str) -> None:
    """The TER each class of post-edit could buy, were it made exactly as the post-editor did."""
    [loaded] = load_suites([suite])
    click.echo(f"{loaded.name}, {len(loaded.mt)} segments: TER against the references")
    click.echo(
        edit_classes.markdown_table(edit_classes.ceilings(loaded.mt, loaded.references[0])),
        nl=False,
    )


eval_group.add_command(eval_qe_command)
