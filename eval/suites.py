"""Evaluation suites: small TOML manifests naming aligned files and the metrics to report.

A suite names the MT (``mt``), one or more ``references``, optionally the Russian
``source``, the segment ``unit`` (``lines`` or blank-line ``paragraphs``) and
``metrics``. Paths may use ``${project}`` (this checkout) and ``${data}`` (the shared
corpora: the ``data_dir`` setting, ``COPYDESK_DATA_DIR``), so nothing outside the project
is hard-coded. A ``[generate]`` table makes the MT instead of reading it (the casing
test: clean held-out news with generated casing errors, the clean lines as reference).
``document_lines = N`` repairs a line suite's consecutive lines N at a time as one
document (for lines that are running text, so that document-level evidence applies);
by default each line is its own document.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from copydesk.eval.edit_scoring import KindSpan
from copydesk.eval.inputs import InputError, check_aligned, read_segments
from copydesk.eval.scoring import ALL_METRICS, ScoreResult, score

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
    """Read a suite manifest and its files; every file problem is an ``InputError``."""
    manifest = suite_path(name_or_path)
    try:
        spec = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{manifest}: not a valid TOML suite ({exc})") from None
    unit = spec.get("unit", "lines")
    document_lines = spec.get("document_lines")
    if document_lines is not None and (
        unit != "lines" or not isinstance(document_lines, int) or document_lines < 1
    ):
        raise InputError(f"{manifest}: document_lines must be a positive integer, for lines")
    metrics = list(spec.get("metrics", ["bleu", "chrf", "chrf++", "ter", "errant"]))
    for m in metrics:
        if m not in ALL_METRICS:
            raise InputError(f"{manifest}: unknown metric {m!r} (one of {', '.join(ALL_METRICS)})")

    def path_of(value: str) -> Path:
        path = _resolve(value, data_dir, manifest)
        if not path.exists():
            hint = (
                " (set COPYDESK_DATA_DIR to the shared data folder)" if "${data}" in value else ""
            )
            raise InputError(f"{manifest.name}: {path} does not exist{hint}")
        return path

    files: dict[str, str] = {}
    if "generate" in spec:
        mt, references, names = _generate(spec["generate"], path_of, manifest)
        files["generated"] = spec["generate"].get("kind", "")
    else:
        for key in ("mt", "references"):
            if key not in spec:
                raise InputError(f"{manifest}: a suite needs '{key}' (or a [generate] table)")
        mt_path = path_of(spec["mt"])
        ref_paths = [path_of(r) for r in spec["references"]]
        mt = read_segments(mt_path, unit)
        references = [read_segments(p, unit) for p in ref_paths]
        names = [str(p) for p in ref_paths]
        files.update(mt=str(mt_path), references=", ".join(names))
    source = None
    if "source" in spec:
        src_path = path_of(spec["source"])
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
        name=spec.get("name", manifest.stem),
        description=spec.get("description", ""),
        unit=unit,
        mt=mt,
        references=references,
        reference_names=names,
        metrics=metrics,
        source=source,
        files=files,
        document_lines=document_lines,
    )


def _generate(spec: dict, path_of: Callable[[str], Path], manifest: Path):  # noqa: ANN202
    if spec.get("kind") != "casing-noise":
        raise InputError(f"{manifest}: unknown [generate] kind {spec.get('kind')!r}")
    from copydesk.eval.casing import noise_lines
    from copydesk.models.casing.corpus import split_corpus

    split = split_corpus(
        path_of(spec["clean"]),
        provenance=path_of(spec["provenance"]) if "provenance" in spec else None,
        holdout_year=spec.get("holdout_year"),
        holdout_lines=int(spec.get("holdout_lines", 3000)),
        tune_lines=int(spec.get("tune_lines", 1000)),
    )
    clean = list(split.test)
    return noise_lines(clean, int(spec.get("seed", 7))), [clean], ["clean held-out lines"]


@dataclass
class SuiteRun:
    suite: Suite
    outputs: list[str]
    kinds: list[list[KindSpan]]
    result: ScoreResult
    seconds: float


def repair_segments(
    pipeline,  # noqa: ANN001 - models.Pipeline
    suite: Suite,
    *,
    chunk: int = 32,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[str], list[list[KindSpan]]]:
    """Run ``pipeline`` over the suite's MT; the repaired segments and each one's edit kinds.

    Paragraph suites are one article, repaired as one document (names stay consistent
    across paragraphs); line suites are repaired line by line, in batches, or
    ``document_lines`` lines at a time as one document.
    """
    from copydesk.models.stage import RepairContext

    if suite.unit == "paragraphs" or suite.document_lines:
        size = max(1, len(suite.mt)) if suite.unit == "paragraphs" else suite.document_lines
        outputs, kinds = [], []
        for i in range(0, len(suite.mt), size):
            sources = suite.source[i : i + size] if suite.source else None
            done = repair_as_document(pipeline, suite.mt[i : i + size], sources)
            outputs += done[0]
            kinds += done[1]
            if progress:
                progress(len(done[0]))
        return outputs, kinds
    outputs, kinds = [], []
    for i in range(0, len(suite.mt), chunk):
        part = suite.mt[i : i + chunk]
        contexts = (
            [RepairContext(source=s) for s in suite.source[i : i + chunk]] if suite.source else None
        )
        for line, result in zip(part, pipeline.repair_many(part, contexts), strict=True):
            outputs.append(result.repaired)
            kinds.append(_spans(result.applied_edits, 0, line))
        if progress:
            progress(len(part))
    return outputs, kinds


def repair_as_document(
    pipeline,  # noqa: ANN001 - models.Pipeline
    segments: list[str],
    sources: list[str] | None = None,
) -> tuple[list[str], list[list[KindSpan]]]:
    """Segments repaired as the paragraphs of one document, with each one's edit kinds."""
    from copydesk.models.stage import RepairContext

    context = RepairContext(source="\n\n".join(sources)) if sources else None
    result = pipeline.repair("\n\n".join(segments), context)
    outputs = [p.strip() for p in result.repaired.split("\n\n")]
    if len(outputs) != len(segments):  # a stage changed paragraphing: repair each
        results = [pipeline.repair(p) for p in segments]
        kinds = [_spans(r.applied_edits, 0, p) for r, p in zip(results, segments, strict=True)]
        return [r.repaired for r in results], kinds
    kinds, offset = [], 0
    for paragraph in segments:
        end = offset + len(paragraph)
        edits = [e for e in result.applied_edits if offset <= e.start and e.end <= end]
        kinds.append(_spans(edits, offset, paragraph))
        offset = end + 2
    return outputs, kinds


def _spans(edits: Sequence, offset: int, segment: str) -> list[KindSpan]:
    """Edit spans in the stripped segment's coordinates (ERRANT strips segments)."""
    lead = len(segment) - len(segment.lstrip())
    return [
        KindSpan(e.start - offset - lead, e.end - offset - lead, str(e.kind.value)) for e in edits
    ]


def run_suite(
    suite: Suite,
    pipeline,  # noqa: ANN001 - models.Pipeline
    *,
    system: str = "copydesk",
    resamples: int = 1000,
    seed: int = 12345,
    progress: Callable[[int], None] | None = None,
) -> SuiteRun:
    import time

    started = time.monotonic()
    outputs, kinds = repair_segments(pipeline, suite, progress=progress)
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
