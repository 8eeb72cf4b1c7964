"""Safe expression parsing and compilation of sympy expressions to rigorous arb evaluators.

* :func:`parse` reads user text through a whitelist over Python's ``ast`` (no ``eval`` of user
  text, no ``sympify`` of raw strings).  Decimal literals become exact rationals
  (``"0.1"`` -> 1/10, ``"1e-9"`` -> 1/10**9).  Unknown names or functions raise
  :class:`prunecert.checks.errors.ExpressionError`.
* :func:`parse_relation` reads ``"EXPR OP EXPR"`` with OP in ``>=, >, <=, <``.
* :func:`compile_arb` turns a sympy expression into a function of a sequence of arb balls
  returning a ball that encloses the expression's range over the box (NaN/infinite when a
  domain condition cannot be certified, e.g. ``log`` of a ball that touches 0).

Supported: ``+ - * / **``, sqrt, exp, log, sin, cos, tan, atan, asin, acos, erf, erfc, gamma,
Abs, Max, Min (``relu(x)`` = ``Max(0, x)``), Piecewise, pi, E.
"""
from __future__ import annotations

import ast
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Callable, Iterable, Sequence

import sympy as sp
from flint import arb, ctx, fmpq, fmpz

from prunecert.checks.rigorous.arith import absval, amax, amin, compare3
from prunecert.checks.errors import ExpressionError, InputError
from prunecert.checks.rigorous.numbers import check_decimal_size
from prunecert.checks.levels import Tri

__all__ = ["parse", "parse_relation", "compile_arb", "compile_float", "FUNCTIONS", "CONSTANTS",
           "RELATIONS", "is_smooth", "symbols_of", "to_symbol_map"]

MAX_TEXT = 20_000
MAX_EXPONENT = 10_000
MAX_LITERAL_BITS = 100_000  # exact constants built while parsing (e.g. 2**10000) stay this small
MAX_DEPTH = 200             # nesting of calls/parentheses (a flat sum of any length is fine)

RELATIONS = (">=", ">", "<=", "<")
_CMP_OPS = {ast.GtE: ">=", ast.Gt: ">", ast.LtE: "<=", ast.Lt: "<", ast.Eq: "==", ast.NotEq: "!="}


def _log(*args):
    if len(args) == 1:
        return sp.log(args[0])
    if len(args) == 2:
        return sp.log(args[0]) / sp.log(args[1])
    raise ExpressionError("log takes one argument (or two: log(x, base))")


def _one(f, name):
    def build(*args):
        if len(args) != 1:
            raise ExpressionError(f"{name} takes exactly one argument, got {len(args)}")
        return f(args[0])
    return build


def _many(f, name):
    def build(*args):
        if len(args) < 1:
            raise ExpressionError(f"{name} needs at least one argument")
        return f(*args)
    return build


FUNCTIONS: dict[str, Callable] = {
    "sqrt": _one(sp.sqrt, "sqrt"), "exp": _one(sp.exp, "exp"), "log": _log, "ln": _one(sp.log, "ln"),
    "sin": _one(sp.sin, "sin"), "cos": _one(sp.cos, "cos"), "tan": _one(sp.tan, "tan"),
    "atan": _one(sp.atan, "atan"), "asin": _one(sp.asin, "asin"), "acos": _one(sp.acos, "acos"),
    "erf": _one(sp.erf, "erf"), "erfc": _one(sp.erfc, "erfc"), "gamma": _one(sp.gamma, "gamma"),
    "Abs": _one(sp.Abs, "Abs"), "abs": _one(sp.Abs, "abs"),
    "Max": _many(sp.Max, "Max"), "max": _many(sp.Max, "max"),
    "Min": _many(sp.Min, "Min"), "min": _many(sp.Min, "min"),
    "relu": _one(lambda x: sp.Max(0, x), "relu"),
}
CONSTANTS = {"pi": sp.pi, "E": sp.E}
# functions whose argument is restricted on the reals: sqrt needs >= 0, log > 0, asin/acos [-1, 1]
_DOMAIN_KIND = {"sqrt": "sqrt", "log": "log", "ln": "log", "asin": "unit", "acos": "unit"}


