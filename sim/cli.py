"""The ``innovsim`` command line: a thin layer over the library.

Known problems with input become one line on stderr and exit status 2; anything unexpected
becomes one line and exit status 1 (set ``INNOVSIM_DEBUG=1`` to see the traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from sim.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from sim.calibration.abc_smc import SMCSettings

PROG = "innovsim"
PROCESS_START = time.perf_counter()   # reported run times include start-up and imports


class Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise InputError(f"{message} (see `{self.prog} --help`)")


def at_least(name: str, low: float, *, whole: bool):
    """A parser for a numeric flag of at least ``low`` and at most its stated limit
    (:data:`sim.inputs.LIMITS`; a whole number if ``whole``), with errors naming the flag."""
    from sim.inputs import LIMITS, short

    convert, kind = (int, "a whole number") if whole else (float, "a number")
    high = LIMITS[name]

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            raise InputError(f"must be {kind}, got {short(text, 40)}", field=name) from None
        shown = text if len(text) <= 40 else text[:37] + "..."
        if value > high:                     # also refuses inf and 400-digit numbers
            raise InputError(f"must be at most {int(high) if whole else f'{high:g}'}, got {shown}", field=name)
        if not value >= low:                 # also refuses nan
            raise InputError(f"must be at least {low:g}, got {shown}", field=name)
        return value
    return parse


def whole_number(name: str):
    """A parser for a whole number whose range the command checks against its inputs (the years a
    targets file holds, for ``--train-until``), with errors naming the flag."""
    from sim.inputs import short

    def parse(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise InputError(f"must be a whole number, got {short(text, 40)}", field=name) from None
    return parse


def int_at_least(name: str, low: int):
    return at_least(name, low, whole=True)


def number_at_least(name: str, low: float):
    return at_least(name, low, whole=False)


def add_evaluator_flags(parser: argparse.ArgumentParser, what: str) -> None:
    """Where runs execute: local processes, a running Dask scheduler, or a LocalCluster (see evaluator_from)."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int_at_least("--workers", 1), help="local worker processes (default: one per core)")
    where.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://host:8786")
    where.add_argument("--cluster", choices=("local",), help=f"start a Dask LocalCluster for this {what}")
    parser.add_argument("--dask-workers", type=int_at_least("--dask-workers", 1), default=None,
                        help="worker processes of the LocalCluster (default: one per core)")


def add_sampler_flags(parser: argparse.ArgumentParser) -> None:
    """The ABC-SMC sampler's settings, shared by ``calibrate`` and ``backtest`` (see :func:`smc_settings`)."""
    parser.add_argument("--seed", type=int_at_least("--seed", 0), default=1, help="seed of the sampler (default 1)")
    parser.add_argument("--particles", type=int_at_least("--particles", 10), default=200,
                        help="particles per generation (default 200)")
    parser.add_argument("--scale", type=number_at_least("--scale", 1), default=5.0,
                        help="persons per agent while fitting (default 5)")
    parser.add_argument("--min-epsilon", type=number_at_least("--min-epsilon", 0), default=1.0,
                        help="stop once the distance threshold reaches this (tolerances, RMS; default 1)")
    parser.add_argument("--max-generations", type=int_at_least("--max-generations", 1), default=30,
                        help="stop after this many generations (default 30; a guard: the budget and --min-epsilon "
                             "are the stops meant to bind)")
    parser.add_argument("--hold-generations", type=int_at_least("--hold-generations", 0), default=4,
                        help="generations of moves at the last threshold once it stops shrinking, to turn "
                             "copies back into distinct particles (default 4; 0: stop there)")


def smc_settings(args: argparse.Namespace) -> SMCSettings:
    """The sampler's settings from the flags of :func:`add_sampler_flags`."""
    from sim.calibration.abc_smc import SMCSettings

    return SMCSettings(particles=args.particles, min_epsilon=args.min_epsilon, max_generations=args.max_generations,
                       hold_generations=args.hold_generations, seed=args.seed)


