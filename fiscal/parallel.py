"""A commune run's provinces allocated by this process and helper processes at once.

The app keeps a :class:`~fiscal.executors.ProcessPool` of helpers; where at least two provinces
take the LP, this process and one thread per helper worker take the provinces from one queue.
Every allocation is a function of its problem alone, so the result is the one without helpers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from fiscal import fastpath
from fiscal.errors import FiscalError

if TYPE_CHECKING:
    from fiscal.executors import Executor
    from fiscal.pipeline import Allocation
    from fiscal.problem import Problem

_log = logging.getLogger(__name__)

__all__ = ["allocate_shared"]


def _allocate_task(task: tuple[Callable[[Problem], Allocation], Problem]) -> Allocation | None:
    """``solve(problem)`` in a helper process; None where it raised a :class:`FiscalError` (the
    calling process solves that problem again itself, so that its error is raised there)."""
    solve, problem = task
    try:
        return solve(problem)
    except FiscalError:
        return None


def _takes_lp(problem: Problem, backend: str | None, method: str) -> bool:
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
    solve: Callable[[Problem], Allocation],
    *,
    backend: str | None = None,
    method: str = "auto",
    progress: Callable[[int, int], None] | None = None,
) -> list[Allocation]:
    """``[solve(p) for p in problems]``, shared between this process and ``helpers``.

    ``solve`` is :func:`fiscal.pipeline.allocate` with its settings (a picklable partial);
    ``backend`` and ``method`` are those settings, to tell which problems take the LP.

    Without helpers, or with fewer than two problems on the LP path, every problem is allocated
    here, in order. Otherwise this process and one thread per helper worker take the problems
    from one queue, largest first (each thread hands its problem to the executor and waits);
    the allocations come back in the order of ``problems``. Every allocation is a function of
    its problem alone (HiGHS is deterministic), so which process solved it changes nothing.
    Once a problem fails, no more are taken; the rest are allocated here afterwards, in order
    (a failure here kept, one in a helper solved again here), so that the error raised is the
    one raised without helpers. ``progress`` is called from this thread only.
    """
    total = len(problems)
    shared = helpers is not None and sum(_takes_lp(p, backend, method) for p in problems) >= 2
    if not shared:
        out = []
        for k, problem in enumerate(problems):
            out.append(solve(problem))
            if progress is not None:
                progress(k + 1, total)
        return out
    assert helpers is not None
    # largest first (communes × years × sectors), so that the last problem taken is a small one
    queue = sorted(range(total), key=lambda k: (-problems[k].n * problems[k].T * problems[k].S, k))
    results: list[Allocation | None] = [None] * total
    errors: dict[int, FiscalError] = {}  # raised here (kept: a diagnosis is not redone)
    failed = threading.Event()
    lock = threading.Lock()

    def take() -> int | None:
        with lock:
            return queue.pop(0) if queue and not failed.is_set() else None

    def feed(pool: Executor) -> None:
        while (j := take()) is not None:
            try:
                (a,) = pool.map(_allocate_task, [(solve, problems[j])])
            except Exception as exc:  # a broken pool: this process takes over, below
                _log.warning(
                    "a helper process failed (%s: %s); solving here", type(exc).__name__, exc
                )
                a = None
            if a is None:
                failed.set()
            results[j] = a

    threads = [
        threading.Thread(target=feed, args=(helpers,), daemon=True)
        for _ in range(max(helpers.workers, 1))
    ]
    for thread in threads:
        thread.start()
    try:
        while (j := take()) is not None:
            try:
                results[j] = solve(problems[j])
            except FiscalError as exc:
                errors[j] = exc
                failed.set()
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
