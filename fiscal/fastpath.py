"""Direct solvers for allocations coupled only by the envelope: a water level, a sorted knapsack.

When every rule is a bound on one unit's amount — floors, caps, per-capita minimums and the
first year's transition band give ``lo ≤ X ≤ hi`` — and the only thing coupling units is each
year's envelope (``Σ X = B``, or ``≤ B``), the LP objectives have direct solutions, in
O(n log n) with numpy:

* ``shortfall_minimax``: a water level. Every unit reaches the same share θ = 1 − z of its need
  unless its floor holds it above: ``X_i = max(lo_i, N_i·θ − C_i)``, with θ the largest level
  the envelope pays for (and no cap forbids) — :func:`water_level` finds it from the sorted
  breakpoints where units leave their floors.
* ``per_capita_maximin``: the same with ``X_i = max(lo_i, λ·P_i − C_i)``, λ the lowest
  resources per person.
* ``need_gap``: ``Σ |X − G| / N`` is separable, convex and piecewise linear. Start from
  ``clip(G, lo, hi)`` and move the money the envelope adds (or takes) through the units with
  the cheapest price 1/N first: a sorted continuous knapsack (:func:`l1_face`).

``stability`` (leximin of the relative change, then its L1, issue 16) is taken where its optimum
is the even path, every unit moving by the same relative amount each year, and that path meets
the bounds: then it is the unique optimum (:mod:`fiscal.fast_stability` proves it); elsewhere
the LP solves it.

Each solver returns the **optimal face**, the set of all optimal allocations, as a box and a
sum (:class:`Face`): an LP's optimum is rarely unique, and :func:`tie_break_point` picks the point of
the face closest to the formula amounts in relative L1 — the promise of
:func:`fiscal.solve.solve_lexicographic` — with the same weights (:func:`tie_break_weights`),
so that both paths give the same table. Over a box and a sum the tie-break is again a sorted
knapsack, and with the weights' deterministic perturbation its solution is unique.

The kernels take plain numpy arrays of one year (n units), in million VND. :func:`eligibility`
(:func:`why_not`: its reason) says whether a prepared problem has the structure (each rule
answers for itself through :meth:`fiscal.rules.Rule.direct_ok`; for ``stability`` it computes
the even path) and :func:`solve_problem` solves it, handed that check; the pipeline falls
back to the LP otherwise. Infeasible bounds raise :class:`Infeasible`; the pipeline then hands
the problem to the LP, whose diagnosis explains it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fiscal.fast_stability import even_path, year_levels
from fiscal.formula import sector_weights
from fiscal.objectives import claim_cap, objective_value, paid_without_claim, stability_value
from fiscal.problem import Problem

__all__ = [
    "KINDS",
    "Direct",
    "Eligibility",
    "TIE_PERTURBATION",
    "Face",
    "Infeasible",
    "check_bounds",
    "eligibility",
    "l1_face",
    "need_gap",
    "per_capita_maximin",
    "shortfall_minimax",
    "tie_break_point",
    "tie_break_weights",
    "solve_problem",
    "solve_years",
    "water_level",
    "why_not",
]

#: relative spread of the tie-break weights that separates units that would tie (the same
#: constant as :data:`fiscal.solve.TIE_PERTURBATION`; a test keeps them equal)
TIE_PERTURBATION = 1e-3


class Infeasible(Exception):
    """The bounds and the envelope of one year admit no allocation (the LP's diagnosis explains)."""


@dataclass(frozen=True)
class Face:
    """The optimal allocations of one year: ``lo ≤ X ≤ hi`` and ``Σ X = total`` (``≤`` if
    ``mode == "at_most"``). ``value`` is the primary optimum: the level θ or λ of the level
    objectives, the weighted distance Σ cost·|X − target| of the knapsack ones."""

    lo: np.ndarray
    hi: np.ndarray
    total: float
    mode: str
    value: float

    @property
    def unique(self) -> bool:
        """Whether the face is one point: at most one unit is free and the sum fixes it, or
        (``equal``) its lower corner already spends the total (to 10⁻¹² relative: the corner's sum carries rounding noise)."""
        free = int(np.count_nonzero(self.lo < self.hi))
        if free == 0 or (free == 1 and self.mode == "equal"):
            return True
        return self.mode == "equal" and float(self.lo.sum()) >= self.total - 1e-12 * abs(self.total)


def check_bounds(lo: np.ndarray, hi: np.ndarray, pool: float, mode: str) -> None:
    """Raise :class:`Infeasible` unless some ``lo ≤ X ≤ hi`` meets the envelope exactly.

    The comparisons are exact (amounts in whole rounding units add up exactly in float64);
    a caller that needs the LP's own verdict on a borderline case asks the LP.
    """
    bad = lo > hi
    if np.any(bad):
        i = int(np.argmax(bad))
        raise Infeasible(f"unit {i}: lower bound {lo[i]:,.6g} above upper bound {hi[i]:,.6g}")
    low = float(np.sum(lo))
    if low > pool:
        raise Infeasible(f"lower bounds add up to {low:,.6g}, above the envelope {pool:,.6g}")
    if mode == "equal":
        high = float(np.sum(hi))
        if high < pool:
            raise Infeasible(f"upper bounds add up to {high:,.6g}, below the envelope {pool:,.6g}")


# ----------------------------------------------------------------------------- water level


def water_level(
    slope: np.ndarray, offset: np.ndarray, lo: np.ndarray, hi: np.ndarray, pool: float
) -> float:
    """The largest level θ with ``Σ max(lo_i, slope_i·θ − offset_i) ≤ pool`` and every
    ``slope_i·θ − offset_i ≤ hi_i``.

    Unit i leaves its lower bound at the breakpoint ``(lo_i + offset_i) / slope_i``; between
    breakpoints the sum is linear in θ, so sorting the breakpoints finds the segment where it
    meets the pool, and the level follows from one division. Units with ``slope_i = 0`` never
    rise above their lower bound. Assumes ``Σ lo ≤ pool`` (see :func:`check_bounds`).
    """
    active = slope > 0
    if not np.any(active):
        raise ValueError("no unit has a positive slope: the level is unbounded")
    s, base = slope[active], lo[active] + offset[active]
    with np.errstate(divide="ignore", invalid="ignore"):
        cap = np.where(np.isfinite(hi[active]), (hi[active] + offset[active]) / s, np.inf)
    theta_cap = float(cap.min())
    brk = base / s
    order = np.argsort(brk, kind="stable")
    b, s_sorted, base_sorted = brk[order], s[order], base[order]
    low = float(np.sum(lo))
    # h(b_k): the sum at breakpoint k, where the units before k are above their bounds
    S = np.cumsum(s_sorted)
    K = np.cumsum(base_sorted)
    S_before = np.concatenate([[0.0], S[:-1]])
    K_before = np.concatenate([[0.0], K[:-1]])
    h = low + S_before * b - K_before
    k = int(np.searchsorted(h, pool, side="right")) - 1
    k = max(k, 0)
    # on [b_k, b_{k+1}]: h(θ) = Σlo + S_k·θ − K_k (the units up to k above their bounds)
    theta = (pool - low + K[k]) / S[k]
    if k + 1 < b.size:
        theta = min(theta, float(b[k + 1]))  # noise only: h(b_{k+1}) > pool
    theta = max(theta, float(b[k]))
    return min(theta, theta_cap)


def _level_face(slope, offset, lo, hi, pool, mode) -> Face:
    check_bounds(lo, hi, pool, mode)
    theta = water_level(slope, offset, lo, hi, pool)
    a = np.maximum(lo, np.where(slope > 0, slope * theta - offset, -np.inf))
    a = np.minimum(a, hi)  # noise only: a unit that sets the cap's level sits at its cap
    return Face(a, hi.astype(float).copy(), float(pool), mode, float(theta))


def shortfall_minimax(
    need: np.ndarray,
    capacity: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    pool: float,
    mode: str = "equal",
) -> Face:
    """Optimal face of min max_i (N_i − C_i − X_i)/N_i; ``value`` is θ = 1 − z (the share of
    need every unit not held by a floor reaches)."""
    return _level_face(np.asarray(need, float), np.asarray(capacity, float), lo, hi, pool, mode)


def per_capita_maximin(
    population: np.ndarray,
    capacity: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    pool: float,
    mode: str = "equal",
) -> Face:
    """Optimal face of max min_i (C_i + X_i)/P_i; ``value`` is that level λ (million VND per
    person). Units without population never set the level."""
    return _level_face(
        np.asarray(population, float), np.asarray(capacity, float), lo, hi, pool, mode
    )


# ----------------------------------------------------------------------------- knapsack


def l1_face(
    target: np.ndarray,
    cost: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    pool: float,
    mode: str = "equal",
) -> Face:
    """Optimal face of min Σ cost_i·|X_i − target_i| over ``lo ≤ X ≤ hi``, Σ X = pool (≤ pool
    for ``at_most``), every cost positive.

    From ``x0 = clip(target, lo, hi)`` each unit's price of moving is its cost (every move
    leads away from its target or it would not be at a bound), so the money the pool adds or
    takes goes through the cheapest units first. Units cheaper than the marginal price move
    fully, dearer ones not at all, and units at exactly the marginal price share what is left
    in any proportion: that is the face's freedom.
    """
    check_bounds(lo, hi, pool, mode)
    x0 = np.clip(target, lo, hi)
    s0 = float(x0.sum())
    amount = pool - s0
    if amount == 0 or (mode == "at_most" and amount > 0):
        value = float(np.sum(cost * np.abs(x0 - target)))
        return Face(x0, x0.copy(), s0, "equal", value)
    up = amount > 0
    room = (hi - x0) if up else (x0 - lo)
    order = np.argsort(cost, kind="stable")
    cum = np.cumsum(room[order])
    k = min(int(np.searchsorted(cum, abs(amount), side="left")), cost.size - 1)
    price = cost[order[k]]
    moved = np.where(cost < price, room, 0.0)
    base = x0 + moved if up else x0 - moved
    tied = cost == price
    lo_f = np.where(tied & ~up, x0 - room, base)
    hi_f = np.where(tied & up, x0 + room, base)
    left = abs(amount) - float(moved.sum())
    # the marginal units share what is left: their sum is fixed, which tightens each box
    share = float(x0[tied].sum()) + (left if up else -left)
    g_lo, g_hi = lo_f[tied], hi_f[tied]
    lo_f[tied] = np.maximum(g_lo, share - _others(g_hi))
    hi_f[tied] = np.minimum(g_hi, share - _others(g_lo))
    point = np.where(tied, x0, base)
    value = float(np.sum(cost * np.abs(point - target))) + float(price) * max(left, 0.0)
    return Face(lo_f, hi_f, float(pool), "equal", value)


def _others(v: np.ndarray) -> np.ndarray:
    """For each entry, the sum of the other entries (infinite entries counted exactly)."""
    inf = ~np.isfinite(v)
    finite = np.where(inf, 0.0, v)
    rest = finite.sum() - finite
    others_inf = inf.sum() - inf
    return np.where(others_inf > 0, np.inf, rest)


def need_gap(
    gap: np.ndarray,
    need: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    pool: float,
    mode: str = "equal",
) -> Face:
    """Optimal face of min Σ |X_i − G_i| / N_i (the need_gap objective of one year)."""
    return l1_face(np.asarray(gap, float), 1.0 / np.asarray(need, float), lo, hi, pool, mode)


# ----------------------------------------------------------------------------- tie-break


def tie_break_weights(reference: np.ndarray, need: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """The tie-break's weight of each unit and year, as :func:`fiscal.solve.solve_lexicographic`
    builds them (up to one common factor): ``order_i / max(|F|, ε)``.

    ``reference`` (T, n) are the formula amounts, ``need`` (T, n) the needs, ``scale`` the LP's
    money scale (only the floor of ε, for an all-zero reference, depends on it). ε is 10⁻³ of
    the mean formula amount, raised by at most ×2 with the unit's share of need; ``order``
    spreads the weights by at most :data:`TIE_PERTURBATION` in table order, so that of two units
    that would tie the one listed first keeps closest to its formula amount.
    """
    ref = np.abs(np.asarray(reference, float))
    need = np.asarray(need, float)
    n = ref.shape[1]
    eps = np.full(ref.shape, 1e-3 * max(float(ref.mean()), 1e-9 * scale))
    if np.all(need > 0):
        eps = eps * (1.0 + need / need.sum(axis=-1, keepdims=True))
    order = 1.0 + TIE_PERTURBATION * (1.0 - np.arange(n) / max(n, 1))
    return order[None, :] / np.maximum(ref, eps)


def tie_break_point(face: Face, reference: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The point of ``face`` closest to ``reference`` in Σ weights·|X − reference|.

    A knapsack over the face's box and sum; with distinct weights the answer is unique. Units
    whose weights tie exactly (a coincidence the perturbation makes rare) are moved last-listed
    first, so that the answer is still one vertex, the same every run.
    """
    n = reference.size
    lo, hi = face.lo, face.hi
    x0 = np.clip(reference, lo, hi)
    s0 = float(x0.sum())
    amount = face.total - s0
    if amount == 0 or (face.mode == "at_most" and amount > 0):
        return x0
    up = amount > 0
    room = (hi - x0) if up else (x0 - lo)
    # cheapest weight first; among equal weights the unit listed last first
    order = np.lexsort((-np.arange(n), weights))
    cum = np.cumsum(room[order])
    k = min(int(np.searchsorted(cum, abs(amount), side="left")), n - 1)
    move = np.zeros(n)
    move[order[:k]] = room[order[:k]]
    move[order[k]] = abs(amount) - (float(cum[k - 1]) if k > 0 else 0.0)
    move[order[k]] = min(max(move[order[k]], 0.0), room[order[k]])
    X = x0 + move if up else x0 - move
    # the marginal unit takes exactly what the others leave (as the LP's tight envelope row)
    j = order[k]
    X[j] = min(max(face.total - (float(X.sum()) - X[j]), lo[j]), hi[j])
    return X


# ----------------------------------------------------------------------------- all years

#: the objectives with a direct solver of each year's optimal face (``stability``, lexicographic
#: since issue 16, is taken apart, only where its optimum is the even path:
#: :mod:`fiscal.fast_stability`)
KINDS = ("shortfall_minimax", "per_capita_maximin", "need_gap")


def solve_years(
    kind: str,
    lo: np.ndarray,
    hi: np.ndarray,
    pool: np.ndarray,
    mode: str,
    *,
    reference: np.ndarray,
    weights: np.ndarray,
    need: np.ndarray | None = None,
    capacity: np.ndarray | None = None,
    gap: np.ndarray | None = None,
    population: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Unit amounts X (T, n) and each year's primary optimum (T,) for objective ``kind``.

    ``lo``, ``hi``, ``need``, ``capacity``, ``gap``, ``reference`` and ``weights`` are (T, n);
    ``population`` is (n,); ``pool`` is (T,). The years are independent
    (nothing here couples them: no multi-year transition). Each year's optimal face is settled by the objective's direct solver
    and its point chosen by :func:`tie_break_point` toward ``reference`` with ``weights``
    (always: it costs one sort, and the point it picks is an optimum like any other). Raises
    :class:`Infeasible` naming the year, ValueError where the kernels do not apply.
    """
    if kind not in KINDS:
        raise ValueError(f"no direct solver for objective '{kind}'; use the LP")
    T, n = lo.shape
    data = {
        "need": need,
        "capacity": capacity,
        "gap": gap,
        "population": population,
    }
    wanted = {
        "shortfall_minimax": ("need", "capacity"),
        "per_capita_maximin": ("population", "capacity"),
        "need_gap": ("gap", "need"),
    }[kind]
    missing = [name for name in wanted if data[name] is None]
    if missing:
        raise ValueError(f"{kind} needs {', '.join(missing)}")
    first, second = (np.asarray(data[name], dtype=float) for name in wanted)
    per_year = {"need", "capacity", "gap"}  # (T, n); the others are (n,)
    X = np.empty((T, n))
    values = np.empty(T)
    solver = {
        "shortfall_minimax": shortfall_minimax,
        "per_capita_maximin": per_capita_maximin,
        "need_gap": need_gap,
    }[kind]
    for t in range(T):
        a = first[t] if wanted[0] in per_year else first
        b = second[t] if wanted[1] in per_year else second
        try:
            face = solver(a, b, lo[t], hi[t], float(pool[t]), mode)
        except Infeasible as exc:
            raise Infeasible(f"year {t + 1}: {exc}") from None
        values[t] = face.value
        X[t] = tie_break_point(face, reference[t], weights[t])
    return X, values


# ----------------------------------------------------------------------------- a problem


@dataclass(frozen=True)
class Eligibility:
    """Whether the direct solvers take ``problem`` under ``kind`` (:func:`eligibility`):
    ``reason`` is None when they do. For ``stability`` the check is the even path itself, kept
    in ``path`` so that :func:`solve_problem` does not compute it again."""

    problem: Problem
    kind: str
    reason: str | None
    path: np.ndarray | None = None


def eligibility(problem: Problem, kind: str) -> Eligibility:
    """Whether the direct solvers can take ``problem`` under objective ``kind``, and why not."""

    def no(reason: str) -> Eligibility:
        return Eligibility(problem, kind, reason)

    if kind not in (*KINDS, "stability"):
        return no(f"objective '{kind}' has no direct solver")
    for r in problem.rules:
        if not r.direct_ok(problem):
            return no(f"rule '{r.name}' ({r.kind}) couples units, sectors or years")
    if kind == "per_capita_maximin" and not np.any(problem.population > 0):
        return no("no unit has a population")
    if kind == "stability":
        X, reason = even_path(problem)
        return Eligibility(problem, kind, reason, X)
    return Eligibility(problem, kind, None)


def why_not(problem: Problem, kind: str) -> str | None:
    """Why the direct solvers cannot take ``problem`` under objective ``kind`` (None: they can)."""
    return eligibility(problem, kind).reason


@dataclass(frozen=True)
class Direct:
    """A problem solved directly: cells ``x`` (T, S, n), the objective as the LP reports it,
    and each year's primary optimum (θ, λ, the weighted distance or stability's largest
    relative change)."""

    x: np.ndarray
    objective: float
    values: np.ndarray


def solve_problem(problem: Problem, kind: str, checked: Eligibility | None = None) -> Direct:
    """The LP path's allocation of ``problem`` (see :func:`why_not`), without an LP.

    Bounds are the problem's whole-unit bounds, the reference and the weights those of the
    LP's tie-break (the same money scale as :func:`fiscal.model.build`, which only sets the
    floor of ε); the unit totals are split by sector with the formula's shares, where the LP's
    tie-break term B is zero. ``stability`` takes the even path (:mod:`fiscal.fast_stability`).
    ``checked``: this problem's :func:`eligibility`, if the caller has it (not checked again).
    Raises :class:`Infeasible` and ValueError (structure) like :func:`solve_years`.
    """
    if checked is None:
        checked = eligibility(problem, kind)
    elif checked.problem is not problem or checked.kind != kind:
        raise ValueError("checked is the eligibility of another problem or objective")
    if checked.reason is not None:
        raise ValueError(checked.reason)
    w = sector_weights(problem)
    if kind == "stability":
        X = checked.path
        assert X is not None
        x = X[:, None, :] * w[None, :, None]
        return Direct(x, stability_value(problem, X), year_levels(problem, X))
    lo, hi = problem.bounds()
    reference = (problem.pure_formula()[:, None, :] * w[None, :, None]).sum(axis=1)
    scale = max(float(np.max(problem.envelope)), float(problem.baseline.sum()), 1.0) / problem.n
    data = {
        "reference": reference,
        "weights": tie_break_weights(reference, problem.need, scale),
        "need": problem.need,
        "capacity": problem.capacity,
        "gap": problem.gap,
        "population": problem.population,
    }
    X, values = solve_years(kind, lo, hi, problem.envelope, problem.mode, **data)
    if paid_without_claim(problem, kind, X):
        # as fiscal.claims does for the LP: hold the units without a claim at their lower
        # bound, unless the envelope then has nowhere to go
        cap = claim_cap(problem, kind)
        assert cap is not None
        try:
            X, values = solve_years(
                kind, lo, np.fmin(hi, cap), problem.envelope, problem.mode, **data
            )
        except Infeasible:
            pass
    x = X[:, None, :] * w[None, :, None]
    if kind == "shortfall_minimax":
        objective = float(np.mean(1.0 - values))  # z = 1 − θ
    elif kind == "per_capita_maximin":
        objective = float(np.mean(values))
    else:
        objective = objective_value(problem, kind, X, x)
    return Direct(x, objective, values)
