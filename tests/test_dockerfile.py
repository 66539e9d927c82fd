"""What can be checked of the Docker image without building it (no registry is needed)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from copydesk.service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
LINES = [
    line.strip()
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ").splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def instructions(name: str) -> list[str]:
    return [line[len(name) :].strip() for line in LINES if line.upper().startswith(name + " ")]


def environment() -> dict[str, str]:
    env = {}
    for value in instructions("ENV"):
        for pair in shlex.split(value):
            key, _, val = pair.partition("=")
            env[key] = val
    return env


def test_every_file_it_copies_from_the_checkout_exists():
    for value in instructions("COPY"):
        if value.startswith("--from"):
            continue
        *sources, _ = shlex.split(value)
        for source in sources:
            assert (ROOT / source).exists(), source


def test_it_serves_with_settings_the_service_reads():
    assert json.loads(instructions("ENTRYPOINT")[-1]) == ["copydesk"]
    assert json.loads(instructions("CMD")[-1]) == ["serve"]
    env = environment()
    fields = {f"COPYDESK_{name.upper()}" for name in Settings.model_fields}
    copydesk = {k: v for k, v in env.items() if k.startswith("COPYDESK_")}
    assert set(copydesk) <= fields, set(copydesk) - fields
    settings = Settings(**{k.removeprefix("COPYDESK_").lower(): v for k, v in copydesk.items()})
    assert settings.host == "0.0.0.0" and settings.port == 8000
    # LanguageTool: the jars the Maven stage fetches are the folder the service reads.
    fetched = re.search(r"-Dlanguagetool\.lib=(\S+)", " ".join(instructions("RUN"))).group(1)
    assert str(settings.languagetool_lib) == fetched
    assert any(fetched in value for value in instructions("COPY") if value.startswith("--from"))
    # State lives on the volume the non-root user owns.
    state = instructions("VOLUME")[-1]
    assert settings.database_url.endswith(f"{state}/copydesk.db")
    assert str(settings.jobs_dir).startswith(state)
    assert instructions("USER")[-1] not in ("root", "0")
    assert "/ready" in instructions("HEALTHCHECK")[-1]


def test_the_image_installs_no_torch():
    run = " ".join(instructions("RUN"))
    assert "pip install --no-compile ." in run  # the default install, no extras
    assert "[train" not in run and "rewrite-packages" not in run
