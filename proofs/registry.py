"""Claims, their checks, and evidence levels computed from the checks that ran.

A :class:`Claim` is data.  Its level is never stored: :func:`evaluate` runs the checks
and computes it bottom-up:

1. any own check or corroboration REFUTED  -> REFUTED;
2. no checks at all -> a pure composition if it has a written argument (``proof``) and lemmas
   it composes (``proof_uses``): its own level is PROVED and rule 5 caps it by those lemmas
   (the leanblueprint model: the glue is the written argument, the leaves are the lemmas);
   otherwise CLAIMED if the claim restates a paper (``source != "new"``), else UNKNOWN;
3. own level = the weakest of its required checks (they are the leaves of one proof,
   all needed); a skipped (slow, not requested) check counts as UNKNOWN;
4. own PROVED needs a written glue argument (``proof`` names a docs page), else UNKNOWN;
5. the claim's level is the weakest of its own level and its dependencies' levels
   (``uses`` and ``proof_uses``); a REFUTED dependency leaves the claim UNKNOWN.

Corroborations (e.g. a Monte Carlo cross-check of a proved closed form) are run and
reported; they can refute a claim but never lower or raise its level otherwise.

Claims live in modules of :mod:`prunecert.proofs.claims`; each such module defines ``CLAIMS``, a
list of Claim objects, and is discovered automatically.  Claims written outside the package
(a user's module or claim file, a package's ``prunecert.claims`` entry point; see
:mod:`prunecert.proofs.user_claims`) are added at run time with :func:`extra_claims` /
:func:`install_user_claims`: they may depend on shipped claims, never the other way round, and
an id that collides with a shipped claim (or lies in a shipped namespace) is an InputError, so a
user claim cannot change a shipped claim's level.
"""
from __future__ import annotations

import contextlib
import importlib
import pkgutil
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from prunecert.checks.errors import CycleError, InputError
from prunecert.checks.hypotheses import Hypothesis, require
from prunecert.checks.levels import Level, weakest
from prunecert.checks.result import CheckResult


@dataclass(frozen=True)
class Check:
    """One machine check of (part of) a claim.  ``run`` takes no arguments and returns a
    CheckResult; it must be a module-level function so that it can run in a subprocess."""

    name: str
    run: Callable[[], CheckResult]
    description: str = ""
    slow: bool = False


@dataclass(frozen=True)
class Claim:
    id: str
    title: str
    statement: str                       # precise statement, LaTeX
    source: str                          # "seed 001: Ferré et al. 2026, abstract" | "literature: ..." | "new"
    kind: str = "lemma"                  # theorem | lemma | corollary | constant | definition | conjecture
    sympy: str | None = None             # sympy-parsable form of the statement, where one exists
    hypotheses: tuple[str, ...] = ()      # readable text of every hypothesis
    predicates: tuple[Hypothesis, ...] = ()  # the parameter hypotheses as code (text also in ``hypotheses``)
    prose_steps: tuple[str, ...] = ()     # steps of the written proof that no check covers (definitional/prose)
    checks: tuple[Check, ...] = ()
    corroborations: tuple[Check, ...] = ()
    uses: tuple[str, ...] = ()           # statement dependencies (definitions/claims it mentions)
    proof_uses: tuple[str, ...] = ()     # claims its proof relies on
    proof: str | None = None             # docs page (path#anchor) holding the written glue argument
    sketch: str = ""                     # short proof sketch (markdown) for the blueprint
    seed: str | None = None              # "000".."004" when it belongs to a seed paper
    tags: tuple[str, ...] = ()

    def dependencies(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.uses + self.proof_uses))

    def require(self, **values) -> None:
        """Raise HypothesisError (an InputError) naming the first of this claim's predicates
        that ``values`` violate; see :func:`prunecert.checks.hypotheses.require`."""
        require(self.predicates, self.id, **values)


