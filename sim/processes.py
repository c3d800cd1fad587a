"""Worker processes that never outlive the command that started them.

* :func:`make_pool` starts a :class:`~concurrent.futures.ProcessPoolExecutor` whose workers ask
  the Linux kernel to kill them when their parent dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``),
  so even a SIGKILL of the main process, which runs no handler, leaves no worker behind. Where
  ``prctl`` is unavailable a watchdog thread in each worker polls ``os.getppid()`` instead.
  Workers ignore SIGINT: a Ctrl-C reaches the whole process group, and the main process stops
  them itself.
* :func:`stop_pool` ends a pool at once, killing running workers rather than waiting for their
  replicates (``shutdown(wait=True)`` would wait for every running simulation).
* :func:`terminate_as_interrupt` turns SIGTERM and SIGHUP into a :class:`KeyboardInterrupt`
  in the main process, so they clean up exactly like Ctrl-C does.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Iterator

PR_SET_PDEATHSIG = 1


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled like Ctrl-C; ``signal`` is the signal's number."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signal = signum


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block (main thread only), SIGTERM and SIGHUP raise :class:`Terminated`."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, _frame):
        raise Terminated(signum)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _die_with_parent(parent: int) -> None:
    """Make this process die when ``parent`` does (run first thing in every worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    armed = False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):        # not Linux
        armed = False
    if os.getppid() != parent:               # the parent died before prctl took effect
        os._exit(1)
    if not armed:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)
        threading.Thread(target=watch, daemon=True, name="innovsim-parent-watch").start()


def make_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process (see the module docstring)."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                               initializer=_die_with_parent, initargs=(os.getpid(),))


def stop_pool(pool: ProcessPoolExecutor, *, kill: bool) -> None:
    """Shut ``pool`` down; with ``kill``, end its running workers at once instead of waiting."""
    if kill:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):
                process.kill()
    pool.shutdown(wait=True, cancel_futures=True)
