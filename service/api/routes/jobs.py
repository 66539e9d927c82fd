"""Batch jobs over HTTP: submit a file (or a server-side path), follow it, fetch the result."""

from __future__ import annotations

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
    name: str | None = Field(default=None, pattern=r"^[\w.-]{1,100}$", description="Upload's name.")
    content: str | None = Field(default=None, description="The file's text, uploaded.")
    path: str | None = Field(default=None, description="A file in the allowed server folder.")
    format: Literal["txt", "jsonl", "xliff"] | None = None
    lines: bool = False
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
    if body.path is not None:
        allowed = settings.jobs_allowed_dir
        path = Path(body.path).resolve()
        if allowed is None or not path.is_relative_to(allowed.resolve()) or not path.is_file():
            raise HTTPException(403, "the path is not a file in the allowed folder")
    else:
        folder = settings.jobs_dir / job_id / "input"
        folder.mkdir(parents=True, exist_ok=True)
        path = (folder / body.name).resolve()
        path.write_text(body.content, encoding="utf-8")
    spec = {
        "inputs": [str(path)],
        "format": input_format([path], body.format),
        "lines": body.lines,
        "with_edits": body.with_edits,
        "fields": {"text": body.text_field, "source": body.source_field, "id": body.id_field},
        "threshold": settings.threshold_for(body.threshold),
    }
    row = JobRow(id=job_id, status="queued", spec=spec)
    session.add(row)
    session.commit()
    request.app.state.jobs.submit(job_id)
    return JobOut(**job_info(row))


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