def build_parser() -> Parser:
    from sim import __version__
    from sim.scenario.schema import RUN_DEFAULTS as D

    parser = Parser(prog=PROG, description="Agent-based simulation of Beijing's science and technology innovation ecosystem.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    run = sub.add_parser("run", help="run a scenario and write a results folder",
                         description="Run a scenario's replicates and write a results folder. --replicates, --seed, "
                                     "--scale and --horizon override the scenario file's `run:` block (and the "
                                     "`run:` blocks of the files it extends); what none of them sets takes the "
                                     "built-in default shown.")
    run.add_argument("scenario", type=Path, help="scenario YAML file, or the name of a shipped scenario (e.g. baseline)")
    run.add_argument("--replicates", type=int_at_least("--replicates", 1),
                     help=f"replicates (default: the scenario's `run:` block, else {D['replicates']})")
    run.add_argument("--seed", type=int_at_least("--seed", 0),
                     help=f"master seed (default: the scenario's `run:` block, else {D['seed']})")
    run.add_argument("--scale", type=number_at_least("--scale", 1),
                     help=f"persons per agent (default: the scenario's `run:` block, else {D['scale']})")
    run.add_argument("--horizon", type=int_at_least("--horizon", 2020),
                     help=f"last simulated year (default: the scenario's `run:` block, else {D['horizon']})")
    run.add_argument("--out", type=Path, help="results folder (default results/<name>/)")
    run.add_argument("--workers", type=int_at_least("--workers", 1), help="worker processes (default: one per core, at most one per replicate)")
    run.add_argument("--overwrite", action="store_true", help="replace an existing results folder")
    run.add_argument("--agents", choices=("lazy", "eager"), default="lazy",
                     help="create Mesa agent objects on first use (lazy, default) or at birth (eager); same numbers")
    run.add_argument("--parameters", choices=("posterior", "median", "prior", "default"), default="posterior",
                     help="behavioural parameters: each replicate draws from the calibrated posterior (default), "
                          "the posterior median for all, draws from the priors, or the catalogue's hand-set values")
    run.add_argument("--posterior", type=Path, help="posterior file (default: calibration/posterior.parquet of the "
                                                    "repository, or the copy installed with the package)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")

    val = sub.add_parser("validate", help="check a scenario file without running it")
    val.add_argument("scenario", type=Path, help="scenario YAML file, or the name of a shipped scenario")

    cmp_ = sub.add_parser("compare", help="compare results folders written by `innovsim run`")
    cmp_.add_argument("results", type=Path, nargs="+", metavar="RESULT_DIR", help="results folders")
    cmp_.add_argument("--baseline", type=Path, help="the folder to compare against (default: the one whose scenario "
                                                    "is named baseline, else the first)")
    cmp_.add_argument("--indicators", help="comma-separated indicators (default: the key indicators)")
    cmp_.add_argument("--out", type=Path, help="output folder (default results/compare/)")
    cmp_.add_argument("--overwrite", action="store_true", help="replace an existing output folder")

    sw = sub.add_parser("sweep", help="run a parameter sweep and sensitivity analysis")
    sw.add_argument("spec", type=Path, help="sweep YAML file (see docs/sweeps.md)")
    add_evaluator_flags(sw, "sweep")
    sw.add_argument("--out", type=Path, help="output folder (default results/sweeps/<name>/)")
    sw.add_argument("--resume", action="store_true", help="continue an interrupted sweep in --out")
    sw.add_argument("--quiet", action="store_true", help="no progress bar")

    cal = sub.add_parser("calibrate", help="fit the free parameters to the documented figures (ABC-SMC)")
    cal.add_argument("--budget", type=int_at_least("--budget", 1), default=8000,
                     help="most simulations in all, resumed ones included (default 8000)")
    add_evaluator_flags(cal, "calibration")
    add_sampler_flags(cal)
    cal.add_argument("--resume", action="store_true", help="continue the calibration journalled in --work")
    cal.add_argument("--no-adjust", action="store_true",
                     help="keep the final population as sampled (no regression adjustment)")
    cal.add_argument("--check-replicates", type=int_at_least("--check-replicates", 2), default=40,
                     help="baseline replicates for the fit check (default 40)")
    cal.add_argument("--check-scale", type=number_at_least("--check-scale", 1), default=1.0,
                     help="persons per agent of the fit check (default 1, as planners run it)")
    cal.add_argument("--targets", type=Path, help="targets file (default: calibration/targets.yaml, the repository's "
                                                  "or the installed copy)")
    cal.add_argument("--priors", type=Path, help="priors file (default: calibration/priors.yaml, the repository's "
                                                "or the installed copy)")
    cal.add_argument("--work", type=Path, help="journal folder (default results/calibration/)")
    cal.add_argument("--out", type=Path, help="output folder (default: the repository's calibration/, which "
                                              "`innovsim run` reads; for an installed package, ./calibration/)")
    cal.add_argument("--overwrite", action="store_true", help="replace the calibration already in --out")
    cal.add_argument("--report-only", action="store_true",
                     help="run nothing: write report.md and its figures again from the calibration in --out, with the "
                          "backtests (backtest_*/) and lever responses (responses.csv) now beside it")
    cal.add_argument("--quiet", action="store_true", help="no progress bars")
    bt = sub.add_parser("backtest", help="fit the real series up to a year, forecast the years after it and score "
                                         "the forecast against them and two naive forecasters (docs/calibration.md)")
    bt.add_argument("--train-until", type=whole_number("--train-until"), required=True,
                    help="last year whose targets are fitted; the later years of the series are forecast")
    bt.add_argument("--budget", type=int_at_least("--budget", 1), default=3000,
                    help="most simulations the training calibration runs (default 3000)")
    add_evaluator_flags(bt, "backtest")
    add_sampler_flags(bt)
    bt.add_argument("--check-replicates", type=int_at_least("--check-replicates", 2), default=40,
                    help="forecast replicates, each with its own posterior draw (default 40)")
    bt.add_argument("--check-scale", type=number_at_least("--check-scale", 1), default=1.0,
                    help="persons per agent of the forecast runs (default 1)")
    bt.add_argument("--targets", type=Path, help="targets file (default: calibration/targets.yaml)")
    bt.add_argument("--priors", type=Path, help="priors file (default: calibration/priors.yaml)")
    bt.add_argument("--out", type=Path, help="output folder (default results/backtest_<YEAR>/)")
    bt.add_argument("--work", type=Path, help="journal folder (default <out>/work/)")
    bt.add_argument("--resume", action="store_true", help="continue the backtest journalled in --work")
    bt.add_argument("--overwrite", action="store_true", help="replace the backtest already in --out")
    bt.add_argument("--quiet", action="store_true", help="no progress bars")
    rsp = sub.add_parser("responses", help="one-lever experiments against the baseline, held to the evidence (docs/responses.md)")
    rsp.add_argument("--scale", type=number_at_least("--scale", 1), default=10.0, help="persons per agent (default 10)")
    rsp.add_argument("--replicates", type=int_at_least("--replicates", 1), default=10, help="replicates per arm (default 10)")
    rsp.add_argument("--seed", type=int_at_least("--seed", 0), default=1, help="master seed (default 1)")
    rsp.add_argument("--workers", type=int_at_least("--workers", 1), help="worker processes (default: one per core)")
    rsp.add_argument("--out", type=Path, default=Path("results") / "responses", help="output folder (default results/responses/)")
    rsp.add_argument("--overwrite", action="store_true", help="replace an existing output folder")
    rsp.add_argument("--levers", help="comma-separated levers or inputs to test (default: all in the catalogue)")
    rsp.add_argument("--parameters", choices=("posterior", "median", "prior", "default"), default="posterior",
                     help="behavioural parameters of every arm: each replicate's draw from the calibrated posterior "
                          "(default), the posterior median, a prior draw, or the catalogue's defaults")
    rsp.add_argument("--quiet", action="store_true", help="no progress bar")

    sub.add_parser("levers", help="list every lever and exogenous input: the catalogue's default and the "
                                  "shipped baseline's schedule")
    par = sub.add_parser("parameters", help="list every behavioural parameter: the catalogue's value and what runs "
                                            "use (the calibrated posterior)")
    par.add_argument("--posterior", type=Path, help="posterior file (default: as for `innovsim run`)")
    return parser


