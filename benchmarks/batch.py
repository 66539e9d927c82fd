"""Batch throughput: the default pipeline over news lines, on 1 and 2 workers and on Ray.

Runs ``copydesk batch`` as a subprocess on the first ``--lines`` lines of the news corpus
(one JSONL record per line) and reads words/s from its summary. Memory is the largest
resident size among the finished processes of the run (``getrusage`` of the children:
the command and its worker processes; Ray's actors live under Ray's own processes).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from copydesk.eval.data import NEWS_CORPUS, data_dir

ROOT = Path(__file__).resolve().parent.parent


def run(lines: list[str], workers: int, engine: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "news.jsonl"
        records = (json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(lines))
        src.write_text("".join(records), encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "copydesk.service.cli",
                "batch",
                str(src),
                "--out",
                f"{tmp}/out.jsonl",
                "--workers",
                str(workers),
                "--engine",
                engine,
            ],
            cwd=ROOT,
            # Its own LanguageTool, as on a machine where no shared one runs.
            env={
                **{k: v for k, v in os.environ.items() if "LANGUAGETOOL" not in k},
                "XDG_RUNTIME_DIR": tmp,
            },
            capture_output=True,
            text=True,
            check=False,
        )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    match = re.search(r"(\d+) words in ([\d.]+) s \((\d+) words/s\)", proc.stderr)
    if proc.returncode != 0 or match is None:
        raise RuntimeError(proc.stderr[-2000:])
    return {
        "workers": workers,
        "engine": engine,
        "words": int(match[1]),
        "seconds": float(match[2]),
        "words_per_second": int(match[3]),
        "peak_process_rss_mib": round(max(peak, before) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=Path, default=data_dir() / NEWS_CORPUS)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-batch.json")
    args = parser.parse_args()
    lines = [x for x in args.news.read_text(encoding="utf-8").splitlines() if x.strip()]
    lines = lines[: args.lines]
    results = [run(lines, 1, "local"), run(lines, 2, "local"), run(lines, 2, "ray")]
    base = results[0]["words_per_second"]
    for r in results:
        r["scaling_vs_1_worker"] = round(r["words_per_second"] / base, 2)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
