"""Certified sup-norm error of a (pruned) network against relu(<w, x>) over the unit ball.

``sup_error(net)`` returns an enclosure ``lo <= sup_{x in B^d} |g(x) - relu(<w, x>)| <= hi``
with ``hi - lo <= tol``.  Every function involved is positively 1-homogeneous, so the sup over
the ball is the sup over the sphere.

* d = 1: the sphere is {-1, +1}; exact.
* d = 2 (``exact-sectors``): all arithmetic is exact (Fractions).  The kink directions of every
  unit (the two unit directions orthogonal to u_i), of the target, and the four axis directions
  are sorted by angle *exactly* (half-plane + cross-product comparison on rational vectors).
  On the cone between consecutive directions p, q (angle <= pi/2) the set of active units is
  fixed (decided at the interior rational direction p + q), so the inner sum is a linear form
  <c, x>; for Model B the cone is split once more at the rational direction where <c, x> = 0.
  On each resulting cone the error is |<e, x>| for an exact rational vector e, whose sup over
  the unit vectors of the cone is ||e|| if +-e lies in the cone, else the larger endpoint
  value |<e, p>| / ||p||.  All these squares are rationals: the sup error is sqrt(R) for an
  exact rational R.  hi is an upper rational bound of sqrt(R); lo is the error evaluated
  exactly at a rational point of the ball next to the maximiser.
* d >= 3 (``interval-bnb-faces``): branch and bound over the faces of the cube
  [-1, 1]^d (x = y / ||y||, |g - f|(x) = |g - f|(y) / ||y|| by homogeneity), vectorised in numpy
  with a rigorous floating-point error allowance (see ``_slack_factor``), a mean-value form on the
  part that is linear on a box, and box splitting at 0 first so that coordinate kinks
  (weight-pruned units that keep one input) fall on box edges.  lo is an exact rational
  evaluation at a point of the ball.  Raises BudgetExceeded if it runs out of time/boxes.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cmp_to_key

import numpy as np

from prunecert.checks.errors import BudgetExceeded, InputError
from prunecert.checks.instances.network import Network
from prunecert.checks.rigorous.numbers import fraction_to_decimal, to_fraction

__all__ = ["SupError", "sup_error", "sqrt_bounds"]


@dataclass
class SupError:
    lo: Fraction
    hi: Fraction
    argmax: list[Fraction]
    method: str
    exact: bool
    seconds: float = 0.0
    boxes: int = 0
    sup_squared: Fraction | None = None   # d <= 2: the exact rational R with sup = sqrt(R)
    info: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {
            "lo": fraction_to_decimal(self.lo, 12, "down"),
            "hi": fraction_to_decimal(self.hi, 12, "up"),
            "argmax": [fraction_to_decimal(t, 12) for t in self.argmax],
            "method": self.method,
            "exact": self.exact,
            "seconds": round(self.seconds, 6),
        }
        if self.boxes:
            out["boxes"] = self.boxes
        if self.sup_squared is not None:
            out["sup_squared"] = str(self.sup_squared)
        return out


# ---------------------------------------------------------------------------- exact helpers
def sqrt_bounds(q: Fraction, width: Fraction) -> tuple[Fraction, Fraction]:
    """Rationals lo <= sqrt(q) <= hi with hi - lo <= width (q >= 0 exact)."""
    q = Fraction(q)
    if q < 0:
        raise ValueError("sqrt of a negative number")
    if q == 0:
        return Fraction(0), Fraction(0)
    num, den = q.numerator, q.denominator
    k = 0
    while Fraction(1, den * 2**k) > width:
        k += 1
    m = num * den * 4**k
    s = math.isqrt(m)
    scale = den * 2**k
    if s * s == m:
        return Fraction(s, scale), Fraction(s, scale)
    return Fraction(s, scale), Fraction(s + 1, scale)


def _cross(p, q) -> Fraction:
    return p[0] * q[1] - p[1] * q[0]


def _dot(p, q) -> Fraction:
    return p[0] * q[0] + p[1] * q[1]


def _primitive(p) -> tuple[int, int]:
    """Positive multiple of a nonzero rational direction with coprime integer entries."""
    a, b = Fraction(p[0]), Fraction(p[1])
    lcm = a.denominator * b.denominator // math.gcd(a.denominator, b.denominator)
    x, y = int(a * lcm), int(b * lcm)
    g = math.gcd(x, y)
    return x // g, y // g


def _angle_cmp(p, q) -> int:
    hp = 0 if (p[1] > 0 or (p[1] == 0 and p[0] > 0)) else 1
    hq = 0 if (q[1] > 0 or (q[1] == 0 and q[0] > 0)) else 1
    if hp != hq:
        return -1 if hp < hq else 1
    c = _cross(p, q)
    return -1 if c > 0 else (1 if c < 0 else 0)


def _in_cone(e, p, q) -> bool:
    """Is the direction e in the closed cone from p counterclockwise to q (angle < pi)?"""
    return _cross(p, e) >= 0 and _cross(e, q) >= 0


def _sup_sq_2d(net: Network):
    """Exact sup^2 of the error over the unit circle and a maximising direction."""
    units = [(row, vi) for row, vi in zip(net.u, net.v) if vi != 0 and (row[0] != 0 or row[1] != 0)]
    w = net.w
    dirs = {(1, 0), (0, 1), (-1, 0), (0, -1)}
    for row, _ in units:
        k = _primitive((-row[1], row[0]))
        dirs.add(k)
        dirs.add((-k[0], -k[1]))
    if w[0] != 0 or w[1] != 0:
        k = _primitive((-w[1], w[0]))
        dirs.add(k)
        dirs.add((-k[0], -k[1]))
    order = sorted(dirs, key=cmp_to_key(_angle_cmp))
    best = (Fraction(-1), None)

    def consider(e, p, q):
        nonlocal best
        cands = [(_dot(e, p) ** 2 / _dot(p, p), p), (_dot(e, q) ** 2 / _dot(q, q), q)]
        if e[0] != 0 or e[1] != 0:
            if _in_cone(e, p, q):
                cands.append((_dot(e, e), e))
            elif _in_cone((-e[0], -e[1]), p, q):
                cands.append((_dot(e, e), (-e[0], -e[1])))
        for val, x in cands:
            if val > best[0]:
                best = (val, x)

    m = len(order)
    for k in range(m):
        p, q = order[k], order[(k + 1) % m]
        mid = (p[0] + q[0], p[1] + q[1])
        c0 = c1 = Fraction(0)
        for row, vi in units:
            if row[0] * mid[0] + row[1] * mid[1] > 0:
                c0 += vi * row[0]
                c1 += vi * row[1]
        t = (w[0], w[1]) if w[0] * mid[0] + w[1] * mid[1] > 0 else (Fraction(0), Fraction(0))
        if net.model == "A":
            consider((c0 - t[0], c1 - t[1]), p, q)
            continue
        pieces = [(p, q)]
        if c0 != 0 or c1 != 0:
            for z in ((-c1, c0), (c1, -c0)):
                if _cross(p, z) > 0 and _cross(z, q) > 0:
                    pieces = [(p, z), (z, q)]
                    break
        for a, b in pieces:
            mm = (a[0] + b[0], a[1] + b[1])
            if c0 * mm[0] + c1 * mm[1] > 0:
                consider((c0 - t[0], c1 - t[1]), a, b)
            else:
                consider((-t[0], -t[1]), a, b)
    return best


def _point_for(direction, tol: Fraction) -> list[Fraction]:
    dd = sum(Fraction(t) ** 2 for t in direction)
    if dd == 0:
        return [Fraction(0)] * len(direction)
    nlo, _ = sqrt_bounds(dd, dd / 4 if dd < 1 else Fraction(1, 4))
    # r - ||dir|| <= tol' makes the relative error <= tol' / ||dir||
    _, r = sqrt_bounds(dd, tol * max(nlo, Fraction(1, 10**30)) / 8)
    return [Fraction(t) / r for t in direction]


def _exact_low_dim(net: Network, tol: Fraction) -> SupError:
    t0 = time.perf_counter()
    if net.d == 1:
        vals = [(net.error_exact([Fraction(s)]), [Fraction(s)]) for s in (1, -1)]
        val, x = max(vals, key=lambda t: t[0])
        return SupError(val, val, x, "exact-points-1d", True, time.perf_counter() - t0,
                        sup_squared=val * val)
    R, direction = _sup_sq_2d(net)
    if R == 0:
        return SupError(Fraction(0), Fraction(0), [Fraction(0), Fraction(0)], "exact-sectors-2d", True,
                        time.perf_counter() - t0, sup_squared=Fraction(0))
    # The error is Lipschitz with constant <= L = sum |v_i| ||u_i||_1 + ||w||_1 on the ball, so a
    # point within relative distance tol / (4 L) of the maximiser loses at most tol / 4: start
    # there (a tolerance relative to the network's scale, not an absolute one), then refine.
    L = sum(abs(vi) * sum(abs(c) for c in row) for row, vi in zip(net.u, net.v)) + sum(abs(c) for c in net.w)
    cur = tol / max(Fraction(1), L)
    for _ in range(200):
        _, hi = sqrt_bounds(R, cur / 4)
        x = _point_for(direction, cur / 4)
        lo = net.error_exact(x)
        if hi - lo <= tol:
            return SupError(lo, hi, x, "exact-sectors-2d", True, time.perf_counter() - t0, sup_squared=R)
        cur /= 16
    raise AssertionError("exact d = 2 enclosure did not tighten")  # pragma: no cover


# ---------------------------------------------------------------------------- d >= 3 branch and bound
_U = 2.0 ** -53


def _slack_factor(n: int, d: int) -> float:
    """Allowance for floating-point rounding, relative to the scale S = sum|v_i| ||u_i||_1 + ||w||_1.

    Every quantity below is a sum of at most n + d + 10 products of floats of magnitude <= S
    (face points have |y_j| <= 1 and ||y|| >= 1), each with relative error <= u = 2^-53 from
    the conversion of the exact rational weights and at most ~10 further roundings per term;
    by the standard bound |fl(sum) - sum| <= gamma_k sum |terms| (Higham, Thm 3.1/3.4) the
    total error is below (n + d + 30) * 20 u * S.  We allow 2^10 times more."""
    return 1024.0 * 20.0 * (n + d + 30) * _U


def _imul(alo, ahi, blo, bhi):
    """Interval product (float endpoints; rounding covered by the global allowance)."""
    p = np.stack(np.broadcast_arrays(alo * blo, alo * bhi, ahi * blo, ahi * bhi))
    return p.min(axis=0), p.max(axis=0)


def _lin_range(lo, hi, c, r, a, Rlo, Rhi):
    """Enclosure of (<a, y> + R) / ||y|| on boxes [lo, hi] (R in [Rlo, Rhi]); float endpoints,
    rounding covered by the global allowance added by the caller."""
    # norms
    minsq = np.where((lo <= 0) & (hi >= 0), 0.0, np.minimum(lo * lo, hi * hi))
    maxsq = np.maximum(lo * lo, hi * hi)
    nlo = np.sqrt(minsq.sum(axis=1))
    nhi = np.sqrt(maxsq.sum(axis=1))
    ncen = np.sqrt((c * c).sum(axis=1))
    # linear part L = <a, y>: naive and mean-value enclosures of L / ||y||
    Lc = (a * c).sum(axis=1)
    Lr = (np.abs(a) * r).sum(axis=1)
    L1, L2 = Lc - Lr, Lc + Lr
    up_naive = np.where(L2 >= 0, L2 / nlo, L2 / nhi)
    lo_naive = np.where(L1 <= 0, L1 / nlo, L1 / nhi)
    # d/dy_j (L/||y||) = a_j/||y|| - L y_j / ||y||^3
    # interval of each partial derivative (endpoints kept, so terms cancel near a maximum)
    i1lo, i1hi = 1.0 / nhi, 1.0 / nlo
    i3lo, i3hi = i1lo**3, i1hi**3
    A1lo = np.where(a >= 0, a * i1lo[:, None], a * i1hi[:, None])
    A1hi = np.where(a >= 0, a * i1hi[:, None], a * i1lo[:, None])
    Plo, Phi = _imul(L1[:, None], L2[:, None], lo, hi)          # L * y_j
    Plo, Phi = _imul(Plo, Phi, i3lo[:, None], i3hi[:, None])    # * 1/||y||^3
    Dlo, Dhi = A1lo - Phi, A1hi - Plo
    Dj = np.maximum(np.abs(Dlo), np.abs(Dhi))
    GLc = Lc / ncen
    spread = (Dj * r).sum(axis=1)
    up_mv, lo_mv = GLc + spread, GLc - spread
    GL_hi = np.minimum(up_naive, up_mv)
    GL_lo = np.maximum(lo_naive, lo_mv)
    Rn_lo = np.where(Rlo < 0, Rlo / nlo, Rlo / nhi)
    Rn_hi = np.where(Rhi > 0, Rhi / nlo, Rhi / nhi)
    return GL_lo + Rn_lo, GL_hi + Rn_hi


def _lin_ub(lo, hi, c, r, a, Rlo, Rhi):
    G_lo, G_hi = _lin_range(lo, hi, c, r, a, Rlo, Rhi)
    return np.maximum(np.abs(G_lo), np.abs(G_hi))


_FLOAT_SAFE_LO, _FLOAT_SAFE_HI = Fraction(1, 2**300), Fraction(2**300)


def _require_float_safe(net: Network, keep) -> None:
    """The rounding allowance of the d >= 3 engine assumes every nonzero weight converts to a
    *normal* float with relative error <= 2^-53 and that products of a few of them neither
    underflow nor overflow.  Weights of magnitude outside [2^-300, 2^300] break that (a weight
    1e-400 becomes 0.0), so such networks are refused rather than certified wrongly."""
    entries = [net.v[i] for i in keep] + [x for i in keep for x in net.u[i]] + list(net.w)
    for q in entries:
        if q != 0 and not (_FLOAT_SAFE_LO <= abs(q) <= _FLOAT_SAFE_HI):
            raise BudgetExceeded(
                "the d >= 3 sup-error engine works in floating point with a proven rounding allowance; "
                f"it needs every nonzero weight in [2^-300, 2^300] in magnitude, got {float(abs(q)):.3g}")


_NEGLIGIBLE = Fraction(1, 2**300)


def _pow2_near(q: Fraction) -> Fraction:
    """A power of two within a factor 2 of q > 0 (exact)."""
    k = q.numerator.bit_length() - q.denominator.bit_length()
    return Fraction(2) ** k


def _normalise(net: Network):
    """An exactly equivalent, float-friendly form of ``net`` for the d >= 3 engine.

    Returns (net2, lam, allowance) with sup|g - f|(net) in [lam (S2 - allowance), lam (S2 + allowance)]
    where S2 is the sup error of net2 (lam a power of two, so scaling back is exact):

    * each unit is rescaled exactly, (u_i, v_i) -> (u_i / m_i, v_i m_i) with m_i = max_j |u_ij|
      (relu is positively homogeneous, the unit's function is unchanged), so positively parallel
      units get equal rows and are merged exactly (their v's add); in Model A the target is the
      unit (w, -1) and is merged too;
    * the whole problem is divided by lam ~ max(|v_i|, ||w||_1) (g and f both scale by 1/lam);
    * entries below 2^-300 (relative to that scale) are set to 0: a unit weight change delta moves
      the unit by <= |v_i| |delta| on the ball, a dropped unit by <= |v_i| ||u_i||_1, a target
      entry by <= |w_j|; relu is 1-Lipschitz, so the sum of these is the allowance."""
    merged: dict[tuple, Fraction] = {}
    pairs = list(zip(net.u, net.v))
    wt = net.w
    if net.model == "A" and any(wt):
        # Model A: g - f is one more unit (w, -1); merged with the units, it cancels exactly a unit
        # that reproduces it (the target of net2 is then 0)
        pairs.append((wt, Fraction(-1)))
        wt = tuple(Fraction(0) for _ in wt)
    for row, vi in pairs:
        m = max((abs(c) for c in row), default=Fraction(0))
        if vi == 0 or m == 0:
            continue
        key = tuple(c / m for c in row)
        merged[key] = merged.get(key, Fraction(0)) + vi * m
    units = [(k, vv) for k, vv in merged.items() if vv != 0]
    w1 = sum(abs(c) for c in wt)
    top = max([abs(vv) for _, vv in units] + [w1])
    if top == 0:
        return Network(net.model, wt, (), ()), Fraction(1), Fraction(0)
    lam = _pow2_near(top) * 2                      # >= top, so ||w / lam||_2 <= ||w||_1 / lam <= 1
    allowance = Fraction(0)
    u2, v2 = [], []
    for row, vv in units:
        vs = vv / lam
        if abs(vs) < _NEGLIGIBLE:
            allowance += abs(vs) * sum(abs(c) for c in row)
            continue
        r2 = []
        for c in row:
            if c != 0 and abs(c) < _NEGLIGIBLE:
                allowance += abs(vs) * abs(c)
                r2.append(Fraction(0))
            else:
                r2.append(c)
        u2.append(tuple(r2))
        v2.append(vs)
    w2 = []
    for c in wt:
        cs = c / lam
        if cs != 0 and abs(cs) < _NEGLIGIBLE:
            allowance += abs(cs)
            w2.append(Fraction(0))
        else:
            w2.append(cs)
    return Network(net.model, tuple(w2), tuple(u2), tuple(v2)), lam, allowance


def _bnb(net: Network, tol: Fraction, timeout: float, max_boxes: int, decide_at: float | None = None) -> SupError:
    t0 = time.perf_counter()
    d = net.d
    keep = [i for i in range(net.n) if net.v[i] != 0 and any(x != 0 for x in net.u[i])]
    _require_float_safe(net, keep)
    U = np.array([[float(x) for x in net.u[i]] for i in keep], dtype=float).reshape(len(keep), d)
    v = np.array([float(net.v[i]) for i in keep], dtype=float)
    w = np.array([float(x) for x in net.w], dtype=float)
    modelA = net.model == "A"
    if modelA:  # the target is one more unit with output weight -1
        U = np.vstack([U, w[None, :]])
        v = np.append(v, -1.0)
    n = len(v)
    S = float(np.sum(np.abs(v) * np.abs(U).sum(axis=1)) + np.abs(w).sum()) + 1e-300
    slack = _slack_factor(n, d) * S
    tau_u = _slack_factor(n, d) * (np.abs(U).sum(axis=1) + 1e-300)
    tau_w = _slack_factor(n, d) * (np.abs(w).sum() + 1e-300)
    absU = np.abs(U)
    ftol = float(tol)

    def bound(lo, hi):
        """Rigorous upper bounds of |F(y)| / ||y|| on boxes, and float values at the centres."""
        c = (lo + hi) / 2
        r = (hi - lo) / 2
        sc = c @ U.T
        sr = r @ absU.T
        l, h = sc - sr, sc + sr
        # a unit whose pre-activation is >= 0 on the box up to rounding is treated as linear: the
        # misclassification costs at most |v_i| * 2 tau_i, covered by the allowance added below
        act = l >= -tau_u
        unc = ~act & ~(h <= tau_u)
        a = (act * v) @ U
        vh = v * np.maximum(h, 0.0) * unc
        Rlo = np.minimum(vh, 0.0).sum(axis=1)
        Rhi = np.maximum(vh, 0.0).sum(axis=1)
        # value at the centre (float, search only)
        Fc = np.maximum(sc, 0.0) @ v
        if not modelA:
            a_h, Rlo_h, Rhi_h = a, Rlo, Rhi
            tc_ = c @ w
            Fc = np.maximum(Fc, 0.0) - np.maximum(tc_, 0.0)
            tr = r @ np.abs(w)
            tl, th = tc_ - tr, tc_ + tr
            t_act = tl >= -tau_w
            t_unc = ~t_act & ~(th <= tau_w)
            at = t_act[:, None] * w[None, :]
            Rt_hi = np.where(t_unc, np.maximum(th, 0.0), 0.0)
            Hc = (c * a).sum(axis=1)
            Hr = (r * np.abs(a)).sum(axis=1)
            Hlo, Hhi = Hc - Hr + Rlo, Hc + Hr + Rhi
            pos = Hlo >= -slack
            neg = ~pos & (Hhi <= slack)
            mixed = ~pos & ~neg
            a = np.where(pos[:, None], a - at, -at)
            a = np.where(mixed[:, None], 0.0, a)
            Tlo = np.maximum(tl, 0.0)
            Thi = np.maximum(th, 0.0)
            nRlo = np.where(pos, Rlo - Rt_hi, np.where(neg, -Rt_hi, -Thi))
            nRhi = np.where(pos, Rhi, np.where(neg, 0.0, np.maximum(Hhi, 0.0) - Tlo))
            Rlo, Rhi = nRlo, nRhi
        ub = _lin_ub(lo, hi, c, r, a, Rlo, Rhi)
        if not modelA:
            # |relu(H) - relu(T)| <= |H - T| and H - T = <a_h - w, y> + R_h: tight where g ~ f
            # relu(H) - relu(T) <= min(relu(H - T), relu(H)) and >= max(-relu(T - H), -relu(T))
            zero = np.zeros(len(c))
            D_lo, D_hi = _lin_range(lo, hi, c, r, a_h - w[None, :], Rlo_h, Rhi_h)
            _, H_hi = _lin_range(lo, hi, c, r, a_h, Rlo_h, Rhi_h)
            _, T_hi = _lin_range(lo, hi, c, r, np.broadcast_to(w, a_h.shape), zero, zero)
            up = np.minimum(np.maximum(D_hi, 0.0), np.maximum(H_hi, 0.0))
            dn = np.minimum(np.maximum(-D_lo, 0.0), np.maximum(T_hi, 0.0))
            ub = np.minimum(ub, np.maximum(up, dn))
        # rounding (<= slack) + misclassification of near-zero units (<= 2 slack), of the target
        # (<= 2 slack) and of the inner sum H (<= 4 slack): 16 slack covers them all
        ub = ub + 16.0 * slack
        ncen = np.sqrt((c * c).sum(axis=1))
        val = np.abs(Fc) / ncen
        return ub, val

    # initial boxes: 2d faces, each free coordinate split at 0
    boxes_lo, boxes_hi = [], []
    for k in range(d):
        for s in (-1.0, 1.0):
            for mask in range(2 ** (d - 1)):
                lo = np.empty(d)
                hi = np.empty(d)
                lo[k] = hi[k] = s
                free = [j for j in range(d) if j != k]
                for b, j in enumerate(free):
                    if (mask >> b) & 1:
                        lo[j], hi[j] = 0.0, 1.0
                    else:
                        lo[j], hi[j] = -1.0, 0.0
                boxes_lo.append(lo)
                boxes_hi.append(hi)
    LO, HI = np.array(boxes_lo), np.array(boxes_hi)
    best_val, best_pt = -1.0, None
    hi_done = 0.0
    total = 0
    while len(LO):
        if time.perf_counter() - t0 > timeout:
            raise BudgetExceeded(f"sup_error: timeout after {timeout} s ({total} boxes, d = {d})")
        total += len(LO)
        if total > max_boxes:
            raise BudgetExceeded(f"sup_error: more than {max_boxes} boxes (d = {d})")
        ub, val = bound(LO, HI)
        i = int(np.argmax(val))
        if val[i] > best_val:
            best_val, best_pt = float(val[i]), (LO[i] + HI[i]) / 2
        done = ub <= best_val + ftol / 4
        if decide_at is not None:
            if best_val > decide_at * (1 + 1e-9) + 1e-300:
                hi_done = max(hi_done, float(ub.max()))   # stop: the value at a point exceeds the threshold
                break
            done |= ub <= decide_at
        if done.any():
            hi_done = max(hi_done, float(ub[done].max()))
        LO, HI = LO[~done], HI[~done]
        if not len(LO):
            break
        # split the widest free coordinate
        width = HI - LO
        j = np.argmax(width, axis=1)
        rows = np.arange(len(LO))
        mid = (LO[rows, j] + HI[rows, j]) / 2
        LO2, HI2 = LO.copy(), HI.copy()
        HI[rows, j] = mid
        LO2[rows, j] = mid
        LO = np.vstack([LO, LO2])
        HI = np.vstack([HI, HI2])
    # exact low end at a rational point of the ball near the best centre
    y = [Fraction(float(t)) for t in best_pt]
    x = _point_for(y, tol / 8)
    lo_exact = net.error_exact(x)
    hi_q = Fraction(hi_done)
    # (hi_done was computed in floats but already includes the rounding allowance; Fraction() is exact)
    if lo_exact > hi_q:  # pragma: no cover - would be a soundness bug
        raise AssertionError(f"sup_error: exact value {float(lo_exact)} above certified bound {float(hi_q)}")
    return SupError(lo_exact, hi_q, x, "interval-bnb-faces", False, time.perf_counter() - t0,
                    boxes=total)


# ---------------------------------------------------------------------------- entry point
def sup_error(net: Network, *, neuron_mask=None, weight_mask=None, tol=Fraction(1, 10**6),
              timeout: float = 30.0, max_boxes: int = 5_000_000, decide_at=None, rel_tol=None) -> SupError:
    """Certified enclosure of sup_{x in B^d} |g(x) - relu(<w, x>)| for the pruned network.

    decide_at (optional, d >= 3 only): a threshold eps; the branch and bound may then stop as soon
    as the enclosure decides ``sup <= eps`` (hi <= eps) or ``sup > eps`` (lo > eps), so ``hi - lo <= tol``
    is not enforced (the enclosure stays certified).  d <= 2 is always exact.

    rel_tol (optional, d >= 3): accept hi - lo <= max(tol, rel_tol * hi), for callers that do not
    know the error's scale in advance (a floating-point engine cannot resolve an absolute 1e-6 on
    an error of 1e70).  d >= 3 works on an exactly rescaled copy (see :func:`_normalise`), so
    weights of any magnitude are accepted."""
    if not isinstance(net, Network):
        raise InputError("sup_error expects a prunecert.checks.instances.network.Network")
    tol = to_fraction(tol, "tol")
    if tol <= 0:
        raise InputError("tol must be > 0")
    pn = net.pruned(neuron_mask, weight_mask) if (neuron_mask is not None or weight_mask is not None) else net
    if pn.d <= 2:
        return _exact_low_dim(pn, tol)
    rel = Fraction(0) if rel_tol is None else to_fraction(rel_tol, "rel_tol")
    t0 = time.perf_counter()
    # exact, scale-free form for the floating-point engine (see _normalise); results scale back exactly
    nn, lam, allow = _normalise(pn)
    if pn.model == "B" and allow == 0 and nn.n == 1 and any(nn.w):
        # one merged unit parallel to w: g = relu(c relu(<w,x>)) = max(c, 0) relu(<w,x>), so the
        # error is |max(c, 0) - 1| relu(<w,x>), sup = |max(c, 0) - 1| ||w||_2 (exact, no search)
        m = max(abs(t) for t in nn.w)
        if tuple(t / m for t in nn.w) == nn.u[0]:
            c = nn.v[0] / m
            f = abs(max(c, Fraction(0)) - 1)
            sq = f * f * sum(t * t for t in pn.w)
            if sq == 0:
                return SupError(Fraction(0), Fraction(0), [Fraction(0)] * pn.d, "exact-parallel-unit", True,
                                time.perf_counter() - t0, sup_squared=sq)
            _, hi = sqrt_bounds(sq, tol / 4)
            x = _point_for(list(pn.w), tol / (4 * max(Fraction(1), f)))
            return SupError(pn.error_exact(x), hi, x, "exact-parallel-unit", True, time.perf_counter() - t0,
                            sup_squared=sq)
    eps_q = None if decide_at is None else to_fraction(decide_at, "decide_at")
    if eps_q is not None and eps_q <= 0:
        raise InputError("decide_at must be > 0")
    if not nn.n and allow == 0:
        # no unit left: the error is |relu(<w,x>)| (Model B) or the same (Model A), sup = ||w||_2
        return _exact_low_dim_norm(pn, tuple(c * lam for c in nn.w), tol, time.perf_counter() - t0)
    dec = None if eps_q is None else float(eps_q / lam)
    cur = tol / lam

    def finish(res):
        x = res.argmax
        lo = max(Fraction(0), pn.error_exact(x)) if x else Fraction(0)
        out = SupError(lo, (res.hi + allow) * lam, x, res.method, False, time.perf_counter() - t0,
                       boxes=res.boxes)
        if out.lo > out.hi:  # pragma: no cover - would be a soundness bug
            raise AssertionError("sup_error: exact value above certified bound")
        return out

    res = None
    for _ in range(4):
        res = finish(_bnb(nn, cur, max(0.0, timeout - (time.perf_counter() - t0)), max_boxes, dec))
        decided = eps_q is not None and (res.hi <= eps_q or res.lo > eps_q)
        if res.hi - res.lo <= max(tol, rel * res.hi) or decided:
            return res
        cur /= 4
    if eps_q is not None:
        return res   # certified but undecided enclosure (lo <= eps < hi, within float noise)
    raise BudgetExceeded("sup_error: could not reach the requested tolerance")


def _exact_low_dim_norm(net: Network, w, tol: Fraction, seconds: float) -> SupError:
    """Every unit cancelled or absent: the error is relu(<w,x>) for the remaining target w (w = 0
    in Model A after merging), so sup = ||w||_2, attained at w/||w||; lo is exact on ``net``."""
    R = sum(c * c for c in w)
    if R == 0:
        return SupError(Fraction(0), Fraction(0), [Fraction(0)] * net.d, "zero-network", True, seconds,
                        sup_squared=Fraction(0))
    _, hi = sqrt_bounds(R, tol / 4)
    x = _point_for(list(w), tol / 4)
    return SupError(net.error_exact(x), hi, x, "zero-network", True, seconds, sup_squared=R)
