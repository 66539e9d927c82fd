"""A batch job's checkpoint folder: which job it belongs to, and writing into it safely.

The folder records everything that changes the output: the inputs and a digest of each
one's content (and of ``--source`` and ``--doc-ids``), the format, the fields,
``--with-edits``, the threshold, the pipeline (its file, or the packaged default) and
the models' versions, the chunking. A job run again with the same record resumes; with
another, it refuses and says what differs, or (``--restart``) starts over.
Writes are atomic renames, and a full disk or an unwritable folder is one `BatchError`.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from dataclasses import asdict
from importlib import metadata, resources
from pathlib import Path

from copydesk import models
from copydesk.service.batch.spec import JobSpec
from copydesk.service.batch.streams import Fingerprint

MARKER = "job.json"


class BatchError(models.CopydeskError):
    """A batch job cannot start or finish (not a bad record: those are rejects)."""


def write_atomic(path: Path, data: str | bytes) -> None:
    """``data`` at ``path`` whole or not at all; disk problems become a `BatchError`."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BatchError(disk_problem(path, exc)) from exc


def disk_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"cannot write {path}: the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {path}: not writable ({exc.strerror})"
    return f"cannot write {path}: {exc.strerror or exc}"


def check_output(spec: JobSpec) -> None:
    """Refuse up front an output the job could not write, before any work."""
    out = spec.out
    if spec.single_file and out.is_dir():
        raise BatchError(f"{out} is a folder; this job writes one file (give a file name)")
    if not spec.single_file and out.exists() and not out.is_dir():
        raise BatchError(f"{out} is a file; this job writes one file per input (give a folder)")
    parent = out if (not spec.single_file and out.is_dir()) else out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not os.access(parent, os.W_OK):
        raise BatchError(f"cannot write into {parent}: not writable")


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "missing"


def pipeline_fingerprint(spec: JobSpec) -> dict[str, str]:
    """What the pipeline's output depends on: its file, the models and the policy."""
    package = resources.files("copydesk.models")
    parts = {
        "copydesk": metadata.version("copydesk"),
        "pipeline": _file_digest(Path(spec.pipeline))
        if spec.pipeline
        else _file_digest(Path(str(package / "pipelines" / "default.toml"))),
        "casing model": _file_digest(Path(str(package / "casing" / "weights" / "casing.json"))),
        "grammar policy": _file_digest(Path(str(package / "grammar" / "policy.toml"))),
    }
    if spec.overrides:
        parts["overrides"] = json.dumps(spec.overrides, sort_keys=True)
    return parts


def job_identity(spec: JobSpec, prints: dict[str, Fingerprint]) -> dict:
    """What the checkpoint is valid for. ``prints``: each input file's content, by role."""
    return {
        "content": {role: asdict(p) for role, p in prints.items()},
        "inputs": [str(p.resolve()) for p in spec.inputs],
        "format": spec.fmt,
        "lines": spec.lines,
        "text_format": spec.text_format,
        "source_file": str(spec.source_file.resolve()) if spec.source_file else None,
        "doc_ids": str(spec.doc_ids.resolve()) if spec.doc_ids else None,
        "doc_id_column": spec.doc_id_column,
        "include_final": spec.include_final,
        "fields": [spec.fields.text, spec.fields.source, spec.fields.id],
        "with_edits": spec.with_edits,
        "threshold": spec.threshold,
        "chunk_size": spec.chunk_size,
        **pipeline_fingerprint(spec),
        **({"house": spec.house.model_dump(mode="json")} if spec.house else {}),
    }


def open_work(spec: JobSpec, identity: dict, *, restart: bool = False) -> set[int]:
    """The work folder ready for this job; the indices of the chunks already done."""
    work = spec.work_dir
    marker = work / MARKER
    if marker.exists():
        try:
            earlier = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            earlier = {}
        if earlier != identity:
            if not restart:
                raise BatchError(_difference(work, earlier, identity))
            shutil.rmtree(work)
    try:
        work.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(disk_problem(work, exc)) from exc
    write_atomic(marker, json.dumps(identity, indent=1))
    return {int(p.stem.split("-")[1]) for p in work.glob("chunk-*.json")}


def _difference(work: Path, earlier: dict, identity: dict) -> str:
    """One line: which input changed since its chunks were made, else which options."""
    restart = "run again with --restart to start over, or use another --out"
    before, now = earlier.get("content") or {}, identity["content"]
    for role, info in now.items():
        old = before.get(role)
        if old is not None and old.get("path") == info["path"] and old != info:
            return (
                f"{info['path']} ({role}) changed since {work} was made "
                f"({_describe(old)} then, {_describe(info)} now); its chunks would not "
                f"match it: {restart}"
            )
    changed = sorted(k for k in {*earlier, *identity} if earlier.get(k) != identity.get(k))
    return (
        f"{work} holds chunks of a job with other options ({', '.join(changed)} differ); "
        f"{restart}"
    )


def _describe(info: dict) -> str:
    return f"{info.get('size', 0):,} bytes, sha256 {str(info.get('sha256', ''))[:12]}"
