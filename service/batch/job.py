"""A batch job: records repaired in checkpointed chunks, then assembled in input order.

Each chunk of records is repaired and written to ``<work>/chunk-NNNNNN.json`` in one
atomic rename, so a chunk file either exists whole or not at all. A job killed at any
moment and run again skips the chunks it finds and repairs the rest; the outputs are
assembled from the chunks only when all exist, so the result is exactly what an
uninterrupted run gives: no record lost, none doubled.
"""

from __future__ import annotations

import base64
import json
import multiprocessing
import os
import shutil
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import NamedTuple, Protocol

from copydesk import models
from copydesk.models import markup
from copydesk.models.casing.model import set_inference_threads
from copydesk.models.errors import StageUnavailable
from copydesk.models.grammar.server import default_lib_dir, shared_server
from copydesk.models.markup import Layout
from copydesk.service.batch import tables
from copydesk.service.batch.checkpoint import (
    check_output,
    job_identity,
    open_work,
    write_atomic,
)
from copydesk.service.batch.formats import TREES, layout_of, read_records, render, write_tree
from copydesk.service.batch.record import Record
from copydesk.service.batch.spec import JobSpec
from copydesk.service.settings import get_settings


@dataclass
class JobSummary:
    records: int = 0
    rejects: int = 0
    words: int = 0
    resumed_chunks: int = 0
    seconds: float = 0.0
    edits: Counter = field(default_factory=Counter)
    stage_problems: Counter = field(default_factory=Counter)
    problem_reasons: dict[str, str] = field(default_factory=dict)  # the first reason of each
    left_alone: Counter = field(default_factory=Counter)  # XLIFF/TMX units not repaired, by why

    def warnings(self) -> list[str]:
        """One ``copydesk: warning:`` line per stage that skipped or failed on some records."""
        return [
            f"copydesk: warning: {key}: {self.problem_reasons.get(key) or 'no reason given'} "
            f"({n} of {self.records} records)"
            for key, n in sorted(self.stage_problems.items())
        ]

    def line(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.edits.items())) or "none"
        problems = ", ".join(f"{k} {n}" for k, n in sorted(self.stage_problems.items())) or "none"
        rate = self.words / self.seconds if self.seconds else 0.0
        line = (
            f"{self.records} records ({self.rejects} rejected), {self.words} words in "
            f"{self.seconds:.1f} s ({rate:.0f} words/s); edits applied: {kinds}; "
            f"stage problems: {problems}; chunks resumed: {self.resumed_chunks}"
        )
        if self.left_alone:
            why = ", ".join(f"{k} {n}" for k, n in sorted(self.left_alone.items()))
            line += f"; units left alone: {sum(self.left_alone.values())} ({why})"
        return line


class Chunk(NamedTuple):
    """Consecutive records of a job, repaired as one batch and checkpointed as one file."""

    index: int
    records: list[Record]
    spec: JobSpec


class Done(NamedTuple):
    """A chunk's records described for assembly, in the chunk's order."""

    index: int
    entries: list[dict]


class Executor(Protocol):
    """Where a job's chunks are repaired. ``run`` yields each chunk as it is done, in any
    order; the job checkpoints each and assembles the outputs in input order."""

    def run(self, todo: Sequence[Chunk]) -> Iterator[Done]: ...


# Each worker process builds the pipeline once.
_WORKER: dict = {}


def _init_worker(pipeline: str | None, threads: int, overrides: dict) -> None:
    set_inference_threads(threads)
    # The environment's COPYDESK_CHECKS reaches every worker process.
    _WORKER["pipeline"] = models.load(pipeline, overrides=overrides, checks=get_settings().checks)


