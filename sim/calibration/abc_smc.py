"""Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC) with MCMC moves.

The model is a stochastic simulator with no likelihood we can write down. ABC replaces the
likelihood by a comparison: a parameter point is kept when a simulation run at it lands within
a distance ``epsilon`` of the documented figures (:mod:`sim.calibration.distance`). Sequential
Monte Carlo makes this affordable by shrinking ``epsilon`` over generations. Each generation
moves the particles that survive the new threshold by a Metropolis-Hastings step whose
invariant law is the ABC posterior at that threshold (the adaptive sampler of Del Moral, Doucet
& Jasra 2012, with one simulation per particle):

1. Generation 0 draws ``N`` points from the prior and keeps the first ``N`` that run.
2. Generation ``t`` sets ``epsilon_t`` to the ``alpha`` quantile of the previous generation's
   distances, but not below ``min_epsilon``. The particles within ``epsilon_t`` survive (their
   weights become 0 or 1, Del Moral et al. 2012 with ``M = 1``); ``N`` ancestors are drawn from
   them by systematic resampling, so that all weights are equal again.
3. In each of ``moves`` rounds, each particle proposes a Gaussian step in logit coordinates (:class:`Proposer`: the
   unit cube of the priors, :mod:`sim.calibration.priors`, mapped onto the whole space), with
   ``kernel_scale`` times the survivors' covariance. The move is accepted with the
   Metropolis-Hastings probability of the joint ABC target
   ``prior(theta) p(x | theta) 1[d(x) <= epsilon]``: its prior part (the uniform prior's density
   in logit coordinates) is decided first, without a simulation; a move that passes it is
   simulated and accepted when its distance is at most ``epsilon_t``. So a population drawn from
   the ABC posterior at ``epsilon_t`` stays drawn from it. Particle ``i`` of generation ``t`` is
   where its last accepted move took it, or its ancestor.
4. The threshold stops shrinking after the generation whose ``epsilon`` reached ``min_epsilon``, or
   whose moves were accepted less often than ``min_acceptance`` (the chain no longer mixes at that
   threshold). Then ``hold_generations`` more generations move the particles without shrinking
   the threshold (below, "Why hold"), and the sampler stops. They start from the last generation
   and its threshold, or, if its moves no longer mixed, from the generation before it and that
   one's threshold: the last at which the chain did mix.
5. It also stops after ``max_generations``, or when the budget is spent (the posterior is then the
   last complete generation). The target distance is the stop the method aims at; the budget
   bounds the cost; ``max_generations`` is only a guard against a threshold that creeps down for
   ever, set above the generations the budget can pay for (about 25 of 200 particles in the
   documented budget of 5,000), so that it does not stop a fit short of its target while budget
   is left. Like the budget, it decides where a run stops, not what any generation computes, so
   raising it continues a journalled run; so does ``hold_generations``.

Why moves and not importance weights. The population Monte Carlo sampler we used before
(Beaumont et al. 2009; Toni et al. 2009) weights each kept proposal by
``prior / sum_j W_j K(theta | theta_j)``. With 25 free parameters that ratio spans orders of
magnitude: the effective sample size fell from 42 to 9 and then to 1-2 of 200 particles within
two generations, and the budget went on generations that were one particle weighted as two
hundred. Here every weight is equal by construction; what a hard generation costs is particles
that did not move (copies), which ``unique`` and the effective sample size (copies pooled)
report and ``min_acceptance`` bounds.

**Why hold.** A generation at a threshold the chain cannot mix at ends as copies: in the fit
committed before the hold (``calibration/generations.csv`` of 2026-12-07), generation 17 accepted
4 % of its moves and kept 44 distinct particles of 200 (ESS 11); the generation published instead,
16, had 72 (ESS 27), and 1,889 of the 5,000 simulations budgeted were never spent. The moves leave
the ABC posterior at a fixed threshold invariant (step 3), so more of them can only bring a
population closer to a sample of it: copies that move become distinct particles, and nothing is
reweighted. This is the idea of Drovandi & Pettitt (2011), who repeat the MCMC step until a
particle is left unmoved with a small probability ``c`` only; for ``c`` of 0.01 and acceptances of
4-6.5 % that takes 69-113 rounds, so the hold is instead a fixed number of generations (four:
eight rounds of moves, at most 1,600 simulations at 200 particles, about half that late in the
fit, where the prior's part rejects half the moves before any simulation) that the documented
budget pays for. A particle is then left unmoved with probability ``(1 - a)^8``: 0.72 at an
acceptance ``a`` of 4 %, 0.58 at 6.5 %. The first version held generation 17 at its own threshold: in that run
the four held generations accepted 3.5-4.3 % of their moves and took the distinct particles from
44 to 74, but the ESS only from 10.7 to 12.3, as the moves seldom broke up the large families of
copies; by the sampler's own test that threshold was one the chain no longer mixed at. So the
hold starts from the last generation whose moves did mix, at its threshold (step 4). Holding
does not choose a threshold by looking at the fit: it is a threshold of the schedule, and which
generation is published is still decided by the effective sample size alone
(:func:`sim.calibration.run.published_generation`). That measure, like ``unique``, counts a copy
that moved as a new particle however short its step (a proposal's standard deviation is
``2.38 / sqrt(d)``, about 0.4, of the population's in each coordinate with ``d`` = 38), so after
a hold it overstates how independent the particles are, though not by reweighting anything.

**Budget.** The budget counts *simulations*, by index. Generation 0 uses the proposals up to its
``N``-th kept one; a later generation uses its ``moves`` times ``N`` moves, less those the prior's part
rejected.
A generation the budget cannot finish simulates its moves in index order up to the budget and
stops there; the posterior is the last complete generation, and a resumed run with a larger
budget continues the same moves. Simulations that were in flight when a generation completed
are kept in the journal but not counted, so the cut falls at the same proposal whatever the
number of workers.

**Reproducibility.** Proposal ``i`` of generation ``t`` depends only on ``(seed, t, i)`` and the
previous population: its random stream is ``SeedSequence([seed, t, i])``, and so is the seed of
its simulation; the resampling of generation ``t`` uses ``SeedSequence([seed, t, RESAMPLING])``.
Proposals go out in blocks, in parallel, and finish in any order. The posterior therefore does
not depend on the number of workers, on where they run, on the block sizes, or on interruptions.

References
----------
Beaumont, M. A., Cornuet, J.-M., Marin, J.-M. & Robert, C. P. (2009). Adaptive approximate
Bayesian computation. *Biometrika* 96(4), 983-990.

Christen, J. A. & Fox, C. (2005). Markov chain Monte Carlo using an approximation. *Journal of
Computational and Graphical Statistics* 14(4), 795-810 (delayed acceptance).

Del Moral, P., Doucet, A. & Jasra, A. (2012). An adaptive sequential Monte Carlo method for
approximate Bayesian computation. *Statistics and Computing* 22(5), 1009-1020.

Drovandi, C. C. & Pettitt, A. N. (2011). Estimation of parameters for macroparasite population
evolution using approximate Bayesian computation. *Biometrics* 67(1), 225-233.

Kitagawa, G. (1996). Monte Carlo filter and smoother for non-Gaussian nonlinear state space
models. *Journal of Computational and Graphical Statistics* 5(1), 1-25 (systematic resampling).

Roberts, G. O., Gelman, A. & Gilks, W. R. (1997). Weak convergence and optimal scaling of random
walk Metropolis algorithms. *Annals of Applied Probability* 7(1), 110-120.

Toni, T., Welch, D., Strelkowa, N., Ipsen, A. & Stumpf, M. P. H. (2009). Approximate Bayesian
computation scheme for parameter inference and model selection in dynamical systems.
*Journal of the Royal Society Interface* 6(31), 187-202.

Examples
--------
A normal mean with a uniform prior on [0, 1] and one observation at 0.3:

>>> import numpy as np
>>> def evaluate(batch):
...     for index, unit, seed in batch:
...         y = unit[0] + 0.05 * np.random.default_rng(seed).standard_normal()
...         yield index, {"y": y}, ""
>>> import tempfile
>>> from sim.calibration.journal import Journal
>>> smc = ABCSMC(1, lambda s: abs(s["y"] - 0.3), SMCSettings(particles=100, min_epsilon=0.02, seed=3),
...              Journal(tempfile.mkdtemp()))
>>> result = smc.run(evaluate, budget=5_000, progress=False)
>>> bool(abs(result.population.mean()[0] - 0.3) < 0.03)
True
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from sim.calibration.journal import Journal, Record

#: A block of proposals to simulate: (index, point in the unit cube, simulation seed).
Batch = list[tuple[int, np.ndarray, int]]
#: What an evaluator yields for each proposal: (index, simulated figures or None, error text).
Evaluate = Callable[[Batch], Iterable[tuple[int, dict | None, str]]]

#: The method, named in the calibration's identity so that a journal of another sampler is not resumed.
METHOD = "ABC-SMC with Metropolis-Hastings moves (Del Moral, Doucet & Jasra 2012), M = 1"
#: Third word of the resampling stream's seed; proposal indices stay below it.
RESAMPLING = 2**32 - 1
#: How close to the cube's faces a move may come (the priors' quantile functions are not asked for 0 or 1).
EDGE = 1e-12


@dataclass(frozen=True)
class SMCSettings:
    """Settings of the sampler (see the module docstring for their roles)."""

    particles: int = 200
    alpha: float = 0.5
    min_epsilon: float = 1.0
    min_acceptance: float = 0.05
    max_generations: int = 30
    kernel_scale: float | None = None     # None: 2.38^2 / d (Roberts, Gelman & Gilks 1997)
    moves: int = 2                        # Metropolis-Hastings rounds per generation
    hold_generations: int = 4             # generations of moves at the last threshold once it stops shrinking
    seed: int = 1


@dataclass
class Population:
    """The particles of one generation, equally weighted."""

    generation: int
    epsilon: float
    unit: np.ndarray              # N x d, points in the unit cube
    weights: np.ndarray           # N, summing to one
    distances: np.ndarray         # N
    records: list[Record]
    born: np.ndarray              # N, the generation whose simulation each particle carries
    proposals: int                # simulations this generation counted against the budget
    runs: int                     # simulations this generation ran, including any beyond those counted
    acceptance: float             # share of moves accepted this generation (1 for the prior draw)

    @property
    def ess(self) -> float:
        """Effective sample size, ``1 / sum(W_k^2)`` over distinct particles ``k`` (copies of one
        particle pool their weights, so a population of copies counts as what it is)."""
        pooled: dict[tuple[int, int], float] = {}
        for key, w in zip(self._keys(), self.weights):
            pooled[key] = pooled.get(key, 0.0) + float(w)
        return float(1.0 / np.sum(np.square(list(pooled.values()))))

    @property
    def unique(self) -> int:
        """Distinct particles (a particle that did not move is a copy of its ancestor)."""
        return len(set(self._keys()))

    def _keys(self) -> list[tuple[int, int]]:
        return [(int(b), r.index) for b, r in zip(self.born, self.records)]

    def mean(self) -> np.ndarray:
        return self.weights @ self.unit

    def covariance(self) -> np.ndarray:
        return np.atleast_2d(np.cov(self.unit, rowvar=False, aweights=self.weights, ddof=0))

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({"index": [r.index for r in self.records], "born": self.born.astype(int),
                              "weight": self.weights, "distance": self.distances,
                              "seed": [np.uint64(r.seed) for r in self.records]})
        for k in range(self.unit.shape[1]):
            frame[f"u{k}"] = self.unit[:, k]
        frame.attrs = {}
        return frame.assign(generation=self.generation, epsilon=self.epsilon, proposals=self.proposals,
                            runs=self.runs, acceptance=self.acceptance)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of ``values`` under ``weights`` (the smallest value whose cumulative
    weight reaches ``q``).

    >>> weighted_quantile(np.array([1.0, 2.0, 3.0]), np.array([0.2, 0.2, 0.6]), 0.5)
    3.0
    """
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order]) / np.sum(weights)
    return float(values[order][min(np.searchsorted(cum, q - 1e-12), len(values) - 1)])


