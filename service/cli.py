"""The ``copydesk`` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

import models
from service.render import as_diff, as_json, summary
from service.settings import get_settings

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
    engine = models.load(
        pipeline or settings.pipeline,
        threshold=threshold if threshold is not None else settings.threshold,
    )
    result = engine.repair(text, context)
    if fmt == "json":
        click.echo(as_json(result), nl=False)
    elif fmt == "diff":
        use_color = sys.stdout.isatty() if color is None else color
        click.echo(as_diff(result, color=use_color), nl=False, color=use_color)
        click.echo(summary(result), err=True)
    else:
        sys.stdout.buffer.write(result.repaired.encode("utf-8"))
        sys.stdout.flush()


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
    except models.CopydeskError as exc:
        click.echo(f"copydesk: error: {exc}", err=True)
        sys.exit(EXIT_ENGINE)


if __name__ == "__main__":
    main()
