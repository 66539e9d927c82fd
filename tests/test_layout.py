"""The design card's layout: one import namespace, arrows one way, no import cycles."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from fnmatch import fnmatchcase
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The design card's top-level folders, each reached as copydesk.<folder> through a relative
# symbolic link in copydesk/ (seeds/ holds data alone).
FOLDERS = ("models", "eval", "service", "seeds")
# service uses models and eval; eval uses models; models uses neither.
FORBIDDEN = {
    "copydesk.models": {"copydesk.service", "copydesk.eval"},
    "copydesk.eval": {"copydesk.service"},
}


def modules() -> dict[str, Path]:
    """Every module of the package, by its dotted name, found where the name says: under
    copydesk/, through the links, as Python and static readers of the checkout find it."""
    found = {}
    for folder, dirs, files in os.walk(ROOT / "copydesk", followlinks=True):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for file in files:
            if not file.endswith(".py"):
                continue
            path = Path(folder, file)
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports anywhere in it, function-level imports too."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def test_no_generic_top_level_imports():
    """Nothing imports the folders by their bare names: they exist only as copydesk.*."""
    bare = {"models", "eval", "service"}
    for path in [*ROOT.glob("*/**/*.py")]:
        if ".venv" in path.parts or "build" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for n in names:
                assert n.split(".")[0] not in bare, f"{path.relative_to(ROOT)} imports {n}"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_one_way(package):
    for name, targets in graph().items():
        if name == package or name.startswith(package + "."):
            bad = {
                t for t in targets for f in FORBIDDEN[package] if t == f or t.startswith(f + ".")
            }
            assert not bad, f"{name} imports {sorted(bad)}"


def test_no_import_cycles():
    """Tarjan's strongly connected components over the module graph: all of size one."""
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    # A package's __init__ re-exporting its own modules is not a cycle of ideas.
    real = [c for c in cycles if not _only_reexports(c, edges)]
    assert not real, f"import cycles: {real}"


def _only_reexports(component: list[str], edges: dict[str, set[str]]) -> bool:
    """Whether the cycle closes only through a package's ``__init__`` importing its own
    modules (a submodule importing its package's ``__init__`` still counts)."""
    members = set(component)
    inner = {(v, w) for v in component for w in edges[v] & members if not w.startswith(v + ".")}
    return not _has_cycle(members, inner)


def _has_cycle(nodes: set[str], pairs: set[tuple[str, str]]) -> bool:
    out: dict[str, set[str]] = {n: set() for n in nodes}
    for v, w in pairs:
        out[v].add(w)
    done: set[str] = set()
    path: set[str] = set()

    def walk(v: str) -> bool:
        path.add(v)
        for w in out[v]:
            if w in path or (w not in done and walk(w)):
                return True
        path.discard(v)
        done.add(v)
        return False

    return any(walk(n) for n in sorted(nodes) if n not in done)


def test_every_package_folder_is_installed():
    """copydesk/ links each top-level folder, and setuptools finds every package through
    the links with no package-dir mapping: what is installed is what the checkout holds."""
    for folder in FOLDERS:
        link = ROOT / "copydesk" / folder
        assert link.is_symlink() and os.readlink(link) == f"../{folder}", link
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert "package-dir" not in setuptools
    find = setuptools["packages"]["find"]  # found, not listed
    assert find["include"] == ["copydesk", "copydesk.*"] and find["namespaces"]

    def installed(package: str) -> bool:
        return any(fnmatchcase(package, p) for p in find["include"]) and not any(
            fnmatchcase(package, p) for p in find["exclude"]
        )

    found = {n for n, p in modules().items() if p.name == "__init__.py"}
    assert found and all(installed(n) for n in found), sorted(n for n in found if not installed(n))


