"""Checks every command shares, so that bad input is refused before any work starts.

* :func:`load_yaml`: YAML through a :class:`yaml.SafeLoader` subclass that refuses duplicate keys
  (PyYAML keeps the last one silently), documents whose aliases expand beyond
  :data:`MAX_YAML_NODES` nodes (an "alias bomb": a few lines that expand to billions of nodes and
  exhaust memory when validated or printed) or refer to themselves, and non-finite numbers
  (``.nan``, ``.inf``), which no field of any innovsim file accepts.
* :data:`FiniteFloat`: a pydantic type for numbers in files: finite, and not ``true``/``false``.
* :data:`LIMITS`: the stated upper bound of every numeric command-line flag.
* :func:`check_output`: an output path that can be written: not a file, not inside a file, on a
  writable file system (so ``--out /proc/x`` or a read-only folder fail up front).
* :func:`locked`: an exclusive lock beside a target folder, so that two innovsim processes never
  write the same folder; stale staging folders of killed runs are removed under it.
* :func:`staged` and :func:`publish_files`: outputs are written to a fresh staging folder and only
  then moved into place, whole (a failure leaves the old folder as it was) or file by file (each
  file whole, old or new).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Iterator

import yaml
from pydantic import AllowInfNan, Strict

from sim.errors import InputError

#: Largest document, in nodes after expanding aliases, that any innovsim YAML file may have.
MAX_YAML_NODES = 100_000
#: Largest YAML file read, in bytes.
MAX_YAML_BYTES = 10_000_000

#: Upper bounds of numeric flags (inclusive); lower bounds are given where each flag is declared.
LIMITS: dict[str, float] = {
    "--replicates": 10_000, "--seed": 2**63 - 1, "--scale": 100_000, "--horizon": 2060,
    "--workers": 256, "--dask-workers": 256, "--budget": 1_000_000, "--particles": 10_000,
    "--check-replicates": 10_000, "--check-scale": 100_000, "--min-epsilon": 1_000_000, "--max-generations": 1_000,
    "--hold-generations": 1_000,
}
#: Largest number of runs (design rows x replicates) a sweep may ask for.
MAX_SWEEP_RUNS = 100_000
#: Smallest Sobol' base sample: below it the bootstrap confidence intervals are meaningless
#: (with one sample SALib reports intervals of 1e-16).
MIN_SOBOL_SAMPLES = 8

#: A number in an input file: finite, and a boolean is not a number.
FiniteFloat = Annotated[float, Strict(), AllowInfNan(False)]


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and alias bombs."""

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        if isinstance(node, yaml.MappingNode):
            seen: set = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:           # an unhashable key: the base class explains it
                    continue
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {str(key)[:60]!r} (each key may appear once)", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep)

    def construct_yaml_timestamp(self, node):  # type: ignore[override]
        """A date YAML cannot build (2024-13-45) is an error at its line, not a bare ValueError."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid date ({exc}); dates are YYYY or YYYY-MM-DD",
                node.start_mark) from None

    def get_single_data(self):  # type: ignore[override]
        node = self.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        return self.construct_document(node)


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_yaml_timestamp)


def _expanded_size(root: yaml.Node) -> int:
    """Nodes of the document with every alias expanded; raises beyond :data:`MAX_YAML_NODES`."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise yaml.composer.ComposerError(None, None, "an alias refers to the node that contains it",
                                              node.start_mark)
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        active.discard(key)
        if total > MAX_YAML_NODES:
            raise yaml.composer.ComposerError(None, None, f"the document expands to more than {MAX_YAML_NODES:,} "
                                              f"values (aliases repeated within aliases?)", node.start_mark)
        sizes[key] = total
        return total

    import sys
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        return size(root)
    except RecursionError:
        raise yaml.composer.ComposerError(None, None, "the document is nested too deeply", root.start_mark) from None
    finally:
        sys.setrecursionlimit(limit)


def _non_finite(data: Any, where: str = "") -> str | None:
    """The path of the first non-finite number in ``data``, or None."""
    if isinstance(data, float) and not math.isfinite(data):
        return where or "(top level)"
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = ((f"[{i}]", v) for i, v in enumerate(data))
    else:
        return None
    for key, value in items:
        sub = f"{where}{key}" if str(key).startswith("[") else f"{where}.{key}" if where else str(key)
        found = _non_finite(value, sub)
        if found:
            return found
    return None


