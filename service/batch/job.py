"""A batch job: records repaired in checkpointed chunks, then assembled in input order.

Each chunk of records is repaired and written to ``<work>/chunk-NNNNNN.json`` in one
atomic rename, so a chunk file either exists whole or not at all. A job killed at any
moment and run again skips the chunks it finds and repairs the rest; the outputs are
assembled from the chunks only when all exist, so the result is exactly what an
uninterrupted run gives: no record lost, none doubled.
"""

from __future__ import annotations

import base64
import itertools
import json
import multiprocessing
import os
import shutil
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

from copydesk import models
from copydesk.models import markup
from copydesk.models.casing.model import set_inference_threads
from copydesk.models.errors import StageUnavailable
from copydesk.models.grammar.server import default_lib_dir, shared_server
from copydesk.models.markup import Layout
from copydesk.models.memory import release
from copydesk.service.batch import lines, qa, tables
from copydesk.service.batch.checkpoint import (
    BatchError,
    check_output,
    disk_problem,
    job_identity,
    open_work,
    write_atomic,
)
from copydesk.service.batch.formats import TREES, layout_of, read_records, render, write_tree
from copydesk.service.batch.lock import output_lock
from copydesk.service.batch.record import Record
from copydesk.service.batch.spec import JobSpec, context_fields
from copydesk.service.batch.streams import Fingerprint, copy_range, fingerprint
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

    def run(self, todo: Iterable[Chunk]) -> Iterator[Done]: ...


# Each worker process builds the pipeline once.
_WORKER: dict = {}


def _init_worker(pipeline: str | None, threads: int, overrides: dict) -> None:
    set_inference_threads(threads)
    # The environment's COPYDESK_CHECKS reaches every worker process.
    _WORKER["pipeline"] = models.load(pipeline, overrides=overrides, checks=get_settings().checks)
    release()


def _batch_of(
    chunk: Chunk,
) -> tuple[list[str], list[models.RepairContext], list[Layout | None]]:
    """A chunk's readable records, as the texts and contexts of one repair batch (the
    plain text of marked-up records: `copydesk.models.markup`), and their layouts, each
    parsed once, to map the results back with. Every context carries the job's newsroom
    rules and learned glossary, if it has them."""
    good = [r for r in chunk.records if r.reject is None]
    layouts = [layout_of(r, chunk.spec.text_format) for r in good]
    texts = [r.text if lay is None else lay.plain for r, lay in zip(good, layouts, strict=True)]
    shared = context_fields(chunk.spec.house)
    return texts, [models.RepairContext(source=r.source, **shared) for r in good], layouts


def _repair_chunk(chunk: Chunk, pipeline: models.Pipeline | None = None) -> Done:
    """Repair a chunk's readable records in one batch; describe every record for assembly."""
    pipeline = pipeline or _WORKER["pipeline"]
    texts, contexts, layouts = _batch_of(chunk)
    results = pipeline.repair_many(texts, contexts, threshold=chunk.spec.threshold)
    done = _entries(chunk, results, layouts)
    release(collect=False)  # the chunk's buffers (the casing network's are the largest)
    return done


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
            described = result.to_dict()
            entry["out"] = render(record, described, chunk.spec)
            entry["qa"] = _qa_units(record, described, chunk.spec)
            entry["edits"] = Counter(e.kind.value for e in result.applied_edits)
            entry["problems"] = [
                [f"{s.name} {s.status.value}", s.reason]
                for s in result.stages
                if s.status.value != "ok"
            ]
        else:
            entry["reject"] = record.reject
            entry["raw"] = record.raw
            if "span" in record.meta:  # a rejected line: its bytes, copied from the input
                entry["out_span"] = record.meta["span"]
            elif "raw_b64" in record.meta:  # a line or row: its own bytes keep outputs aligned
                entry["out_b64"] = record.meta["raw_b64"]
        entries.append(entry)
    return Done(chunk.index, entries)


