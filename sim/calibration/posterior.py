"""Behavioural parameters for each replicate of a run: posterior, posterior median, prior or default.

A scenario run carries parameter uncertainty by giving each replicate its own parameters:

* ``posterior`` (the default): replicate ``r`` draws one particle of
  ``calibration/posterior.parquet`` with probability equal to its weight. The draw uses its own
  random stream, ``SeedSequence([replicate seed, DRAW_STREAM])``, so it depends only on the
  replicate's seed: replicate ``r`` of two scenarios run with the same seed uses the same
  particle, and differences between scenarios stay paired.
* ``median``: every replicate uses the posterior's weighted marginal medians (dice only).
* ``prior``: each replicate draws from ``calibration/priors.yaml`` (how wide the projections are
  before calibration).
* ``default``: the catalogue's hand-set values (:mod:`sim.parameters`), for comparison.

A scenario's own ``parameters:`` overrides apply on top of every source.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from sim.calibration.priors import CATALOGUE, Priors, load_priors
from sim.errors import InputError
from sim.parameters import Parameters
from sim.resources import data_file

DEFAULT_POSTERIOR = data_file("calibration/posterior.parquet")
SOURCES = ("posterior", "median", "prior", "default")
#: Second entropy word of the parameter draw's random stream (ASCII "PARM"), keeping it apart
#: from the model's own stream, which is seeded by the replicate seed alone.
DRAW_STREAM = 0x5041524D
#: Columns of posterior.parquet that are not parameters.
META_COLUMNS = ("particle", "weight", "distance", "generation", "epsilon")


@dataclass(frozen=True)
class Posterior:
    """Weighted parameter samples."""

    samples: pd.DataFrame            # one column per free parameter, natural units
    weights: np.ndarray              # summing to one
    path: Path | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.samples.columns)

    @classmethod
    def load(cls, path: str | Path = DEFAULT_POSTERIOR) -> "Posterior":
        """Read ``posterior.parquet``; a missing or malformed file is an :class:`InputError`."""
        path = Path(path)
        if not path.exists():
            raise InputError("not found; run `innovsim calibrate`, or choose --parameters default|prior", file=path)
        if not path.is_file():
            raise InputError("is not a file; a posterior is one Parquet file (posterior.parquet)", file=path)
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same one-line answer
            raise InputError(f"cannot be read as Parquet ({exc.__class__.__name__})", file=path) from None
        if "weight" not in frame:
            raise InputError("has no `weight` column", file=path, field="weight")
        names = [c for c in frame.columns if c not in META_COLUMNS]
        if not names:
            raise InputError("has no parameter columns (only " + ", ".join(map(str, frame.columns)) + "); a posterior "
                             "needs one column per free parameter", file=path)
        unknown = [c for c in names if c not in CATALOGUE]
        if unknown:
            raise InputError(f"unknown parameter column {unknown[0]!r}", file=path, field=unknown[0])
        w = frame["weight"].to_numpy(dtype=float)
        if len(w) == 0 or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise InputError("weights must be non-negative numbers with a positive sum", file=path, field="weight")
        samples = frame[names].astype(float).reset_index(drop=True)
        for name in names:
            spec = CATALOGUE[name]
            bad = ~samples[name].between(spec.low, spec.high)
            if bad.any():
                raise InputError(f"value {samples[name][bad].iloc[0]:g} outside the plausible range "
                                 f"{spec.low:g} to {spec.high:g}", file=path, field=name)
        return cls(samples, w / w.sum(), path)

    def particle_of(self, seed: int) -> int:
        """The particle replicate seed ``seed`` draws."""
        rng = np.random.default_rng(np.random.SeedSequence([int(seed), DRAW_STREAM]))
        return int(rng.choice(len(self.weights), p=self.weights))

    def values(self, particle: int) -> dict[str, float]:
        return {k: float(v) for k, v in self.samples.iloc[particle].items()}

    def median(self) -> dict[str, float]:
        """Weighted marginal medians."""
        from sim.calibration.abc_smc import weighted_quantile

        return {n: weighted_quantile(self.samples[n].to_numpy(), self.weights, 0.5) for n in self.names}

    def quantiles(self, q: float) -> dict[str, float]:
        from sim.calibration.abc_smc import weighted_quantile

        return {n: weighted_quantile(self.samples[n].to_numpy(), self.weights, q) for n in self.names}

    def mean(self) -> dict[str, float]:
        return {n: float(self.weights @ self.samples[n].to_numpy()) for n in self.names}

    def correlation(self) -> pd.DataFrame:
        """Weighted correlation matrix of the parameters."""
        x = self.samples.to_numpy()
        cov = np.cov(x, rowvar=False, aweights=self.weights)
        sd = np.sqrt(np.diag(cov))
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = cov / np.outer(sd, sd)
        return pd.DataFrame(corr, index=self.names, columns=self.names)

    def ess(self) -> float:
        """Effective sample size with copies pooled: identical particles (a particle the sampler's
        moves did not change is a copy) pool their weights, as the sampler's generations count it
        (:attr:`sim.calibration.abc_smc.Population.ess`); 200 equal weights on 101 distinct
        particles are not 200 draws."""
        pooled = pd.Series(self.weights).groupby(self._copies()).sum().to_numpy()
        return float(1.0 / np.sum(pooled ** 2))

    def distinct(self) -> int:
        """Distinct particles (copies counted once)."""
        return int(len(set(self._copies())))

    def _copies(self) -> np.ndarray:
        return pd.util.hash_pandas_object(self.samples, index=False).to_numpy()

    def sha256(self) -> str:
        if self.path is None:
            return ""
        return hashlib.sha256(Path(self.path).read_bytes()).hexdigest()


@dataclass(frozen=True)
class ReplicateParameters:
    """Each replicate's parameters and where they came from."""

    source: str
    parameters: tuple[Parameters, ...]
    table: pd.DataFrame              # replicate, seed, particle (posterior only), the varied parameters
    provenance: dict                 # for the manifest


