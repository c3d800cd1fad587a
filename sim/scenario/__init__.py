"""Scenario files: schema, loading (with ``extends``) and compiled schedules.

Use :func:`load_scenario` to read and validate a scenario file; it returns a
:class:`Scenario` whose schedules are resolved against everything it extends. Every problem is
an :class:`sim.errors.InputError` naming the file and the field.
"""

from sim.scenario.loader import Scenario, load_scenario
from sim.scenario.schedule import Schedule

__all__ = ["Scenario", "Schedule", "load_scenario"]
