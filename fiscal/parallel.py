"""A commune run's provinces allocated by this process and helper processes at once.

The app keeps a :class:`~fiscal.executors.ProcessPool` of helpers; where at least two provinces
take the LP, this process and one thread per helper worker take the provinces from one queue,
a few at a time, and each writes the LPs of the provinces it took in one build
(:func:`fiscal.model.build_parts`). Every allocation is a function of its problem alone (its
sliced LP is the one it builds alone, to the bit), so the result is the one without helpers.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from fiscal import fastpath
from fiscal.errors import FiscalError

if TYPE_CHECKING:
    from fiscal.executors import Executor
    from fiscal.lp import LinearProgram
    from fiscal.pipeline import Allocation
    from fiscal.problem import Problem

    #: allocate a problem, given its LP (None: allocate builds what it needs)
    Solve = Callable[..., Allocation]
    #: the LPs of problems, one build for all (None where a problem takes no LP)
    Models = Callable[[Sequence[Problem]], list[LinearProgram | None]]

_log = logging.getLogger(__name__)

__all__ = ["allocate_shared", "takes_lp"]


def _allocate_task(task: tuple[Solve, Models, list[Problem]]) -> list[Allocation | None]:
    """The allocations of a few problems in a helper process, their LPs written in one build;
    None from the first that raised a :class:`FiscalError` on (the calling process solves
    those again itself, so that the error is raised there)."""
    solve, models, problems = task
    out: list[Allocation | None] = [None] * len(problems)
    for k, (problem, lp, each) in enumerate(_models(models, problems)):
        try:
            out[k] = _solve(solve, problem, lp, each)
        except FiscalError:
            break
    return out


def _models(models: Models, problems: list[Problem]) -> Iterator[tuple[Problem, Any, float]]:
    """Each problem with its LP from one build and that build's time per LP."""
    t0 = time.perf_counter()
    lps = models(problems)
    each = (time.perf_counter() - t0) / max(sum(lp is not None for lp in lps), 1)
    for problem, lp in zip(problems, lps, strict=True):
        yield problem, lp, each


def _solve(solve: Solve, problem: Problem, lp: LinearProgram | None, each: float) -> Allocation:
    """``solve(problem, lp=lp)``, its build time its share of the one build (as when it builds
    its own LP: ``runtime["build"]``)."""
    a = solve(problem, lp=lp)
    if lp is not None:
        a.runtime["build"] = a.runtime.get("build", 0.0) + each
    return a


def takes_lp(problem: Problem, backend: str | None, method: str) -> bool:
    """Whether :func:`fiscal.pipeline.allocate` solves ``problem`` with an LP (not the formula or the direct
    solvers, a few milliseconds each: not worth sending to another process)."""
    scen = problem.scenario
    kind = scen.objective.kind
    if kind == "formula":
        return False
    backend = backend or scen.solver.backend
    return method == "lp" or backend != "highs" or fastpath.why_not(problem, kind) is not None


def allocate_shared(
    problems: list[Problem],
    helpers: Executor | None,
    solve: Solve,
    models: Models | None = None,
    *,
    backend: str | None = None,
    method: str = "auto",
    progress: Callable[[int, int], None] | None = None,
) -> list[Allocation]:
    """``[solve(p, lp=lp) for p, lp in zip(problems, models(problems))]``, shared between this
    process and ``helpers``.

    ``solve`` is :func:`fiscal.pipeline.allocate` with its settings and ``models`` what writes
    the LPs ``solve`` would build, for several problems in one build (picklable partials; no
    ``models``: each ``solve`` builds its own); ``backend`` and ``method`` are those settings,
    to tell which problems take the LP.

    Without helpers, or with fewer than two problems on the LP path, every problem is allocated
    here, in order, their LPs written in one build. Otherwise this process and one thread per
    helper worker take the problems from one queue, largest first, a few at a time (a share of
    what is left, down to one: guided scheduling, so that the last taken are small), write the
    LPs of what they took in one build and allocate them (each helper thread hands its share
    to the executor and waits); the allocations come back in the order of ``problems``. Every
    allocation is a function of its problem alone (HiGHS is deterministic, the sliced LP is the
    problem's own), so which process solved it changes nothing. Once a problem fails, no more
    are taken; the rest are allocated here afterwards, in order (a failure here kept, one in a
    helper solved again here), so that the error raised is the one raised without helpers.
    ``progress`` is called from this thread only.
    """
    total = len(problems)
    built = models or (lambda ps: [None] * len(ps))
    shared = helpers is not None and sum(takes_lp(p, backend, method) for p in problems) >= 2
    if not shared:
        out = []
        for k, (problem, lp, each) in enumerate(_models(built, problems)):
            out.append(_solve(solve, problem, lp, each))
            if progress is not None:
                progress(k + 1, total)
        return out
    assert helpers is not None
    # largest first (communes × years × sectors), so that the last problem taken is a small one
    queue = sorted(range(total), key=lambda k: (-problems[k].n * problems[k].T * problems[k].S, k))
    takers = 1 + max(helpers.workers, 1)
    results: list[Allocation | None] = [None] * total
    errors: dict[int, FiscalError] = {}  # raised here (kept: a diagnosis is not redone)
    failed = threading.Event()
    lock = threading.Lock()

    def take() -> list[int]:
        with lock:
            if failed.is_set():
                return []
            count = max(1, len(queue) // (2 * takers))
            share = queue[:count]
            del queue[:count]
            return share

    def feed(pool: Executor) -> None:
        while share := take():
            task: Any = (solve, built, [problems[j] for j in share])
            try:
                (got,) = pool.map(_allocate_task, [task])
            except Exception as exc:  # a broken pool: this process takes over, below
                _log.warning(
                    "a helper process failed (%s: %s); solving here", type(exc).__name__, exc
                )
                got = [None] * len(share)
            if any(a is None for a in got):
                failed.set()
            for j, a in zip(share, got, strict=True):
                results[j] = a

    threads = [
        threading.Thread(target=feed, args=(helpers,), daemon=True)
        for _ in range(max(helpers.workers, 1))
    ]
    for thread in threads:
        thread.start()
    try:
        while share := take():
            mine = [problems[j] for j in share]
            for j, (problem, lp, each) in zip(share, _models(built, mine), strict=True):
                try:
                    results[j] = _solve(solve, problem, lp, each)
                except FiscalError as exc:
                    errors[j] = exc
                    failed.set()
                    break
                if progress is not None:
                    progress(sum(r is not None for r in results), total)
    except BaseException:  # an interrupt or a bug: the helpers' threads stop taking problems
        failed.set()
        raise
    finally:
        for thread in threads:
            thread.join()
    out = []
    for k, problem in enumerate(problems):
        if k in errors:
            raise errors[k]
        a = results[k]
        if a is None:  # failed in a helper, or not taken after a failure: here, in order
            a = solve(problem)
        out.append(a)
    if progress is not None:
        progress(total, total)
    return out
