"""``copydesk score``: system outputs against references, with the do-nothing baseline."""

from __future__ import annotations

import json
from pathlib import Path

import click

from copydesk.eval.inputs import UNITS, read_aligned
from copydesk.eval.metrics import ALL_METRICS
from copydesk.eval.report import markdown_tables, write_m2
from copydesk.eval.scoring import score
from copydesk.eval.significance import RESAMPLES, SEED


@click.command("score")
@click.option(
    "--hyp",
    "hyps",
    required=True,
    multiple=True,
    metavar="[NAME=]FILE",
    help="System output; repeat to compare systems.",
)
@click.option("--ref", "refs", required=True, multiple=True, help="Reference; repeatable.")
@click.option(
    "--src",
    help="The text that was corrected (the MT): adds the do-nothing baseline, "
    "significance and ERRANT.",
)
@click.option(
    "--metric",
    "metrics",
    multiple=True,
    type=click.Choice(ALL_METRICS),
    help="Repeat for several (default: BLEU, chrF, chrF++, TER, and ERRANT with --src).",
)
@click.option("--unit", type=click.Choice(UNITS), default=UNITS[0], show_default=True)
@click.option(
    "--resamples",
    default=RESAMPLES,
    show_default=True,
    help="Paired bootstrap resamples (0: none).",
)
@click.option("--seed", default=SEED, show_default=True)
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
    systems, references, original = read_aligned(hyps, refs, src, unit)
    result = score(
        systems,
        references,
        original=original,
        metrics=list(metrics) or None,
        resamples=resamples,
        seed=seed,
    )
    if m2_dir:
        write_m2(Path(m2_dir), result)
    if as_json_out:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(markdown_tables(result), nl=False)