def scenario_path(given: Path) -> Path:
    """The scenario file a command names: the path itself, or a shipped scenario's name (``baseline``)."""
    from sim.resources import data_file

    if given.exists() or given.parent != Path("."):
        return given
    shipped = data_file(f"scenarios/{given.name if given.suffix == '.yaml' else given.name + '.yaml'}")
    return shipped if shipped.is_file() else given


def differences_from_baseline(scenario) -> list[str] | None:
    """Levers, inputs and parameters in which ``scenario`` differs from the shipped baseline (None
    when it is the shipped baseline's own file, or there is none)."""
    from sim.resources import data_file
    from sim.scenario import load_scenario

    shipped = data_file("scenarios/baseline.yaml")
    if not shipped.is_file() or Path(scenario.path).resolve() == shipped.resolve():
        return None
    # at the scenario's own horizon: schedules are compared to the same last year
    mine, theirs = scenario.resolved(), load_scenario(shipped, horizon=scenario.horizon).resolved()
    return [name for section in ("levers", "exogenous", "parameters")
            for name in sorted(set(mine[section]) | set(theirs[section]))
            if mine[section].get(name) != theirs[section].get(name)]


def warn_about_name(scenario, differences: list[str] | None) -> None:
    """Warn when a scenario calls itself ``baseline`` but is not the shipped baseline: its results would
    go to results/baseline/ and `compare` would take it for the reference."""
    if scenario.name != "baseline" or not differences:
        return
    print(f"{PROG}: warning: {scenario.path}: name: 'baseline' is the shipped baseline's name, but this scenario "
          f"differs from it ({', '.join(differences)}); give it a name of its own (and `extends: baseline.yaml` "
          f"to build on the baseline), or its results go to results/baseline/ and `compare` takes it for the "
          f"baseline", file=sys.stderr)


