"""uv.lock pins what pyproject.toml asks for: a stale lock installs something else."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent


def _normal(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _from_pyproject() -> set[tuple[str, frozenset[str], str, str]]:
    """Every requirement of the project, each extra's marked with its extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out = set()
    specs = [(s, None) for s in project["dependencies"]]
    for extra, items in project.get("optional-dependencies", {}).items():
        specs += [(s, extra) for s in items]
    for spec, extra in specs:
        req = Requirement(spec)
        marker = str(Marker(f"extra == '{extra}'")) if extra else ""
        if req.marker:
            marker = f"{req.marker} and {marker}" if marker else str(req.marker)
        out.add(
            (
                _normal(req.name),
                frozenset(req.extras),
                str(SpecifierSet(str(req.specifier))),
                marker,
            )
        )
    return out


def _from_lock() -> set[tuple[str, frozenset[str], str, str]]:
    """What the lock records it was resolved for (its copy of the project's requirements)."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    [project] = [p for p in lock["package"] if p["name"] == "copydesk"]
    out = set()
    for item in project["metadata"]["requires-dist"]:
        marker = str(Marker(item["marker"])) if "marker" in item else ""
        specifier = str(SpecifierSet(item.get("specifier", "")))
        out.add((_normal(item["name"]), frozenset(item.get("extras", [])), specifier, marker))
    return out


def test_the_lock_matches_pyproject():
    """`make lock` after every change to the project's requirements."""
    wanted, locked = _from_pyproject(), _from_lock()
    assert wanted == locked, (
        f"uv.lock is stale (run `make lock`): only in pyproject.toml {sorted(wanted - locked)}; "
        f"only in uv.lock {sorted(locked - wanted)}"
    )


def test_every_locked_package_has_hashes():
    """Every artefact the lock names carries its hash, so an install checks what it gets."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    for package in lock["package"]:
        if package["name"] == "copydesk":
            continue
        artefacts = [package.get("sdist")] if "sdist" in package else []
        artefacts += package.get("wheels", [])
        assert artefacts, f"{package['name']} has no locked artefact"
        for artefact in artefacts:
            assert artefact.get("hash", "").startswith("sha256:"), package["name"]