def _qa_units(record: Record, result: dict, spec: JobSpec) -> list[dict]:
    """The record's units for the QA report (a line each, for lines read as a document)."""
    name = spec.inputs[record.file].name
    count = record.meta.get("lines", 1)
    if count <= 1:
        return qa.units_of(name, record.key, result)
    first = record.meta["first_line"]
    lines_ = [
        (f"{name}:{first + n}", length) for n, length in enumerate(record.meta["line_lengths"])
    ]
    return qa.units_of(name, record.key, result, lines_)


def _chunks(records: Iterable[Record], size: int) -> Iterator[tuple[int, list[Record]]]:
    """Consecutive records ``size`` at a time, read as they are needed."""
    it = iter(records)
    for index in itertools.count():
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        yield index, chunk


def prepare(spec: JobSpec) -> dict[str, Fingerprint]:
    """Everything checked before any work: the options, each input's content (its
    digest for the checkpoint, its line count, UTF-8 where the whole file must be),
    line alignment, CSV headers."""
    lines.check_options(spec)
    whole_utf8 = spec.fmt in ("csv", "tsv")
    prints = {
        f"input {n}": fingerprint(path, utf8="input" if whole_utf8 else None)
        for n, path in enumerate(spec.inputs, start=1)
    }
    if spec.source_file:
        prints["--source"] = fingerprint(spec.source_file, utf8="--source")
    if spec.doc_ids:
        prints["--doc-ids"] = fingerprint(spec.doc_ids, utf8="--doc-ids")
    lines.check_alignment(spec, prints)
    if whole_utf8:
        for path in spec.inputs:
            tables.check_header(path, spec)
    return prints


def _expected(spec: JobSpec, prints: dict[str, Fingerprint]) -> int:
    """How many records the job has, where the line counts say it (else 0: unknown)."""
    if spec.fmt == "jsonl" or (spec.fmt == "txt" and spec.lines and not spec.doc_ids):
        return sum(p.lines for role, p in prints.items() if role.startswith("input"))
    if spec.fmt == "txt" and not spec.lines:
        return len(spec.inputs)
    return 0


def run_job(
    spec: JobSpec,
    progress: Callable[[int, int, int], None] | None = None,
    pipeline: models.Pipeline | None = None,
) -> JobSummary:
    """Run (or resume) the job; return its summary. Rejects go to ``spec.rejects_path``,
    the QA report to ``spec.qa_base`` (``.json`` and ``.md``).

    One job at a time writes an output: a second is refused at the start (`output_lock`).
    Records are read, repaired and written a chunk at a time, so memory stays bounded
    whatever the input's size. ``pipeline``, when given, is used in this process instead
    of loading one (the HTTP service's jobs share the service's).
    """
    started = time.monotonic()
    check_output(spec)
    with output_lock(spec.lock_path, spec.out):
        prints = prepare(spec)
        total = _expected(spec, prints)
        done = open_work(spec, job_identity(spec, prints), restart=spec.restart)
        left_alone: Counter = Counter()
        summary = JobSummary(resumed_chunks=len(done), left_alone=left_alone)
        read = {"records": 0, "skipped": 0}

        def todo() -> Iterator[Chunk]:
            for index, records in _chunks(read_records(spec, left_alone), spec.chunk_size):
                read["records"] += len(records)
                if index in done:
                    read["skipped"] += len(records)
                else:
                    yield Chunk(index, records, spec)

        chunks = todo()
        first = next(chunks, None)
        written = 0
        if progress:
            progress(read["skipped"], total, 0)
        if first is not None:
            work = itertools.chain([first], chunks)
            for index, entries in executor_for(spec, pipeline, True).run(work):
                write_atomic(
                    spec.work_dir / f"chunk-{index:06d}.json",
                    json.dumps(entries, ensure_ascii=False),
                )
                written += len(entries)
                if progress:
                    progress(written + read["skipped"], total, sum(e["words"] for e in entries))
        _assemble(spec, read["records"], summary)
        if progress and written + read["skipped"] != total:  # the count, now known
            progress(read["records"], read["records"], 0)
        summary.seconds = time.monotonic() - started
        shutil.rmtree(spec.work_dir)
        return summary


