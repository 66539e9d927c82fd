"""Ordinary requests while one client attacks LanguageTool: latency and grammar kept.

Starts ``copydesk serve`` (the default pipeline, its own LanguageTool) on a free port and
waits until ``/ready`` says ready. Then 20 clients post the seed article, first alone
(idle) and then while an attacker posts the texts that once held LanguageTool for
everyone, back to back: two items of 50,000 combining marks (``marks``), and that in
turn with 49,999 ``". "``, 10,000 NULs and 10,000 ``[`` (``all``). Reports each phase's
p50/p99, the p99 against the idle p99 (the target is under 3×), the share of ordinary
answers whose grammar edits are those of the idle run, the attack's answers, and what
``/ready`` said during and after. Run with ``make bench``.

    python benchmarks/attack.py [--requests 100] [--clients 20] [--phases marks,all]
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from serving import copydesk_serve

ROOT = Path(__file__).resolve().parent.parent
ATTACKS = {
    "marks": "\u0301" * 50000,
    "stops": ". " * 49999,
    "nuls": "\x00" * 10000,
    "brackets": "[" * 10000,
}
PHASES = {"marks": ["marks"], "all": list(ATTACKS)}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def grammar_edits(answer: dict) -> tuple:
    """The grammar stage's edits on one result, and its status."""
    (result,) = answer["results"]
    status = next(s["status"] for s in result["stages"] if s["name"] == "grammar")
    edits = sorted(
        (e["start"], e["end"], e["replacement"]) for e in result["edits"] if e["stage"] == "grammar"
    )
    return status, tuple(edits)


def ordinary_load(url: str, text: str, requests: int, clients: int) -> list[tuple]:
    """``requests`` posts of ``text`` from ``clients`` at once: (seconds, grammar) each."""

    def one(_: int) -> tuple:
        started = time.perf_counter()
        try:
            answer = http.post(url + "/v1/repair", json={"text": text})
            got = grammar_edits(answer.json()) if answer.status_code == 200 else None
        except httpx.HTTPError as exc:
            got = (type(exc).__name__, ())
        return time.perf_counter() - started, got

    limits = httpx.Limits(max_connections=clients)
    with httpx.Client(timeout=180, limits=limits) as http, ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, range(requests)))


def attacker(url: str, names: list[str], stop: threading.Event, log: list[dict]) -> None:
    """Posts the attack texts in turn, back to back, until ``stop``."""
    with httpx.Client(timeout=180) as http:
        i = 0
        while not stop.is_set():
            name = names[i % len(names)]
            i += 1
            started = time.perf_counter()
            try:
                answer = http.post(
                    url + "/v1/repair", json={"items": [{"text": ATTACKS[name]}] * 2}
                )
                code = answer.status_code
                reasons = sorted(
                    {
                        s["reason"]
                        for r in answer.json().get("results", [])
                        for s in r["stages"]
                        if s["name"] == "grammar"
                    }
                )
            except (httpx.HTTPError, ValueError) as exc:
                code, reasons = type(exc).__name__, []
            log.append(
                {
                    "attack": name,
                    "status": code,
                    "seconds": round(time.perf_counter() - started, 2),
                    "grammar": reasons,
                }
            )


def summary(rows: list[tuple], expected: tuple | None) -> dict:
    seconds = [s for s, _ in rows]
    kept = sum(1 for _, got in rows if got is not None and got == expected)
    return {
        "requests": len(rows),
        "errors": sum(1 for _, got in rows if got is None),
        "p50_ms": round(1000 * statistics.median(seconds), 1),
        "p99_ms": round(1000 * percentile(seconds, 0.99), 1),
        "grammar_kept": f"{kept}/{len(rows)}",
    }


def run(requests: int, clients: int, phases: list[str]) -> dict:
    seed = (ROOT / "seeds" / "idlib-mt.txt").read_text(encoding="utf-8")
    with copydesk_serve() as (url, _):
        ordinary_load(url, seed, clients, clients)  # warm-up
        idle = ordinary_load(url, seed, requests, clients)
        expected = statistics.mode(got for _, got in idle)
        results: dict = {"clients": clients, "idle": summary(idle, expected)}
        results["idle"]["grammar_edits"] = len(expected[1])
        for phase in phases:
            names = PHASES[phase]
            stop, log = threading.Event(), []
            thread = threading.Thread(target=attacker, args=(url, names, stop, log))
            thread.start()
            time.sleep(1.0)  # the first attack is in
            rows = ordinary_load(url, seed, requests, clients)
            ready_during = httpx.get(url + "/ready", timeout=10).json()
            stop.set()
            thread.join()
            out = summary(rows, expected)
            out["p99_vs_idle"] = round(out["p99_ms"] / results["idle"]["p99_ms"], 2)
            out["attacks"] = log
            out["ready_during"] = ready_during["status"]
            results[f"under attack ({phase})"] = out
        results["ready_after"] = httpx.get(url + "/ready", timeout=10).json()["status"]
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--phases", default=",".join(PHASES), help="of: marks, all")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-attack.json")
    args = parser.parse_args()
    results = run(args.requests, args.clients, args.phases.split(","))
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
