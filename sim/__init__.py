"""innovsim: an agent-based model of Beijing's science and technology innovation ecosystem.

The package is organised the way data flows through it:

    scenario YAML -> :mod:`sim.scenario` (validate, resolve ``extends``, compile schedules)
                  -> :class:`sim.model.InnovationModel` (one quarter per step, 2016 Q1 onward)
                  -> :mod:`sim.indicators` (one row per year)
                  -> :mod:`sim.runner` (replicates, seeds, processes, atomic results folder)
                  -> :mod:`sim.report` (plots and HTML, reading only the results folder)
"""

__version__ = "0.1.0"
