"""The default pipeline's speed as ratios against LanguageTool alone, measured in one run.

This machine's speed drifts from day to day, so each figure is set beside LanguageTool
checking the same text in the same run: one line per request with its default rules
(how a checker client uses it), and in bulk. On 600 news lines (a segment per line) and
the seed article:

- LanguageTool alone, one line per request, and in bulk (4,000-character requests, two
  side by side), every rule on;
- copydesk's default pipeline through ``copydesk batch --lines`` (the whole command,
  start-up included) and through ``Pipeline.repair_many`` in this process;
- the seed article: ``POST /v1/repair`` on a warm ``copydesk serve`` (median of 20)
  against LanguageTool alone checking it in one request with its default rules;
- the casing stage alone (seed ×20, and the news lines as 20-line documents).

Writes ``bench-pipeline.json``.  ``python benchmarks/pipeline.py [--lines 600]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from copydesk import models
from copydesk.eval.data import NEWS_CORPUS, data_dir
from copydesk.models import Document, RepairContext
from copydesk.models.grammar.client import LanguageToolClient
from copydesk.models.grammar.server import LanguageToolServer, default_lib_dir, free_port
from copydesk.models.stages import CasingStage

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "idlib-mt.txt").read_text(encoding="utf-8")


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def timed(call) -> float:  # noqa: ANN001
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def languagetool_alone(url: str, lines: list[str]) -> dict:
    per_line = LanguageToolClient(url, parallel=1, bulk_chars=1)
    bulk = LanguageToolClient(url, parallel=2)
    try:
        # A JVM speeds up over its first thousands of checks: every figure is taken warm.
        for _ in range(2):
            bulk.check_many(lines, timeout=600)
        per_line.check_many(lines[:50], timeout=60)
        seconds_per_line = timed(lambda: per_line.check_many(lines, timeout=600))
        seconds_bulk = timed(lambda: bulk.check_many(lines, timeout=600))
        seed_ms = [1000 * timed(lambda: per_line.check(SEED, timeout=60)) for _ in range(20)]
    finally:
        per_line.close()
        bulk.close()
    n = words(lines)
    return {
        "per_line_words_per_second": round(n / seconds_per_line),
        "bulk_words_per_second": round(n / seconds_bulk),
        "seed_p50_ms": round(statistics.median(seed_ms), 1),
    }


def copydesk_batch(url: str, lines: list[str]) -> float:
    folder = Path(tempfile.mkdtemp())
    (folder / "lines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "LANGUAGETOOL_URL": url}
    command = [
        sys.executable,
        "-m",
        "copydesk.service.cli",
        "batch",
        str(folder / "lines.txt"),
        "--lines",
        "--out",
        str(folder / "out.txt"),
    ]
    seconds = timed(lambda: subprocess.run(command, env=env, check=True, capture_output=True))
    return words(lines) / seconds


def copydesk_repair_many(url: str, lines: list[str]) -> float:
    pipeline = models.load(overrides={"grammar": {"url": url}})
    pipeline.repair_many(lines[:64])

    def run() -> None:
        for i in range(0, len(lines), 64):
            pipeline.repair_many(lines[i : i + 64])

    return words(lines) / timed(run)


def http_seed(url: str) -> dict:
    port = free_port()
    env = {
        **os.environ,
        "LANGUAGETOOL_URL": url,
        "COPYDESK_PORT": str(port),
        "COPYDESK_DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/bench.db",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "copydesk.service.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=60) as client:
            for _ in range(600):
                try:
                    if client.get(base + "/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            for _ in range(3):
                client.post(base + "/v1/repair", json={"text": SEED}).raise_for_status()
            ms = []
            for _ in range(20):
                ms.append(
                    1000 * timed(lambda: client.post(base + "/v1/repair", json={"text": SEED}))
                )
        return {"seed_p50_ms": round(statistics.median(ms), 1)}
    finally:
        server.terminate()
        server.wait(timeout=30)


def casing_alone(lines: list[str]) -> dict:
    stage = CasingStage()
    out = {}
    news = [" ".join(lines[i : i + 20]) for i in range(0, len(lines), 20)]
    for name, texts in (("seed x20", [SEED] * 20), ("news documents", news)):
        docs = [Document.from_text(t) for t in texts]
        contexts = [RepairContext()] * len(docs)
        stage.propose_many(docs[:2], contexts[:2])
        best = min(
            timed(
                lambda d=docs, c=contexts: [
                    stage.propose_many(d[i : i + 16], c[i : i + 16]) for i in range(0, len(d), 16)
                ]
            )
            for _ in range(3)
        )
        out[f"{name} words_per_second"] = round(words(texts) / best)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=600)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-pipeline.json")
    args = parser.parse_args()
    all_lines = (data_dir() / NEWS_CORPUS).read_text(encoding="utf-8").splitlines()
    lines = [x for x in all_lines if x.strip()][-args.lines :]
    server = LanguageToolServer(default_lib_dir())
    try:
        url = server.url(wait=server.start_timeout)
        alone = languagetool_alone(url, lines)
        batch = copydesk_batch(url, lines)
        many = copydesk_repair_many(url, lines)
        http = http_seed(url)
    finally:
        server.stop()
    casing = casing_alone(lines)
    per_line = alone["per_line_words_per_second"]
    results = {
        "lines": len(lines),
        "words": words(lines),
        "languagetool alone": alone,
        "copydesk batch --lines words_per_second": round(batch),
        "copydesk repair_many words_per_second": round(many),
        "copydesk POST /v1/repair": http,
        "casing stage": casing,
        "ratios": {
            "batch --lines / LanguageTool per line": round(batch / per_line, 2),
            "repair_many / LanguageTool per line": round(many / per_line, 2),
            "repair_many / LanguageTool bulk": round(many / alone["bulk_words_per_second"], 2),
            "HTTP seed p50 / LanguageTool seed p50": round(
                http["seed_p50_ms"] / alone["seed_p50_ms"], 2
            ),
        },
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
