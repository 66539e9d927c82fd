"""What a batch job is asked to do: its inputs, output, format, options and engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from copydesk.service.settings import MAX_TEXT_CHARS

WORK_SUFFIX = ".copydesk-work"
DEFAULT_CHUNK_SIZE = 64


@dataclass(frozen=True)
class Fields:
    """Column or field names of JSONL, CSV and TSV records."""

    text: str = "text"
    source: str = "source"
    id: str = "id"


@dataclass
class JobSpec:
    inputs: list[Path]
    out: Path
    fmt: str
    lines: bool = False
    text_format: str = "text"  # what each text is written in: text, html or markdown
    source_file: Path | None = None  # --lines: the line-aligned source
    doc_ids: Path | None = None  # --lines: a document id per line (consecutive lines join)
    doc_id_column: str | None = None  # doc_ids is a TSV with a header; this column
    include_final: bool = False  # XLIFF: repair locked, approved and final units too
    fields: Fields = field(default_factory=Fields)
    with_edits: bool = False
    chunk_size: int = DEFAULT_CHUNK_SIZE
    workers: int = 1
    pipeline: str | None = None
    threshold: float | None = None
    max_chars: int = MAX_TEXT_CHARS
    overrides: dict = field(default_factory=dict)
    engine: str = "local"  # or "ray"
    ray_address: str | None = None  # None: a local Ray started for the job
    restart: bool = False  # a checkpoint of a job with other options is discarded

    @property
    def single_file(self) -> bool:
        """Whether the output is one file (JSONL, one XLIFF, lines from one input) or a folder."""
        if self.fmt in ("xliff", "tmx", "csv", "tsv"):
            return len(self.inputs) == 1
        return self.fmt == "jsonl" or (self.lines and len(self.inputs) == 1)

    @property
    def work_dir(self) -> Path:
        return self.out.with_name(self.out.name + WORK_SUFFIX)

    @property
    def rejects_path(self) -> Path:
        base = self.out if self.single_file else self.out / "rejects"
        return base.with_name(base.name + ".rejects.jsonl")
