"""Batch memory: the resident size of ``copydesk batch --lines`` on a large generated input.

Writes an input of ``--megabytes`` MB of news lines (the news corpus, lowercased and
repeated), runs ``copydesk batch --lines`` on it as a subprocess, and samples the
resident size of the command's process (and, apart, of its whole process tree, which
includes LanguageTool's JVM when the pipeline has the grammar stage) every
``--interval`` seconds. With ``--seconds``, the run is stopped after that long, and the
figure is the peak so far with how far the job got. Prints one JSON object.

    python benchmarks/batch_memory.py --megabytes 200 \\
        --pipeline tests/service/fixtures/sentence-case-only.toml --no-checks
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from copydesk.eval.data import NEWS_CORPUS, data_dir

ROOT = Path(__file__).resolve().parent.parent


def make_input(path: Path, size: int) -> int:
    """``size`` bytes (or just over) of lowercased news lines; returns the line count."""
    lines = [line.lower() for line in (data_dir() / NEWS_CORPUS).read_bytes().splitlines()]
    written = count = 0
    with open(path, "wb") as handle:
        for line in itertools.cycle(lines):
            handle.write(line + b"\n")
            written += len(line) + 1
            count += 1
            if written >= size:
                return count
    return count


def measure(args: argparse.Namespace, folder: Path) -> dict:
    src = folder / "input.txt"
    lines = make_input(src, int(args.megabytes * 1_000_000))
    command = [sys.executable, "-m", "copydesk.service.cli", "batch", str(src), "--lines"]
    command += ["--out", str(folder / "out.txt"), "--chunk-size", str(args.chunk_size)]
    if args.pipeline:
        command += ["--pipeline", args.pipeline]
    env = {**os.environ, **({"COPYDESK_CHECKS": "false"} if args.no_checks else {})}
    started = time.monotonic()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    main = psutil.Process(proc.pid)
    peak = peak_tree = 0
    stopped = False
    windows: list[float] = []  # the peak of each 30 s, to show whether it levels off
    while proc.poll() is None:
        try:
            rss = main.memory_info().rss
            tree = rss + sum(c.memory_info().rss for c in main.children(recursive=True))
        except psutil.Error:
            break
        peak, peak_tree = max(peak, rss), max(peak_tree, tree)
        window = int((time.monotonic() - started) // 30)
        windows += [0.0] * (window + 1 - len(windows))
        windows[window] = max(windows[window], round(rss / 1e6, 1))
        if args.seconds and time.monotonic() - started > args.seconds:
            stopped = True
            proc.terminate()
            break
        time.sleep(args.interval)
    _, stderr = proc.communicate()
    summary = next((x for x in reversed(stderr.splitlines()) if " records (" in x), "")
    progress = [x for x in stderr.splitlines() if " records," in x]
    return {
        "input_mb": round(src.stat().st_size / 1e6, 1),
        "input_lines": lines,
        "pipeline": args.pipeline or "default",
        "checks": not args.no_checks,
        "chunk_size": args.chunk_size,
        "completed": not stopped and proc.returncode == 0,
        "stopped_after_s": args.seconds if stopped else None,
        "seconds": round(time.monotonic() - started, 1),
        "last_progress": progress[-1] if progress else "",
        "summary": summary,
        "peak_rss_mb": round(peak / 1e6, 1),
        "peak_tree_rss_mb": round(peak_tree / 1e6, 1),
        "peak_rss_mb_each_30s": windows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=200)
    parser.add_argument("--pipeline", help="a pipeline file (default: the shipped default)")
    parser.add_argument("--no-checks", action="store_true", help="COPYDESK_CHECKS=false")
    parser.add_argument("--chunk-size", type=int, default=64)
    parser.add_argument("--seconds", type=float, help="stop the job after this long")
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--tmp", help="where the input is written (default: a temporary folder)")
    args = parser.parse_args()
    if args.tmp:
        print(json.dumps(measure(args, Path(args.tmp))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(measure(args, Path(tmp))))


if __name__ == "__main__":
    main()
