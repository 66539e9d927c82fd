"""LanguageTool's speed by request size: the curve the grammar stage's bulk size comes from.

Starts one LanguageTool server, warms it, and checks the same news lines (one line per
paragraph) packed into requests of growing size, one request at a time and two side by
side, with the grammar policy's rules disabled as the stage disables them. Prints
words/s per size and writes ``bench-languagetool.json``.

    python benchmarks/languagetool.py [--lines 600]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from copydesk.eval.data import NEWS_CORPUS, data_dir
from copydesk.models.grammar.client import LanguageToolClient
from copydesk.models.grammar.policy import RulePolicy
from copydesk.models.grammar.server import LanguageToolServer, default_lib_dir

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1, 500, 1000, 2000, 4000, 8000, 16000)


def news_lines(count: int) -> list[str]:
    lines = (data_dir() / NEWS_CORPUS).read_text(encoding="utf-8").splitlines()
    return [x for x in lines if x.strip()][-count:]


def words_per_second(url: str, lines: list[str], size: int, parallel: int, filtered: bool) -> float:
    policy = RulePolicy.load()
    client = LanguageToolClient(
        url,
        disabled_rules=policy.off_rules() if filtered else (),
        disabled_categories=policy.off_categories() if filtered else (),
        parallel=parallel,
        bulk_chars=size,
    )
    try:
        client.check_many(lines[:20], timeout=120)  # this client's connections
        started = time.perf_counter()
        client.check_many(lines, timeout=120)
        seconds = time.perf_counter() - started
    finally:
        client.close()
    return sum(len(x.split()) for x in lines) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=600)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-languagetool.json")
    args = parser.parse_args()
    lines = news_lines(args.lines)
    server = LanguageToolServer(default_lib_dir())
    try:
        url = server.url(wait=server.start_timeout)
        rows = []
        for size in SIZES:
            row = {"chars_per_request": size}
            for parallel in (1, 2):
                row[f"parallel {parallel}"] = round(
                    words_per_second(url, lines, size, parallel, True)
                )
            row["parallel 2, all rules"] = round(words_per_second(url, lines, size, 2, False))
            rows.append(row)
            print(json.dumps(row))
    finally:
        server.stop()
    args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print("| chars per request | 1 request at a time | 2 side by side | 2, all rules |")
    print("| ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['chars_per_request']} | {r['parallel 1']} | {r['parallel 2']} "
            f"| {r['parallel 2, all rules']} |"
        )


if __name__ == "__main__":
    main()
