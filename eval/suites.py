"""Evaluation suites: small TOML manifests naming aligned files and the metrics to report.

A suite names the MT (``mt``), one or more ``references``, optionally the Russian
``source``, the segment ``unit`` (``lines`` or blank-line ``paragraphs``) and
``metrics``. Paths may use ``${project}`` (this checkout) and ``${data}`` (the shared
corpora: the ``data_dir`` setting, ``COPYDESK_DATA_DIR``), so nothing outside the project
is hard-coded. A ``[generate]`` table makes the MT instead of reading it (the casing
test: clean held-out news with generated casing errors, the clean lines as reference).
``document_lines = N`` repairs a line suite's consecutive lines N at a time as one
document (for lines that are running text, so that document-level evidence applies);
by default each line is its own document. `copydesk.eval.manifests` checks a manifest
before any file is read.
"""

from __future__ import annotations

import csv
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from copydesk.eval.harness import repair_segments
from copydesk.eval.inputs import check_aligned, read_segments
from copydesk.eval.manifests import DOCUMENT_SIZE, CasingNoise, NewsDocuments, parse_manifest
from copydesk.eval.metrics.edits import KindSpan
from copydesk.eval.report import write_report
from copydesk.eval.scoring import ScoreResult, score
from copydesk.eval.significance import RESAMPLES, SEED
from copydesk.models import InputError, Pipeline
from copydesk.models.casing.corpus import corpus_lines, split_corpus
from copydesk.models.casing.noise import noise_lines

SUITES_DIR = Path(__file__).resolve().parent / "suites"
PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass
class Suite:
    name: str
    description: str
    unit: str
    mt: list[str]
    references: list[list[str]]
    reference_names: list[str]
    metrics: list[str]
    source: list[str] | None = None
    files: dict[str, str] = field(default_factory=dict)
    document_lines: int | None = None
    generated: dict = field(default_factory=dict)  # the [generate] table, for generated suites


def suite_names() -> list[str]:
    return sorted(p.stem for p in SUITES_DIR.glob("*.toml"))


def suite_path(name_or_path: str) -> Path:
    """A shipped suite's name, or the path of a TOML manifest."""
    path = Path(name_or_path)
    if path.suffix == ".toml":
        if not path.is_file():
            raise InputError(f"{path}: no such suite file")
        return path
    shipped = SUITES_DIR / f"{name_or_path}.toml"
    if not shipped.exists():
        raise InputError(
            f"unknown suite {name_or_path!r} (shipped: {', '.join(suite_names())}; or a .toml path)"
        )
    return shipped


def _resolve(value: str, data_dir: Path, manifest: Path) -> Path:
    text = value.replace("${project}", str(PROJECT_DIR)).replace("${data}", str(data_dir.resolve()))
    path = Path(text)
    return path if path.is_absolute() else (manifest.parent / path)


def load_suite(name_or_path: str, data_dir: Path, *, limit: int | None = None) -> Suite:
    """Read a suite manifest and its files: a manifest that does not fit the schema is a
    ``ConfigError``, every file problem an ``InputError``."""
    manifest = suite_path(name_or_path)
    try:
        table = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{manifest}: not a valid TOML suite ({exc})") from None
    spec = parse_manifest(table, manifest)
    unit = spec.unit

    def path_of(value: str) -> Path:
        path = _resolve(value, data_dir, manifest)
        if not path.exists():
            hint = (
                " (set COPYDESK_DATA_DIR to the shared data folder)" if "${data}" in value else ""
            )
            raise InputError(f"{manifest.name}: {path} does not exist{hint}")
        return path

    files: dict[str, str] = {}
    generated: dict = {}
    if spec.generate is not None:
        mt, references, names = _generate(spec.generate, path_of, manifest)
        files["generated"] = spec.generate.kind
        generated = dict(table["generate"])
    else:
        assert spec.mt is not None and spec.references is not None  # the manifest checked
        mt_path = path_of(spec.mt)
        ref_paths = [path_of(r) for r in spec.references]
        mt = read_segments(mt_path, unit)
        references = [read_segments(p, unit) for p in ref_paths]
        names = [str(p) for p in ref_paths]
        files.update(mt=str(mt_path), references=", ".join(names))
    source = None
    if spec.source is not None:
        src_path = path_of(spec.source)
        source = read_segments(src_path, unit)
        files["source"] = str(src_path)
    named = [(files.get("mt", "mt"), mt), *zip(names, references, strict=True)]
    if source is not None:
        named.append((files["source"], source))
    check_aligned(named, unit)
    if limit is not None:
        mt, references = mt[:limit], [r[:limit] for r in references]
        source = source[:limit] if source is not None else None
    return Suite(
        name=spec.name if spec.name is not None else manifest.stem,
        description=spec.description,
        unit=unit,
        mt=mt,
        references=references,
        reference_names=names,
        metrics=list(spec.metrics),
        source=source,
        files=files,
        document_lines=spec.document_lines,
        generated=generated,
    )