def _domain_kept(kind: str, a: sp.Expr, out: sp.Expr) -> bool:
    """Does the built expression ``out`` still carry the domain restriction that the typed
    ``kind(a)`` imposed, or is the restriction automatically true?  sympy evaluates
    ``sqrt(x)**2`` to ``x`` and ``exp(log(x))`` to ``x`` as it builds them, which silently
    extends the claim to points where the typed text is undefined (audit finding P1)."""
    if kind == "sqrt" or kind == "power-base":
        if a.is_nonnegative:
            return True
        return any(p.base == a and not p.exp.is_integer for p in out.atoms(sp.Pow))
    if kind == "log":
        return bool(a.is_positive) or any(L.args[0] == a for L in out.atoms(sp.log))
    if kind == "unit":
        if (a - 1).is_nonpositive and (a + 1).is_nonnegative:
            return True
        return any(f.args[0] == a for f in out.atoms(sp.asin, sp.acos))
    if kind == "nonzero":
        if a.is_nonzero:
            return True
        bases = [b for b in a.as_powers_dict() if not b.is_number]
        pows = [p for p in out.atoms(sp.Pow) if p.exp.is_negative]
        return bool(bases) and all(any(p.base == b for p in pows) for b in bases)
    return True


def _symbol(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def normalise_name(name) -> str:
    """A user's variable name as Python's parser sees it (NFKC: fullwidth 'ｘ' is 'x')."""
    return unicodedata.normalize("NFKC", str(name))


def normalise_names(names) -> list[str]:
    """NFKC-normalised names; two names that normalise alike are an ExpressionError."""
    out, seen = [], {}
    for v in names:
        n = normalise_name(v)
        if n in seen:
            raise ExpressionError(f"variable names {seen[n]!r} and {str(v)!r} are the same name "
                                  f"{n!r} after Unicode normalisation (NFKC); rename one")
        seen[n] = str(v)
        out.append(n)
    return out


class _Parser:
    def __init__(self, text: str, variables: Iterable[str] | None, raw: bool = False):
        self.text = text
        self.raw = raw
        if variables is None:
            self.vars = None
        else:
            self.vars = {}
            for v in normalise_names(variables):
                if not v.isidentifier():
                    raise ExpressionError(f"variable name {v!r} is not a valid identifier")
                if v in FUNCTIONS or v in CONSTANTS or v in ("Piecewise", "True", "False"):
                    raise ExpressionError(f"variable name {v!r} clashes with a function or constant")
                self.vars[v] = _symbol(v)
        self.domain: list[tuple[str, sp.Expr]] = []   # (kind, argument) of every domain restriction typed

    def fail(self, node, msg):
        col = getattr(node, "col_offset", None)
        where = f" (at column {col + 1})" if col is not None else ""
        raise ExpressionError(f"{msg}{where} in {self.text.strip()!r}")

    def name(self, node: ast.Name):
        n = node.id
        if n in CONSTANTS:
            return CONSTANTS[n]
        if n in FUNCTIONS or n == "Piecewise":
            self.fail(node, f"function {n!r} used without arguments")
        if self.vars is None:
            if n in ("e", "inf", "oo", "nan", "I", "j"):
                self.fail(node, f"name {n!r} is not allowed (use E or exp(1) for Euler's number)")
            return _symbol(n)
        if n in self.vars:
            return self.vars[n]
        hint = " (Euler's number is E or exp(1))" if n == "e" else ""
        self.fail(node, f"unknown variable or name {n!r}{hint}")

    def number(self, node: ast.Constant):
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail(node, f"unsupported literal {v!r}")
        if isinstance(v, int):
            if v.bit_length() > MAX_LITERAL_BITS:
                self.fail(node, "integer literal too large")
            return sp.Integer(v)
        seg = ast.get_source_segment(self.text, node)
        try:
            check_decimal_size(seg or "", "number")
        except InputError as exc:
            self.fail(node, str(exc))
        try:
            q = Fraction(Decimal(seg.replace("_", "")))
        except (InvalidOperation, ValueError, TypeError, AttributeError):
            self.fail(node, f"cannot read the number {seg!r} exactly")
        return sp.Rational(q.numerator, q.denominator)

    # -- building blocks: evaluated (sympy's automatic simplification) or raw (as typed)
    def add(self, a, b):
        return sp.Add(a, b, evaluate=False) if self.raw else a + b

    def sub(self, a, b):
        return sp.Add(a, sp.Mul(sp.S.NegativeOne, b, evaluate=False), evaluate=False) if self.raw else a - b

    def mul(self, a, b):
        return sp.Mul(a, b, evaluate=False) if self.raw else a * b

    def neg(self, a):
        return sp.Mul(sp.S.NegativeOne, a, evaluate=False) if self.raw else -a

    def div(self, a, b):
        if self.raw:
            return sp.Mul(a, sp.Pow(b, sp.S.NegativeOne, evaluate=False), evaluate=False)
        return a / b

    def power(self, a, b):
        return sp.Pow(a, b, evaluate=False) if self.raw else a ** b

    def call(self, fname, args):
        if not self.raw:
            return FUNCTIONS[fname](*args)
        one = {"sqrt": lambda x: sp.Pow(x, sp.S.Half, evaluate=False),
               "relu": lambda x: sp.Max(sp.S.Zero, x, evaluate=False)}
        if fname in one:
            if len(args) != 1:
                raise ExpressionError(f"{fname} takes exactly one argument, got {len(args)}")
            return one[fname](args[0])
        if fname == "log" and len(args) == 2:
            return self.div(sp.log(args[0], evaluate=False), sp.log(args[1], evaluate=False))
        if fname in ("Max", "max", "Min", "min"):
            if not args:
                raise ExpressionError(f"{fname} needs at least one argument")
            f = sp.Max if fname.lower() == "max" else sp.Min
            return args[0] if len(args) == 1 else f(*args, evaluate=False)
        if len(args) != 1:
            raise ExpressionError(f"{fname} takes exactly one argument, got {len(args)}")
        base = {"ln": sp.log, "abs": sp.Abs}.get(fname) or FUNCTIONS[fname](sp.Symbol("_probe")).func
        return base(args[0], evaluate=False)

    def _chain(self, node, kinds):
        """Operands and operators of a left-nested chain a op b op c ... (no recursion)."""
        ops, operands = [], []
        while isinstance(node, ast.BinOp) and isinstance(node.op, kinds):
            ops.append(node.op)
            operands.append(node.right)
            node = node.left
        operands.append(node)
        return list(reversed(operands)), list(reversed(ops))

    def expr(self, node, depth=0):
        if depth > MAX_DEPTH:
            self.fail(node, f"expression nested more than {MAX_DEPTH} levels deep")
        d = depth + 1
        if isinstance(node, ast.Expression):
            return self.expr(node.body, d)
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return self.neg(self.expr(node.operand, d))
            if isinstance(node.op, ast.UAdd):
                return self.expr(node.operand, d)
            self.fail(node, "unsupported unary operator")
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) \
                and isinstance(node.left, ast.BinOp) and isinstance(node.left.op, (ast.Add, ast.Sub)):
            # a long sum: flatten (a + b - c + ... must not count as deep nesting)
            operands, ops = self._chain(node, (ast.Add, ast.Sub))
            terms = [self.expr(operands[0], d)]
            for op, o in zip(ops, operands[1:]):
                t = self.expr(o, d)
                terms.append(t if isinstance(op, ast.Add) else self.neg(t))
            if self.raw:
                return sp.Add(*terms, evaluate=False)
            return sp.Add(*terms)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) \
                and isinstance(node.left, ast.BinOp) and isinstance(node.left.op, ast.Mult):
            operands, _ = self._chain(node, (ast.Mult,))
            facs = [self.expr(o, d) for o in operands]
            if self.raw:
                return sp.Mul(*facs, evaluate=False)
            out = facs[0]
            for f in facs[1:]:
                out = self._checked_mul(node, out, f)
            return out
        if isinstance(node, ast.BinOp):
            a, b = self.expr(node.left, d), self.expr(node.right, d)
            op = node.op
            if isinstance(op, ast.Add):
                return self.add(a, b)
            if isinstance(op, ast.Sub):
                return self.sub(a, b)
            if isinstance(op, ast.Mult):
                return self.mul(a, b) if self.raw else self._checked_mul(node, a, b)
            if isinstance(op, ast.Div):
                if b == 0:
                    self.fail(node, "division by zero")
                if not self.raw:
                    self.domain.append(("nonzero", b))
                return self.div(a, b)
            if isinstance(op, ast.Pow):
                if b.is_number and b.is_finite and abs(b) > MAX_EXPONENT:
                    self.fail(node, f"exponent {b} too large")
                if a == 0 and b.is_number and (b.is_negative or b == 0):
                    self.fail(node, "0 to a non-positive power")
                self._size_of_power(node, a, b)
                if not (b.is_integer and b.is_nonnegative) and not self.raw:
                    self.domain.append(("nonzero" if b.is_integer else "power-base", a))
                return self.power(a, b)
            if isinstance(op, ast.BitXor):
                self.fail(node, "'^' is not a power here; use '**'")
            self.fail(node, f"unsupported operator {type(op).__name__}")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                self.fail(node, "only plain function names can be called")
            if node.keywords:
                self.fail(node, "keyword arguments are not supported")
            fname = node.func.id
            if fname == "Piecewise":
                return self.piecewise(node, d)
            if fname not in FUNCTIONS:
                if self.vars is not None and fname in self.vars:
                    self.fail(node, f"variable {fname!r} is not a function")
                self.fail(node, f"unknown function {fname!r} (known: {', '.join(sorted(FUNCTIONS))}, Piecewise)")
            args = [self.expr(a, d) for a in node.args]
            kind = _DOMAIN_KIND.get(fname)
            if kind is not None and len(args) >= 1 and not self.raw:
                self.domain.append((kind, args[0]))
                if fname == "log" and len(args) == 2:
                    self.domain.append(("log", args[1]))
            if fname == "gamma" and args and args[0].is_Rational and abs(args[0]) > 1000:
                # sympy would evaluate gamma(n) as an exact factorial (gamma(10**9): hours)
                self.fail(node, "gamma of a constant larger than 1000 is not supported")
            out = self.call(fname, args) if self.raw else FUNCTIONS[fname](*args)
            if not self.raw and out.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
                self.fail(node, f"{fname} of these arguments is not a finite real number")
            return out
        if isinstance(node, ast.Compare):
            self.fail(node, "a comparison is only allowed at the top level (or in a Piecewise condition)")
        self.fail(node, f"unsupported syntax {type(node).__name__}")

    def _checked_mul(self, node, a, b):
        if a.is_Number and b.is_Number:
            bits = _bits(a) + _bits(b)
            if bits > MAX_LITERAL_BITS:
                self.fail(node, "constant too large")
        return a * b

    def _size_of_power(self, node, a, b):
        """Refuse constants whose exact value would be huge (e.g. ((2**10000)**10000)**10000)."""
        if a.is_Number and b.is_Integer and a != 0 and abs(a) != 1:
            if _bits(a) * abs(int(b)) > MAX_LITERAL_BITS:
                self.fail(node, f"the constant {sp.sstr(a)[:20]}**{b} is too large to compute exactly")

    def condition(self, node, depth):
        d = depth + 1
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return sp.true if node.value else sp.false
        if isinstance(node, ast.Compare):
            left = self.expr(node.left, d)
            parts = []
            for op, right in zip(node.ops, node.comparators):
                r = self.expr(right, d)
                sym = _CMP_OPS.get(type(op))
                if sym is None:
                    self.fail(node, "unsupported comparison")
                parts.append(sp.Rel(left, r, sym, evaluate=False) if self.raw else sp.Rel(left, r, sym))
                left = r
            return sp.And(*parts, evaluate=not self.raw) if len(parts) > 1 else parts[0]
        if isinstance(node, ast.BoolOp):
            vals = [self.condition(v, d) for v in node.values]
            f = sp.And if isinstance(node.op, ast.And) else sp.Or
            return f(*vals, evaluate=not self.raw)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return sp.Not(self.condition(node.operand, d), evaluate=not self.raw)
        self.fail(node, "a Piecewise condition must be a comparison, and/or/not, or True")

    def piecewise(self, node, depth):
        pairs = []
        for arg in node.args:
            if not (isinstance(arg, ast.Tuple) and len(arg.elts) == 2):
                self.fail(arg, "Piecewise arguments must be pairs (value, condition)")
            pairs.append((self.expr(arg.elts[0], depth), self.condition(arg.elts[1], depth)))
        if not pairs:
            self.fail(node, "Piecewise needs at least one (value, condition) pair")
        if self.raw:
            return sp.Piecewise(*pairs, evaluate=False)
        return sp.Piecewise(*pairs)


