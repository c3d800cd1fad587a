"""Benchmark: the whole baseline run, as a user runs it, at scale 1 and 10.

Measures, for ``innovsim run scenarios/baseline.yaml --replicates 1 --scale K --workers 1``
in a fresh process (start-up, 2016-2035, tables, plots and report): wall time and peak memory.
Separately, in this process, the model alone: agent-steps per second (live agents summed over
the quarters, burn-in included, divided by the time spent stepping), for lazy and eager Mesa
agents; and, for comparison in the same run, Mesa's own loop: ``model.agents.shuffle_do("step")``
over as many agents as the model holds on average, each with a trivial ``step`` (one counter
increment), the way a hand-written Mesa model steps its agents. The target is at least ten times
Mesa's rate.

Prints the figures and writes them to ``benchmarks/results.json`` (key ``run``).

    python benchmarks/bench_run.py            # scale 1 and 10, eager only at scale 10
    python benchmarks/bench_run.py --eager-full   # also eager at scale 1 (about half a minute more)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, save


def whole_process(scale: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "sim", "run", str(ROOT / "scenarios" / "baseline.yaml"), "--replicates", "1",
               "--scale", str(scale), "--workers", "1", "--out", str(Path(tmp) / "out"), "--quiet"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        wall = time.perf_counter() - t
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        manifest = json.loads((Path(tmp) / "out" / "manifest.json").read_text())
    return {"wall_s": round(wall, 2), "peak_rss_mib": round(max(peak_kib, before) / 1024, 1),
            "inside_s": manifest["timings_s"]}


def model_only(scale: float, agents: str) -> dict:
    from sim.model import InnovationModel
    from sim.parameters import Parameters
    from sim.scenario import load_scenario

    schedules = load_scenario(ROOT / "scenarios" / "baseline.yaml").quarterly()
    p = Parameters.defaults()
    t = time.perf_counter()
    InnovationModel(schedules, p.replace(init_burn_in_years=0), scale=scale, rng=1, agents=agents).release()
    setup_alone = time.perf_counter() - t
    t = time.perf_counter()
    model = InnovationModel(schedules, p, scale=scale, rng=1, agents=agents)
    setup = time.perf_counter() - t
    burn_in = int(round(4 * p.init_burn_in_years))
    live = len(model.researchers) + len(model.foreign) + len(model.firms) + len(model.orgs) + len(model.agencies)
    agent_steps, stepping = burn_in * live, max(setup - setup_alone, 0.0)     # the burn-in's quarters count too
    while model.running:
        agent_steps += len(model.researchers) + len(model.foreign) + len(model.firms) + len(model.orgs) + len(model.agencies)
        t = time.perf_counter()
        model.step()
        stepping += time.perf_counter() - t
    model.release()
    return {"agents": agents, "setup_s": round(setup, 2), "stepping_s": round(stepping, 2),
            "agent_steps": agent_steps, "agent_steps_per_s": round(agent_steps / stepping),
            "mean_live_agents": round(agent_steps / (model.n_quarters + burn_in))}


def mesa_shuffle_do(n_agents: int, steps: int = 8) -> dict:
    """Agent-steps per second of Mesa's ``shuffle_do`` over ``n_agents`` trivial agents."""
    import mesa

    class Trivial(mesa.Agent):
        def step(self) -> None:
            self.count += 1

    model = mesa.Model(rng=1)
    for _ in range(n_agents):
        Trivial(model).count = 0
    t = time.perf_counter()
    for _ in range(steps):
        model.agents.shuffle_do("step")
    took = time.perf_counter() - t
    return {"agents": n_agents, "steps": steps, "agent_steps_per_s": round(n_agents * steps / took)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eager-full", action="store_true", help="also time eager Mesa agents at scale 1")
    args = parser.parse_args()
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
               "target": "scale 1, one core: at most 6 s and 1 GiB for the whole process; at least 10 times "
                         "Mesa's shuffle_do agent-steps per second",
               "whole_process": {}, "model_only": []}
    for scale in (10, 1):        # smaller first: peak memory is the largest child's so far
        r = whole_process(scale)
        results["whole_process"][f"scale_{scale}"] = r
        print(f"innovsim run baseline --scale {scale}: {r['wall_s']:.1f} s wall, peak {r['peak_rss_mib']:.0f} MiB "
              f"(inside: {r['inside_s']})")
    for scale, agents in ((1, "lazy"), (10, "lazy"), (10, "eager"), *(((1, "eager"),) if args.eager_full else ())):
        r = model_only(scale, agents)
        results["model_only"].append({"scale": scale, **r})
        print(f"model only, scale {scale}, {agents} agents: set-up {r['setup_s']} s, stepping {r['stepping_s']} s, "
              f"{r['agent_steps']:,} agent-steps, {r['agent_steps_per_s']:,.0f} agent-steps/s")
    full = next(r for r in results["model_only"] if r["scale"] == 1 and r["agents"] == "lazy")
    mesa_rate = mesa_shuffle_do(full["mean_live_agents"])
    results["mesa_shuffle_do"] = mesa_rate
    results["speedup_over_mesa_shuffle_do"] = round(full["agent_steps_per_s"] / mesa_rate["agent_steps_per_s"], 1)
    print(f"Mesa shuffle_do, trivial step, {mesa_rate['agents']:,} agents: {mesa_rate['agent_steps_per_s']:,} agent-steps/s; "
          f"model at scale 1 is {results['speedup_over_mesa_shuffle_do']} times faster")
    save("run", results)


if __name__ == "__main__":
    main()