def load_yaml(path: Path) -> Any:
    """Read a YAML file with :class:`StrictLoader`; every problem is an :class:`InputError`."""
    path = Path(path)
    try:
        exists, is_file = path.exists(), path.is_file()
    except OSError as exc:                     # e.g. a symbolic link loop
        raise InputError(f"cannot be read ({os.strerror(exc.errno) if exc.errno else exc})", file=path) from None
    if not exists:
        raise InputError("file not found", file=path)
    if not is_file:
        raise InputError("is not a file", file=path)
    if path.stat().st_size > MAX_YAML_BYTES:
        raise InputError(f"is larger than {MAX_YAML_BYTES // 1_000_000} MB; innovsim's YAML files are small", file=path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot be read ({exc.__class__.__name__})", file=path) from None
    try:
        data = yaml.load(text, Loader=StrictLoader)   # noqa: S506 - StrictLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "syntax"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        kind = "YAML syntax error" if isinstance(exc, (yaml.scanner.ScannerError, yaml.parser.ParserError)) else "invalid YAML"
        raise InputError(f"{kind}: {problem}", file=path, field=where) from None
    except RecursionError:
        raise InputError("is nested too deeply to be a YAML input of innovsim", file=path) from None
    except (ValueError, OverflowError) as exc:   # e.g. a date-like value YAML cannot build, such as 2016-13-01
        raise InputError(f"invalid value: {str(exc)[:200]}", file=path, field="YAML") from None
    bad = _non_finite(data)
    if bad:
        raise InputError("must be a finite number (not .nan or .inf)", file=path, field=bad)
    return data


def resolve_path(path: Path, *, file: Path | None = None, field: str | None = None) -> Path:
    """``path`` made absolute with symbolic links followed; a loop of links is an :class:`InputError`
    naming ``file`` (the file that points at ``path``) or else ``path`` itself.

    The strict resolution is tried first because Python 3.13 no longer reports a loop in the
    non-strict one (it returns the looping path as it is); a path that merely does not exist yet
    is then resolved leniently, as before."""
    try:
        return Path(path).resolve(strict=True)
    except RuntimeError:                          # "Symlink loop" before Python 3.13
        pass
    except OSError as exc:                        # ELOOP from Python 3.13 on
        if exc.errno != errno.ELOOP:              # e.g. not there yet: resolve leniently
            try:
                return Path(path).resolve()
            except (RuntimeError, OSError):       # a loop further up, before Python 3.13
                pass
    if file is None:
        raise InputError("cannot be read (a loop of symbolic links)", file=path, field=field) from None
    raise InputError(f"points at {path}, a loop of symbolic links", file=file, field=field) from None


def did_you_mean(name: str, known) -> str:
    """`` (did you mean 'x'?)`` for the known name nearest a misspelled one, or nothing when none
    is near (difflib's ratio of at least 0.8: a letter or two out in a long name)."""
    import difflib

    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.8)
    return f" (did you mean {close[0]!r}?)" if close else ""