def refuse_unused_posterior(args: argparse.Namespace) -> None:
    """``--posterior`` is read only by ``--parameters posterior`` and ``median``: with a prior draw or
    the defaults it would be ignored, so it is refused rather than silently dropped."""
    if args.posterior is not None and args.parameters not in ("posterior", "median"):
        raise InputError(f"is read only with --parameters posterior or median, not with --parameters "
                         f"{args.parameters}", field="--posterior")


def cmd_run(args: argparse.Namespace) -> int:
    from sim.report.html import write_run_report
    from sim.results import write_tables
    from sim.runner import execute, resolve
    from sim.scenario import load_scenario

    t0 = PROCESS_START
    scenario = load_scenario(scenario_path(args.scenario), horizon=args.horizon, replicates=args.replicates,
                             seed=args.seed, scale=args.scale)
    warn_about_name(scenario, differences_from_baseline(scenario))
    refuse_unused_posterior(args)
    settings = resolve(scenario, parameters=args.parameters, posterior=args.posterior, workers=args.workers,
                       agents=args.agents)
    replicates = settings.replicates
    out = args.out or Path("results") / scenario.name
    replacing = out.exists()

    def finish(table, settings, folder):
        t = time.perf_counter()
        tables = write_tables(table, settings, folder)
        t_tables = time.perf_counter()
        write_run_report(tables, folder)
        done = time.perf_counter()
        manifest = tables["manifest"]          # add how long the outputs took, then rewrite it
        manifest["timings_s"].update(tables_s=round(t_tables - t, 3), report_s=round(done - t_tables, 3),
                                     total_before_exit_s=round(done - PROCESS_START, 3))
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")

    settings.timings["startup_s"] = time.perf_counter() - t0
    path = execute(settings, out, overwrite=args.overwrite, progress=not args.quiet, finish=finish)
    for warning in json.loads((path / "manifest.json").read_text()).get("warnings", []):
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    print(f"{scenario.name}: {replicates} replicates to {settings.horizon} written to {path}/ "
          f"{'(replacing the previous results) ' if replacing else ''}"
          f"(open {path / 'report.html'}) in {time.perf_counter() - t0:.1f} s")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from sim.compare import check_indicators, load_runs, mismatches
    from sim.inputs import resolve_path
    from sim.report.compare import write_compare_report
    from sim.report.plots import KEY_INDICATORS
    from sim.runner import publish

    folders = list(args.results) + ([args.baseline] if args.baseline else [])
    runs = load_runs(folders)
    if args.baseline:
        base = next(r for r in runs if r.folder.resolve() == args.baseline.resolve())
    else:
        base = next((r for r in runs if r.scenario["name"] == "baseline"), runs[0])
    runs = [base, *[r for r in runs if r is not base]]
    names = check_indicators([n.strip() for n in args.indicators.split(",") if n.strip()]) if args.indicators is not None \
        else list(KEY_INDICATORS)
    for warning in mismatches(runs):
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    out = args.out or Path("results") / "compare"
    if any(resolve_path(out, field="--out") == resolve_path(r.folder) for r in runs):
        raise InputError("is one of the folders being compared; choose another --out", file=out, field="--out")
    path = publish(out, lambda folder: write_compare_report(runs, base, names, folder), overwrite=args.overwrite)
    print(f"compared {len(runs)} runs against {base.label}: {path}/report.html")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from sim.sweep.run import run_sweep
    from sim.sweep.spec import load_sweep

    sweep = load_sweep(args.spec)
    evaluator, _ = evaluator_from(args)
    out = args.out or Path("results") / "sweeps" / sweep.name
    stats = run_sweep(sweep, out, evaluator, resume=args.resume, progress=not args.quiet)
    failed = sum(1 for _ in (out / "failures").glob("*.json")) if (out / "failures").exists() else 0
    print(f"{sweep.name}: {stats['runs']} runs ({stats['ran']} run now, {stats['reused']} reused, {failed} failed) "
          f"written to {out}/ in {time.perf_counter() - PROCESS_START:.1f} s")
    return 0


