"""Evaluators: where runs execute. Each is a context manager with one method,
``imap_unordered(fn, tasks)``, that yields results as they finish.

* :class:`LocalEvaluator` runs tasks in worker processes on this machine (or in this process
  when ``workers == 1``).
* :class:`DaskEvaluator` sends them to a Dask distributed cluster: an existing one
  (``scheduler="tcp://host:8786"``) or a :class:`distributed.LocalCluster` it starts and stops.

Results do not depend on the evaluator: every task carries its own seed, and the caller orders
results by task id.
"""

from __future__ import annotations

import re
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Callable, Iterable, Iterator

from sim.errors import InputError
from sim.inputs import short
from sim.processes import make_pool, stop_pool

#: What --scheduler accepts: [protocol://]host:port, as Dask's Client does.
SCHEDULER_ADDRESS = re.compile(r"(?:(?:tcp|tls|ucx|ws|wss)://)?(?:[A-Za-z0-9._\-]+|\[[0-9A-Fa-f:]+\]):[0-9]{1,5}")


class LocalEvaluator:
    """Worker processes on this machine."""

    def __init__(self, workers: int = 1):
        self.workers = max(1, int(workers))
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "LocalEvaluator":
        if self.workers > 1:
            self._pool = make_pool(self.workers)
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if self._pool is not None:
            stop_pool(self._pool, kill=exc_type is not None)     # interrupted: no worker runs on
            self._pool = None

    def imap_unordered(self, fn: Callable, tasks: Iterable) -> Iterator:
        tasks = list(tasks)
        if self._pool is None:
            for task in tasks:
                yield fn(task)
            return
        # Keep a bounded number of tasks in flight so memory stays flat on long sweeps.
        it = iter(tasks)
        pending = set()
        for task in it:
            pending.add(self._pool.submit(fn, task))
            if len(pending) >= 4 * self.workers:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
                nxt = next(it, None)
                if nxt is not None:
                    pending.add(self._pool.submit(fn, nxt))


class DaskEvaluator:
    """A Dask distributed cluster: an existing scheduler, or a LocalCluster started here."""

    def __init__(self, scheduler: str | None = None, workers: int = 2):
        if scheduler is not None and not SCHEDULER_ADDRESS.fullmatch(scheduler):
            raise InputError(f"must be a scheduler address such as tcp://host:8786, got {short(scheduler, 60)}",
                             field="--scheduler")
        self.scheduler = scheduler
        self.workers = max(1, int(workers))
        self._cluster = None
        self._client = None

    def __enter__(self) -> "DaskEvaluator":
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self._client = Client(self.scheduler, timeout="30s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError(f"cannot reach a Dask scheduler at {self.scheduler!r} "
                                 f"({exc.__class__.__name__})", field="--scheduler") from None
        else:
            self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=40)
            self._client = Client(self._cluster)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def imap_unordered(self, fn: Callable, tasks: Iterable) -> Iterator:
        from distributed import as_completed

        futures = [self._client.submit(fn, task, pure=False) for task in tasks]
        for future in as_completed(futures):
            yield future.result()
            future.release()
