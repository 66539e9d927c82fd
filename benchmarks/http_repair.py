"""Latency of ``POST /v1/repair`` on the seed article, from a second process on loopback.

Starts ``copydesk serve`` on a free port, sends the seed article with 1 and with 8
concurrent clients, and reports p50/p99 latency, requests/s, words/s and the server's
resident memory. Run with ``make bench``.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from copydesk.models.grammar.server import free_port

ROOT = Path(__file__).resolve().parent.parent


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(requests: int, concurrency: tuple[int, ...]) -> dict:
    text = (ROOT / "seeds" / "idlib-mt.txt").read_text(encoding="utf-8")
    words = len(text.split())
    port = free_port()
    env = {
        **os.environ,
        "COPYDESK_PORT": str(port),
        "COPYDESK_DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/bench.db",
    }
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "copydesk.service.cli", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        startup = time.monotonic() - started
        results = {"startup_seconds": round(startup, 2), "words_per_request": words}
        with httpx.Client(timeout=60) as client:
            client.post(url + "/v1/repair", json={"text": text})  # warm-up

        def one(_: int) -> float:
            with httpx.Client(timeout=60) as client:
                t = time.perf_counter()
                client.post(url + "/v1/repair", json={"text": text}).raise_for_status()
                return time.perf_counter() - t

        for n in concurrency:
            t0 = time.perf_counter()
            with ThreadPoolExecutor(n) as pool:
                latencies = list(pool.map(one, range(requests)))
            wall = time.perf_counter() - t0
            results[f"concurrency {n}"] = {
                "requests": requests,
                "p50_ms": round(1000 * statistics.median(latencies), 1),
                "p99_ms": round(1000 * _percentile(latencies, 0.99), 1),
                "requests_per_second": round(requests / wall, 2),
                "words_per_second": round(requests * words / wall),
            }
        results["server_rss_mib"] = round(_rss_mib(server.pid), 1)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-http.json")
    args = parser.parse_args()
    results = run(args.requests, (1, 8))
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