def evaluator_from(args: argparse.Namespace):
    """The evaluator the flags ask for: local processes, a Dask LocalCluster, or a running scheduler."""
    from sim.sweep.evaluators import DaskEvaluator, LocalEvaluator

    cores = os.cpu_count() or 1
    if args.dask_workers is not None and not args.cluster:
        raise InputError("sets the LocalCluster's workers, so it needs --cluster local (with --workers or "
                         "--scheduler it would be ignored)", field="--dask-workers")
    if args.scheduler:
        return DaskEvaluator(scheduler=args.scheduler), cores
    if args.cluster:
        n = args.dask_workers or cores
        return DaskEvaluator(workers=n), n
    n = args.workers or cores
    return LocalEvaluator(n), n


#: The flags ``calibrate --report-only`` reads; every other one would suggest that something runs.
REPORT_ONLY_FLAGS = {"command", "report_only", "out", "targets", "priors", "quiet"}


def refuse_unused_with_report_only(args: argparse.Namespace) -> None:
    """``calibrate --report-only`` runs nothing: a flag of the calibration itself, given with it,
    is refused rather than silently ignored."""
    defaults = vars(build_parser().parse_args(["calibrate", "--report-only"]))
    for name, value in vars(args).items():
        if name not in REPORT_ONLY_FLAGS and value != defaults.get(name):
            flag = "--" + name.replace("_", "-")
            raise InputError("is not used with --report-only, which runs nothing and writes the report again from "
                             "the outputs; allowed with it: --out, --targets, --priors, --quiet", field=flag)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from sim.calibration.priors import DEFAULT_PRIORS
    from sim.calibration.run import CalibrationSettings, calibrate, rewrite_report
    from sim.resources import calibration_folder
    from sim.targets import DEFAULT_TARGETS

    if args.report_only:
        refuse_unused_with_report_only(args)
        out = args.out or calibration_folder()
        rewrite_report(out, args.targets or DEFAULT_TARGETS, args.priors or DEFAULT_PRIORS)
        print(f"calibration report written again from the outputs in {out}/ (see report.md)")
        return 0
    settings = CalibrationSettings(smc_settings(args),
                                   scale=args.scale, check_replicates=args.check_replicates, check_scale=args.check_scale,
                                   adjust=not args.no_adjust)
    evaluator, workers = evaluator_from(args)
    out = args.out or calibration_folder()
    summary = calibrate(evaluator, budget=args.budget, settings=settings, work=args.work or Path("results") / "calibration",
                        out=out, targets_path=args.targets or DEFAULT_TARGETS, priors_path=args.priors or DEFAULT_PRIORS,
                        resume=args.resume, progress=not args.quiet, workers=workers, overwrite=args.overwrite)
    fit = summary["fit"]
    print(f"calibration: {summary['generations']} generations, {summary['simulations']['fitting']} simulations, "
          f"{summary['stopped']}; {fit['within']}/{fit['targets']} figures within tolerance, {fit['covered']}/"
          f"{fit['targets']} covered by the 90 % band; written to {out}/ (see report.md) in "
          f"{time.perf_counter() - PROCESS_START:.0f} s")
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    from sim.backtest.run import backtest
    from sim.calibration.priors import DEFAULT_PRIORS
    from sim.calibration.run import CalibrationSettings
    from sim.targets import DEFAULT_TARGETS

    settings = CalibrationSettings(smc_settings(args),
                                   scale=args.scale, check_replicates=args.check_replicates, check_scale=args.check_scale)
    evaluator, workers = evaluator_from(args)
    out = args.out or Path("results") / f"backtest_{args.train_until}"
    done = backtest(evaluator, train_until=args.train_until, budget=args.budget, settings=settings, out=out,
                    work=args.work, targets_path=args.targets or DEFAULT_TARGETS,
                    priors_path=args.priors or DEFAULT_PRIORS, resume=args.resume, progress=not args.quiet,
                    workers=workers, overwrite=args.overwrite)
    print(f"backtest: trained to {args.train_until} ({done['runs']} simulations); {' '.join(done.get('verdict', []))} "
          f"Written to {out}/ (see report.md) in {time.perf_counter() - PROCESS_START:.0f} s")
    return 0


