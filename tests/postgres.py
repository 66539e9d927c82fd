"""A throwaway PostgreSQL server for the tests, from Debian's packages, on 127.0.0.1."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from copydesk.models.grammar.server import free_port


def pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


@contextmanager
def running_postgres() -> Iterator[str]:
    """Start a server in a temporary folder; yield a SQLAlchemy URL; stop and remove it."""
    bindir = pg_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (make test installs it)")
    root = tempfile.mkdtemp(prefix="copydesk-pg-")
    data, port = os.path.join(root, "data"), free_port()
    as_user: list[str] = []
    user = pwd.getpwuid(os.getuid()).pw_name
    if os.getuid() == 0:  # the server refuses to run as root
        user = "postgres"
        shutil.chown(root, user)
        os.chmod(root, 0o700)
        as_user = ["runuser", "-u", user, "--"]

    def run(*cmd: str) -> None:
        subprocess.run([*as_user, *cmd], check=True, capture_output=True, timeout=120)

    run(f"{bindir}/initdb", "-D", data, "-U", user, "--auth=trust", "-E", "UTF8")
    run(
        f"{bindir}/pg_ctl",
        "-D",
        data,
        "-l",
        os.path.join(root, "log"),
        "-w",
        "start",
        "-o",
        f"-h 127.0.0.1 -p {port} -k {root}",
    )
    try:
        deadline = time.monotonic() + 30
        while (
            subprocess.run(
                [f"{bindir}/pg_isready", "-h", "127.0.0.1", "-p", str(port)], capture_output=True
            ).returncode
            != 0
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not start")
            time.sleep(0.2)
        run(f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", user, "copydesk")
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}/copydesk"
    finally:
        subprocess.run(
            [*as_user, f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)
