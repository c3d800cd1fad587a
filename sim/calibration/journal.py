"""The calibration's record on disk: every finished simulation, written as it finishes.

A calibration folder holds

* ``calibration.json``: what is being calibrated (targets, priors, settings, model source);
  resuming with anything different is refused;
* ``generation_NN.jsonl``: one line per finished simulation of generation ``NN``, appended and
  flushed the moment the result arrives: the proposal's index, its point in the unit cube, its
  seed, the simulated figures, its distance and whether it ran. A crash loses at most the runs
  in flight; a half-written last line is ignored on reading;
* ``population_NN.parquet``: a completed generation's particles, weights and distances, written
  through a temporary name so that it is whole or absent.

Because each proposal is fixed by its generation and index (:mod:`sim.calibration.abc_smc`), a
resumed calibration recomputes nothing it has on disk and ends with the same posterior.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import InputError
from sim.runner import write_atomic


@dataclass(frozen=True)
class Record:
    """One finished simulation."""

    index: int
    unit: tuple[float, ...]
    seed: int
    stats: dict[str, float]
    distance: float
    ok: bool = True
    error: str = ""

    def to_json(self) -> str:
        d = float(self.distance)
        return json.dumps({"i": self.index, "u": list(self.unit), "seed": self.seed, "stats": self.stats,
                           "d": d if np.isfinite(d) else None, "ok": self.ok, "error": self.error})

    @classmethod
    def from_json(cls, line: str) -> "Record":
        r = json.loads(line)
        d = float("inf") if r["d"] is None else float(r["d"])
        return cls(int(r["i"]), tuple(r["u"]), int(r["seed"]), {k: (float("nan") if v is None else float(v))
                   for k, v in r["stats"].items()}, d, bool(r["ok"]), r.get("error", ""))


class Journal:
    """The calibration folder."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    # --- identity ------------------------------------------------------------------------------
    def prepare(self, identity: dict, resume: bool) -> None:
        """Start a new folder, or check that ``resume`` continues the same calibration."""
        marker = self.folder / "calibration.json"
        self.refuse_without_resume(resume)
        if self.folder.exists() and any(self.folder.iterdir()):
            if not marker.exists():
                raise InputError("is not a calibration folder (no calibration.json); cannot resume it", file=self.folder)
            try:
                old = json.loads(marker.read_text())
            except (OSError, ValueError):
                old = None
            if not isinstance(old, dict):
                raise InputError("cannot be read; cannot resume this calibration, use --work for a new folder",
                                 file=marker)
            for key, what in (("targets", "the targets"), ("priors", "the priors"), ("settings", "the settings"),
                              ("source", "the model's code")):
                if old.get(key) != identity.get(key):
                    raise InputError(f"cannot resume: {what} changed since this calibration started; use --work "
                                     f"for a new folder", file=self.folder)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(marker, lambda p: p.write_text(json.dumps(identity, indent=1, default=str)))

    def refuse_without_resume(self, resume: bool) -> None:
        """A folder that holds a calibration is continued only with ``resume``."""
        if not resume and self.folder.is_dir() and any(self.folder.iterdir()):
            raise InputError("already holds a calibration; use --resume to continue it, or --work for "
                             "another folder", file=self.folder)

    # --- simulations ---------------------------------------------------------------------------
    def _records_path(self, generation: int) -> Path:
        return self.folder / f"generation_{generation:02d}.jsonl"

    def records(self, generation: int) -> dict[int, Record]:
        """Every finished simulation of a generation, by proposal index."""
        path = self._records_path(generation)
        out: dict[int, Record] = {}
        if not path.exists():
            return out
        for line in path.read_text().splitlines():
            try:
                rec = Record.from_json(line)
            except (ValueError, KeyError, TypeError):
                continue                     # a line cut short by a crash
            out[rec.index] = rec
        return out

    def open(self, generation: int) -> "_Appender":
        return _Appender(self._records_path(generation))

    def runs(self, generations: int | None = None) -> int:
        """Simulations on disk, in all generations or in the first ``generations``."""
        started = self.generations_started()
        return sum(len(self.records(g)) for g in range(started if generations is None else min(started, generations)))

    def generations_started(self) -> int:
        g = 0
        while self._records_path(g).exists():
            g += 1
        return g

    # --- populations ---------------------------------------------------------------------------
    def population_path(self, generation: int) -> Path:
        return self.folder / f"population_{generation:02d}.parquet"

    def write_population(self, generation: int, frame: pd.DataFrame) -> None:
        write_atomic(self.population_path(generation), lambda p: frame.to_parquet(p, index=False))

    def read_population(self, generation: int) -> pd.DataFrame | None:
        path = self.population_path(generation)
        return pd.read_parquet(path) if path.exists() else None


class _Appender:
    """Appends records to a generation's file, flushing each to disk at once."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        # A crash may have left a partial last line: start on a fresh line.
        needs_newline = path.exists() and path.stat().st_size > 0 and not path.read_bytes().endswith(b"\n")
        self._file = path.open("a", encoding="utf-8")
        if needs_newline:
            self._file.write("\n")

    def write(self, record: Record) -> None:
        self._file.write(record.to_json() + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "_Appender":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
