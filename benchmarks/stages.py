"""Benchmarks of the repair path: words per second of each stage on real text.

Run with ``make bench`` (or ``python benchmarks/stages.py``). Figures go to stdout as Markdown
and to ``bench-results.json``; the README quotes them with the machine they came from.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Sequence
from pathlib import Path

from copydesk.eval.data import NEWS_CORPUS, data_dir
from copydesk.models import Document, Pipeline, RepairContext, Stage
from copydesk.models.grammar.server import LanguageToolServer, default_lib_dir
from copydesk.models.stages import (
    CasingStage,
    EntitiesStage,
    GrammarStage,
    RewriteStage,
    SentenceCaseStage,
)

ROOT = Path(__file__).resolve().parent.parent


def words_in(texts: Sequence[str]) -> int:
    return sum(len(t.split()) for t in texts)


def bench_stage(stage: Stage, documents: Sequence[str], repeats: int = 3) -> dict:
    """Best-of-``repeats`` words/s of ``stage.propose`` over ``documents``."""
    parsed = [Document.from_text(d) for d in documents]
    context = RepairContext()
    stage.propose(parsed[0], context)  # warm-up
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for doc in parsed:
            stage.propose(doc, context)
        best = min(best, time.perf_counter() - started)
    words = words_in(documents)
    return {
        "documents": len(documents),
        "words": words,
        "seconds": round(best, 4),
        "words_per_second": round(words / best),
        "sentences": sum(len(d.sentences) for d in parsed),
    }


def bench_pipeline(pipeline: Pipeline, documents: Sequence[str]) -> dict:
    started = time.perf_counter()
    for doc in documents:
        pipeline.repair(doc)
    seconds = time.perf_counter() - started
    words = words_in(documents)
    return {
        "documents": len(documents),
        "words": words,
        "seconds": round(seconds, 3),
        "words_per_second": round(words / seconds),
    }


def bench_languagetool(seed: str, news: Sequence[str]) -> dict:
    """LanguageTool's start-up time and memory, and the grammar stage's speed."""
    server = LanguageToolServer(default_lib_dir())
    started = time.perf_counter()
    url = server.url()
    startup = time.perf_counter() - started
    try:
        stage = GrammarStage(url=url)
        stage.propose(Document.from_text(seed), RepairContext())  # the server's warm-up
        out = {"grammar (seed x20)": bench_stage(stage, [seed] * 20, repeats=1)}
        if news:
            out["grammar (news, 50 documents)"] = bench_stage(stage, news, repeats=1)
        for row in out.values():
            row["sentences_per_second"] = round(row.pop("sentences") / row["seconds"], 1)
        rss = Path(f"/proc/{server._process.pid}/status").read_text()
        mib = next(int(x.split()[1]) for x in rss.splitlines() if x.startswith("VmRSS")) / 1024
        out["languagetool server"] = {
            "startup_seconds": round(startup, 2),
            "rss_mib_after_use": round(mib, 1),
        }
        return out
    finally:
        server.stop()


def bench_rewrite(
    seed: str, news: Sequence[str], device: str = "cpu", batch_size: int = 16
) -> dict:
    """The rewrite stage (a 135M language model decoding every sentence): sentences/s."""
    stage = RewriteStage(device=device, batch_size=batch_size)
    where = "" if device == "cpu" else f", {device}, batch {batch_size}"
    if device != "cpu":
        bench_stage(stage, [seed], repeats=1)  # the first GPU batches pay for kernel set-up
    out = {f"rewrite (seed x1{where})": bench_stage(stage, [seed], repeats=1)}
    if news:
        out[f"rewrite (news, 5 documents{where})"] = bench_stage(stage, news[:5], repeats=1)
    for row in out.values():
        row["sentences_per_second"] = round(row.pop("sentences") / row["seconds"], 2)
    return out


def news_documents(path: Path, lines_per_doc: int, limit: int) -> list[str]:
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()][-limit:]
    return [" ".join(lines[i : i + lines_per_doc]) for i in range(0, len(lines), lines_per_doc)]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--news",
        type=Path,
        default=data_dir() / NEWS_CORPUS,
    )
    parser.add_argument("--lines", type=int, default=3000, help="news lines to repair")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results.json")
    parser.add_argument("--only-rewrite", action="store_true", help="just the rewrite stage")
    parser.add_argument("--device", default="cpu", help="the rewrite stage's device (cuda)")
    parser.add_argument("--batch-size", type=int, default=16, help="the rewrite stage's batch")
    args = parser.parse_args(argv)

    import torch  # the rewrite extra (heavy): only to report its threads and version

    seed = (ROOT / "seeds" / "idlib-mt.txt").read_text(encoding="utf-8")
    news = news_documents(args.news, 20, args.lines) if args.news.is_file() else []
    if args.only_rewrite:
        results = bench_rewrite(seed, news, args.device, args.batch_size)
        print(json.dumps(results, indent=2))
        return
    casing = CasingStage()
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "torch_threads": torch.get_num_threads(),
            "python": platform.python_version(),
            "torch": torch.__version__,
        },
        "sentence_case (seed x20)": bench_stage(SentenceCaseStage(), [seed] * 20),
        "casing (seed x20)": bench_stage(casing, [seed] * 20),
        "entities (seed x20)": bench_stage(EntitiesStage(), [seed] * 20),
        "sentence_case + casing + entities (seed x20)": bench_pipeline(
            Pipeline([SentenceCaseStage(), casing, EntitiesStage()]), [seed] * 20
        ),
    }
    if news:
        results[f"casing (news, {args.lines} lines in 20-line documents)"] = bench_stage(
            casing, news, repeats=1
        )
    results.update(bench_languagetool(seed, news[:50]))
    results.update(bench_rewrite(seed, news))
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("| benchmark | words | seconds | words/s |\n| --- | ---: | ---: | ---: |")
    for name, r in results.items():
        if "words" in r:
            print(f"| {name} | {r['words']} | {r['seconds']} | {r['words_per_second']} |")
    print(f"\nLanguageTool: {json.dumps(results.get('languagetool server'))}")
    for name, r in results.items():
        if "sentences_per_second" in r:
            print(f"{name}: {r['sentences_per_second']} sentences/s")
    print(f"\nmachine: {json.dumps(results['machine'])}")


if __name__ == "__main__":
    main()
