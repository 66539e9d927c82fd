"""What the commands share: exit codes, reading an input, the pipeline and suite options."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from copydesk import models
from copydesk.eval.suites import load_suite
from copydesk.models import ConfigError, InputError
from copydesk.models.config import parse_config, read_config
from copydesk.models.textfiles import decode, read_text
from copydesk.service.batch.spec import HouseSnapshot
from copydesk.service.settings import NEWSROOM_NAME, get_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker

EXIT_OK = 0
EXIT_INPUT = 1  # an input file could not be read
EXIT_USAGE = 2  # click's own code for bad options
EXIT_CONFIG = 3  # a pipeline file or setting is invalid
EXIT_ENGINE = 4  # any other error the engine raised on purpose; a job that could not run
EXIT_REJECTS = 5  # a batch job finished, but some records were rejected
EXIT_STAGE = 6  # with --strict: a stage was skipped or failed


def read_input(name: str) -> str:
    """A UTF-8 file's text exactly, line endings included; ``-`` reads standard input.

    Nothing over ``COPYDESK_MAX_INPUT_BYTES`` is read into memory (`copydesk batch` takes
    larger inputs, a record at a time).
    """
    limit = get_settings().max_input_bytes
    too_big = InputError(
        f"{'standard input' if name == '-' else name}: over the {limit:,}-byte limit of "
        "copydesk repair (COPYDESK_MAX_INPUT_BYTES); copydesk batch takes larger inputs"
    )
    if name == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise too_big
        return decode(data, "standard input")
    path = Path(name)
    if path.is_file() and path.stat().st_size > limit:
        raise too_big
    return read_text(path)


def read_option_file(name: str | None) -> str | None:
    return read_input(name) if name else None


def pipeline_option(f: Callable) -> Callable:
    return click.option(
        "--pipeline",
        type=click.Path(dir_okay=False),
        help="Pipeline TOML file (default: COPYDESK_PIPELINE, else the shipped default).",
    )(f)


def _newsroom_name(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(NEWSROOM_NAME, value):
        raise click.BadParameter(f"not a newsroom name: {value!r}", param=param)
    return value


NEWSROOM_HELP = (
    "Apply this newsroom's learned rules and glossary, from the state database "
    "(`copydesk learn`); default: none, the shipped behaviour."
)


def newsroom_option(default: str | None, help_text: str) -> Callable:
    """``--newsroom NAME``, a newsroom's name as COPYDESK_NEWSROOMS names it."""

    def decorate(f: Callable) -> Callable:
        return click.option(
            "--newsroom",
            metavar="NAME",
            default=default,
            show_default=default is not None,
            callback=_newsroom_name,
            help=help_text,
        )(f)

    return decorate


def state_sessions() -> sessionmaker:
    """Sessions of the state database (COPYDESK_DATABASE_URL), as the service keeps it."""
    # Loaded only by the commands that read it.
    from copydesk.service.db.session import make_engine, session_factory

    return session_factory(make_engine(get_settings().database_url))


def learned_house(newsroom: str | None) -> HouseSnapshot | None:
    """``newsroom``'s learned rules and glossary from the state database (None: none)."""
    if newsroom is None:
        return None
    from copydesk.service.learning import house_rules, learned_glossary

    with state_sessions()() as session:
        house = HouseSnapshot.of(
            newsroom, house_rules(session, newsroom), learned_glossary(session, newsroom)
        )
    if house is None:
        echo_err(f"copydesk: note: newsroom {newsroom!r} has learned nothing yet (shipped rules)")
    return house


def threshold_option(f: Callable) -> Callable:
    return click.option(
        "--threshold",
        type=click.FloatRange(0, 1),
        help="Apply edits from this confidence, in every stage (default: COPYDESK_THRESHOLD, "
        "else each stage's own).",
    )(f)


# What a stage's backend imports from an optional extra: (stage, backend) -> the extra's
# name and the modules it installs that the backend needs.
EXTRAS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("rewrite", "local"): ("rewrite", ("torch", "transformers", "safetensors", "peft", "gguf")),
    ("rewrite", "openai"): ("llm", ("openai",)),
    ("rewrite", "llama-cpp"): ("llama-cpp", ("openai", "llama_cpp")),
}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def check_extras(config: Mapping[str, Any], where: str) -> None:
    """`ConfigError` (one line, exit 3) naming the extra that a stage of ``config`` needs
    and that is not installed, before any stage loads (or a server starts) for nothing."""
    specs, _ = parse_config(config, path=where)
    for spec in specs:
        backend = str(spec.settings.get("backend", "local"))
        extra, modules = EXTRAS.get((spec.name, backend), ("", ()))
        missing = [m for m in modules if not _installed(m)]
        if missing:
            raise ConfigError(
                f"{where}: the {spec.name} stage ({backend} backend) needs the [{extra}] extra, "
                f"which is not installed ({missing[0]} is missing): "
                f"pip install 'copydesk[{extra}]'"
            )


def pipeline_path(pipeline: str | None) -> str | None:
    """The pipeline file a command runs (its ``--pipeline``, else the settings'), once its
    stages' extras are known to be installed (`check_extras`); None: the shipped default."""
    configured = get_settings().pipeline
    path = pipeline or (str(configured) if configured else None)
    if path is not None:
        check_extras(read_config(path), path)
    return path


def lexicon_option(f: Callable) -> Callable:
    return click.option(
        "--lexicon",
        type=click.Path(exists=True, dir_okay=False),
        help="A newsroom lexicon of names and casings (copydesk learn-names; default: "
        "COPYDESK_LEXICON).",
    )(f)


def stage_overrides(lexicon: str | None = None) -> dict[str, dict]:
    """The settings' stage overrides, with a command's ``--lexicon`` for the casing stage."""
    overrides = get_settings().stage_overrides()
    if lexicon:
        overrides["casing"] = {**overrides.get("casing", {}), "lexicon": lexicon}
    return overrides


def load_pipeline(pipeline: str | None, lexicon: str | None = None) -> models.Pipeline:
    """The pipeline a command runs: its ``--pipeline``, else the settings'."""
    settings = get_settings()
    return models.load(
        pipeline_path(pipeline), overrides=stage_overrides(lexicon), checks=settings.checks
    )


def suite_option(
    default: tuple[str, ...] | str, help_text: str, multiple: bool = False
) -> Callable:
    def decorate(f: Callable) -> Callable:
        return click.option(
            "--suite",
            "suites" if multiple else "suite",
            multiple=multiple,
            default=default,
            show_default=True,
            help=help_text + " A shipped suite's name or a suite TOML file.",
        )(f)

    return decorate


def load_suites(names: tuple[str, ...] | list[str], *, limit: int | None = None) -> list:
    data = get_settings().data_dir
    return [load_suite(name, data, limit=limit) for name in names]


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def path_or_none(value: str | None) -> Path | None:
    return Path(value) if value else None


__all__ = [
    "EXIT_CONFIG",
    "EXIT_ENGINE",
    "EXIT_INPUT",
    "EXIT_OK",
    "EXIT_REJECTS",
    "EXIT_STAGE",
    "EXIT_USAGE",
    "NEWSROOM_HELP",
    "InputError",
    "check_extras",
    "echo_err",
    "learned_house",
    "lexicon_option",
    "load_pipeline",
    "load_suites",
    "newsroom_option",
    "pipeline_option",
    "pipeline_path",
    "read_input",
    "read_option_file",
    "stage_overrides",
    "state_sessions",
    "suite_option",
    "threshold_option",
]
