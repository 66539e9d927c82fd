"""Decisions from outside the feedback store: the page's exported decisions file, and a
newsroom's MT next to the versions it published (its own post-edits)."""

from __future__ import annotations

from pathlib import Path

from copydesk.models import InputError, Pipeline
from copydesk.models.learning import Decision, implied_decisions, read_export


def decisions_file(path: Path) -> list[Decision]:
    """The decisions of one exported file, or of every ``*.json`` file in a folder."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise InputError(f"no decisions files (*.json) in {path}")
    decisions: list[Decision] = []
    for file in files:
        try:
            decisions += read_export(file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(f"cannot read {file}: {exc}") from exc
    return decisions


def paired_texts(mt: Path, published: Path) -> list[tuple[str, str]]:
    """(MT, published) segments: files of the same name in the two folders (or two files),
    line by line where their lines pair up, else whole. A file without its published
    version is an error, as a silent skip would learn from less than the caller thinks."""
    if mt.is_dir() != published.is_dir():
        raise InputError("give two folders or two files: MT and its published version")
    names = sorted(p.name for p in mt.iterdir() if p.is_file()) if mt.is_dir() else [""]
    pairs: list[tuple[str, str]] = []
    for name in names:
        left, right = (mt / name, published / name) if name else (mt, published)
        if not right.is_file():
            raise InputError(f"{left.name} has no published version at {right}")
        a, b = left.read_text(encoding="utf-8"), right.read_text(encoding="utf-8")
        la, lb = a.splitlines(), b.splitlines()
        if len(la) == len(lb):
            pairs += [(x, y) for x, y in zip(la, lb, strict=True) if x.strip()]
        else:
            pairs.append((a, b))
    return pairs


def implied_from_pairs(
    pipeline: Pipeline, pairs: list[tuple[str, str]], *, batch: int = 64
) -> list[Decision]:
    """Repair each MT segment and read its edits against the published version."""
    decisions: list[Decision] = []
    for i in range(0, len(pairs), batch):
        chunk = pairs[i : i + batch]
        results = pipeline.repair_many([mt for mt, _ in chunk])
        for result, (mt, published) in zip(results, chunk, strict=True):
            decisions += implied_decisions(mt, result.edits, published)
    return decisions