def _bits(q) -> int:
    """Binary size of an exact sympy number (numerator + denominator bits; 64 otherwise)."""
    if q.is_Rational:
        return int(q.p).bit_length() + int(q.q).bit_length()
    return 64


def _tree(text: str) -> ast.Expression:
    if not isinstance(text, str):
        raise ExpressionError(f"expected expression text, got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise ExpressionError(f"expression longer than {MAX_TEXT} characters")
    if not text.strip():
        raise ExpressionError("empty expression")
    if "\n" in text.strip() or ";" in text:
        raise ExpressionError("expression must be a single line without ';'")
    try:
        return ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse {text.strip()!r}: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionError(f"cannot parse {text.strip()!r}: {exc}") from None


def _guard(fn):
    try:
        return fn()
    except ExpressionError:
        raise
    except RecursionError:
        raise ExpressionError("expression nested too deeply") from None
    except (TypeError, ValueError, ZeroDivisionError, AttributeError, OverflowError) as exc:
        raise ExpressionError(f"cannot build the expression: {exc}") from None
    except MemoryError:
        raise ExpressionError("expression too large to build") from None


def _require_domain_kept(p: "_Parser", out, text: str) -> None:
    require_domain_kept(p.domain, out, text.strip())


def parse(text: str, variables: Iterable[str] | None = None, raw: bool = False) -> sp.Expr:
    """Parse ``text`` into a sympy expression (symbols are real).  With ``variables`` given,
    every other name is an error.  ``raw=True`` returns the tree exactly as typed (sympy's
    automatic evaluation off): the form on which definedness is decided."""
    tree = _tree(text)
    p = _Parser(text.strip(), variables, raw=raw)
    out = _guard(lambda: p.expr(tree))
    if raw:
        return out
    if not isinstance(out, sp.Expr):
        raise ExpressionError(f"{text.strip()!r} is not a real-valued expression")
    _require_domain_kept(p, out, text)
    if out.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
        raise ExpressionError(f"{text.strip()!r} is not a finite real expression")
    return out


def parse_relation(text: str, variables: Iterable[str] | None = None, raw: bool = False
                   ) -> tuple[sp.Expr, str, sp.Expr]:
    """Parse ``"EXPR OP EXPR"`` (OP one of >=, >, <=, <) into (lhs, op, rhs).  ``raw=True``:
    both sides exactly as typed (see :func:`parse`)."""
    tree = _tree(text)
    body = tree.body
    if not isinstance(body, ast.Compare):
        raise ExpressionError(f"expected 'EXPR OP EXPR' with OP one of {', '.join(RELATIONS)}, got {text.strip()!r}")
    if len(body.ops) != 1:
        raise ExpressionError("chained comparisons are not supported; state one relation")
    op = _CMP_OPS.get(type(body.ops[0]))
    if op not in RELATIONS:
        raise ExpressionError(f"relation {op or type(body.ops[0]).__name__!r} not supported (use one of {', '.join(RELATIONS)})")
    p = _Parser(text.strip(), variables, raw=raw)
    lhs = _guard(lambda: p.expr(body.left))
    rhs = _guard(lambda: p.expr(body.comparators[0]))
    if raw:
        return lhs, op, rhs
    for side in (lhs, rhs):
        if not isinstance(side, sp.Expr) or side.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
            raise ExpressionError(f"{text.strip()!r}: both sides must be finite real expressions")
    _require_domain_kept(p, sp.Tuple(lhs, rhs), text)
    return lhs, op, rhs


def domain_atoms(expr: sp.Expr) -> list[tuple[str, sp.Expr]]:
    """The domain restrictions a built expression carries: (kind, argument) pairs."""
    out: list[tuple[str, sp.Expr]] = []
    for a in sp.preorder_traversal(expr):
        if isinstance(a, sp.Pow) and not (a.exp.is_integer and a.exp.is_nonnegative):
            out.append(("nonzero" if a.exp.is_integer else "power-base", a.base))
        elif isinstance(a, sp.log):
            out.append(("log", a.args[0]))
        elif isinstance(a, (sp.asin, sp.acos)):
            out.append(("unit", a.args[0]))
    return out


def require_domain_kept(atoms, out: sp.Expr, text: str) -> None:
    """ExpressionError if ``out`` (e.g. lhs - rhs after cancellation) lost one of ``atoms``."""
    for kind, a in atoms:
        if not _domain_kept(kind, a, out):
            what = {"sqrt": f"{a} >= 0", "power-base": f"{a} >= 0", "log": f"{a} > 0",
                    "unit": f"-1 <= {a} <= 1", "nonzero": f"{a} != 0"}[kind]
            shown = " and ".join(sp.sstr(t) for t in out) if isinstance(out, sp.Tuple) else sp.sstr(out)
            raise ExpressionError(
                f"sympy reduces {text!r} to {shown!r}, dropping the condition {what} under which the typed "
                "claim is defined; state the reduced form, with the condition built into the box")


# --------------------------------------------------------------------------- compilation

def symbols_of(expr) -> dict[str, sp.Symbol]:
    return {s.name: s for s in expr.free_symbols}


def to_symbol_map(expr, variables: Sequence) -> list[str]:
    names = [v.name if isinstance(v, sp.Symbol) else str(v) for v in variables]
    if len(set(names)) != len(names):
        raise ExpressionError(f"repeated variable names in {names}")
    missing = sorted(set(symbols_of(expr)) - set(names))
    if missing:
        raise ExpressionError(f"expression uses variable(s) {', '.join(missing)} with no value/box given")
    return names


_NONSMOOTH = (sp.Abs, sp.Max, sp.Min, sp.Piecewise, sp.sign, sp.Heaviside, sp.floor, sp.ceiling,
              sp.DiracDelta)


def is_smooth(expr) -> bool:
    """True if expr has no kinks/jumps by construction (derivative-based rungs apply)."""
    return not any(expr.has(f) for f in _NONSMOOTH)


def _nan() -> arb:
    return arb.nan()


def _ipow(x: arb, n: int) -> arb:
    """Tight enclosure of {t**n : t in x} for an integer n (endpoint based)."""
    if n == 0:
        return arb(1)
    if n < 0:
        y = _ipow(x, -n)
        if not (y > 0 or y < 0):
            return _nan()
        return 1 / y
    if n == 1:
        return x
    if not (x.is_finite() and not x.is_nan()):
        return _nan()
    if x.is_exact():
        if x >= 0:
            return x ** fmpz(n)
        r = (-x) ** fmpz(n)
        return r if n % 2 == 0 else -r
    lo, hi = x.lower(), x.upper()
    plo, phi = _ipow(lo, n), _ipow(hi, n)
    if n % 2 == 1 or x >= 0 or x <= 0:
        return plo.union(phi)
    return arb(0).union(plo).union(phi).nonnegative_part()


def _sqrt(x: arb) -> arb:
    if x >= 0:
        return x.sqrt()
    return _nan()


def _log(x: arb) -> arb:
    if x > 0:
        return x.log()
    return _nan()


def _rpow(x: arb, e: arb, positive_exponent: bool) -> arb:
    """x**e for a non-integer constant e: needs x > 0 (or x >= 0 when e > 0)."""
    if x > 0:
        return (e * x.log()).exp()
    if positive_exponent and x >= 0:
        hi = x.upper()
        top = (e * hi.log()).exp() if hi > 0 else arb(0)
        lo = x.lower()
        bottom = (e * lo.log()).exp() if lo > 0 else arb(0)
        return bottom.union(top).nonnegative_part()
    return _nan()


def _gpow(x: arb, e: arb) -> arb:
    if x > 0:
        return (e * x.log()).exp()
    return _nan()


_UNIT = arb(0, 1)  # exactly [-1, 1]


def _clip(y: arb, box: arb) -> arb:
    """Intersect an enclosure with a known range (sound; tightens Arb's wide-ball results)."""
    if y.is_finite() and not y.is_nan() and y.overlaps(box):
        return y.intersection(box)
    return y


def _sin(x):
    return _clip(x.sin(), _UNIT)


def _cos(x):
    return _clip(x.cos(), _UNIT)


def _erf(x):
    return _clip(x.erf(), _UNIT)


def _erfc(x):
    return _clip(x.erfc(), arb(1, 1))


def _gamma(x: arb) -> arb:
    return x.gamma()


def _asin(x):
    return x.asin()


def _acos(x):
    return x.acos()


def _ends_ball(lo: arb, hi: arb) -> arb:
    """Ball for [lo, hi] (exact arb endpoints, lo <= hi); a zero bound is kept exact."""
    x = lo.union(hi)
    if lo >= 0 and not (x >= 0):
        x = x.nonnegative_part()
    elif hi <= 0 and not (x <= 0):
        x = -((-x).nonnegative_part())
    return x


def _max2(a: arb, b: arb) -> arb:
    if not (a.is_finite() and b.is_finite()) or a.is_nan() or b.is_nan():
        return _nan()
    if a >= b:
        return a
    if b >= a:
        return b
    al, bl, au, bu = a.lower(), b.lower(), a.upper(), b.upper()
    lo = al if al >= bl else bl   # exact points: comparisons are exact
    hi = au if au >= bu else bu
    return _ends_ball(lo, hi)


def _min2(a: arb, b: arb) -> arb:
    return -_max2(-a, -b)


def _max(*xs):
    out = xs[0]
    for x in xs[1:]:
        out = _max2(out, x)
    return out


def _min(*xs):
    out = xs[0]
    for x in xs[1:]:
        out = _min2(out, x)
    return out


def _cmp(a, op, b) -> Tri:
    if op == "!=":
        return ~compare3(a, "==", b)
    return compare3(a, op, b)


def _and(*ts):
    out = Tri.TRUE
    for t in ts:
        out = out & t
    return out


def _or(*ts):
    out = Tri.FALSE
    for t in ts:
        out = out | t
    return out


def _piecewise(branches) -> arb:
    """branches: list of (condition Tri, value thunk) in order; first true condition wins."""
    acc = None
    for cond, thunk in branches:
        if cond is Tri.FALSE:
            continue
        v = thunk()
        if not (v.is_finite() and not v.is_nan()):
            return _nan()
        acc = v if acc is None else acc.union(v)
        if cond is Tri.TRUE:
            return acc
    return _nan()  # some point may satisfy no condition: undefined there


_FUNC_CODE = {
    sp.exp: "_exp", sp.log: "_log", sp.sin: "_sin", sp.cos: "_cos", sp.tan: "_tan",
    sp.atan: "_atan", sp.asin: "_asin", sp.acos: "_acos", sp.erf: "_erf", sp.erfc: "_erfc",
    sp.gamma: "_gamma", sp.Abs: "_abs",
}

_ENV = {
    "arb": arb, "fmpq": fmpq, "_ipow": _ipow, "_sqrt": _sqrt, "_log": _log, "_rpow": _rpow,
    "_gpow": _gpow, "_exp": arb.exp, "_sin": _sin, "_cos": _cos, "_tan": arb.tan,
    "_atan": arb.atan, "_asin": _asin, "_acos": _acos, "_erf": _erf, "_erfc": _erfc,
    "_gamma": _gamma, "_abs": absval, "_max": _max, "_min": _min, "_cmp": _cmp, "_and": _and,
    "_or": _or, "_pw": _piecewise, "_T": Tri.TRUE, "_F": Tri.FALSE,
}


class _CodeGen:
    def __init__(self, names: list[str]):
        self.names = names
        self.index = {n: i for i, n in enumerate(names)}
        self.lines: list[str] = []
        self.const_lines: list[str] = []
        self.memo: dict = {}
        self.cmemo: dict = {}
        self.n = 0

    def tmp(self, prefix="t"):
        self.n += 1
        return f"_{prefix}{self.n}"

    # constants (no free symbols) go to a per-precision table
    def const(self, e) -> str:
        if e in self.cmemo:
            return self.cmemo[e]
        code = self.const_code(e)
        name = self.tmp("k")
        self.const_lines.append(f"{name} = {code}")
        self.cmemo[e] = name
        return name

    def const_code(self, e) -> str:
        if e.is_Integer:
            return f"arb({int(e)})"
        if e.is_Rational:
            return f"arb(fmpq({int(e.p)}, {int(e.q)}))"
        if e is sp.pi:
            return "arb.pi()"
        if e is sp.E:
            return "arb.const_e()"
        if e.is_Float:
            raise ExpressionError(f"inexact float constant {e} (use exact rationals)")
        return self.node(e, const=True)

    def sub(self, e, const):
        if not e.free_symbols and not isinstance(e, (sp.logic.boolalg.Boolean,)):
            return self.const(e)
        return self.visit(e, const)

    def visit(self, e, const=False):
        if e in self.memo:
            return self.memo[e]
        if e.is_Symbol:
            if e.name not in self.index:
                raise ExpressionError(f"unknown variable {e.name!r}")
            name = f"_x[{self.index[e.name]}]"
            self.memo[e] = name
            return name
        code = self.node(e, const)
        name = self.tmp()
        self.lines.append(f"{name} = {code}")
        self.memo[e] = name
        return name

    def node(self, e, const=False) -> str:
        s = lambda a: self.sub(a, const)  # noqa: E731
        if e.is_Add:
            return " + ".join(f"({s(a)})" for a in e.args)
        if e.is_Mul:
            if e.args[0] == -1:  # exact negation (a product with the ball -1 may round the radius up)
                return f"-({s(sp.Mul(*e.args[1:]))})"
            num, den = [], []
            for a in e.args:
                if a.is_Pow and a.exp.is_Integer and a.exp < 0:
                    den.append(a.base ** (-a.exp))
                else:
                    num.append(a)
            ntxt = " * ".join(f"({s(a)})" for a in num) if num else "arb(1)"
            if den:
                dtxt = " * ".join(f"({s(a)})" for a in den)
                return f"({ntxt}) / ({dtxt})"
            return ntxt
        if e.is_Pow:
            b, x = e.base, e.exp
            if x.is_Integer:
                if abs(int(x)) > MAX_EXPONENT:
                    raise ExpressionError(f"exponent {x} too large")
                return f"_ipow({s(b)}, {int(x)})"
            if x == sp.S.Half:
                return f"_sqrt({s(b)})"
            if x.is_Rational and x.q == 2:
                return f"_ipow(_sqrt({s(b)}), {int(x.p)})"
            if not x.free_symbols:
                if b is sp.E:
                    return f"_exp({s(x)})"
                pos = bool(x.is_positive)
                return f"_rpow({s(b)}, {s(x)}, {pos})"
            if b is sp.E:
                return f"_exp({s(x)})"
            return f"_gpow({s(b)}, {s(x)})"
        if isinstance(e, sp.Max):
            return f"_max({', '.join(s(a) for a in e.args)})"
        if isinstance(e, sp.Min):
            return f"_min({', '.join(s(a) for a in e.args)})"
        if isinstance(e, sp.Piecewise):
            parts = []
            for val, cond in e.args:
                parts.append(f"({self.cond(cond, const)}, lambda: {s(val)})")
            # values must be computed lazily: emit them inline via lambdas over temporaries
            return f"_pw([{', '.join(parts)}])"
        f = e.func
        if f in _FUNC_CODE:
            if len(e.args) != 1:
                raise ExpressionError(f"{f.__name__} with {len(e.args)} arguments is not supported")
            return f"{_FUNC_CODE[f]}({s(e.args[0])})"
        if e.is_Number or e.is_NumberSymbol:
            return self.const_code(e)
        raise ExpressionError(f"unsupported function or construct {f.__name__!r} in {e}")

    def cond(self, c, const) -> str:
        if c is sp.true:
            return "_T"
        if c is sp.false:
            return "_F"
        if isinstance(c, sp.core.relational.Relational):
            op = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "!=": "!="}[c.rel_op]
            return f"_cmp({self.sub(c.lhs, const)}, '{op}', {self.sub(c.rhs, const)})"
        if isinstance(c, sp.And):
            return f"_and({', '.join(self.cond(a, const) for a in c.args)})"
        if isinstance(c, sp.Or):
            return f"_or({', '.join(self.cond(a, const) for a in c.args)})"
        if isinstance(c, sp.Not):
            return f"~({self.cond(c.args[0], const)})"
        raise ExpressionError(f"unsupported Piecewise condition {c}")