def systematic_resample(weights: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` indices drawn in proportion to ``weights`` with one uniform (Kitagawa 1996): each
    index appears ``floor(n W)`` or ``ceil(n W)`` times, the least noisy unbiased scheme.

    >>> systematic_resample(np.array([0.5, 0.25, 0.25]), 4, np.random.default_rng(0)).tolist()
    [0, 0, 1, 2]
    """
    cum = np.cumsum(weights) / np.sum(weights)
    cum[-1] = 1.0
    # (u + n - 1) / n rounds to 1.0 for the largest few u: the last index, not one past it
    return np.minimum(np.searchsorted(cum, (rng.random() + np.arange(n)) / n, side="right"), len(weights) - 1)


def logit(unit: np.ndarray) -> np.ndarray:
    """The unit cube mapped onto the whole space, where a Gaussian step never leaves the support."""
    u = np.clip(unit, EDGE, 1.0 - EDGE)
    return np.log(u) - np.log1p(-u)


def log_prior(z: np.ndarray) -> float:
    """Log density, up to a constant, of the uniform prior seen in logit coordinates: the Jacobian
    ``prod u (1 - u)`` with ``u = expit(z)``."""
    return float(np.sum(-np.logaddexp(0.0, -z) - np.logaddexp(0.0, z)))


class Proposer:
    """The proposals of one generation: prior draws (generation 0), or ``moves`` rounds of one
    Metropolis-Hastings move per resampled survivor of the previous population.

    Moves are Gaussian steps in logit coordinates, ``z' = z + L xi`` with ``L L'`` equal to
    ``kernel_scale`` times the survivors' covariance (in those coordinates); the default scale is
    ``2.38^2 / d``, the optimal scaling of a random-walk Metropolis step in ``d`` dimensions
    (Roberts, Gelman & Gilks 1997). In a 25-dimensional cube, a step in the cube's own
    coordinates leaves it almost always (the sampler's first trial: none of 200 moves stayed
    inside); in logit coordinates it cannot, and the prior's density there, ``prod u (1 - u)``,
    enters the acceptance. The prior part of the acceptance is decided before any simulation,
    by the move's own random stream: a move it rejects costs nothing (delayed acceptance,
    Christen & Fox 2005).

    Round ``r`` moves particle ``i`` as proposal ``r N + i``, from where round ``r - 1`` left it;
    a round is proposed once the one before has all its simulations (:meth:`advance`).
    """

    def __init__(self, seed: int, generation: int, dims: int, previous: Population | None, epsilon: float,
                 settings: SMCSettings):
        self.seed, self.generation, self.dims, self.previous = seed, generation, dims, previous
        self.epsilon, self.particles, self.rounds = epsilon, settings.particles, settings.moves
        if previous is None:
            return
        alive = np.flatnonzero(previous.distances <= epsilon)
        w = previous.weights[alive] / previous.weights[alive].sum()
        z = logit(previous.unit)
        scale = 2.38 ** 2 / dims if settings.kernel_scale is None else settings.kernel_scale
        cov = scale * np.atleast_2d(np.cov(z[alive], rowvar=False, aweights=w, ddof=0))
        jitter = 1e-10 * max(1.0, float(np.trace(cov)))
        self.chol = np.linalg.cholesky(cov + jitter * np.eye(dims))
        rng = np.random.default_rng(np.random.SeedSequence([seed, generation, RESAMPLING]))
        self.ancestors = alive[systematic_resample(w, self.particles, rng)]
        # the particles as the rounds leave them
        self.unit = previous.unit[self.ancestors].copy()
        self.records = [previous.records[a] for a in self.ancestors]
        self.born = previous.born[self.ancestors].copy()
        self.accepted = 0
        self.round, self.counted = 0, 0      # rounds complete; their simulations
        self._propose_round()

    def _propose_round(self) -> None:
        """The moves of round ``self.round``, and which of them the prior's part keeps."""
        n, self.moves, self.simulate = self.particles, {}, []
        for i in range(n):
            index = self.round * n + i
            r = np.random.default_rng(np.random.SeedSequence([self.seed, self.generation, index]))
            z = logit(self.unit[i])
            step = z + self.chol @ r.standard_normal(self.dims)
            unit = np.clip(1.0 / (1.0 + np.exp(-step)), EDGE, 1.0 - EDGE)
            self.moves[index] = (unit, int(r.integers(0, 2**63 - 1)))
            if np.log(r.random()) < log_prior(logit(unit)) - log_prior(z):
                self.simulate.append(index)

    def advance(self, records: dict[int, Record], limit: int) -> tuple[bool, list[int]]:
        """Apply every round whose simulations are all in ``records``; then whether the generation
        is complete, and the simulations the current round still needs within ``limit``."""
        while self.round < self.rounds:
            allowed = self.simulate[:max(limit - self.counted, 0)]
            missing = [i for i in allowed if i not in records]
            if missing or len(allowed) < len(self.simulate):
                return False, missing
            for index in self.simulate:
                rec, i = records[index], index - self.round * self.particles
                if rec.ok and rec.distance <= self.epsilon:
                    self.unit[i] = np.asarray(rec.unit, dtype=float)
                    self.records[i], self.born[i] = rec, self.generation
                    self.accepted += 1
            self.counted += len(self.simulate)
            self.round += 1
            if self.round < self.rounds:
                self._propose_round()
        return True, []

    def propose(self, index: int) -> tuple[np.ndarray, int]:
        """Point and simulation seed of proposal ``index``."""
        if self.previous is not None:
            return self.moves[index]
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, self.generation, index]))
        unit = rng.random(self.dims)
        return unit, int(rng.integers(0, 2**63 - 1))


@dataclass
class Result:
    population: Population | None       # the last complete generation (the posterior)
    history: list[Population]
    stopped: str                         # why the sampler stopped
    runs: int                            # simulations on disk, all generations
    runs_now: int = 0                    # of which run by this call (the rest were resumed)
    failed: int = 0
    partial: dict = field(default_factory=dict)    # an unfinished generation: done so far, epsilon

    def history_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"generation": p.generation, "epsilon": p.epsilon, "proposals": p.proposals,
                              "runs": p.runs, "acceptance": p.acceptance, "ess": p.ess, "unique": p.unique,
                              "median_distance": float(np.median(p.distances))} for p in self.history])


class ABCSMC:
    """The sampler: generations of thresholds, resampling, moves and simulations."""

    def __init__(self, dims: int, distance: Callable[[dict], float], settings: SMCSettings, journal: Journal):
        self.dims, self.distance, self.settings, self.journal = dims, distance, settings, journal

    def run(self, evaluate: Evaluate, budget: int, *, progress: bool = True, workers: int = 1) -> Result:
        """Run (or resume) until a stopping rule or ``budget`` simulations in all."""
        s = self.settings
        history: list[Population] = []
        runs_now = failed = 0
        # simulations on disk in the generations this run may use: a journal resumed under a lower
        # generation cap keeps its later generations on disk, but they are not this run's
        total = self.journal.runs(s.max_generations)
        consumed = 0                    # simulations counted by the complete generations
        stopped = ""
        ended, held_from = "", 0        # why the threshold stopped shrinking; the first generation held
        base: Population | None = None  # the generation the held ones descend from (:func:`_hold_base`)
        partial: dict = {}
        for t in range(s.max_generations):
            prev = history[-1] if history else None
            if prev is not None and not ended:
                ended = _schedule_end(prev, s)
                if ended:
                    held_from, base = t, _hold_base(history, s)
            if ended and t - held_from >= s.hold_generations:
                total = self.journal.runs(t)       # a journal resumed under a shorter hold: only these are this run's
                break
            if ended:
                prev = base if t == held_from else prev
                eps = prev.epsilon
            else:
                eps = np.inf if prev is None else max(weighted_quantile(prev.distances, prev.weights, s.alpha),
                                                      s.min_epsilon)
            proposer = Proposer(s.seed, t, self.dims, prev, eps, s)
            records = self.journal.records(t)
            bar = _bar(progress, t, eps, s.particles)
            try:
                with self.journal.open(t) as out:
                    limit = budget - consumed           # simulations this generation may count
                    while True:
                        done, used, todo = self._progress(records, eps, limit, proposer, workers)
                        bar.set_postfix(done=f"{done}/{s.particles}", total=total, refresh=True)
                        if done >= s.particles:
                            break
                        if not todo:
                            partial = {"generation": t, "epsilon": eps, "done": done}
                            break
                        batch = [(i, *proposer.propose(i)) for i in todo]
                        for index, stats, error in evaluate(batch):
                            unit, seed = next((u, sd) for i, u, sd in batch if i == index)
                            ok = stats is not None
                            dist = self.distance(stats) if ok else float("inf")
                            rec = Record(index, tuple(float(x) for x in unit), seed, dict(stats or {}), dist, ok, error)
                            out.write(rec)
                            records[index] = rec
                            total += 1
                            runs_now += 1
                            failed += not ok
                            bar.update(1)
            finally:
                bar.close()
            if partial:
                stopped = f"budget of {budget} simulations spent during generation {t}"
                break
            history.append(self._population(t, eps, records, used, proposer))
            consumed += used
        else:
            if not ended and history and history[-1].epsilon <= s.min_epsilon:   # the last one allowed met the target
                ended, held_from, base = f"reached the target distance {s.min_epsilon:g}", s.max_generations, history[-1]
            if not ended:
                stopped = f"reached {s.max_generations} generations"
        if ended:
            stopped = ended + _hold_note(len(history) - held_from, base, stopped, s)
        return Result(history[-1] if history else None, history, stopped, total, runs_now, failed, partial)

    # --- helpers ---------------------------------------------------------------------------------
    def _progress(self, records: dict[int, Record], eps: float, limit: int, proposer: Proposer,
                  workers: int) -> tuple[int, int, list[int]]:
        """Particles finished, simulations counted so far, and the next proposals to simulate."""
        n = self.settings.particles
        if proposer.previous is not None:
            complete, todo = proposer.advance(records, limit)
            done = n if complete else min(n - 1, proposer.round * n // proposer.rounds)
            return done, proposer.counted, todo
        kept, i = 0, 0
        while i < limit and i in records and kept < n:
            r = records[i]
            kept += r.ok and np.isfinite(r.distance)
            i += 1
        if kept >= n:
            return kept, i, []
        rate = (kept + 1) / (i + 2)
        block = min(max(int(np.ceil((n - kept) / rate)), 2 * workers), n)
        todo = [j for j in range(i, limit) if j not in records][:block]
        return kept, i, todo

    def _population(self, t: int, eps: float, records: dict[int, Record], used: int,
                    proposer: Proposer) -> Population:
        n = self.settings.particles
        if proposer.previous is None:
            chosen = [records[i] for i in range(used) if records[i].ok and np.isfinite(records[i].distance)]
            born, acceptance = np.full(n, t), 1.0
        else:
            chosen, born = proposer.records, proposer.born
            acceptance = proposer.accepted / (n * proposer.rounds)
        unit = np.array([r.unit for r in chosen], dtype=float).reshape(n, self.dims)
        pop = Population(t, float(eps), unit, np.full(n, 1.0 / n), np.array([r.distance for r in chosen]),
                         list(chosen), np.array(born, dtype=int), used, len(records), acceptance)
        self.journal.write_population(t, pop.to_frame())
        return pop


def _schedule_end(last: Population, settings: SMCSettings) -> str:
    """Why the threshold stops shrinking after generation ``last`` ("" if it goes on): the target
    distance is reached, or the moves at the last threshold no longer mix."""
    if last.epsilon <= settings.min_epsilon:
        return f"reached the target distance {settings.min_epsilon:g}"
    if last.acceptance < settings.min_acceptance:
        return f"fewer than {settings.min_acceptance:g} of the moves were accepted in generation {last.generation}"
    return ""


def _hold_base(history: list[Population], settings: SMCSettings) -> Population:
    """The generation the held generations descend from, at its threshold: the last one, unless
    its moves no longer mixed (acceptance below ``min_acceptance``), in which case the one before
    it (if that one has a threshold: generation 0 has none). A threshold at which the chain does
    not mix is no place to mix a population; the one before is, by the same test, and its
    population is a sample at it (step 3)."""
    last = history[-1]
    if last.acceptance < settings.min_acceptance and len(history) > 1 and np.isfinite(history[-2].epsilon):
        return history[-2]
    return last


def _hold_note(held: int, base: Population, interrupted: str, settings: SMCSettings) -> str:
    """The hold's part of the stopping note: how many generations of moves ran at which
    threshold, and what cut them short (the budget or the generation cap), if anything did."""
    if settings.hold_generations == 0:
        return ""
    note = (f"; then {held} of {settings.hold_generations} generations of moves at the threshold of "
            f"generation {base.generation} ({base.epsilon:.3g})")
    if interrupted:
        return f"{note}; {interrupted}"
    if held < settings.hold_generations:
        return f"{note}; reached {settings.max_generations} generations"
    return note


def _bar(progress: bool, t: int, eps: float, particles: int):
    """Simulations run in this generation, with how many of the ``particles`` are done so far."""
    from tqdm import tqdm

    label = f"generation {t}" + ("" if not np.isfinite(eps) else f" (distance <= {eps:.3g})")
    return tqdm(desc=label, unit="run", file=sys.stderr, dynamic_ncols=True, disable=not progress)
