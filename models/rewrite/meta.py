"""The rewrite model folder's ``copydesk.json``: training and stage settings, figures."""

from __future__ import annotations

import json
from pathlib import Path

META_FILE = "copydesk.json"


def read_meta(folder: Path) -> dict:
    """The folder's recorded metadata (empty for a folder without it)."""
    path = Path(folder) / META_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def update_meta(folder: Path, **sections: dict) -> dict:
    """Replace the given top-level sections of the metadata and write it back."""
    meta = read_meta(folder)
    meta.update(sections)
    (Path(folder) / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta
