"""The package's layers, read from the source (docs/api.md, "Layers").

    prunecert.checks  <-  prunecert.bounds  <-  prunecert.proofs  <-  prunecert.cli
    (engines)             (mathematics)         (claims, blueprints)   (command line)

Each module may import only from its own layer or the ones below it.  Every import statement is
read with ``ast`` -- at module level and inside functions alike -- together with names given as
strings ("prunecert.checks.x" / "prunecert.checks.x:function") for run-time import.  Also: no
import cycle among modules, every package folder is listed in pyproject.toml, and a built wheel
installs the single top-level name ``prunecert``.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PACKAGE_DIR = PYPROJECT["tool"]["setuptools"]["package-dir"]          # {"prunecert.checks": "checks", ...}
LAYERS = ["prunecert.checks", "prunecert.bounds", "prunecert.proofs", "prunecert.cli"]
TOP = "prunecert"  # the facade (prunecert/__init__.py): above every layer, imported by none of them


def _package_roots() -> dict[str, Path]:
    return {name: ROOT / folder for name, folder in PACKAGE_DIR.items()}


def _modules() -> dict[str, Path]:
    """{dotted module name: file} for every module of the installed namespace."""
    mods: dict[str, Path] = {}
    roots = _package_roots()
    for name, folder in roots.items():
        for f in sorted(folder.rglob("*.py")):
            rel = f.relative_to(folder).with_suffix("")
            parts = list(rel.parts)
            if any(p in ("__pycache__",) or p.startswith(".") for p in parts):
                continue
            # a file belongs to the most specific mapped root (prunecert/cli is under "prunecert")
            dotted = ".".join([name, *parts])
            if parts[-1] == "__init__":
                dotted = ".".join([name, *parts[:-1]])
            mods.setdefault(dotted, f)
    return mods


MODULES = _modules()


def _layer(mod: str) -> int:
    """Index in LAYERS, or len(LAYERS) for the facade ``prunecert`` itself."""
    for i in reversed(range(len(LAYERS))):
        if mod == LAYERS[i] or mod.startswith(LAYERS[i] + "."):
            return i
    if mod == TOP:
        return len(LAYERS)
    raise AssertionError(f"{mod} is in no layer")


def _resolve(name: str) -> str | None:
    """The internal module an import of ``name`` lands in (longest known prefix), or None."""
    if name != TOP and not name.startswith(TOP + "."):
        return None
    parts = name.split(".")
    while parts:
        cand = ".".join(parts)
        if cand in MODULES:
            return cand
        parts.pop()
    return None


STRING_REF = re.compile(r"^(prunecert(?:\.[A-Za-z_]\w*)+)(?::\w+)?$")


def imports_of(mod: str) -> list[tuple[str, int, str]]:
    """[(imported internal module, line, how)] for one module: import statements anywhere in
    the file (module level, functions, try blocks) and module names written as strings."""
    path = MODULES[mod]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_pkg = path.name == "__init__.py"
    out = []
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                t = _resolve(a.name)
                if t:
                    out.append((t, node.lineno, f"import {a.name}"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = mod.split(".") if is_pkg else mod.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                src = ".".join(base + ([node.module] if node.module else []))
            else:
                src = node.module or ""
            for a in node.names:
                t = _resolve(f"{src}.{a.name}") if _resolve(f"{src}.{a.name}") == f"{src}.{a.name}" else _resolve(src)
                if t:
                    out.append((t, node.lineno, f"from {src} import {a.name}"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            m = STRING_REF.match(node.value.strip())
            if m:
                t = _resolve(m.group(1))
                if t and t == m.group(1):      # only strings that name a module of the package
                    out.append((t, node.lineno, f"string {node.value!r}"))
    return out


def test_every_module_is_in_a_layer():
    assert MODULES, "no modules found"
    for m in MODULES:
        _layer(m)
    for layer in LAYERS:
        assert layer in MODULES, f"{layer} has no __init__.py"


def test_imports_point_downward_only():
    bad = []
    for mod in MODULES:
        own = _layer(mod)
        for target, line, how in imports_of(mod):
            if _layer(target) > own:
                bad.append(f"{MODULES[mod].relative_to(ROOT)}:{line}: {LAYERS[own] if own < len(LAYERS) else TOP} "
                           f"imports upward: {how}")
    assert not bad, "imports against the layer order checks <- bounds <- proofs <- cli:\n" + "\n".join(bad)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in edges.get(v, ()):
                out.append(sorted(comp))

    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


# Cycles known when this test was written, each with the issue that removes it.  The list is
# strict: a cycle not listed fails, and so does a listed cycle that is gone (delete its line).
KNOWN_CYCLES: dict = {}   # none: a cycle found is a failure (and a listed one that has gone, too)


def test_no_import_cycles():
    """No two modules import each other, directly or around a loop (function-level imports count:
    a cycle hidden inside a function is still two modules that cannot be understood apart).
    A package's ``__init__`` re-exporting its own submodules is not a cycle."""
    edges: dict[str, set[str]] = {}
    for mod in MODULES:
        for target, _, how in imports_of(mod):
            if target == mod or how.startswith("string"):
                continue
            if mod.startswith(target + "."):   # a module importing its own package's __init__
                continue
            edges.setdefault(mod, set()).add(target)
    # a package __init__ importing its submodules is the package's own content, not a dependency
    for mod in list(edges):
        if MODULES[mod].name == "__init__.py":
            edges[mod] = {t for t in edges[mod] if not t.startswith(mod + ".")}
    cycles = {frozenset(c) for c in _cycles(edges)}
    new = [sorted(c) for c in cycles - set(KNOWN_CYCLES)]
    gone = [KNOWN_CYCLES[c] for c in set(KNOWN_CYCLES) - cycles]
    assert not new, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in new)
    assert not gone, "known cycles are gone -- delete them from KNOWN_CYCLES: " + "; ".join(gone)


def test_every_package_folder_is_listed_in_pyproject():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {m for m, f in MODULES.items() if f.name == "__init__.py"}
    assert found == listed, (f"folders with __init__.py missing from pyproject's packages: {sorted(found - listed)}; "
                             f"listed but absent: {sorted(listed - found)}")
    # and no folder of Python files without an __init__.py (it would silently not be installed)
    for name, folder in _package_roots().items():
        for d in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
            if "__pycache__" in d.parts or any(p.startswith(".") for p in d.relative_to(ROOT).parts):
                continue
            if list(d.glob("*.py")):
                assert (d / "__init__.py").exists(), f"{d.relative_to(ROOT)} holds Python files but no __init__.py"


@pytest.mark.slow
def test_wheel_installs_only_prunecert(tmp_path):
    """A non-editable build (the wheel `pip install .` installs) has one top-level name, and every
    module of the source tree is in it.  Slow (builds in an isolated environment): opt-in."""
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    (wheel,) = tmp_path.glob("prunecert-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"prunecert"}, tops
    in_wheel = {n[:-3].replace("/", ".").removesuffix(".__init__") for n in names if n.endswith(".py")}
    assert set(MODULES) <= in_wheel, sorted(set(MODULES) - in_wheel)
