"""Speed as a user meets it, as ratios against LanguageTool alone measured in the same run.

LanguageTool alone is a plain server started as LanguageTool's documentation says
(``java -cp <its jars> org.languagetool.server.HTTPServer --port N``: no option of
copydesk's), warm, and given one text per request with its default rules, as a checker
client gives it. Both servers are warmed with the same news lines, one per request, before
anything is timed. copydesk is run as a user runs it:

- the seed article: ``POST /v1/repair`` to ``copydesk serve`` (which starts its own
  LanguageTool), against LanguageTool alone checking the whole article in one request;
- the news lines (the last ``--lines`` of the news corpus in ``COPYDESK_DATA_DIR``):
  ``copydesk batch --lines``, the whole command, its start-up and its own JVM's
  included, against LanguageTool alone checking them one line per request.

The two sides take turns (A B A B …) and each ratio is the median of the pairs, so a
drift in this machine's speed falls on both. Neither copydesk command finds a shared
LanguageTool (each runs with a state folder of its own). Writes ``bench-pipeline.json``.

    python benchmarks/pipeline.py [--lines 1200] [--rounds 2] [--seed-only]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from serving import copydesk_serve, plain_languagetool, user_env

from copydesk.eval.data import NEWS_CORPUS, data_dir

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "idlib-mt.txt").read_text(encoding="utf-8")
SEED_REQUESTS = 10  # per round and side
SEED_WARM_UP = 20  # seed requests per side before any is timed


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def timed(call) -> float:  # noqa: ANN001
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def check_one(client: httpx.Client, url: str, text: str) -> None:
    """One text, one request, LanguageTool's default rules: as a checker client asks."""
    response = client.post(url + "/v2/check", data={"text": text, "language": "en-US"})
    response.raise_for_status()


def languagetool_per_line(client: httpx.Client, url: str, lines: list[str]) -> float:
    return timed(lambda: [check_one(client, url, line) for line in lines])


def copydesk_batch(lines_file: Path) -> float:
    """``copydesk batch --lines``, the whole command, start-up and its JVM included."""
    out = lines_file.with_name("out.txt")
    command = [
        *(sys.executable, "-m", "copydesk.service.cli", "batch", str(lines_file)),
        *("--lines", "--out", str(out), "--restart"),
    ]
    env = user_env()

    def run() -> None:
        subprocess.run(command, env=env, check=True, capture_output=True)

    return timed(run)


def seed_round(client: httpx.Client, languagetool: str, copydesk: str) -> tuple[list, list]:
    alone = [1000 * timed(lambda: check_one(client, languagetool, SEED))]
    ours = []
    for _ in range(SEED_REQUESTS):
        alone.append(1000 * timed(lambda: check_one(client, languagetool, SEED)))
        ours.append(
            1000
            * timed(
                lambda: client.post(copydesk + "/v1/repair", json={"text": SEED}).raise_for_status()
            )
        )
    return alone[1:], ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed-only", action="store_true", help="the seed article alone")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-pipeline.json")
    args = parser.parse_args()
    all_lines = (data_dir() / NEWS_CORPUS).read_text(encoding="utf-8").splitlines()
    lines = [x for x in all_lines if x.strip()][-args.lines :]
    folder = Path(tempfile.mkdtemp())
    lines_file = folder / "lines.txt"
    lines_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results: dict = {"lines": len(lines), "words": words(lines), "seed words": len(SEED.split())}
    with plain_languagetool() as languagetool, httpx.Client(timeout=600) as client:
        # A JVM speeds up over its first thousands of checks: LanguageTool alone is
        # measured warm (copydesk's batch is not: its start-up counts).
        warm_up = lines[: len(lines) // 4]
        languagetool_per_line(client, languagetool, warm_up)
        with copydesk_serve() as (copydesk, _):
            # copydesk's own LanguageTool is warmed the same way, through copydesk.
            for line in warm_up:
                client.post(copydesk + "/v1/repair", json={"text": line}).raise_for_status()
            # Then the article itself, on both sides in turn: until the JVMs have compiled
            # what it exercises, copydesk's LanguageTool goes on compiling after each of
            # its answers, in the time of LanguageTool alone's next request.
            for _ in range(SEED_WARM_UP):
                client.post(copydesk + "/v1/repair", json={"text": SEED}).raise_for_status()
                check_one(client, languagetool, SEED)
            alone_ms, ours_ms, seed_ratios = [], [], []
            for _ in range(max(2, args.rounds)):
                alone, ours = seed_round(client, languagetool, copydesk)
                alone_ms += alone
                ours_ms += ours
                seed_ratios.append(statistics.median(ours) / statistics.median(alone))
        per_line_s, batch_s, batch_ratios = [], [], []
        for _ in range(0 if args.seed_only else args.rounds):
            per_line_s.append(languagetool_per_line(client, languagetool, lines))
            batch_s.append(copydesk_batch(lines_file))
            batch_ratios.append(per_line_s[-1] / batch_s[-1])
    n = words(lines)
    results["seed article"] = {
        "LanguageTool alone, one request, p50 ms": round(statistics.median(alone_ms), 1),
        "copydesk serve POST /v1/repair, p50 ms": round(statistics.median(ours_ms), 1),
        "copydesk / LanguageTool alone (median of rounds)": round(
            statistics.median(seed_ratios), 2
        ),
        "rounds": [round(r, 2) for r in seed_ratios],
    }
    if args.seed_only:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(results, indent=2))
        return
    results["news lines"] = {
        "LanguageTool alone, one line per request, seconds": [round(s, 1) for s in per_line_s],
        "copydesk batch --lines, whole command, seconds": [round(s, 1) for s in batch_s],
        "LanguageTool alone words/s": round(n / statistics.median(per_line_s)),
        "copydesk batch --lines words/s": round(n / statistics.median(batch_s)),
        "copydesk speed / LanguageTool alone (median of rounds)": round(
            statistics.median(batch_ratios), 2
        ),
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