def executor_for(spec: JobSpec, pipeline: models.Pipeline | None, work: bool) -> Executor:
    """The service's own pipeline in this process when given; else the job's engine. With
    ``work`` to do, several workers share one LanguageTool server started here."""
    if pipeline is not None:
        return InProcess(pipeline, spec.threshold)
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
    model. The line's queues are bounded, so chunks are read only a few ahead."""

    def __init__(self, pipeline: models.Pipeline, threshold: float | None = None) -> None:
        self.pipeline, self.threshold = pipeline, threshold

    def run(self, todo: Iterable[Chunk]) -> Iterator[Done]:
        pending: deque = deque()  # each chunk fed, with its layouts, for its results

        def batches() -> Iterator[tuple[list[str], list[models.RepairContext]]]:
            for chunk in todo:
                texts, contexts, found = _batch_of(chunk)
                pending.append((chunk, found))
                yield texts, contexts

        for results in self.pipeline.repair_stream(batches(), threshold=self.threshold):
            chunk, found = pending.popleft()
            done = _entries(chunk, results, found)
            del results
            # The freed buffers of the chunk (the casing network's are the largest) go
            # back to the system, so the job's resident size stays at what is live.
            release(collect=False)
            yield done


class LocalProcesses:
    """The job's own pipeline: loaded in this process for one worker, else in a pool of
    ``spec.workers`` processes, each repairing whole chunks."""

    def __init__(self, spec: JobSpec) -> None:
        self.spec = spec

    def run(self, todo: Iterable[Chunk]) -> Iterator[Done]:
        spec = self.spec
        if spec.workers <= 1:
            threads = max(1, (os.cpu_count() or 1) // spec.workers)
            _init_worker(spec.pipeline, threads, spec.overrides)
            yield from InProcess(_WORKER["pipeline"], spec.threshold).run(todo)
            return
        context = multiprocessing.get_context("spawn")
        args = (spec.pipeline, 1, spec.overrides)
        with context.Pool(spec.workers, _init_worker, args) as pool:
            # At most two chunks per worker are read ahead (Pool.imap would read them all).
            in_flight: deque = deque()
            for chunk in todo:
                in_flight.append(pool.apply_async(_repair_chunk, (chunk,)))
                while len(in_flight) >= 2 * spec.workers:
                    yield in_flight.popleft().get()
            while in_flight:
                yield in_flight.popleft().get()


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

    def run(self, todo: Iterable[Chunk]) -> Iterator[Done]:
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


class _Output:
    """One output file, written as a ``.tmp`` beside it and renamed into place whole."""

    def __init__(self, path: Path) -> None:
        self.path, self.tmp = path, path.with_name(path.name + ".tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = open(self.tmp, "wb")  # noqa: SIM115
        except OSError as exc:
            raise BatchError(disk_problem(path, exc)) from exc

    def write(self, data: bytes) -> None:
        try:
            self.handle.write(data)
        except OSError as exc:
            self.abort()
            raise BatchError(disk_problem(self.path, exc)) from exc

    def copy(self, source: Path, start: int, end: int) -> None:
        try:
            copy_range(source, start, end, self.handle)
        except OSError as exc:
            self.abort()
            raise BatchError(disk_problem(self.path, exc)) from exc

    def commit(self) -> None:
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self.abort()
            raise BatchError(disk_problem(self.path, exc)) from exc

    def abort(self) -> None:
        self.handle.close()
        self.tmp.unlink(missing_ok=True)


def _chunk_files(spec: JobSpec) -> Iterator[list[dict]]:
    """The checkpointed chunks' entries, one chunk at a time, in input order."""
    paths = sorted(spec.work_dir.glob("chunk-*.json"))
    for expected, path in enumerate(paths):
        if int(path.stem.split("-")[1]) != expected:
            raise BatchError(f"{spec.work_dir}: chunk {expected} is missing")
        yield json.loads(path.read_text(encoding="utf-8"))


def _assemble(spec: JobSpec, records: int, summary: JobSummary) -> None:
    """Write the outputs, the rejects file and the QA report from the chunks, in input
    order, a chunk at a time."""
    report = qa.Report(qa.Options(**spec.qa.model_dump()))
    trees: dict[int, list] = {}  # XLIFF and TMX: each file's repaired units
    current: tuple[int, _Output] | None = None  # the output file being written
    opened: set[int] = set()
    rejects: _Output | None = None
    single = _Output(spec.out) if spec.single_file and spec.fmt not in TREES else None
    try:
        for entries in _chunk_files(spec):
            for entry in entries:
                summary.records += 1
                summary.words += entry["words"]
                summary.edits.update(entry.get("edits", {}))
                for key, reason in entry.get("problems", []):
                    summary.stage_problems[key] += 1
                    summary.problem_reasons.setdefault(key, reason)
                for unit in entry.get("qa", []):
                    report.add(qa.QAUnit(**unit))
                if "reject" in entry:
                    summary.rejects += 1
                    if rejects is None:
                        rejects = _Output(spec.rejects_path)
                    reject = {"key": entry["key"], "reason": entry["reject"]}
                    line = json.dumps({**reject, "record": entry["raw"]}, ensure_ascii=False)
                    rejects.write(line.encode() + b"\n")
                f = entry["file"]
                if spec.fmt in TREES:
                    if "out" in entry:
                        trees.setdefault(f, []).append(entry["out"])
                    continue
                if not any(k in entry for k in ("out", "out_b64", "out_span")):
                    continue  # a rejected document writes no file
                if single is not None:
                    target = single
                else:
                    if current is None or current[0] != f:
                        if current is not None:
                            current[1].commit()
                        current = (f, _Output(spec.out / spec.inputs[f].name))
                    target = current[1]
                if f not in opened:
                    opened.add(f)
                    if spec.fmt in ("csv", "tsv"):
                        target.write(tables.header_bytes(spec.inputs[f], spec))
                if "out_span" in entry:
                    target.copy(spec.inputs[f], *entry["out_span"])
                elif "out_b64" in entry:  # a rejected row: its own bytes, whatever they are
                    target.write(base64.b64decode(entry["out_b64"]))
                else:
                    target.write(entry["out"].encode("utf-8"))
        if summary.records != records:
            raise BatchError(f"chunks hold {summary.records} records, inputs {records}")
        if spec.fmt in ("csv", "tsv"):  # a table without rows still has its header
            for f, path in enumerate(spec.inputs):
                if f not in opened:
                    if single is None:
                        if current is not None:
                            current[1].commit()
                        current = (f, _Output(spec.out / path.name))
                    (single or current[1]).write(tables.header_bytes(path, spec))
        for output in (single, current[1] if current else None):
            if output is not None:
                output.commit()
        single = current = None
        if spec.fmt in TREES:
            _write_trees(spec, trees)
        if rejects is not None:
            rejects.commit()
            rejects = None
        elif spec.rejects_path.exists():
            spec.rejects_path.unlink()
        report.write(spec.qa_base)
    finally:
        for output in (single, current[1] if current else None, rejects):
            if output is not None and not output.handle.closed:
                output.abort()


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
        if not tty and now - state["last"] < 5 and (done < total or total <= 0):
            return
        state["last"] = now
        elapsed = max(now - started, 1e-6)
        rate = state["words"] / elapsed
        if total > 0:
            per_record = elapsed / max(done, 1)
            eta = per_record * (total - done) if done else 0
            line = f"{done}/{total} records, {rate:.0f} words/s, ETA {eta:.0f} s"
        else:  # a count the inputs do not tell before reading them
            line = f"{done} records, {rate:.0f} words/s"
        stream.write(("\r" + line) if tty else line + "\n")
        if tty and done >= total:
            stream.write("\n")
        stream.flush()

    return show