def cmd_responses(args: argparse.Namespace) -> int:
    from sim.responses.run import describe_skips, run_responses, summary_line

    done = run_responses(args.out, scale=args.scale, replicates=args.replicates, seed=args.seed,
                         workers=args.workers or os.cpu_count() or 1, overwrite=args.overwrite,
                         levers=args.levers, progress=not args.quiet, parameter_source=args.parameters)
    note = describe_skips(done["manifest"]["skipped_indicators"])
    if note:
        print(f"{PROG}: note: {note}", file=sys.stderr)
    print(f"responses: {summary_line(done['table'])}; written to {done['out']}/ (see report.md) "
          f"in {time.perf_counter() - PROCESS_START:.1f} s")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from sim.scenario import load_scenario

    path = scenario_path(args.scenario)
    scenario = load_scenario(path)
    differences = differences_from_baseline(scenario)
    warn_about_name(scenario, differences)
    changed = ", ".join(scenario.own_levers)
    if not changed:                                   # a root scenario: say how it differs from the baseline
        changed = "nothing relative to a parent (a root scenario)" + (
            f"; differs from the shipped baseline in {', '.join(differences) or 'nothing'}" if differences is not None else "")
    print(f"{path}: valid scenario '{scenario.name}' ({len(scenario.chain)} file(s); changes {changed}; "
          f"horizon {scenario.horizon}, {scenario.run['replicates']} replicates, scale {scenario.run['scale']:g})")
    return 0


