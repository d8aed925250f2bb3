"""Where sweeps run: in this process, a local process pool, or a Dask cluster — same numbers.

One interface, :class:`Executor`: ``map(fn, items, progress)`` applies a module-level function
to each item and returns the results in the order of ``items``. Callers cut their work into
tasks of a fixed size (never by the number of workers) and seed every random draw by its own
index, so the numbers are bit-identical whichever executor runs them::

    with get_executor("tcp://10.0.0.5:8786") as ex:      # or None, "processes", "dask"
        rows = ex.map(task, chunks, progress=lambda done, total: ...)

Dask workers must be able to import ``fiscal`` (install the same version on every worker); see
docs/scale-out.md.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import sys
import threading
import types
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from fiscal.errors import FiscalError

__all__ = [
    "DaskExecutor",
    "Executor",
    "InProcess",
    "ProcessPool",
    "chunked",
    "get_executor",
    "run_all",
]

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int], None]


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    """``items`` cut into consecutive lists of ``size`` (the last may be shorter)."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1 (got {size})")
    return [list(items[k : k + size]) for k in range(0, len(items), size)]


class Executor(ABC):
    """Runs ``fn`` over items and returns the results in order. Use as a context manager."""

    name = "executor"
    workers = 1

    @abstractmethod
    def map(
        self, fn: Callable[[T], R], items: Sequence[T], progress: Progress | None = None
    ) -> list[R]:
        """``[fn(item) for item in items]``, in order, reporting progress as items finish."""

    def close(self) -> None:  # noqa: B027 - a no-op by default, overridden where there is a pool
        """Release workers and connections (idempotent)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name}, workers={self.workers})"


class InProcess(Executor):
    """Runs every task here, one after the other (the default)."""

    name = "in-process"

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], progress: Progress | None = None
    ) -> list[R]:
        out = []
        for k, item in enumerate(items):
            out.append(fn(item))
            if progress is not None:
                progress(k + 1, len(items))
        return out


class ProcessPool(Executor):
    """A pool of local worker processes (started with 'spawn': safe with solver threads)."""

    name = "process pool"

    def __init__(self, workers: int | None = None, *, import_main: bool = True) -> None:
        """``import_main=False``: the workers do not run the calling program's main module (a
        spawned worker runs it again, as ``__mp_main__``, unless it is a module run with
        ``-m``; a Streamlit app's main module is its page script, which must not run, and
        which imported from its own folder shadowed the standard library there). Tasks are
        then functions of importable modules."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        count = workers or os.cpu_count() or 1
        if count < 1:
            raise FiscalError(f"--workers must be at least 1 (got {workers})")
        self.workers = count
        self.import_main = import_main
        self.broken = False  # a worker stopped abruptly: the pool takes no more tasks
        self._pool = ProcessPoolExecutor(
            max_workers=count, mp_context=multiprocessing.get_context("spawn")
        )

    def _submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``submit``; a worker started by it (the pool starts them as tasks come) does not
        import the main module if the pool was made with ``import_main=False``."""
        if self.import_main:
            return self._pool.submit(fn, *args)
        with _without_main():
            return self._pool.submit(fn, *args)

    def warm(self, *modules: str) -> None:
        """Start the workers now and import ``modules`` in each, without waiting (a spawned
        worker takes ~0.5–2 s to import fiscal's solver stack; a pool kept for later work pays
        it in the background instead of on its first task)."""
        for _ in range(self.workers):
            self._submit(_import, modules)

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], progress: Progress | None = None
    ) -> list[R]:
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        futures: dict[Any, int] = {}
        out: list[Any] = [None] * len(items)
        try:
            for k, item in enumerate(items):  # a broken pool refuses here, or below
                futures[self._submit(fn, item)] = k
            for done, fut in enumerate(as_completed(futures), start=1):
                out[futures[fut]] = fut.result()
                if progress is not None:
                    progress(done, len(items))
        except BrokenProcessPool as exc:
            self.broken = True
            raise FiscalError(
                f"a worker process stopped abruptly ({exc}); if you call fiscal from a script, "
                "put the call under `if __name__ == '__main__':` (workers are started with "
                "'spawn'), or run in-process"
            ) from None
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
        return out

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


_main_lock = threading.Lock()


@contextlib.contextmanager
def _without_main() -> Iterator[None]:
    """While a worker is started (multiprocessing's spawn copies ``__main__``'s file and
    ``sys.path`` into it): a bare ``__main__`` (no file, no spec, as in an interactive
    session), so that the real one does not run in the worker, and ``sys.path`` without that
    file's folder, which a runner such as Streamlit puts first (in the app's folder
    ``numbers.py`` would shadow the standard library's in a fresh process)."""
    with _main_lock:
        main = sys.modules.get("__main__")
        path = sys.path
        where = getattr(main, "__file__", None)
        if where:
            folder = os.path.dirname(os.path.abspath(where))
            sys.path = [p for p in path if os.path.abspath(p or os.curdir) != folder]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.path = path
            if main is not None:
                sys.modules["__main__"] = main