def _batch_of(
    records: list[Record], text_format: str
) -> tuple[list[str], list[models.RepairContext], list[Layout | None]]:
    """A chunk's readable records, as the texts and contexts of one repair batch (the
    plain text of marked-up records: `copydesk.models.markup`), and their layouts, each
    parsed once, to map the results back with."""
    good = [r for r in records if r.reject is None]
    layouts = [layout_of(r, text_format) for r in good]
    texts = [r.text if lay is None else lay.plain for r, lay in zip(good, layouts, strict=True)]
    return texts, [models.RepairContext(source=r.source) for r in good], layouts


def _repair_chunk(chunk: Chunk, pipeline: models.Pipeline | None = None) -> Done:
    """Repair a chunk's readable records in one batch; describe every record for assembly."""
    pipeline = pipeline or _WORKER["pipeline"]
    texts, contexts, layouts = _batch_of(chunk.records, chunk.spec.text_format)
    results = pipeline.repair_many(texts, contexts, threshold=chunk.spec.threshold)
    return _entries(chunk, results, layouts)


def _entries(
    chunk: Chunk, repaired: list[models.RepairResult], layouts: list[Layout | None]
) -> Done:
    """Every record of a chunk described for assembly, given its readable ones' results
    (and layouts, from `_batch_of`)."""
    results = iter(zip(repaired, layouts, strict=True))
    entries = []
    for record in chunk.records:
        entry = {"file": record.file, "key": record.key, "words": len(record.text.split())}
        if record.reject is None:
            result, layout = next(results)
            if layout is not None:
                result = markup.to_original(layout, result)
            entry["out"] = render(record, result.to_dict(), chunk.spec)
            entry["edits"] = Counter(e.kind.value for e in result.applied_edits)
            entry["problems"] = [
                [f"{s.name} {s.status.value}", s.reason]
                for s in result.stages
                if s.status.value != "ok"
            ]
        else:
            entry["reject"] = record.reject
            entry["raw"] = record.raw
            if "raw_b64" in record.meta:  # a line or row: its own bytes keep outputs aligned
                entry["out_b64"] = record.meta["raw_b64"]
        entries.append(entry)
    return Done(chunk.index, entries)


def _chunks(records: list[Record], size: int) -> Iterator[tuple[int, list[Record]]]:
    for start in range(0, len(records), size):
        yield start // size, records[start : start + size]


def run_job(
    spec: JobSpec,
    progress: Callable[[int, int, int], None] | None = None,
    pipeline: models.Pipeline | None = None,
) -> JobSummary:
    """Run (or resume) the job; return its summary. Rejects go to ``spec.rejects_path``.

    ``pipeline``, when given, is used in this process instead of loading one (the HTTP
    service's jobs share the service's).
    """
    started = time.monotonic()
    check_output(spec)
    left_alone: Counter = Counter()
    records = list(read_records(spec, left_alone))
    work = spec.work_dir
    done = open_work(spec, job_identity(spec, len(records)), restart=spec.restart)
    todo = [
        Chunk(i, chunk, spec) for i, chunk in _chunks(records, spec.chunk_size) if i not in done
    ]
    summary = JobSummary(resumed_chunks=len(done), left_alone=left_alone)
    finished = sum(len(c) for i, c in _chunks(records, spec.chunk_size) if i in done)
    if progress:
        progress(finished, len(records), 0)
    for index, entries in executor_for(spec, pipeline, bool(todo)).run(todo):
        write_atomic(work / f"chunk-{index:06d}.json", json.dumps(entries, ensure_ascii=False))
        finished += len(entries)
        if progress:
            progress(finished, len(records), sum(e["words"] for e in entries))
    _assemble(spec, records, summary)
    summary.seconds = time.monotonic() - started
    shutil.rmtree(work)
    return summary


def executor_for(spec: JobSpec, pipeline: models.Pipeline | None, work: bool) -> Executor:
    """The service's own pipeline in this process when given; else the job's engine. With
    ``work`` to do, several workers share one LanguageTool server started here."""
    if pipeline is not None:
        return InProcess(pipeline)
    if work:
        spec = _share_languagetool(spec)
    return RayActors(spec) if spec.engine == "ray" else LocalProcesses(spec)