def _generate(
    spec: CasingNoise | NewsDocuments, path_of: Callable[[str], Path], manifest: Path
) -> tuple[list[str], list[list[str]], list[str]]:
    """(mt, references, reference names) of a generated suite, by its ``kind``."""
    if isinstance(spec, CasingNoise):
        clean = _clean_lines(spec, path_of)
        return noise_lines(clean, spec.seed), [clean], ["clean lines"]
    lines = corpus_lines(path_of(spec.clean))
    files = _provenance_column(path_of(spec.provenance), "repo_path")
    if len(files) != len(lines):
        raise InputError(f"{manifest}: provenance has {len(files)} rows for {len(lines)} lines")
    start, _, stop = spec.documents.partition(":")
    docs = news_documents(lines, files, spec.size)
    docs = docs[int(start or 0) : int(stop) if stop else None]
    return docs, [docs], ["clean documents"]


def _clean_lines(spec: CasingNoise, path_of: Callable[[str], Path]) -> list[str]:
    """A casing suite's clean lines: a corpus's held-out test lines (``part = "tune"``: the
    held-out lines that tune thresholds instead), or all of a file's."""
    if spec.holdout_year is None and "holdout_lines" not in spec.model_fields_set:
        return corpus_lines(path_of(spec.clean))
    split = split_corpus(
        path_of(spec.clean),
        provenance=path_of(spec.provenance) if spec.provenance is not None else None,
        holdout_year=spec.holdout_year,
        holdout_lines=spec.holdout_lines,
        tune_lines=spec.tune_lines,
    )
    return list(split.tune if spec.part == "tune" else split.test)


def _provenance_column(path: Path, column: str) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle, delimiter="\t")]


def news_documents(
    lines: Sequence[str], files: Sequence[str], size: int = DOCUMENT_SIZE
) -> list[str]:
    """Consecutive lines of one source file, ``size`` at a time (at least 5), as paragraphs."""
    docs, current, current_file = [], [], None
    for line, file in zip(lines, files, strict=True):
        if file != current_file or len(current) == size:
            if len(current) >= 5:
                docs.append("\n\n".join(current))
            current, current_file = [], file
        current.append(line)
    if len(current) >= 5:
        docs.append("\n\n".join(current))
    return docs


@dataclass
class SuiteRun:
    suite: Suite
    outputs: list[str]
    kinds: list[list[KindSpan]]
    result: ScoreResult
    seconds: float


def run_suite(
    suite: Suite,
    pipeline: Pipeline,
    *,
    system: str = "copydesk",
    resamples: int = RESAMPLES,
    seed: int = SEED,
    threshold: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> SuiteRun:
    """Repair the suite's MT with ``pipeline`` and score it beside do-nothing."""
    started = time.monotonic()
    if suite.unit == "paragraphs":  # one article: names stay consistent across paragraphs
        size: int | None = max(1, len(suite.mt))
    else:
        size = suite.document_lines
    outputs, kinds = repair_segments(
        pipeline,
        suite.mt,
        suite.source,
        document_size=size,
        threshold=threshold,
        progress=progress,
    )
    result = score(
        {system: outputs},
        suite.references,
        original=suite.mt,
        metrics=suite.metrics,
        kinds={system: kinds},
        resamples=resamples,
        seed=seed,
    )
    return SuiteRun(suite, outputs, kinds, result, round(time.monotonic() - started, 1))


def evaluate_suite(
    suite: Suite,
    pipeline: Pipeline,
    out_dir: str | Path,
    *,
    pipeline_name: str = "default",
    resamples: int = RESAMPLES,
    seed: int = SEED,
    threshold: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[SuiteRun, Path]:
    """Run the suite and write its report folder (JSON, Markdown, HTML, M2, outputs)."""
    run = run_suite(
        suite, pipeline, resamples=resamples, seed=seed, threshold=threshold, progress=progress
    )
    meta = {
        "suite": suite.name,
        "description": suite.description,
        "segments": f"{len(suite.mt)} {suite.unit}",
        "pipeline": pipeline_name,
        "seconds": f"{run.seconds}",
        **suite.files,
    }
    folder = write_report(
        out_dir, f"copydesk eval {suite.name}", run.result, meta, outputs={"copydesk": run.outputs}
    )
    return run, folder
