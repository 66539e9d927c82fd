"""Batch jobs over HTTP: submit a file (or a server-side path), follow it, fetch the result.

A job belongs to the caller's newsroom; another newsroom's job answers 404, as one that
does not exist (an admin reaches every newsroom's). Job ids are random.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from copydesk.service.api.deps import CallerDep, SessionDep, SettingsDep, visible
from copydesk.service.api.jobs import job_info, job_spec, qa_paths, result_path
from copydesk.service.batch.formats import input_format
from copydesk.service.batch.spec import HouseSnapshot, QAOptions
from copydesk.service.db.tables import JobRow, new_id
from copydesk.service.house import house_rules
from copydesk.service.learning import learned_glossary
from copydesk.service.settings import NEWSROOM_NAME, Caller

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
    qa: QAOptions = Field(
        default_factory=QAOptions,
        description="Which units the job's QA report lists, and in what order.",
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
    newsroom: str
    status: str
    done: int
    total: int
    records: int
    rejects: int
    summary: str
    error: str


@router.post("", status_code=202, response_model=JobOut)
def submit(
    body: JobIn, session: SessionDep, settings: SettingsDep, caller: CallerDep, request: Request
) -> JobOut:
    """Queue a job; it runs in the service's bounded pool, under the newsroom's learned
    rules and glossary as they are now."""
    job_id = new_id()
    folder = settings.jobs_dir / job_id / "input"
    try:
        if body.path is not None:
            path = snapshot(Path(body.path), settings.allowed_dir_for(caller), folder)
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
        "qa": body.qa.model_dump(),
        "house": _house(session, caller),
    }
    row = JobRow(id=job_id, newsroom=caller.newsroom, status="queued", spec=spec)
    session.add(row)
    session.commit()
    request.app.state.jobs.submit(job_id)
    return JobOut(**job_info(row))


def _house(session: Session, caller: Caller) -> dict | None:
    """The newsroom's learned rules and glossary now: the job runs under these, whatever
    the newsroom learns while it waits or runs."""
    house = HouseSnapshot.of(
        caller.newsroom, house_rules(session, caller), learned_glossary(session, caller.newsroom)
    )
    return None if house is None else house.model_dump(mode="json")


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
        fd = os.open(resolved, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except (OSError, ValueError):
        raise refused from None
    try:  # checked on the descriptor, before a file object is made of it
        opened, now = os.fstat(fd), os.stat(resolved, follow_symlinks=False)
        regular = stat.S_ISREG(opened.st_mode) and (opened.st_dev, opened.st_ino) == (
            now.st_dev,
            now.st_ino,
        )
    except OSError:
        regular = False
    if not regular:  # a folder, a device, a pipe, or swapped since it was resolved
        os.close(fd)
        raise refused
    with os.fdopen(fd, "rb") as handle:
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / resolved.name
        with open(copy, "wb") as out:
            shutil.copyfileobj(handle, out)
    return copy


JobId = Annotated[str, PathParam(max_length=64, description="A job's id.")]


def _row(session: Session, caller: Caller, job_id: str) -> JobRow:
    """The job if the caller may reach it; 404 alike for none and another newsroom's."""
    row = session.get(JobRow, job_id)
    if row is None or not caller.sees(row.newsroom):
        raise HTTPException(404, f"no job {job_id}")
    return row


@router.get("", response_model=list[JobOut])
def list_jobs(
    session: SessionDep,
    caller: CallerDep,
    newsroom: Annotated[
        str | None,
        Query(pattern=NEWSROOM_NAME, description="Admin: only this newsroom's (default: all)."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[JobOut]:
    """The newsroom's jobs, newest first (an admin's: every newsroom's, or the one named)."""
    query = select(JobRow).order_by(JobRow.created_at.desc(), JobRow.id).limit(limit)
    shown = visible(caller, newsroom)
    if shown is not None:
        query = query.where(JobRow.newsroom == shown)
    return [JobOut(**job_info(row)) for row in session.scalars(query)]


@router.get("/{job_id}", response_model=JobOut)
def status(job_id: JobId, session: SessionDep, caller: CallerDep) -> JobOut:
    return JobOut(**job_info(_row(session, caller, job_id)))


@router.get("/{job_id}/result")
def result(
    job_id: JobId, session: SessionDep, settings: SettingsDep, caller: CallerDep
) -> FileResponse:
    """The output file, once the job is done."""
    row = _row(session, caller, job_id)
    if row.status != "done":
        raise HTTPException(409, f"job {job_id} is {row.status}")
    path = result_path(job_spec(row, settings.jobs_dir, settings.max_text_chars))
    if not path.is_file():
        raise HTTPException(404, f"job {job_id} has no result file (it was removed)")
    return FileResponse(path, filename=path.name)


@router.get("/{job_id}/rejects")
def rejects(
    job_id: JobId, session: SessionDep, settings: SettingsDep, caller: CallerDep
) -> FileResponse:
    """The rejected records with their reasons (404 when there were none)."""
    row = _row(session, caller, job_id)
    spec = job_spec(row, settings.jobs_dir, settings.max_text_chars)
    if row.status != "done" or not spec.rejects_path.is_file():
        raise HTTPException(404, f"job {job_id} has no rejects file")
    return FileResponse(spec.rejects_path, filename=spec.rejects_path.name)


@router.get("/{job_id}/qa")
def qa_report(
    job_id: JobId,
    session: SessionDep,
    settings: SettingsDep,
    caller: CallerDep,
    format: Annotated[Literal["json", "markdown"], Query()] = "json",
) -> FileResponse:
    """The job's QA report (flags by file, unit and kind; units by estimate), once done."""
    row = _row(session, caller, job_id)
    if row.status != "done":
        raise HTTPException(409, f"job {job_id} is {row.status}")
    path = qa_paths(job_spec(row, settings.jobs_dir, settings.max_text_chars))[format]
    if not path.is_file():
        raise HTTPException(404, f"job {job_id} has no QA report")
    media = "application/json" if format == "json" else "text/markdown; charset=utf-8"
    return FileResponse(path, filename=path.name, media_type=media)