def _share_languagetool(spec: JobSpec) -> JobSpec:
    """Start the grammar stage's server once here and hand its address to every worker."""
    grammar = spec.overrides.get("grammar", {})
    if "url" in grammar or (spec.workers <= 1 and spec.engine == "local"):
        return spec
    try:
        server = shared_server(str(grammar.get("lib_dir") or default_lib_dir()))
        url = server.url(wait=server.start_timeout)
    except StageUnavailable:
        return spec  # the workers will report the stage skipped
    return spec.model_copy(update={"overrides": {**spec.overrides, "grammar": {"url": url}}})


class InProcess:
    """The chunks through a pipeline already loaded in this process, as an assembly line
    (`Pipeline.repair_stream`): one chunk's grammar check overlaps the next chunk's casing
    model."""

    def __init__(self, pipeline: models.Pipeline) -> None:
        self.pipeline = pipeline

    def run(self, todo: Sequence[Chunk]) -> Iterator[Done]:
        if not todo:
            return
        layouts: deque = deque()  # each chunk's, in order, for its results as they come back

        def batches() -> Iterator[tuple[list[str], list[models.RepairContext]]]:
            for chunk in todo:
                texts, contexts, found = _batch_of(chunk.records, chunk.spec.text_format)
                layouts.append(found)
                yield texts, contexts

        stream = self.pipeline.repair_stream(batches(), threshold=todo[0].spec.threshold)
        for chunk, results in zip(todo, stream, strict=True):
            yield _entries(chunk, results, layouts.popleft())


