"""Runtime dependencies are exactly what the package imports; test/docs/bench tools are extras."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
FOLDERS = [ROOT / f for f in PYPROJECT["tool"]["setuptools"]["package-dir"].values()]
# runtime dependencies the package does not import by name itself
INDIRECT = {
    "highspy": "the MILP-based neuron solver (issue 13) and the benchmarks' reference solver",
    "dask": "listed as dask[distributed]; the package imports dask and distributed",
}

# imported only inside try/except ImportError, used when present
OPTIONAL = {"bokeh": "the Dask dashboard (checks/sweep/cluster.py)"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _req_name(req: str) -> str:
    return _norm(re.split(r"[\s\[<>=!~;]", req, maxsplit=1)[0])


def _imported_top_names() -> set[str]:
    names = set()
    for folder in FOLDERS:
        for f in folder.rglob("*.py"):
            if "__pycache__" in f.parts:
                continue
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                    names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("prunecert", "__future__")}


def test_runtime_dependencies_match_the_imports():
    runtime = {_req_name(r) for r in PYPROJECT["project"]["dependencies"]}
    dists = packages_distributions()
    needed = set()
    for name in _imported_top_names() - set(OPTIONAL):
        assert name in dists, f"the package imports {name!r}, which no installed distribution provides"
        needed |= {_norm(d) for d in dists[name]}
    missing = needed - runtime - {"distributed"}   # distributed comes with dask[distributed]
    assert not missing, f"imported at run time but not a runtime dependency: {sorted(missing)}"
    unused = runtime - needed - {_norm(n) for n in INDIRECT}
    assert not unused, f"runtime dependencies the package never imports: {sorted(unused)} (move to an extra)"


def test_tools_are_extras_not_runtime():
    runtime = {_req_name(r) for r in PYPROJECT["project"]["dependencies"]}
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert {"test", "docs", "bench"} <= set(extras)
    for tool in ("pytest", "hypothesis", "mkdocs", "pymdown-extensions"):
        assert tool not in runtime, f"{tool} is a tool, not a runtime dependency"
    assert not {"hypothesis", "pytest", "mkdocs"} & _imported_top_names()
    # the default test command builds the docs site, so `.[test]` must bring the docs tools
    assert any(_req_name(r) == "prunecert" and "docs" in r for r in extras["test"])
