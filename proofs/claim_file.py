"""Claim files: claims in plain TOML, for users who do not want to write Python.

Schema (every problem is reported once, with its line and field)::

    namespace = "mylemmas"              # required; claim ids become mylemmas.<key>

    [claims.jordan]                     # one table per claim; the key is the local id
    title = "Jordan's inequality"       # required, one line
    statement = "sin t >= 2t/pi on [0, pi/2]"   # required (LaTeX or plain text)
    kind = "lemma"                      # theorem | lemma | corollary | constant | definition | conjecture
    source = "new"                      # "new" or where it is from ("literature: ...", "referee report")
    proof = "jordan.md#proof"           # written argument: a file relative to this one [#anchor], or a URL
    sketch = "sin is concave on [0, pi]"
    hypotheses = ["0 <= t <= 157/100", "t is an angle", { text = "n >= 2", integers = ["n"] }]
    prose_steps = ["concavity of sin"]   # steps of the written proof no check covers
    uses = []                           # statement dependencies: local keys or full ids
    proof_uses = ["gap.lower.K2_sector"]   # proof dependencies: local keys or full ids
    tags = []

    [[claims.jordan.checks]]            # each check is a table; all must pass (weakest counts)
    type = "prove"                      # prove | identity | smt | instances | monte_carlo | python
    relation = "sin(t) >= 2*t/pi"
    box = { t = ["0", "157/100"] }
    timeout = 20

    [[claims.jordan.corroborations]]    # may refute, never raise or lower the level otherwise
    type = "monte_carlo"
    relation = "sin(t) >= 2*t/pi"
    box = { t = ["0", "157/100"] }
    samples = 20000
    seed = 1

Fields of a check by ``type`` (``name``, ``description`` and ``slow`` are allowed for all):

==============  ===================================================================
prove           relation, box, [timeout = 20], [prec = 53]
identity        lhs, rhs, [box], [points = 8], [seed = 0]
smt             relation, [box], [timeout = 20]
instances       relation, instances (a list of tables name = number)
monte_carlo     relation, box, seed, [samples = 10000], [max_failure_rate = 0.001], [conf = 0.99]
python          function = "module:function" or "file.py:function" (relative to this file)
==============  ===================================================================

Numbers in boxes and instances are exact: integers, decimals or fractions written as strings
("1/3", "0.25"); a TOML float such as 0.1 is refused (it is not the decimal it looks like).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from prunecert.checks.errors import InputError
from prunecert.proofs.registry import Check, Claim

KINDS = ("theorem", "lemma", "corollary", "constant", "definition", "conjecture")
CLAIM_FIELDS = {"title", "statement", "kind", "source", "proof", "sketch", "hypotheses", "uses", "proof_uses",
                "tags", "checks", "corroborations", "prose_steps"}
COMMON_CHECK_FIELDS = {"type", "name", "description", "slow"}
CHECK_FIELDS = {
    "prove": ({"relation", "box"}, {"timeout", "prec"}),
    "identity": ({"lhs", "rhs"}, {"box", "points", "seed"}),
    "smt": ({"relation"}, {"box", "timeout"}),
    "instances": ({"relation", "instances"}, set()),
    "monte_carlo": ({"relation", "box", "seed"}, {"samples", "max_failure_rate", "conf"}),
    "python": ({"function"}, set()),
}
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ClaimFileError(InputError):
    """A claim file with problems; ``problems`` lists (line, field, message)."""

    def __init__(self, path: str, problems: list[tuple[int | None, str, str]]):
        self.path = path
        self.problems = problems
        lines = [f"{path}:{ln if ln else '?'}: {fld}: {msg}" if fld else f"{path}:{ln if ln else '?'}: {msg}"
                 for ln, fld, msg in problems]
        n = len(problems)
        super().__init__(f"claim file has {n} problem{'s' if n != 1 else ''}:\n  " + "\n  ".join(lines))


# ----------------------------------------------------------------------------- line numbers

def _split_key(text: str) -> list[str]:
    """TOML dotted key text -> its parts (bare or quoted)."""
    parts, cur, q = [], "", None
    for ch in text.strip():
        if q:
            if ch == q:
                q = None
            else:
                cur += ch
        elif ch in "\"'":
            q = ch
        elif ch == ".":
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return parts


class LineIndex:
    """Where each table and key of a TOML text starts: tomllib gives no positions for values,
    so the text is scanned for table headers (``[a.b]``, ``[[a.b]]``) and ``key =`` lines."""

    _HEADER = re.compile(r"""^\s*(\[\[?)\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*\]\]?\s*(#.*)?$""")
    _ASSIGN = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
    _STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')

    def __init__(self, text: str):
        self.lines: dict[tuple, int] = {}
        counters: dict[tuple, int] = {}
        table: tuple = ()
        in_ml = None        # inside a multi-line string: its delimiter
        depth = 0           # open brackets/braces of a multi-line value
        for no, line in enumerate(text.splitlines(), start=1):
            if in_ml:
                if line.count(in_ml) % 2 == 1:
                    in_ml = None
                continue
            if depth > 0:
                depth += self._depth(line)
                continue
            m = self._HEADER.match(line)
            if m:
                path = tuple(_split_key(m.group(2)))
                if m.group(1) == "[[":
                    k = counters.get(path, 0)
                    counters[path] = k + 1
                    table = path + (k,)
                else:
                    table = path
                self.lines.setdefault(table, no)
                continue
            m = self._ASSIGN.match(line)
            if m:
                key = table + tuple(_split_key(m.group(1)))
                self.lines.setdefault(key, no)
                rest = line[m.end():]
                for qq in ('"""', "'''"):
                    if rest.count(qq) % 2 == 1:
                        in_ml = qq
                        break
                else:
                    depth = max(0, self._depth(rest))

    @classmethod
    def _depth(cls, text: str) -> int:
        t = cls._STRINGS.sub("", text).split("#", 1)[0]
        return t.count("[") + t.count("{") - t.count("]") - t.count("}")

    def line(self, path: Iterable) -> int | None:
        """The line of ``path`` (a tuple of keys and array indices), or of its nearest ancestor."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def _field(path: Iterable) -> str:
    out = ""
    for p in path:
        out += f"[{p + 1}]" if isinstance(p, int) else (("." if out else "") + str(p))
    return out


# ----------------------------------------------------------------------------- validation

@dataclass
class _Ctx:
    path: Path
    index: LineIndex
    problems: list

    def err(self, where: tuple, msg: str) -> None:
        self.problems.append((self.index.line(where), _field(where), msg))


def _need_str(ctx: _Ctx, tbl: dict, key: str, where: tuple, *, required: bool = False, one_line: bool = False):
    v = tbl.get(key)
    if v is None:
        if required:
            ctx.err(where, f"missing required field {key!r}")
        return None
    if not isinstance(v, str) or not v.strip():
        ctx.err(where + (key,), f"expected a non-empty string, got {type(v).__name__} {v!r:.40}")
        return None
    if one_line and "\n" in v.strip():
        ctx.err(where + (key,), "must be one line")
        return None
    return v.strip()


def _str_list(ctx: _Ctx, tbl: dict, key: str, where: tuple) -> tuple[str, ...]:
    v = tbl.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        ctx.err(where + (key,), "expected a list of non-empty strings")
        return ()
    return tuple(x.strip() for x in v)


def _exact(v, what: str):
    if isinstance(v, float):
        raise InputError(f"{what}: TOML float {v!r} is not exact; write it as a string (\"{v!r}\" or a fraction)")
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise InputError(f"{what}: expected an integer or a number as a string, got {type(v).__name__}")
    return v


def _build_check(ctx: _Ctx, spec: Any, where: tuple, base_dir: Path) -> Check | None:
    from prunecert.proofs import builders as B

    if not isinstance(spec, dict):
        ctx.err(where, "expected a table (write [[claims.KEY.checks]])")
        return None
    kind = spec.get("type")
    if kind not in CHECK_FIELDS:
        ctx.err(where + ("type",) if "type" in spec else where,
                f"type must be one of {', '.join(CHECK_FIELDS)}, got {kind!r}" if kind is not None
                else "missing required field 'type'")
        return None
    required, optional = CHECK_FIELDS[kind]
    ok = True
    for k in spec:
        if k not in required | optional | COMMON_CHECK_FIELDS:
            ctx.err(where + (k,), f"unknown field {k!r} for a {kind} check (allowed: "
                                  f"{', '.join(sorted(required | optional | COMMON_CHECK_FIELDS))})")
            ok = False
    for k in sorted(required - set(spec)):
        ctx.err(where, f"missing required field {k!r} for a {kind} check")
        ok = False
    common = {}
    for k, typ in (("name", str), ("description", str), ("slow", bool)):
        if k in spec:
            if not isinstance(spec[k], typ) or (typ is str and not spec[k].strip()):
                ctx.err(where + (k,), f"expected {'a non-empty string' if typ is str else 'true or false'}")
                ok = False
            else:
                common[k] = spec[k]
    if not ok:
        return None

    def attempt(field: str, fn):
        try:
            return fn()
        except InputError as exc:
            ctx.err(where + ((field,) if field else ()), str(exc))
            return _FAIL

    box = None
    if "box" in spec:
        raw = spec["box"]
        if not isinstance(raw, dict):
            ctx.err(where + ("box",), "expected an inline table such as { t = [\"0\", \"1\"] }")
            return None

        def mk_box():
            out = {}
            for name, rng in raw.items():
                if not isinstance(rng, list) or len(rng) != 2:
                    raise InputError(f"variable {name}: expected [lo, hi], got {rng!r}")
                out[name] = tuple(_exact(x, f"variable {name}") for x in rng)
            return B._box(out)

        box = attempt("box", mk_box)
        if box is _FAIL:
            return None
        box = dict(box)
    for k in ("timeout", "prec", "points", "seed", "samples", "max_failure_rate", "conf"):
        if k in spec and (isinstance(spec[k], bool) or not isinstance(spec[k], (int, float))):
            ctx.err(where + (k,), f"expected a number, got {spec[k]!r}")
            return None
    kw = {k: spec[k] for k in optional & set(spec) if k != "box"}
    kw.update(common)
    if kind == "prove":
        return _ok(attempt("relation", lambda: B.prove_inequality(spec["relation"], box, **kw)))
    if kind == "smt":
        return _ok(attempt("relation", lambda: B.smt_decide(spec["relation"], box, **kw)))
    if kind == "identity":
        return _ok(attempt("lhs", lambda: B.identity(spec["lhs"], spec["rhs"], box=box, **kw)))
    if kind == "monte_carlo":
        kw["seed"] = spec["seed"]
        if "samples" in kw and not isinstance(kw["samples"], int):
            ctx.err(where + ("samples",), "expected an integer")
            return None
        return _ok(attempt("relation", lambda: B.monte_carlo(spec["relation"], box, **kw)))
    if kind == "instances":
        inst = spec["instances"]
        if not isinstance(inst, list) or not all(isinstance(r, dict) for r in inst):
            ctx.err(where + ("instances",), "expected a list of inline tables such as [{ n = 1 }, { n = 2 }]")
            return None

        def mk():
            rows = [{k: _exact(v, f"instance {i + 1}, {k}") for k, v in r.items()} for i, r in enumerate(inst)]
            return B.instance_check(spec["relation"], rows, **kw)

        return _ok(attempt("instances", mk))
    # python
    return _ok(attempt("function", lambda: B.python_check(spec["function"], base_dir=str(base_dir), **kw)))


_FAIL = object()


def _hypotheses(ctx: _Ctx, tbl: dict, where: tuple):
    """(texts, predicates): a string is a hypothesis's text, and also its predicate when it reads
    as a relation ("0 < t <= 1"); a table { text, holds, integers } states the predicate apart."""
    from prunecert.proofs.builders import hypothesis

    raw = tbl.get("hypotheses", [])
    if not isinstance(raw, list):
        ctx.err(where + ("hypotheses",), "expected a list of strings or tables { text, holds, integers }")
        return (), ()
    texts, preds = [], []
    for i, h in enumerate(raw):
        w = where + ("hypotheses",)
        if isinstance(h, str) and h.strip():
            texts.append(h.strip())
            try:
                preds.append(hypothesis(h))
            except InputError:
                pass                     # prose: a model assumption, not a statement about parameters
        elif isinstance(h, dict):
            extra = sorted(set(h) - {"text", "holds", "integers"})
            if extra or not isinstance(h.get("text"), str) or not h["text"].strip():
                ctx.err(w, f"hypothesis {i + 1}: expected {{ text = \"...\", holds = \"...\", integers = [...] }}"
                           + (f"; unknown field(s) {extra}" if extra else ""))
                continue
            ints = h.get("integers", [])
            if not isinstance(ints, list) or not all(isinstance(x, str) for x in ints):
                ctx.err(w, f"hypothesis {i + 1}: integers must be a list of parameter names")
                continue
            try:
                preds.append(hypothesis(h["text"], h.get("holds"), integers=ints))
            except InputError as exc:
                ctx.err(w, f"hypothesis {i + 1}: {exc}")
                continue
            texts.append(h["text"].strip())
        else:
            ctx.err(w, f"hypothesis {i + 1}: expected a string or a table, got {h!r:.40}")
    return tuple(texts), tuple(preds)


def _ok(v):
    return None if v is _FAIL else v


def parse_claim_file(text: str, path: str | Path = "<claims>", *, known_ids: Iterable[str] = ()) -> list[Claim]:
    """Claims from the text of a claim file; ClaimFileError listing every problem found."""
    from prunecert.proofs.registry import shipped_claims, shipped_namespaces

    path = Path(path)
    base_dir = path.resolve().parent if str(path) != "<claims>" else Path.cwd()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ClaimFileError(str(path), [(int(m.group(1)) if m else None, "", f"not valid TOML: {msg}")]) from None
    ctx = _Ctx(path, LineIndex(text), [])
    for k in data:
        if k not in ("namespace", "description", "claims"):
            ctx.err((k,), f"unknown top-level field {k!r} (allowed: namespace, description, claims)")
    ns = data.get("namespace")
    spaces = shipped_namespaces()
    if ns is None:
        ctx.err((), "missing required top-level field 'namespace' (e.g. namespace = \"mylemmas\")")
    elif not isinstance(ns, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", ns):
        ctx.err(("namespace",), f"expected an identifier such as \"mylemmas\", got {ns!r}")
        ns = None
    elif ns.split(".")[0] in spaces:
        ctx.err(("namespace",), f"{ns.split('.')[0]!r} is a namespace of the shipped claims; choose your own")
        ns = None
    claims_tbl = data.get("claims")
    if claims_tbl is None:
        ctx.err((), "no claims: add a table [claims.KEY] for each claim")
        claims_tbl = {}
    elif not isinstance(claims_tbl, dict) or not claims_tbl:
        ctx.err(("claims",), "expected tables [claims.KEY]")
        claims_tbl = {}
    local = {key: f"{ns or '?'}.{key}" for key in claims_tbl}
    shipped = set(shipped_claims())
    known = set(known_ids) | shipped | set(local.values())
    out: list[Claim] = []
    for key, tbl in claims_tbl.items():
        where = ("claims", key)
        if not _KEY.match(key):
            ctx.err(where, f"claim key {key!r} must be an identifier (letters, digits, underscores)")
            continue
        if not isinstance(tbl, dict):
            ctx.err(where, "expected a table [claims.KEY]")
            continue
        for k in tbl:
            if k not in CLAIM_FIELDS:
                ctx.err(where + (k,), f"unknown field {k!r} (allowed: {', '.join(sorted(CLAIM_FIELDS))})")
        title = _need_str(ctx, tbl, "title", where, required=True, one_line=True)
        statement = _need_str(ctx, tbl, "statement", where, required=True)
        kind = tbl.get("kind", "lemma")
        if kind not in KINDS:
            ctx.err(where + ("kind",), f"expected one of {', '.join(KINDS)}, got {kind!r}")
        source = _need_str(ctx, tbl, "source", where) or "new"
        sketch = _need_str(ctx, tbl, "sketch", where) or ""
        proof = _need_str(ctx, tbl, "proof", where)
        if proof is not None and not re.match(r"^[a-z][a-z0-9+.-]*://", proof, re.I):
            file, sep, anchor = proof.partition("#")
            p = Path(file).expanduser()
            p = p if p.is_absolute() else base_dir / p
            if not p.is_file():
                ctx.err(where + ("proof",), f"written proof {file!r} not found (looked for {p})")
                proof = None
            else:
                proof = str(p.resolve()) + (sep + anchor if sep else "")
        deps = {}
        for f in ("uses", "proof_uses"):
            refs = []
            for r in _str_list(ctx, tbl, f, where):
                full = local.get(r, r)
                if full not in known:
                    ctx.err(where + (f,), f"unknown claim {r!r} (a key of this file, a shipped id such as "
                                          "'gap.lower.K2_sector', or a claim of another loaded source)")
                elif full == local[key]:
                    ctx.err(where + (f,), f"claim {key!r} depends on itself")
                else:
                    refs.append(full)
            deps[f] = tuple(refs)
        checks = {}
        for f in ("checks", "corroborations"):
            lst = tbl.get(f, [])
            if not isinstance(lst, list):
                ctx.err(where + (f,), f"expected an array of tables: write [[claims.{key}.{f}]]")
                lst = []
            built = [_build_check(ctx, spec, where + (f, i), base_dir) for i, spec in enumerate(lst)]
            checks[f] = tuple(c for c in built if c is not None)
            names = [c.name for c in checks[f]]
            for n in {n for n in names if names.count(n) > 1}:
                ctx.err(where + (f,), f"two {f} named {n!r}: give each a distinct name = \"...\"")
        hyps, preds = _hypotheses(ctx, tbl, where)
        tags = _str_list(ctx, tbl, "tags", where)
        prose = _str_list(ctx, tbl, "prose_steps", where)
        if title is None or statement is None or kind not in KINDS:
            continue
        out.append(Claim(id=local[key], title=title, statement=statement, source=source, kind=kind,
                         hypotheses=hyps, predicates=preds, prose_steps=prose, checks=checks["checks"], corroborations=checks["corroborations"],
                         uses=deps["uses"], proof_uses=deps["proof_uses"], proof=proof, sketch=sketch, tags=tags))
    if ctx.problems:
        ctx.problems.sort(key=lambda p: (p[0] or 0))
        raise ClaimFileError(str(path), ctx.problems)
    if ns is None:     # pragma: no cover - reported above
        raise ClaimFileError(str(path), [(None, "namespace", "missing")])
    from prunecert.checks.errors import CycleError
    from prunecert.proofs.registry import topological_order

    reg = {c.id: c for c in out}
    try:
        own = {cid: c for cid, c in reg.items()}
        topological_order({**own, **{d: Claim(d, "", "", "new") for c in out for d in c.dependencies()
                                     if d not in own}}, list(own))
    except CycleError as exc:
        raise ClaimFileError(str(path), [(ctx.index.line(("claims",)), "proof_uses", str(exc))]) from None
    return out


def load_claim_file(path: str | Path, *, known_ids: Iterable[str] = ()) -> list[Claim]:
    """Claims of the claim file at ``path`` (see the module docstring for the schema)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read claim file {str(p)!r}: {exc}") from None
    return parse_claim_file(text, p, known_ids=known_ids)
