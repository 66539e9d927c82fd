"""``copydesk eval qe`` and ``copydesk train quality``: the segment quality estimator."""

from __future__ import annotations

import json
from pathlib import Path

import click

from copydesk.eval.components.quality import evaluate_qe, qe_table, record, write_qe_card
from copydesk.models.quality.config import SHIPPED, TrainSettings
from copydesk.models.quality.model import QualityModel
from copydesk.service.settings import get_settings


@click.command("qe")
@click.option("--model", type=click.Path(file_okay=False), help="Model folder (default: shipped).")
@click.option("--split", default="dev", show_default=True, help="MLQE-PE ru-en split.")
@click.option("--limit", type=click.IntRange(1), help="Only the first N segments.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--write-card/--no-write-card",
    default=False,
    show_default=True,
    help="Record the figures in the model folder and rewrite its card.",
)
def eval_qe_command(
    model: str | None, split: str, limit: int | None, as_json: bool, write_card: bool
) -> None:
    """Pearson and Spearman of the estimate against MLQE-PE ru-en HTER and DA, with baselines."""
    folder = Path(model) if model else SHIPPED
    evaluation = evaluate_qe(get_settings().data_dir, QualityModel.load(folder), split, limit)
    if write_card:
        record(folder, evaluation)
    if as_json:
        click.echo(json.dumps(evaluation.to_dict(), indent=1))
        return
    click.echo("\n".join(qe_table(evaluation.figures, f"{split} ({evaluation.segments})")))
    ms = evaluation.ms_per_segment
    click.echo(f"ms per segment: {ms['source']:.2f} with source, {ms['english']:.2f} English only")


@click.command("quality")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Model folder.")
@click.option("--extra-lines", type=click.IntRange(0), help="Paragraphs of each extra-en file.")
@click.option(
    "--tables",
    type=click.Path(exists=True, file_okay=False),
    help="Reuse this model folder's n-gram counts and lexicon instead of building them.",
)
def train_quality_command(out: str, extra_lines: int | None, tables: str | None) -> None:
    """Train the quality estimator on MLQE-PE ru-en train (needs the train extra); its card
    shows cross-validation until ``copydesk eval qe --model OUT --write-card`` adds dev."""
    # Training needs scikit-learn (the train extra): imported only when asked to train.
    from copydesk.models.quality.train import train_quality

    settings = TrainSettings() if extra_lines is None else TrainSettings(extra_lines=extra_lines)
    train_quality(
        get_settings().data_dir,
        Path(out),
        settings,
        tables=Path(tables) if tables else None,
        log=lambda m: click.echo(m, err=True),
    )
    click.echo(f"card: {write_qe_card(Path(out))}", err=True)