def short(value: Any, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters, for error messages about arbitrary input."""
    import reprlib

    r = reprlib.Repr()
    r.maxstring, r.maxother, r.maxlevel, r.maxdict, r.maxlist = limit, limit, 3, 6, 6
    text = r.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- output folders --------------------------------------------------------------------------------
def check_output(out: Path, flag: str = "--out", *, kind: str = "folder", whole: bool = True) -> Path:
    """Refuse an output path that cannot be written, before any work; nothing is created.

    The nearest existing ancestor must be a folder in which this process can create a folder
    (checked by creating and removing a temporary one: permission bits alone say nothing for
    root, read-only mounts or pseudo file systems such as /proc). A folder that is replaced
    ``whole`` may not be the current folder or hold it (replacing it would pull the folder from
    under the user's shell); one whose files are replaced one by one in place, as
    ``calibrate --report-only`` does, may.
    """
    out = Path(out)
    try:
        if out.exists() and not out.is_dir():
            raise InputError(f"is an existing file, not a {kind}; choose a folder", file=out, field=flag)
        here, where = Path.cwd().resolve(), out.resolve()
        if whole and (where == here or where in here.parents):
            raise InputError(f"is the current folder or holds it, and a result folder is replaced whole; "
                             f"choose a {kind} of its own", file=out, field=flag)
        ancestor = out if out.exists() else out.parent
        while not ancestor.exists():
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise InputError(f"cannot be created: {ancestor} is a file", file=out, field=flag)
        probe = tempfile.mkdtemp(prefix=".innovsim-probe-", dir=ancestor)
        os.rmdir(probe)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise InputError(f"cannot be written ({reason})", file=out, field=flag) from None
    return out


def rename_no_replace(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst``, failing if ``dst`` exists, atomically where the kernel can.

    ``os.rename`` of a folder silently replaces an *empty* folder at ``dst``; Linux's
    ``renameat2(RENAME_NOREPLACE)`` refuses any existing ``dst`` in the same system call, which
    closes the gap between our last check and the rename. Elsewhere (or on file systems without
    it) the check is made just before ``os.rename``.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        at_fdcwd, rename_noreplace = -100, 1
        if renameat2(at_fdcwd, os.fsencode(src), at_fdcwd, os.fsencode(dst), rename_noreplace) == 0:
            return
        err = ctypes.get_errno()
        if err == errno.EEXIST:
            raise FileExistsError(err, os.strerror(err), str(dst))
        if err not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(err, os.strerror(err), str(src))
    if os.path.lexists(dst):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(dst))
    os.rename(src, dst)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


@contextlib.contextmanager
def locked(target: Path) -> Iterator[Path]:
    """Hold an exclusive lock on ``target`` (a lock file beside it) for the block.

    Refuses, as an :class:`InputError`, when another process holds it. Under the lock, staging
    and replaced copies of ``target`` left by a killed process beside it (``.NAME.staging-*``,
    ``.NAME.old-*``, and ``.NAME.backtest-staging-*`` of earlier versions) are removed: no live
    process can own them. Nothing inside ``target`` is touched here, since nothing has yet checked
    that innovsim wrote it (:func:`staged` clears its own leftovers inside). The lock file is
    removed on release. ``fcntl`` locks are released by the kernel when a process dies, even by SIGKILL.
    """
    target = Path(target)
    # the lock's name from the absolute path, so that ``.`` and the folder's own name share one lock
    where = Path(os.path.abspath(target))
    where.parent.mkdir(parents=True, exist_ok=True)
    lock = where.parent / f".{where.name}.lock"
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise InputError(f"is in use by another innovsim process; wait for it to finish "
                                 f"(lock {lock.name})", file=target) from None
            raise
        if _same_file(fd, lock):        # not unlinked by a releasing holder meanwhile
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        for pattern in (".staging-*", ".old-*", ".backtest-staging-*"):
            for stale in where.parent.glob(f".{where.name}{pattern}"):
                remove_tree(stale)
        yield target
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


@contextlib.contextmanager
def staged(out: Path, *, inside: bool = False, at: Path | None = None) -> Iterator[Path]:
    """A fresh, empty folder in which the outputs for ``out`` are written before they are published.

    Outputs are never written in place: a command writes them here and then moves them into
    ``out``, whole by one rename or file by file (:func:`publish_files`), so a failure on the
    way leaves ``out`` as it was. The folder is ``.NAME.staging-PID`` beside ``out``, or
    ``.staging-PID`` inside it with ``inside`` (for outputs replaced in place file by file, each
    by a rename within one file system), or ``at`` if given. Whatever happens in the block, the
    folder is gone when it ends: what was published from it has been moved out already. The
    caller holds ``out``'s lock (:func:`locked`), which removes the folders a killed process left
    beside ``out``; with ``inside`` the caller has also checked that innovsim wrote ``out``, and the
    folders a killed process left inside it (``.staging-PID`` and, from earlier versions,
    ``.report-staging-PID``, digits only) are removed here.
    """
    out = Path(out)
    pid = os.getpid()
    stage = at or (out / f".staging-{pid}" if inside else out.parent / f".{out.name}.staging-{pid}")
    if inside and at is None:
        for left in [*out.glob(".staging-*"), *out.glob(".report-staging-*")]:
            if left.name.rsplit("-", 1)[1].isdigit() and left.is_dir() and not left.is_symlink():
                remove_tree(left)
    remove_tree(stage)
    stage.mkdir(parents=True)
    try:
        yield stage
    finally:
        remove_tree(stage)


def publish_files(stage: Path, out: Path) -> None:
    """Move every file under ``stage`` to the same place under ``out``; each replaces its old version
    in one rename, and keeps that version's permission bits where the file system allows (so a
    report a user made read-only for others stays so when it is rewritten). Each file is whole, old
    or new; the set is not replaced at once, so a failure partway leaves some files new."""
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(stage.rglob("*")):
        if path.is_file():
            dest = out / path.relative_to(stage)
            dest.parent.mkdir(parents=True, exist_ok=True)
            # the old mode, unless it would hide the new file from its owner; where the file
            # system refuses chmod (vfat, CIFS) the new file keeps its own
            if dest.is_file() and not dest.is_symlink() and dest.stat().st_mode & 0o400:
                with contextlib.suppress(OSError):
                    shutil.copymode(dest, path)
            os.replace(path, dest)


def remove_tree(path: Path) -> None:
    """Remove a folder (or file), making read-only entries writable first; missing is fine."""
    def retry(func, p, _exc):
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(p) or ".", 0o700)
            os.chmod(p, 0o700)
        func(p)

    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, onerror=retry)
    elif path.exists() or path.is_symlink():
        path.unlink()
