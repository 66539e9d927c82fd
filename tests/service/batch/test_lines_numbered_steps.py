"""`copydesk batch --lines` leaves numbered steps as they are."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import copydesk_command

ROOT = Path(__file__).resolve().parents[3]
FAST = str(ROOT / "tests" / "service" / "fixtures" / "starts-and-names.toml")


def test_lines_keep_numbered_steps(tmp_path):
    lines = ["Repeat steps 2. and 3. until done", "See points 4. and 5. below.", "the end."]
    (tmp_path / "in.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.run(
        copydesk_command(
            "batch",
            str(tmp_path / "in.txt"),
            "--lines",
            "--out",
            str(tmp_path / "out.txt"),
            "--pipeline",
            FAST,
        ),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    out = (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()
    assert out == [lines[0], lines[1], "The end."]