def _import(modules: Sequence[str]) -> None:
    """Import ``modules`` (in a worker: :meth:`ProcessPool.warm`)."""
    import importlib

    for name in modules:
        importlib.import_module(name)


class DaskExecutor(Executor):
    """Tasks on a Dask cluster: ``DaskExecutor("tcp://host:8786")`` or an existing ``client``.

    On connecting it checks that every worker can import ``fiscal`` and has this version.
    """

    name = "dask"

    def __init__(
        self, address: str | None = None, *, client: Any = None, timeout: float = 10.0
    ) -> None:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise FiscalError("Dask is not installed: pip install 'dask[distributed]'") from exc
        self._own = client is None
        if client is None:
            if not address:
                raise FiscalError("a Dask scheduler address is needed, e.g. tcp://HOST:8786")
            try:
                client = Client(address, timeout=timeout)
            except (OSError, TimeoutError) as exc:
                raise FiscalError(
                    f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({exc}); "
                    "start it with `dask scheduler` and check the address and port"
                ) from None
        self.client = client
        self.address = getattr(client.scheduler, "address", address)
        self.name = f"dask {self.address}"
        self._check_workers()

    def _check_workers(self) -> None:
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        if not workers:
            self.close()
            raise FiscalError(
                f"the Dask scheduler at {self.address} has no workers; start some "
                f"with `dask worker {self.address}`"
            )
        self.workers = sum(int(w.get("nthreads", 1)) for w in workers.values())
        mine = importlib.metadata.version("fiscal")
        try:
            versions = self.client.run(importlib.metadata.version, "fiscal")
        except Exception as exc:  # the workers raise PackageNotFoundError
            self.close()
            raise FiscalError(
                f"a Dask worker at {self.address} cannot import fiscal ({type(exc).__name__}: "
                f"{exc}); install fiscal {mine} on every worker (pip install ...)"
            ) from None
        other = {w: v for w, v in versions.items() if v != mine}
        if other:
            self.close()
            raise FiscalError(
                f"Dask workers run fiscal {sorted(set(other.values()))}, this "
                f"machine {mine}; install the same version everywhere "
                f"(workers: {', '.join(sorted(other))})"
            )

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], progress: Progress | None = None
    ) -> list[R]:
        from distributed import as_completed

        futures = self.client.map(fn, list(items), pure=False)
        try:
            for done, _ in enumerate(as_completed(futures), start=1):
                if progress is not None:
                    progress(done, len(futures))
            return list(self.client.gather(futures))
        finally:
            self.client.cancel(futures)

    def close(self) -> None:
        if self._own and self.client is not None:
            self.client.close()
            self.client = None


def get_executor(spec: str | None = None, workers: int | None = None) -> Executor:
    """An executor from a short description.

    ``None`` or ``"inprocess"``: this process; ``"processes"`` (or ``workers`` given): a local
    process pool; ``"tcp://HOST:PORT"`` (any ``scheme://``): that Dask scheduler.
    """
    if spec is None or spec in ("", "inprocess", "in-process", "serial"):
        return ProcessPool(workers) if workers and workers > 1 else InProcess()
    if spec in ("processes", "local", "pool"):
        return ProcessPool(workers)
    if "://" in spec:
        return DaskExecutor(spec)
    raise FiscalError(
        f"unknown executor '{spec}'; use 'inprocess', 'processes' or a Dask "
        "scheduler address such as tcp://HOST:8786"
    )


def run_all(
    executor: Executor | None,
    fn: Callable[[T], R],
    items: Iterable[T],
    progress: Progress | None = None,
) -> list[R]:
    """``executor.map`` with the in-process executor as the default."""
    ex = executor or InProcess()
    return ex.map(fn, list(items), progress)