def compile_arb(expr, variables: Sequence) -> Callable[[Sequence[arb]], arb]:
    """Compile ``expr`` to ``F(balls) -> arb`` enclosing {expr(x) : x in the box of balls}.

    The result is NaN (not finite) where a domain condition cannot be certified on the box
    (sqrt/log of a ball reaching below/at 0, division by a ball containing 0, ...).
    Constants are recomputed at each working precision (cached per precision)."""
    if isinstance(expr, str):
        raise ExpressionError("compile_arb takes a sympy expression; use parse() on text first")
    expr = sp.sympify(expr)
    names = to_symbol_map(expr, variables)
    gen = _CodeGen(names)
    out = _guard(lambda: gen.sub(expr, False))
    # Piecewise lambdas refer to temporaries computed before them: fine (eager temps), but branch
    # values that are themselves temporaries are evaluated eagerly; a NaN there only matters if used.
    src = ["def _consts():"]
    src += [f"    {ln}" for ln in gen.const_lines]
    ks = [ln.split(" = ")[0] for ln in gen.const_lines]
    src.append(f"    return ({', '.join(ks)}{',' if len(ks) == 1 else ''})")
    src.append("def _f(_x, _c):")
    if ks:
        src.append(f"    {', '.join(ks)}{',' if len(ks) == 1 else ''} = _c")
    src += [f"    {ln}" for ln in gen.lines]
    src.append(f"    return {out}")
    env = dict(_ENV)
    exec(compile("\n".join(src), "<prunecert-expr>", "exec"), env)  # generated code, not user text
    fconsts, fmain = env["_consts"], env["_f"]
    cache: dict[int, tuple] = {}
    nvars = len(names)

    def F(xs: Sequence[arb]) -> arb:
        if len(xs) != nvars:
            raise ValueError(f"expected {nvars} balls, got {len(xs)}")
        p = ctx.prec
        c = cache.get(p)
        if c is None:
            c = cache[p] = fconsts()
        try:
            r = fmain(xs, c)
        except (ZeroDivisionError, ValueError, OverflowError):
            return _nan()
        if not isinstance(r, arb):
            r = arb(r)
        return r

    F.source = "\n".join(src)
    F.variables = tuple(names)
    F.expr = expr
    return F


def compile_float(expr, variables: Sequence) -> Callable:
    """A fast float evaluator (numpy/scipy) for *searching* only, never for deciding."""
    names = to_symbol_map(expr, variables)
    syms = [sp.Symbol(n, real=True) for n in names]
    sub = {s: sp.Symbol(s.name, real=True) for s in expr.free_symbols}
    e = expr.xreplace(sub)
    f = sp.lambdify(syms, e, modules=["scipy", "numpy"])
    return f
