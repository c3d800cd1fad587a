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

import multiprocessing
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Callable, Iterable, Iterator


class LocalEvaluator:
    """Worker processes on this machine."""

    def __init__(self, workers: int = 1):
        self.workers = max(1, int(workers))
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "LocalEvaluator":
        if self.workers > 1:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(method))
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
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
        self.scheduler = scheduler
        self.workers = max(1, int(workers))
        self._cluster = None
        self._client = None

    def __enter__(self) -> "DaskEvaluator":
        from distributed import Client, LocalCluster

        if self.scheduler:
            self._client = Client(self.scheduler, timeout="30s")
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
