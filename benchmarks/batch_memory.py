"""Batch memory: the resident size of ``copydesk batch --lines`` on a large generated input.

Writes an input of ``--megabytes`` MB of news lines (the news corpus, lowercased and
repeated; with ``--source``, the English side of the Russian-English news test sets,
lowercased, with their Russian sources beside them), runs ``copydesk batch --lines`` on
it as a subprocess, and samples the resident size of the command's process (and, apart,
of its whole process tree, which includes LanguageTool's JVM when the pipeline has the
grammar stage) every ``--interval`` seconds. With ``--seconds``, the run is stopped
after that long, and the figure is the peak so far with how far the job got. The peak
of copydesk's own process is set against ``--bound`` (500 MB). With ``--caches``, it
also measures what each bounded per-word cache holds per entry, and so at its bound.
Prints one JSON object.

    python benchmarks/batch_memory.py --megabytes 200 --seconds 600
    python benchmarks/batch_memory.py --megabytes 200 --seconds 600 --source
    python benchmarks/batch_memory.py --megabytes 200 \\
        --pipeline tests/service/fixtures/sentence-case-only.toml --no-checks
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import psutil
import regex

from copydesk.eval.data import NEWS_CORPUS, data_dir

ROOT = Path(__file__).resolve().parent.parent
PARALLEL = Path("ru-en-parallel") / "newstest2012-2020"  # .en and .ru, line-aligned


def make_input(path: Path, size: int, source: Path | None = None) -> int:
    """``size`` bytes (or just over) of lowercased news lines, and with ``source`` their
    Russian sources line by line; returns the line count."""
    if source is None:
        lines = [line.lower() for line in (data_dir() / NEWS_CORPUS).read_bytes().splitlines()]
        pairs = zip(lines, itertools.repeat(b""))
    else:
        en = (data_dir() / PARALLEL).with_suffix(".en").read_bytes().lower().splitlines()
        ru = (data_dir() / PARALLEL).with_suffix(".ru").read_bytes().splitlines()
        pairs = zip(en, ru, strict=True)
    pairs = [(a, b) for a, b in pairs if a.strip()]
    written = count = 0
    with open(path, "wb") as handle, open(source or os.devnull, "wb") as src:
        for line, original in itertools.cycle(pairs):
            handle.write(line + b"\n")
            src.write(original + b"\n")
            written += len(line) + 1
            count += 1
            if written >= size:
                return count
    return count


def measure(args: argparse.Namespace, folder: Path) -> dict:
    src = folder / "input.txt"
    russian = folder / "source.txt" if args.source else None
    lines = make_input(src, int(args.megabytes * 1_000_000), russian)
    command = [sys.executable, "-m", "copydesk.service.cli", "batch", str(src), "--lines"]
    command += ["--out", str(folder / "out.txt"), "--chunk-size", str(args.chunk_size)]
    if russian is not None:
        command += ["--source", str(russian)]
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
            children = main.children(recursive=True)
        except psutil.Error:
            break  # the job has ended
        tree = rss
        for child in children:
            with contextlib.suppress(psutil.Error):  # a child that has just ended
                tree += child.memory_info().rss
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
        "source": "Russian" if args.source else None,
        "checks": not args.no_checks,
        "chunk_size": args.chunk_size,
        "completed": not stopped and proc.returncode == 0,
        "stopped_after_s": args.seconds if stopped else None,
        "seconds": round(time.monotonic() - started, 1),
        "last_progress": progress[-1] if progress else "",
        "summary": summary,
        "peak_rss_mb": round(peak / 1e6, 1),
        "bound_mb": args.bound,
        "within_bound": peak / 1e6 <= args.bound,
        "peak_tree_rss_mb": round(peak_tree / 1e6, 1),
        "peak_rss_mb_each_30s": windows,
    }


def _words(path: Path, count: int) -> list[str]:
    """The first ``count`` distinct words of a file, each a fresh string (as input's are)."""
    seen: dict[str, None] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            seen.update(dict.fromkeys(regex.findall(r"\p{L}+", line)))
            if len(seen) >= count:
                break
    return [(w + " ")[:-1] for w in list(seen)[:count]]


def _lines(path: Path, count: int) -> list[str]:
    """The first ``count`` non-empty lines of a file, each a fresh string."""
    with open(path, encoding="utf-8") as handle:
        found = [(line.strip() + " ")[:-1] for line in itertools.islice(handle, 2 * count)]
    return [line for line in found if line][:count]


def _call(fn: Callable, arg: object) -> object:
    return fn(*arg) if isinstance(arg, tuple) else fn(arg)


def cache_ceilings(count: int = 20_000) -> dict:
    """Each bounded cache's bytes per entry (tracemalloc, ``count`` distinct news words;
    2,000 lines for the caches of whole texts) and its size at its bound, in MB.
    ``renderings`` includes the ``scheme_renderings`` entries it fills; ``zipf`` includes
    one entry of wordfreq's own cache per word."""
    from copydesk.models import wordstats
    from copydesk.models.casing import units
    from copydesk.models.checks import names, russian, translit
    from copydesk.models.quality import text

    en = _words(data_dir() / NEWS_CORPUS, count)
    ru = _words((data_dir() / PARALLEL).with_suffix(".ru"), count)
    caches = {
        "casing.units.case_of": (units.case_of, en),
        "wordstats.zipf": (wordstats.zipf, en),
        "quality.text.word_hash": (text.word_hash, [w.lower() for w in en]),
        "quality.text.ru_key": (text.ru_key, ru),
        "checks.translit.renderings": (translit.renderings, ru),
        "checks.translit.renders": (translit.renders, list(zip(ru, en, strict=True))),
        "checks.russian.lemmas": (russian.lemmas, ru),
        "checks.russian.tags": (russian.tags, ru),
        "checks.russian.name_like": (russian.name_like, [(w, False) for w in ru]),
        "quality.text._tokens": (text._tokens, _lines(data_dir() / NEWS_CORPUS, 2000)),
        "checks.names.source_names": (
            names.source_names,
            _lines((data_dir() / PARALLEL).with_suffix(".ru"), 2000),
        ),
    }
    for fn, words in caches.values():  # what each loads (a dictionary, an analyser) first
        _call(fn, words[0])
    out = {}
    for name, (fn, words) in caches.items():
        fn.cache_clear()
        if fn is translit.renderings:
            translit.scheme_renderings.cache_clear()
        tracemalloc.start()
        for w in words:
            _call(fn, w)
        used = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        bound = fn.cache_info().maxsize
        out[name] = {
            "bound": bound,
            "bytes_per_entry": round(used / len(words)),
            "mb_at_bound": round(used / len(words) * bound / 1e6, 1),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=200)
    parser.add_argument("--pipeline", help="a pipeline file (default: the shipped default)")
    parser.add_argument("--no-checks", action="store_true", help="COPYDESK_CHECKS=false")
    parser.add_argument("--source", action="store_true", help="Russian sources beside the lines")
    parser.add_argument("--bound", type=float, default=500, help="MB (the target)")
    parser.add_argument("--caches", action="store_true", help="also the caches' ceilings")
    parser.add_argument("--chunk-size", type=int, default=64)
    parser.add_argument("--seconds", type=float, help="stop the job after this long")
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--tmp", help="where the input is written (default: a temporary folder)")
    args = parser.parse_args()
    if args.tmp:
        result = measure(args, Path(args.tmp))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = measure(args, Path(tmp))
    if args.caches:
        result["cache_ceilings"] = ceilings = cache_ceilings()
        result["cache_ceilings_mb"] = round(sum(c["mb_at_bound"] for c in ceilings.values()), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
