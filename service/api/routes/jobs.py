"""Batch jobs over HTTP: submit a file (or a server-side path), follow it, fetch the result."""

from __future__ import annotations

import os
import shutil
import stat
import uuid
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field, model_validator

from copydesk.service.api.deps import SessionDep, SettingsDep
from copydesk.service.api.jobs import job_info, job_spec
from copydesk.service.batch.formats import input_format
from copydesk.service.db.tables import JobRow

router = APIRouter(prefix="/jobs", tags=["jobs"])


class JobIn(BaseModel):
    name: str | None = Field(
        default=None,
        pattern=r"^[\w.-]*[\w-][\w.-]*$",
        max_length=100,
        description="The upload's file name (letters, digits, `_`, `-`, `.`; not `.` or `..`).",
    )
    content: str | None = Field(default=None, description="The file's text, uploaded.")
    path: str | None = Field(
        default=None,
        max_length=1024,
        pattern=r"^[^\x00]+$",
        description="A file in the allowed server folder.",
    )
    format: Literal["txt", "jsonl", "xliff", "tmx", "csv", "tsv"] | None = None
    lines: bool = False
    text_format: Literal["text", "html", "markdown"] = "text"
    include_final: bool = Field(
        default=False, description="XLIFF: repair locked, approved and final units too."
    )
    with_edits: bool = False
    text_field: str = "text"
    source_field: str = "source"
    id_field: str = "id"
    threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Overrides every stage's threshold, as on /repair.",
    )

    @model_validator(mode="after")
    def _one_input(self) -> JobIn:
        if (self.content is None) == (self.path is None):
            raise ValueError("give either 'content' (with 'name') or 'path'")
        if self.content is not None and not self.name:
            raise ValueError("an uploaded file needs a 'name'")
        return self


class JobOut(BaseModel):
    id: str
    status: str
    done: int
    total: int
    records: int
    rejects: int
    summary: str
    error: str


@router.post("", status_code=202, response_model=JobOut)
def submit(body: JobIn, session: SessionDep, settings: SettingsDep, request: Request) -> JobOut:
    """Queue a job; it runs in the service's bounded pool."""
    job_id = str(uuid.uuid4())
    folder = settings.jobs_dir / job_id / "input"
    try:
        if body.path is not None:
            path = snapshot(Path(body.path), settings.jobs_allowed_dir, folder)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / body.name
            path.write_text(body.content, encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder.parent, ignore_errors=True)  # a refused job leaves nothing
        raise
    spec = {
        "inputs": [str(path)],
        "format": input_format([path], body.format),
        "lines": body.lines,
        "text_format": body.text_format,
        "include_final": body.include_final,
        "with_edits": body.with_edits,
        "fields": {"text": body.text_field, "source": body.source_field, "id": body.id_field},
        "threshold": settings.threshold_for(body.threshold),
    }
    row = JobRow(id=job_id, status="queued", spec=spec)
    session.add(row)
    session.commit()
    request.app.state.jobs.submit(job_id)
    return JobOut(**job_info(row))


def snapshot(requested: Path, allowed: Path | None, folder: Path) -> Path:
    """A copy, in the job's own folder, of the server-side file the request names.

    The file is opened once, here, without following a symbolic link, and checked to be
    the regular file inside the allowed folder that its path resolves to now; the job
    reads the copy. Swapping the file for a link after submitting reaches nothing.
    """
    refused = HTTPException(403, "the path is not a file in the allowed folder")
    if allowed is None:
        raise refused
    try:
        resolved = requested.resolve()
        if not resolved.is_relative_to(allowed.resolve()):
            raise refused
        fd = os.open(resolved, os.O_RDONLY | os.O_NOFOLLOW)
    except (OSError, ValueError):
        raise refused from None
    with os.fdopen(fd, "rb") as handle:
        opened, now = os.fstat(handle.fileno()), os.stat(resolved, follow_symlinks=False)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (
            now.st_dev, now.st_ino,
        ):  # fmt: skip
            raise refused
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / resolved.name
        with open(copy, "wb") as out:
            shutil.copyfileobj(handle, out)
    return copy


def _row(session: SessionDep, job_id: str) -> JobRow:
    row = session.get(JobRow, job_id)
    if row is None:
        raise HTTPException(404, f"no job {job_id}")
    return row


@router.get("/{job_id}", response_model=JobOut)
def status(job_id: str, session: SessionDep) -> JobOut:
    return JobOut(**job_info(_row(session, job_id)))


@router.get("/{job_id}/result")
def result(job_id: str, session: SessionDep, settings: SettingsDep) -> FileResponse:
    """The output file, once the job is done."""
    row = _row(session, job_id)
    if row.status != "done":
        raise HTTPException(409, f"job {job_id} is {row.status}")
    spec = job_spec(row, settings.jobs_dir, settings.max_text_chars)
    return FileResponse(spec.out, filename=spec.out.name)


@router.get("/{job_id}/rejects")
def rejects(job_id: str, session: SessionDep, settings: SettingsDep) -> FileResponse:
    """The rejected records with their reasons (404 when there were none)."""
    row = _row(session, job_id)
    spec = job_spec(row, settings.jobs_dir, settings.max_text_chars)
    if row.status != "done" or not spec.rejects_path.exists():
        raise HTTPException(404, f"job {job_id} has no rejects file")
    return FileResponse(spec.rejects_path, filename=spec.rejects_path.name)
