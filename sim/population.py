"""A column store for large agent populations.

Hundreds of thousands of researchers cannot be stepped one Python object at a time at a useful
speed, so the state of a population lives in NumPy columns held by the model, one row per
agent, and each rule of behaviour is a vectorised function over those columns. Every row is
still a real :class:`mesa.Agent` (registered with the model, visible in ``model.agents`` and
``model.agents_by_type``), whose attributes read and write its own row.

Rows are *slots*: an agent keeps its row for life, and a row freed by an agent's removal is
reused by the next agent added (lowest free row first, so the layout is deterministic). Rules
therefore work on whole columns masked by :attr:`Population.alive`; dead rows hold zeros.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

import mesa


class Population:
    """Columns of state for one agent type, with a Mesa agent bound to each live row.

    Args:
        model: the Mesa model the agents belong to.
        agent_class: the :class:`mesa.Agent` subclass to create, called as
            ``agent_class(model, population, row)``.
        columns: column name to ``(dtype, fill value for a new or freed row)``.
        capacity: initial number of rows (grows by a quarter at a time when full).
        eager: create and register the Mesa agent of each row at birth (see module docstring).
    """

    GROWTH = 1.25

    def __init__(self, model: mesa.Model, agent_class: Callable[..., mesa.Agent],
                 columns: Mapping[str, tuple[Any, Any]], capacity: int = 1024, eager: bool = False):
        self.model = model
        self.agent_class = agent_class
        self.eager = eager
        self.schema = dict(columns)
        self.capacity = max(int(capacity), 1)
        self.alive = np.zeros(self.capacity, dtype=bool)
        self.agents = np.empty(self.capacity, dtype=object)
        self.cols: dict[str, np.ndarray] = {
            name: np.full(self.capacity, fill, dtype=dtype) for name, (dtype, fill) in self.schema.items()
        }
        self._count = 0

    # -- size ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._count

    def __getitem__(self, name: str) -> np.ndarray:
        return self.cols[name]

    def mask_of(self, rows: np.ndarray) -> np.ndarray:
        """Boolean lookup of ``rows`` with one spare slot at the end, so that a column holding
        -1 for "none" can be looked up directly: ``pop.mask_of(closed)[researchers["firm"]]``."""
        mask = np.zeros(self.capacity + 1, dtype=bool)
        mask[rows] = True
        return mask

    def rows(self) -> np.ndarray:
        """Indices of live rows, ascending."""
        return np.flatnonzero(self.alive)

    # -- birth and death ----------------------------------------------------------------------
    def add(self, n: int, **values: Any) -> np.ndarray:
        """Add ``n`` agents; ``values`` give their columns (scalars or arrays of length ``n``).

        Returns the rows the new agents occupy.
        """
        n = int(n)
        if n <= 0:
            return np.empty(0, dtype=np.int64)
        unknown = set(values) - set(self.cols)
        if unknown:
            raise KeyError(f"unknown columns {sorted(unknown)}")
        free = np.flatnonzero(~self.alive)
        if free.size < n:
            self._grow(self._count + n)
            free = np.flatnonzero(~self.alive)
        rows = free[:n]
        for name, value in values.items():
            self.cols[name][rows] = value
        self.alive[rows] = True
        if self.eager:
            self._materialise(rows)
        self._count += n
        return rows

    def agent(self, row: int) -> mesa.Agent:
        """The Mesa agent of a live row (created and registered with the model on first use)."""
        if not self.alive[row]:
            raise KeyError(f"row {row} holds no live agent")
        if self.agents[row] is None:
            self._materialise(np.array([row]))
        return self.agents[row]

    def agentset(self) -> "mesa.agent.AgentSet":
        """Every live agent of this population as Mesa's AgentSet (materialising as needed)."""
        rows = self.rows()
        self._materialise(rows[np.equal(self.agents[rows], None)])
        return self.model.agents_by_type[self.agent_class]

    def _materialise(self, rows: np.ndarray) -> None:
        model, pop, cls = self.model, self, self.agent_class
        self.agents[rows] = [cls(model, pop, int(r)) for r in rows]

    def remove(self, rows: np.ndarray) -> None:
        """Remove the agents at ``rows`` (from the model too) and reset their columns."""
        rows = np.asarray(rows, dtype=np.int64)
        rows = rows[self.alive[rows]]
        if rows.size == 0:
            return
        objects = self.agents[rows]
        for agent in objects[np.not_equal(objects, None)]:
            agent.remove()
        self.agents[rows] = None
        self.alive[rows] = False
        for name, (_, fill) in self.schema.items():
            self.cols[name][rows] = fill
        self._count -= rows.size

    def _grow(self, needed: int) -> None:
        new = self.capacity
        while new < needed:
            new = int(new * self.GROWTH) + 1
        extra = new - self.capacity
        self.alive = np.concatenate([self.alive, np.zeros(extra, dtype=bool)])
        self.agents = np.concatenate([self.agents, np.empty(extra, dtype=object)])
        for name, (dtype, fill) in self.schema.items():
            self.cols[name] = np.concatenate([self.cols[name], np.full(extra, fill, dtype=dtype)])
        self.capacity = new

    # -- checks ---------------------------------------------------------------------------------
    def count(self, mask: np.ndarray | None = None) -> int:
        """Live rows, or live rows where ``mask`` holds."""
        return int(self._count if mask is None else np.count_nonzero(mask & self.alive))


class RowAgent(mesa.Agent):
    """A Mesa agent whose state is one row of a :class:`Population`.

    Subclasses list their column names in ``COLUMNS``; each becomes a property reading and
    writing the agent's row, so ``researcher.field`` and ``pop["field"][researcher.row]`` are
    the same number.
    """

    COLUMNS: dict[str, tuple[Any, Any]] = {}

    def __init__(self, model: mesa.Model, population: Population, row: int):
        super().__init__(model)
        self.population = population
        self.row = row

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls.COLUMNS:
            setattr(cls, name, _column_property(name))

    def state(self) -> dict[str, Any]:
        """This agent's row as a dict (for inspection and tests)."""
        return {name: self.population.cols[name][self.row].item() for name in self.COLUMNS}


def _column_property(name: str) -> property:
    def get(self: RowAgent) -> Any:
        return self.population.cols[name][self.row].item()

    def set(self: RowAgent, value: Any) -> None:
        self.population.cols[name][self.row] = value

    return property(get, set, doc=f"This agent's `{name}` (a column of its population).")
