"""Benchmark of the scoring harness: 10,000 segment pairs with every metric.

Measures sacrebleu alone (BLEU, chrF, chrF++, TER corpus scores) and the harness's
``score`` computing the same four figures, so the overhead ratio is like for like; then
the harness's full report path (do-nothing baseline, segment scores, a 1,000-resample
paired bootstrap) and ERRANT's edit extraction and matching. The pairs are real news
lines (``news-en``) and the same lines with generated MT casing errors.
Run with ``python benchmarks/score.py`` (part of ``make bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from copydesk.eval.data import NEWS_CORPUS, data_dir
from copydesk.eval.metrics.sacrebleu import build_metric
from copydesk.eval.scoring import SACREBLEU_METRICS, score
from copydesk.models.casing.noise import noise_lines


def timed(fn) -> tuple[float, object]:  # noqa: ANN001
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def best_of(fn, repeats: int) -> float:  # noqa: ANN001
    return min(timed(fn)[0] for _ in range(repeats))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=data_dir() / NEWS_CORPUS)
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--errant-pairs", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("bench-score.json"))
    args = parser.parse_args()

    lines = [x for x in args.corpus.read_text(encoding="utf-8").splitlines() if x.strip()]
    refs = lines[-args.pairs :]
    hyps = noise_lines(refs, seed=3)

    def sacrebleu_alone() -> None:
        for name in SACREBLEU_METRICS:
            build_metric(name).corpus_score(hyps, [refs])

    def harness() -> None:
        score({"s": hyps}, [refs], metrics=SACREBLEU_METRICS, resamples=0)

    alone = best_of(sacrebleu_alone, args.repeats)
    ours = best_of(harness, args.repeats)
    full, _ = timed(lambda: score({"s": hyps}, [refs], original=refs, metrics=SACREBLEU_METRICS))
    n = args.errant_pairs
    errant_s, _ = timed(
        lambda: score(
            {"s": hyps[:n]}, [refs[:n]], original=refs[:n], metrics=["errant"], resamples=1000
        )
    )
    result = {
        "pairs": len(refs),
        "sacrebleu_alone_s": round(alone, 2),
        "harness_same_metrics_s": round(ours, 2),
        "overhead_ratio": round(ours / alone, 3),
        "harness_with_baseline_and_bootstrap_s": round(full, 2),
        "errant_pairs": n,
        "errant_with_baseline_and_bootstrap_s": round(errant_s, 2),
        "cpus": os.cpu_count(),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("| what | seconds |\n|---|---|")
    print(f"| sacrebleu alone, 4 metrics, {len(refs):,} pairs | {alone:.2f} |")
    print(f"| copydesk score, same 4 metrics | {ours:.2f} (×{ours / alone:.3f}) |")
    print(f"| + do-nothing baseline, segment scores, 1,000-resample bootstrap | {full:.2f} |")
    print(f"| ERRANT (parse, extract, match, baseline, bootstrap), {n:,} pairs | {errant_s:.2f} |")


if __name__ == "__main__":
    main()
