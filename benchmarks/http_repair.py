"""``POST /v1/repair`` from a second process on loopback: latency and a load test.

Starts ``copydesk serve`` (the default pipeline, its own LanguageTool) on a free port,
waits until ``/ready`` says ready, then: the seed article from one client, and a load
of 1,000 news lines from 50 clients at once. Reports errors, p50/p99 latency,
requests/s, words/s and the server's resident memory. Run with ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from serving import copydesk_serve

from copydesk.eval.data import NEWS_CORPUS, data_dir

ROOT = Path(__file__).resolve().parent.parent


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(seed_requests: int, load_requests: int, load_concurrency: int) -> dict:
    seed = (ROOT / "seeds" / "idlib-mt.txt").read_text(encoding="utf-8")
    news = [x for x in (data_dir() / NEWS_CORPUS).read_text(encoding="utf-8").splitlines() if x]
    started = time.monotonic()
    with copydesk_serve() as (url, server):
        results = {"startup_seconds": round(time.monotonic() - started, 2)}
        with httpx.Client(timeout=120) as client:
            for _ in range(3):
                client.post(url + "/v1/repair", json={"text": seed})  # warm-up
        results["seed article, 1 client"] = _measure(url, [seed] * seed_requests, 1)
        texts = [news[-(i % 2000) - 1] for i in range(load_requests)]
        results[f"news lines, {load_concurrency} clients"] = _measure(url, texts, load_concurrency)
        results["server_rss_mib"] = round(_rss_mib(server.pid), 1)
        return results


def _measure(url: str, texts: list[str], concurrency: int) -> dict:
    """Every text posted once, ``concurrency`` at a time: latency, throughput, errors."""
    errors: list[str] = []

    def one(text: str) -> float:
        t = time.perf_counter()
        try:
            response = client.post(url + "/v1/repair", json={"text": text})
            if response.status_code != 200:
                errors.append(str(response.status_code))
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
        return time.perf_counter() - t

    limits = httpx.Limits(max_connections=concurrency)
    with httpx.Client(timeout=120, limits=limits) as client:
        t0 = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            latencies = list(pool.map(one, texts))
        wall = time.perf_counter() - t0
    words = sum(len(t.split()) for t in texts)
    return {
        "requests": len(texts),
        "errors": len(errors),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * _percentile(latencies, 0.99), 1),
        "requests_per_second": round(len(texts) / wall, 2),
        "words_per_second": round(words / wall),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed-requests", type=int, default=30)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-http.json")
    args = parser.parse_args()
    results = run(args.seed_requests, args.requests, args.concurrency)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