class LocalProcesses:
    """The job's own pipeline: loaded in this process for one worker, else in a pool of
    ``spec.workers`` processes, each repairing whole chunks."""

    def __init__(self, spec: JobSpec) -> None:
        self.spec = spec

    def run(self, todo: Sequence[Chunk]) -> Iterator[Done]:
        spec = self.spec
        if spec.workers <= 1:
            threads = max(1, (os.cpu_count() or 1) // spec.workers)
            _init_worker(spec.pipeline, threads, spec.overrides)
            yield from InProcess(_WORKER["pipeline"]).run(todo)
            return
        context = multiprocessing.get_context("spawn")
        args = (spec.pipeline, 1, spec.overrides)
        with context.Pool(spec.workers, _init_worker, args) as pool:
            yield from pool.imap(_repair_chunk, todo)


class _RayRepairer:
    """A Ray actor: builds the pipeline once, then repairs whole chunks."""

    def __init__(self, spec: JobSpec) -> None:
        _init_worker(spec.pipeline, 1, spec.overrides)
        self.spec = spec

    def __call__(self, batch: dict) -> dict:
        indices, outputs = [], []
        for index, payload in zip(batch["index"], batch["records"], strict=True):
            records = [Record(**r) for r in json.loads(payload)]
            done = _repair_chunk(Chunk(int(index), records, self.spec))
            indices.append(done.index)
            outputs.append(json.dumps(done.entries, ensure_ascii=False))
        return {"index": indices, "entries": outputs}


class RayActors:
    """The chunks through Ray Data: a pool of ``spec.workers`` actors, each loading the
    models once."""

    def __init__(self, spec: JobSpec) -> None:
        self.spec = spec

    def run(self, todo: Sequence[Chunk]) -> Iterator[Done]:
        import ray  # the ray extra: imported only for a job that asks for it

        spec = self.spec
        if not ray.is_initialized():
            ray.init(
                address=spec.ray_address,
                include_dashboard=False,
                log_to_driver=False,
                ignore_reinit_error=True,
            )
        items = [
            {
                "index": c.index,
                "records": json.dumps([asdict(r) for r in c.records], ensure_ascii=False),
            }
            for c in todo
        ]
        dataset = ray.data.from_items(items).map_batches(
            _RayRepairer,
            fn_constructor_kwargs={"spec": spec},
            batch_size=1,
            concurrency=spec.workers,
            num_cpus=1,
        )
        for row in dataset.iter_rows():
            yield Done(int(row["index"]), json.loads(row["entries"]))


def _assemble(spec: JobSpec, records: Sequence[Record], summary: JobSummary) -> None:
    """Write the outputs and the rejects file from the chunks, in input order."""
    chunk_files = sorted(spec.work_dir.glob("chunk-*.json"))
    outputs: dict[int, list[bytes]] = {}
    rejects: list[str] = []
    for path in chunk_files:
        for entry in json.loads(path.read_text(encoding="utf-8")):
            summary.records += 1
            summary.words += entry["words"]
            summary.edits.update(entry.get("edits", {}))
            for key, reason in entry.get("problems", []):
                summary.stage_problems[key] += 1
                summary.problem_reasons.setdefault(key, reason)
            if "reject" in entry:
                summary.rejects += 1
                reject = {"key": entry["key"], "reason": entry["reject"], "record": entry["raw"]}
                rejects.append(json.dumps(reject, ensure_ascii=False))
            if "out_b64" in entry:  # a rejected line or row: its own bytes, whatever they are
                outputs.setdefault(entry["file"], []).append(base64.b64decode(entry["out_b64"]))
            elif "out" in entry and isinstance(entry["out"], str):
                outputs.setdefault(entry["file"], []).append(entry["out"].encode("utf-8"))
            elif "out" in entry:
                outputs.setdefault(entry["file"], []).append(entry["out"])
    if summary.records != len(records):
        raise RuntimeError(f"chunks hold {summary.records} records, inputs {len(records)}")
    if spec.fmt in ("csv", "tsv"):
        outputs = {
            f: [tables.header_bytes(path, spec), *outputs.get(f, [])]
            for f, path in enumerate(spec.inputs)
        }
    if spec.fmt in TREES:
        _write_trees(spec, outputs)
    elif spec.single_file:
        spec.out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(spec.out, b"".join(t for f in sorted(outputs) for t in outputs[f]))
    else:
        spec.out.mkdir(parents=True, exist_ok=True)
        for f, path in enumerate(spec.inputs):
            if f in outputs:  # a rejected document writes no file
                write_atomic(spec.out / path.name, b"".join(outputs[f]))
    if rejects:
        write_atomic(spec.rejects_path, "\n".join(rejects) + "\n")
    elif spec.rejects_path.exists():
        spec.rejects_path.unlink()


def _write_trees(spec: JobSpec, outputs: dict[int, list]) -> None:
    """Each input XLIFF or TMX file with its repaired targets (and notes), in its own
    output file, byte for byte as it came in elsewhere."""
    if not spec.single_file:
        spec.out.mkdir(parents=True, exist_ok=True)
    for f, path in enumerate(spec.inputs):
        data = write_tree(spec.fmt, path.read_bytes(), outputs.get(f, []))
        target = spec.out if spec.single_file else spec.out / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)


def progress_printer(stream=sys.stderr) -> Callable[[int, int, int], None]:  # noqa: ANN001
    """Records, words/s and ETA: one updating line on a terminal, a line every 5 s in logs."""
    started = time.monotonic()
    state = {"words": 0, "last": 0.0}
    tty = stream.isatty()

    def show(done: int, total: int, words: int) -> None:
        state["words"] += words
        now = time.monotonic()
        if not tty and now - state["last"] < 5 and done < total:
            return
        state["last"] = now
        elapsed = max(now - started, 1e-6)
        rate = state["words"] / elapsed
        per_record = elapsed / max(done, 1)
        eta = per_record * (total - done) if done else 0
        line = f"{done}/{total} records, {rate:.0f} words/s, ETA {eta:.0f} s"
        stream.write(("\r" + line) if tty else line + "\n")
        if tty and done >= total:
            stream.write("\n")
        stream.flush()

    return show
