"""Batch jobs inside the service: a bounded pool of threads, state in the database.

A job's input and output live in ``<jobs_dir>/<id>/``; its chunks are checkpointed as
in any batch job, so a job that was running when the service stopped is queued again
at start-up and resumes where it stopped.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from copydesk import models
from copydesk.service.batch.job import run_job
from copydesk.service.batch.spec import Fields, JobSpec, QAOptions
from copydesk.service.db.tables import JobRow


def job_spec(row: JobRow, jobs_dir: Path, max_chars: int) -> JobSpec:
    spec = row.spec
    inputs = [Path(p) for p in spec["inputs"]]
    return JobSpec(
        inputs=inputs,
        out=jobs_dir / row.id / "output" / inputs[0].name,
        fmt=spec["format"],
        lines=spec.get("lines", False),
        text_format=spec.get("text_format", "text"),
        include_final=spec.get("include_final", False),
        fields=Fields(**spec.get("fields", {})),
        with_edits=spec.get("with_edits", False),
        threshold=spec.get("threshold"),
        max_chars=max_chars,
        qa=QAOptions(**spec.get("qa", {})),
        house=spec.get("house"),
    )


def qa_paths(spec: JobSpec) -> dict[str, Path]:
    """The job's QA report, beside its result: as JSON and as Markdown."""
    base = spec.qa_base
    return {
        "json": base.with_name(base.name + ".json"),
        "markdown": base.with_name(base.name + ".md"),
    }


def result_path(spec: JobSpec) -> Path:
    """The one file a job's result is. An HTTP job has one input: its output is that file,
    or, where the batch writes a folder of documents (plain text, not lines), the one
    document in it."""
    return spec.out if spec.single_file else spec.out / spec.inputs[0].name


class JobRunner:
    """Runs queued jobs on at most ``workers`` threads with the service's pipeline."""

    def __init__(
        self,
        sessions: sessionmaker,
        pipeline: models.Pipeline,
        jobs_dir: Path,
        max_chars: int,
        workers: int,
    ) -> None:
        self.sessions, self.pipeline = sessions, pipeline
        self.jobs_dir, self.max_chars = jobs_dir, max_chars
        self.pool = ThreadPoolExecutor(max_workers=workers) if workers else None
        self._lock = threading.Lock()  # one pipeline, one job repairing at a time

    def resume_unfinished(self) -> None:
        with self.sessions() as session:
            ids = session.scalars(select(JobRow.id).where(JobRow.status.in_(("queued", "running"))))
            for job_id in ids.all():
                self.submit(job_id)

    def submit(self, job_id: str) -> None:
        if self.pool is not None:
            self.pool.submit(self._run, job_id)

    def _update(self, job_id: str, **fields: object) -> None:
        with self.sessions() as session:
            row = session.get(JobRow, job_id)
            for key, value in fields.items():
                setattr(row, key, value)
            session.commit()

    def _run(self, job_id: str) -> None:
        with self.sessions() as session:
            row = session.get(JobRow, job_id)
            spec = job_spec(row, self.jobs_dir, self.max_chars)
        self._update(job_id, status="running")
        last = [0.0]

        def progress(done: int, total: int, _words: int) -> None:
            if time.monotonic() - last[0] > 1 or done == total:
                last[0] = time.monotonic()
                self._update(job_id, done=done, total=total)

        try:
            with self._lock:
                summary = run_job(spec, progress, pipeline=self.pipeline)
        except Exception as exc:  # a job's failure is recorded, never raised into the pool
            self._update(job_id, status="failed", error=f"{type(exc).__name__}: {exc}")
            return
        self._update(
            job_id,
            status="done",
            records=summary.records,
            rejects=summary.rejects,
            summary=summary.line(),
        )

    def shutdown(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)


def job_info(row: JobRow) -> dict:
    return {
        "id": row.id,
        "newsroom": row.newsroom,
        "status": row.status,
        "done": row.done,
        "total": row.total,
        "records": row.records,
        "rejects": row.rejects,
        "summary": row.summary,
        "error": row.error,
    }