@dataclass
class ClaimStatus:
    claim: Claim
    level: Level
    reason: str
    results: list[tuple[str, CheckResult | None]] = field(default_factory=list)
    corroboration_results: list[tuple[str, CheckResult | None]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(r.seconds for _, r in self.results + self.corroboration_results if r is not None)

    @property
    def methods(self) -> str:
        ms = [r.method for _, r in self.results if r is not None]
        return ", ".join(dict.fromkeys(ms)) or "-"


_REGISTRY: dict[str, Claim] | None = None
_USER: dict[str, Claim] = {}           # claims added at run time (user files, modules, entry points)
_USER_ORIGIN: dict[str, str] = {}      # claim id -> where it came from (file, module, entry point)


def all_claims() -> dict[str, Claim]:
    """Every registered claim: the shipped ones, then any user claims installed at run time."""
    reg = shipped_claims()
    if not _USER:
        return reg
    return {**reg, **_USER}


def user_claims() -> dict[str, Claim]:
    """The user claims installed at run time (empty unless :func:`extra_claims` is active)."""
    return dict(_USER)


def claim_origin(cid: str) -> str:
    """Where a claim comes from: ``"shipped"`` or the user source that defined it."""
    return _USER_ORIGIN.get(cid, "shipped")


def shipped_namespaces(reg: Mapping[str, Claim] | None = None) -> set[str]:
    """First components of the shipped claim ids (``gap``, ``core``, ...): reserved namespaces."""
    return {cid.split(".", 1)[0] for cid in (shipped_claims() if reg is None else reg)}


def check_user_claims(claims: Iterable[Claim], origins: Mapping[str, str] | None = None) -> dict[str, Claim]:
    """Validate user claims against the shipped registry; return them as {id: Claim}.

    InputError (CLI exit 3) for: a non-Claim, an id that is not a non-empty string, an id that
    collides with a shipped claim or lies in a shipped namespace, a duplicate id, an unknown
    dependency, a malformed field, a dependency cycle."""
    shipped = shipped_claims()
    spaces = shipped_namespaces(shipped)
    origins = dict(origins or {})
    out: dict[str, Claim] = {}
    for c in claims:
        if not isinstance(c, Claim):
            raise InputError(f"expected prunecert.Claim objects, got {type(c).__name__}: {c!r:.80}")
        where = f" (from {origins[c.id]})" if isinstance(c.id, str) and c.id in origins else ""
        if not isinstance(c.id, str) or not c.id.strip() or c.id != c.id.strip():
            raise InputError(f"claim id must be a non-empty string without surrounding spaces, got {c.id!r}{where}")
        if c.id in shipped:
            raise InputError(f"claim id {c.id!r}{where} collides with a shipped claim; "
                             "user claims need their own namespace (e.g. 'mylemmas.{}')".format(c.id.rsplit('.', 1)[-1]))
        ns = c.id.split(".", 1)[0]
        if ns in spaces:
            raise InputError(f"claim id {c.id!r}{where} lies in the shipped namespace {ns!r}; "
                             "user claims need their own namespace")
        if c.id in out:
            raise InputError(f"duplicate claim id {c.id!r}{where}")
        out[c.id] = c
    validate_graph({**shipped, **out})
    return out


@contextlib.contextmanager
def extra_claims(claims: Iterable[Claim], origins: Mapping[str, str] | None = None):
    """Within the block, :func:`all_claims` (and so :func:`evaluate`) also sees ``claims``.

    >>> from prunecert.checks.levels import Level
    >>> c = Claim("mine.paper", "A paper's lemma", "P", source="literature: X 2025")
    >>> with extra_claims([c]):
    ...     evaluate(["mine.paper"])["mine.paper"].level is Level.CLAIMED
    True
    >>> "mine.paper" in all_claims()
    False
    """
    new = check_user_claims(claims, origins)
    saved = (dict(_USER), dict(_USER_ORIGIN))
    clash = sorted(set(new) & set(_USER))
    if clash:
        raise InputError(f"duplicate claim id(s) {', '.join(map(repr, clash))} "
                         f"(already defined by {_USER_ORIGIN.get(clash[0], 'another source')})")
    _USER.update(new)
    _USER_ORIGIN.update({cid: (origins or {}).get(cid, "user") for cid in new})
    try:
        yield new
    finally:
        _USER.clear()
        _USER.update(saved[0])
        _USER_ORIGIN.clear()
        _USER_ORIGIN.update(saved[1])


def shipped_claims() -> dict[str, Claim]:
    """Every shipped claim, discovered from the modules of prunecert.proofs.claims."""
    global _REGISTRY
    if _REGISTRY is None:
        import prunecert.proofs.claims as pkg

        reg: dict[str, Claim] = {}
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
            mod = importlib.import_module(f"prunecert.proofs.claims.{info.name}")
            for c in getattr(mod, "CLAIMS", ()):
                if c.id in reg:
                    raise ValueError(f"duplicate claim id {c.id!r} in prunecert.proofs.claims.{info.name}")
                reg[c.id] = c
        validate_graph(reg)
        _REGISTRY = reg
    return _REGISTRY


def validate_graph(reg: dict[str, Claim]) -> None:
    """Unknown dependencies, cycles and malformed fields are errors."""
    for c in reg.values():
        for f in ("checks", "corroborations"):
            v = getattr(c, f)
            if not isinstance(v, tuple) or not all(isinstance(x, Check) for x in v):
                raise InputError(f"claim {c.id!r}: {f} must be a tuple of Check "
                                 "(a single one needs a trailing comma: (Check(...),))")
        if not isinstance(c.predicates, tuple) or not all(isinstance(h, Hypothesis) for h in c.predicates):
            raise InputError(f"claim {c.id!r}: predicates must be a tuple of Hypothesis")
        for h in c.predicates:
            if h.text not in c.hypotheses:
                raise InputError(f"claim {c.id!r}: predicate {h.text!r} is not among its hypotheses")
        for f in ("uses", "proof_uses", "hypotheses", "tags", "prose_steps"):
            v = getattr(c, f)
            if not isinstance(v, tuple) or not all(isinstance(x, str) for x in v):
                raise InputError(f"claim {c.id!r}: {f} must be a tuple of strings "
                                 "(a single one needs a trailing comma: ('x',))")
        for d in c.dependencies():
            if d not in reg:
                raise InputError(f"claim {c.id!r} depends on unknown claim {d!r}")
    topological_order(reg, list(reg))


def topological_order(reg: dict[str, Claim], ids: Iterable[str]) -> list[str]:
    """The claims ``ids`` and all their dependencies, dependencies first; CycleError on a cycle."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(cid: str, path: list[str]) -> None:
        s = state.get(cid, 0)
        if s == 2:
            return
        if s == 1:
            cyc = path[path.index(cid):] + [cid]
            raise CycleError("dependency cycle: " + " -> ".join(cyc))
        if cid not in reg:
            raise InputError(f"unknown claim id {cid!r}")
        state[cid] = 1
        for d in reg[cid].dependencies():
            visit(d, path + [cid])
        state[cid] = 2
        order.append(cid)

    for cid in ids:
        visit(cid, [])
    return order


def run_check(check: Check) -> CheckResult:
    """Run one check; an exception inside a check is UNKNOWN (with the error), never a pass."""
    t0 = time.perf_counter()
    try:
        res = check.run()
        if not isinstance(res, CheckResult):
            return CheckResult(Level.UNKNOWN, "error", time.perf_counter() - t0,
                               f"check returned {type(res).__name__}, not CheckResult")
        if res.level is Level.CLAIMED:
            return CheckResult(Level.UNKNOWN, res.method, res.seconds, "a check may not return CLAIMED")
        return res
    except Exception as exc:  # noqa: BLE001 - a crashing check must not crash verify
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return CheckResult(Level.UNKNOWN, "error", time.perf_counter() - t0, f"check raised: {tb}")


def combine(claim: Claim, results: list[tuple[str, CheckResult | None]],
            corroborations: list[tuple[str, CheckResult | None]],
            dep_levels: dict[str, Level]) -> tuple[Level, str]:
    """The level of ``claim`` from its check results (None = not run) and its dependencies."""
    for name, r in results + corroborations:
        if r is not None and r.level is Level.REFUTED:
            return Level.REFUTED, f"check {name!r} refuted it: {r.detail}"
    if not claim.checks and claim.proof and claim.proof_uses:
        own, why = Level.PROVED, "composition: written argument over its proof_uses lemmas"
    elif not claim.checks:
        own, why = (Level.CLAIMED, "no check yet; restated from its source") if claim.source != "new" \
            else (Level.UNKNOWN, "no check")
    else:
        levels = []
        why_parts = []
        for name, r in results:
            if r is None:
                levels.append(Level.UNKNOWN)
                why_parts.append(f"{name}: not run (slow; use --slow)")
            else:
                levels.append(r.level)
                if r.level is not Level.PROVED:
                    why_parts.append(f"{name}: {r.level.value}" + (f" ({r.detail})" if r.detail else ""))
        own = weakest(levels)
        why = "; ".join(why_parts) if why_parts else "all checks passed"
        if own is Level.PROVED and not claim.proof:
            own, why = Level.UNKNOWN, "all leaves checked, but no written glue argument (proof=...)"
    deps = claim.dependencies()
    refuted = [d for d in deps if dep_levels.get(d) is Level.REFUTED]
    if refuted:
        return Level.UNKNOWN, f"depends on refuted claim(s) {', '.join(refuted)}"
    dep_level = weakest(dep_levels.get(d, Level.UNKNOWN) for d in deps)
    if dep_level.strength < own.strength:
        weak = [d for d in deps if dep_levels.get(d, Level.UNKNOWN) is dep_level]
        return dep_level, f"own checks {own.value}, but depends on {', '.join(weak)} ({dep_level.value})"
    return own, why


def evaluate(ids: Iterable[str] | None = None, *, slow: bool = False,
             runner: Callable[[list[tuple[str, int, bool]]], dict] | None = None,
             on_result: Callable[[str, str, CheckResult], None] | None = None) -> dict[str, ClaimStatus]:
    """Run the checks of ``ids`` (default: all) and their dependencies; compute levels.

    runner: optional executor for parallelism; receives a list of (claim_id, index,
    is_corroboration) jobs and returns {(claim_id, index, is_corroboration): CheckResult}.
    The default runs them in this process, in order.
    """
    reg = all_claims()
    order = topological_order(reg, list(ids) if ids is not None else list(reg))
    jobs: list[tuple[str, int, bool]] = []
    for cid in order:
        c = reg[cid]
        for i, ch in enumerate(c.checks):
            if slow or not ch.slow:
                jobs.append((cid, i, False))
        for i, ch in enumerate(c.corroborations):
            if slow or not ch.slow:
                jobs.append((cid, i, True))
    if runner is not None:
        outcomes = runner(jobs)
    else:
        outcomes = {}
        for job in jobs:
            cid, i, corr = job
            ch = (reg[cid].corroborations if corr else reg[cid].checks)[i]
            outcomes[job] = run_check(ch)
            if on_result is not None:
                on_result(cid, ch.name, outcomes[job])
    statuses: dict[str, ClaimStatus] = {}
    levels: dict[str, Level] = {}
    for cid in order:
        c = reg[cid]
        res = [(ch.name, outcomes.get((cid, i, False))) for i, ch in enumerate(c.checks)]
        cor = [(ch.name, outcomes.get((cid, i, True))) for i, ch in enumerate(c.corroborations)]
        lv, why = combine(c, res, cor, levels)
        levels[cid] = lv
        statuses[cid] = ClaimStatus(c, lv, why, res, cor)
    return statuses


def run_job(job: tuple[str, int, bool]) -> CheckResult:
    """Run one (claim_id, index, is_corroboration) job; usable in a worker process."""
    cid, i, corr = job
    c = all_claims()[cid]
    return run_check((c.corroborations if corr else c.checks)[i])