def for_replicates(source: str, seeds: Sequence[int], overrides: Mapping[str, float] | None = None, *,
                   posterior: str | Path = DEFAULT_POSTERIOR, priors: str | Path | Priors | None = None) -> ReplicateParameters:
    """Parameters of each replicate (by seed) under ``source``, with scenario ``overrides`` on top."""
    overrides = dict(overrides or {})
    defaults = Parameters.defaults()
    rows: list[dict] = []
    provenance: dict = {"source": source}
    if source in ("posterior", "median"):
        post = Posterior.load(posterior)
        provenance.update(posterior=str(post.path), posterior_sha256=post.sha256(), particles=len(post.weights),
                          effective_sample_size=round(post.ess(), 1), distinct_particles=post.distinct())
        median = post.median()
        for r, seed in enumerate(seeds):
            if source == "posterior":
                k = post.particle_of(seed)
                rows.append({"replicate": r, "seed": np.uint64(seed), "particle": k, **post.values(k)})
            else:
                rows.append({"replicate": r, "seed": np.uint64(seed), **median})
    elif source == "prior":
        pri = priors if isinstance(priors, Priors) else load_priors(priors) if priors else load_priors()
        provenance.update(priors=str(pri.path), priors_sha256=pri.sha256())
        for r, seed in enumerate(seeds):
            rng = np.random.default_rng(np.random.SeedSequence([int(seed), DRAW_STREAM]))
            rows.append({"replicate": r, "seed": np.uint64(seed), **pri.draw(rng)})
    elif source == "default":
        rows = [{"replicate": r, "seed": np.uint64(seed)} for r, seed in enumerate(seeds)]
    else:
        raise InputError(f"unknown parameter source {source!r}; allowed: {', '.join(SOURCES)}", field="--parameters")
    if overrides:
        provenance["scenario_overrides"] = overrides
    params = []
    for row in rows:
        values = {k: v for k, v in row.items() if k not in ("replicate", "seed", "particle")}
        params.append(defaults.replace(**(values | overrides)))
    return ReplicateParameters(source, tuple(params), pd.DataFrame(rows), provenance)