def cmd_levers(_: argparse.Namespace) -> int:
    from sim.compare import compact_changes
    from sim.levers import LEVERS
    from sim.resources import data_file
    from sim.scenario import load_scenario

    shipped = data_file("scenarios/baseline.yaml")
    baseline = load_scenario(shipped).resolved()
    print(f"Each lever: the catalogue's default (the 2016 status quo, which a lever no scenario file names keeps) "
          f"and the shipped baseline's schedule ({shipped}), which scenarios that extend it start from.\n")
    for l in LEVERS:
        section = "levers" if l.kind == "lever" else "exogenous"
        schedule = compact_changes(baseline[section].get(l.name, {})) or f"{l.default:g} throughout"
        print(f"{l.name}  [{l.kind}]  unit: {l.unit}; allowed {l.low:g} to {l.high:g}; default {l.default:g}\n"
              f"    baseline: {schedule}\n    {l.meaning}\n")
    return 0


def cmd_parameters(args: argparse.Namespace) -> int:
    from sim.calibration.posterior import DEFAULT_POSTERIOR, Posterior
    from sim.parameters import SPECS

    post = Posterior.load(args.posterior or DEFAULT_POSTERIOR)
    median, low, high = post.median(), post.quantiles(0.05), post.quantiles(0.95)
    print(f"Each parameter: the catalogue's value, and what `innovsim run` uses: for the {len(post.names)} calibrated "
          f"ones, each replicate draws from the posterior ({post.path}; median and 90 % of its weight shown), "
          f"the others keep the catalogue's value. A scenario's `parameters:` override both.\n")
    for p in SPECS:
        used = (f"runs: posterior median {median[p.name]:.4g} (90 % {low[p.name]:.4g} to {high[p.name]:.4g})"
                if p.name in median else f"runs: {p.default:g} (not calibrated)")
        print(f"{p.name} = {p.default:g} {p.unit}  (range {p.low:g} to {p.high:g}); {used}\n    {p.source}\n")
    return 0


COMMANDS = {"run": cmd_run, "compare": cmd_compare, "sweep": cmd_sweep, "calibrate": cmd_calibrate, "backtest": cmd_backtest, "responses": cmd_responses, "validate": cmd_validate, "levers": cmd_levers, "parameters": cmd_parameters}


def interrupted_hint(argv: Sequence[str] | None) -> str:
    """What to type to continue an interrupted command."""
    words = list(sys.argv[1:] if argv is None else argv)
    command = next((w for w in words if w in COMMANDS), "")
    if command in ("sweep", "calibrate", "backtest"):
        again = "the same command" + ("" if "--resume" in words else " with --resume")
        return f"interrupted; finished runs are kept; continue with {again}"
    if command == "run":
        return "interrupted; finished replicates are kept and reused by the same command"
    return "interrupted"


def main(argv: Sequence[str] | None = None) -> int:
    from sim.processes import terminate_as_interrupt

    try:
        args = build_parser().parse_args(argv)
        with terminate_as_interrupt():
            return COMMANDS[args.command](args)
    except InputError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        print(f"{PROG}: {interrupted_hint(argv)}", file=sys.stderr)
        return 128 + getattr(exc, "signal", signal.SIGINT)
    except BrokenPipeError:
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("INNOVSIM_DEBUG"):
            raise
        print(f"{PROG}: internal error: {exc.__class__.__name__}: {exc} (set INNOVSIM_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return 1
