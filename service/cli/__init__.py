"""The ``copydesk`` command line: one module per command group, each a thin layer.

A command parses its options and calls the library (`copydesk.models`, `copydesk.eval`,
`copydesk.service.batch`); `main` turns the errors the library raises on purpose into
one line on standard error and an exit code (`copydesk.service.cli.common`).
"""

from __future__ import annotations

import signal
import sys

import click

from copydesk import models
from copydesk.service.cli.batch import batch
from copydesk.service.cli.check import check
from copydesk.service.cli.common import EXIT_CONFIG, EXIT_ENGINE, EXIT_INPUT
from copydesk.service.cli.eval import eval_group
from copydesk.service.cli.glossary import glossary
from copydesk.service.cli.languagetool import languagetool
from copydesk.service.cli.learn import learn
from copydesk.service.cli.learn_names import learn_names_command
from copydesk.service.cli.repair import repair
from copydesk.service.cli.score import score_command
from copydesk.service.cli.serve import serve
from copydesk.service.cli.train import train
from copydesk.service.logs import log_to_stderr


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="copydesk")
def cli() -> None:
    """Repair machine-translated English news and score repairs."""


for command in (
    repair,
    check,
    serve,
    batch,
    score_command,
    eval_group,
    train,
    glossary,
    languagetool,
    learn,
    learn_names_command,
):
    cli.add_command(command)


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM ends the command as an interrupt would: exit handlers run (and stop every
    LanguageTool server this process started)."""
    raise SystemExit(128 + signum)


def main() -> None:
    """Console entry point: engine errors become one line on stderr and an exit code."""
    signal.signal(signal.SIGTERM, _terminate)
    log_to_stderr()
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("copydesk: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        click.echo(f"copydesk: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except models.InputError as exc:
        click.echo(f"copydesk: error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except models.ConfigError as exc:
        click.echo(f"copydesk: error: {exc}", err=True)
        sys.exit(EXIT_CONFIG)
    except models.CopydeskError as exc:
        click.echo(f"copydesk: error: {exc}", err=True)
        sys.exit(EXIT_ENGINE)


__all__ = ["cli", "main"]