@pytest.mark.integration
def test_the_wheel_installs_only_the_copydesk_namespace(tmp_path):
    """Build the wheel; every file in it is copydesk/… or its dist-info, weights included."""
    uv = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    subprocess.run(
        [uv, "build", "--wheel", "--quiet", "--out-dir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = tmp_path.glob("copydesk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"copydesk", next(t for t in tops if t.endswith(".dist-info"))}
    # Each module once, where its import name says: the links are followed, not copied twice.
    assert len(names) == len(set(names))
    expected = {str(p.relative_to(ROOT)) for p in modules().values()}
    assert expected <= set(names), sorted(expected - set(names))
    needed = [
        "copydesk/models/casing/weights/casing.json",
        "copydesk/models/pipelines/default.toml",
        "copydesk/eval/suites/seeds.toml",
        "copydesk/service/api/static/index.html",
        "copydesk/seeds/idlib-mt.txt",
    ]
    assert set(needed) <= set(names)


def _requirement_names(specs: list[str]) -> set[str]:
    return {re.split(r"[\s<>=!~\[;]", s, maxsplit=1)[0].lower().replace("_", "-") for s in specs}


def test_every_third_party_import_is_declared():
    """An import the package makes is provided by a dependency in pyproject.toml (any
    extra): a module installed by hand in a developer's venv would pass every test here
    and fail in a fresh clone."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = config["project"]
    declared = _requirement_names(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        declared |= _requirement_names(extra)
    providers = packages_distributions()
    missing = {}
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top in sys.stdlib_module_names or top == "copydesk":
                    continue
                dists = {d.lower().replace("_", "-") for d in providers.get(top, [top])}
                if not dists & declared:
                    missing.setdefault(top, set()).add(name)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


# The engine's rooms: stages are thin adapters over feature packages, features share
# machinery only through the core and shared modules, and configuration is pydantic.
ENGINE = Path(__file__).resolve().parent.parent / "models"
STAGE_MAX_LINES = 150
# Packages under models/ that are not features: the stages adapt features to the pipeline.
NOT_FEATURES = {"stages"}
CONFIG_SUFFIXES = ("Config", "Settings", "Spec")


def _feature_packages() -> set[str]:
    """Every package folder under models/ except the adapters: casing, names, grammar…"""
    return {
        p.parent.name for p in ENGINE.glob("*/__init__.py") if p.parent.name not in NOT_FEATURES
    }


def _engine_imports(path: Path) -> set[str]:
    """The ``copydesk.models`` modules ``path`` imports anywhere in it (relative imports too)."""
    package = ["copydesk", "models", *path.relative_to(ENGINE).parent.parts]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = ".".join(package[: len(package) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in out if name.startswith("copydesk.models.")}


def test_no_stage_file_is_over_150_lines():
    long = {
        p.name: n
        for p in (ENGINE / "stages").glob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > STAGE_MAX_LINES
    }
    assert not long, f"stages are adapters of at most {STAGE_MAX_LINES} lines: {long}"


def test_feature_packages_import_no_sibling():
    """casing, names, grammar, rewrite, markup (and any later one) meet only beneath, in
    the core and shared modules (models/wordstats.py, models/translit.py…)."""
    features = _feature_packages()
    assert {"casing", "names", "grammar", "rewrite", "markup"} <= features
    crossings = []
    for feature in sorted(features):
        for path in sorted((ENGINE / feature).rglob("*.py")):
            for target in _engine_imports(path):
                other = target.split(".")[2]
                if other in features and other != feature:
                    crossings.append(f"{path.relative_to(ENGINE)} imports {target}")
    assert not crossings, "feature packages import each other:\n" + "\n".join(crossings)


def test_configuration_classes_are_pydantic_models():
    """One validation style in the engine (scoped to models/): a class named ...Config,
    ...Settings or ...Spec is a pydantic model, directly or through another such class."""
    classes: dict[str, tuple[str, list[str]]] = {}
    for path in sorted(ENGINE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [ast.unparse(b).rpartition(".")[2] for b in node.bases]
                classes[node.name] = (str(path.relative_to(ENGINE)), bases)

    def pydantic(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name in ("BaseModel", "BaseSettings"):
            return True
        if name not in classes or name in seen:
            return False
        return any(pydantic(base, seen | {name}) for base in classes[name][1])

    plain = sorted(
        f"{where}: {name}"
        for name, (where, _) in classes.items()
        if name.endswith(CONFIG_SUFFIXES) and not pydantic(name)
    )
    assert not plain, "configuration classes that are not pydantic models:\n" + "\n".join(plain)
