"""Loading scenario files: safe YAML, schema, ``extends`` chains, and resolution.

Resolution rules, in the order they apply:

1. Each file is parsed with a safe YAML loader that refuses duplicate keys (:mod:`sim.inputs`) and checked against :mod:`.schema`; lever,
   exogenous and parameter names and value ranges are checked against the catalogues.
2. ``extends`` is followed (relative to the file that names it) until a file without it; a
   missing file or a cycle is an error naming the file that points at it.
3. Schedules merge root first: a child's schedule takes over from its own first date onward
   and the parent's holds before it; a constant replaces the parent's schedule entirely.
   Levers nobody names take the catalogue default (the 2016 status quo).
4. ``run`` settings merge field by field (child wins); every date must lie between 2016 and the
   horizon the files declare (``run.horizon``, default 2035). Command-line overrides then win:
   a shorter ``--horizon`` ends the run before later dates take effect.
"""

from __future__ import annotations

import datetime as dt
import math
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError

from sim import levers as lever_catalogue
from sim import parameters as parameter_catalogue
from sim.calendar import START_YEAR, parse_date
from sim.errors import InputError
from sim.inputs import did_you_mean, load_yaml, resolve_path, short
from sim.scenario.schedule import Schedule, changes
from sim.scenario.schema import RUN_DEFAULTS, Ramp, ScenarioFile


@dataclass(frozen=True)
class Scenario:
    """A fully resolved scenario: every lever's schedule, run settings and parameter overrides."""

    name: str
    description: str
    path: Path
    chain: tuple[Path, ...]
    schedules: dict[str, Schedule]
    run: dict[str, Any]
    parameters: dict[str, float] = field(default_factory=dict)
    #: what this file changes from its parent: levers, exogenous inputs and parameter overrides
    own_levers: tuple[str, ...] = ()

    @property
    def horizon(self) -> int:
        return int(self.run["horizon"])

    def quarterly(self, horizon: int | None = None) -> dict[str, np.ndarray]:
        """Every lever and exogenous input compiled to one value per quarter."""
        h = self.horizon if horizon is None else horizon
        return {name: s.quarterly(h) for name, s in self.schedules.items()}

    def resolved(self) -> dict[str, Any]:
        """JSON-ready description for the manifest: change points of every schedule."""
        q = self.quarterly()
        return {
            "name": self.name,
            "description": self.description,
            "files": [str(p) for p in self.chain],
            "changes_from_parent": list(self.own_levers),
            "levers": {n: changes(q[n]) for n in lever_catalogue.POLICY_LEVERS},
            "exogenous": {n: changes(q[n]) for n in lever_catalogue.EXOGENOUS},
            "parameters": dict(self.parameters),
            "run": dict(self.run),
        }


def read_yaml(path: Path) -> Any:
    """Read a YAML file safely (duplicate keys, alias bombs and non-finite numbers refused, see
    :func:`sim.inputs.load_yaml`); errors name the file (and line, for syntax errors)."""
    return load_yaml(path)


def pydantic_error(exc: ValidationError, path: Path, model: type[BaseModel] | None = None) -> InputError:
    """The first pydantic error as an :class:`InputError` naming the field. ``model`` is the class
    the file was validated with (a scenario file by default): an unknown field's message lists the
    fields allowed where it stands."""
    err = exc.errors()[0]
    # pydantic names the member of a union it tried (`int`, `float`, `dict[...]`): not a field of the file
    loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith(("function-", "union["))
                   and str(p) not in ("int", "float", "str", "bool", "date") and "[" not in str(p))
    kinds = {"extra_forbidden": "unknown field", "missing": "required field is missing"}
    message = kinds.get(err["type"], err["msg"])
    if err["type"] == "extra_forbidden":
        found = _model_at(ScenarioFile if model is None else model, tuple(err["loc"][:-1]))
        if found is not None:
            message += f"; allowed: {', '.join(found.model_fields)}"
    return InputError(message, file=path, field=loc or "(top level)")


def _model_at(root: Any, loc: tuple) -> type[BaseModel] | None:
    """The pydantic model that holds the field at ``loc`` (an error location below ``root``), or
    None where the path leads through anything else (a mapping of free names, a scalar)."""
    kind: Any = root
    for part in loc:
        kind = _step(kind, part)
        if kind is None:
            return None
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def _step(kind: Any, part: Any) -> Any:
    """The type one step below ``kind`` along an error location's ``part``."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Annotated:
        return _step(args[0], part)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        field = kind.model_fields.get(part) if isinstance(part, str) else None
        return None if field is None else field.annotation
    if origin in (typing.Union, types.UnionType):
        # pydantic names the member of a union it tried; otherwise the path goes on in its one model
        members = [a for a in args if a is not type(None)]
        named = [a for a in members if getattr(a, "__name__", None) == part]
        if named:
            return named[0]
        models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
        return _step(models[0], part) if len(models) == 1 else None
    if origin in (list, tuple, set, frozenset) and isinstance(part, int) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _parse_file(path: Path) -> ScenarioFile:
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise InputError("a scenario file must be a mapping with at least `name`", file=path, field="(top level)")
    for section in ("levers", "exogenous"):
        specs = raw.get(section)
        if isinstance(specs, dict):
            for name, spec in specs.items():
                problem = _schedule_shape(spec)
                if problem:
                    raise InputError(problem, file=path, field=f"{section}.{name}")
    try:
        return ScenarioFile.model_validate(raw)
    except ValidationError as exc:
        raise pydantic_error(exc, path) from None


SCHEDULE_FORMS = ("a number, a mapping of dates (YYYY or YYYY-MM-DD) to numbers, "
                  "or {interpolation: step|linear, values: {date: number, ...}}")


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _schedule_shape(spec: Any) -> str | None:
    """Why a lever's value is not a schedule, in the user's terms (pydantic's union errors are not)."""
    if _is_number(spec):
        return None
    if isinstance(spec, dict):
        if "values" in spec or "interpolation" in spec:
            extra = set(spec) - {"values", "interpolation"}
            if extra:
                return f"unknown key {sorted(extra)[0]!r} in a ramp; allowed: interpolation, values"
            if spec.get("interpolation", "step") not in ("step", "linear"):
                return f"interpolation must be step or linear, got {spec.get('interpolation')!r}"
            if "values" not in spec:
                return "a ramp needs `values`"
        values = spec.get("values") if "values" in spec or "interpolation" in spec else spec
        if isinstance(values, dict) and values:
            bad = [f"{short(k)}: {short(v)}" for k, v in values.items() if not _is_number(v)]
            if bad:
                return f"values must be numbers, got {bad[0]}"
            dates = [k for k in values if isinstance(k, float)]
            if dates:
                return f"{dates[0]!r} is not a date; dates are a year (2026) or YYYY-MM-DD (2026-07-01)"
            return None
    return f"must be {SCHEDULE_FORMS}; got {short(spec)}"


def _schedule(spec: Any, path: Path, where: str, lever: lever_catalogue.Lever) -> Schedule:
    """A schedule from its YAML form, checked for dates and range."""
    if isinstance(spec, Ramp):
        raw_points, interpolation = spec.values, spec.interpolation
    elif isinstance(spec, dict):
        raw_points, interpolation = spec, "step"
    else:
        raw_points, interpolation = None, "step"
    if raw_points is None:
        value = float(spec)
        _check_value(value, lever, path, where)
        return Schedule.constant(value)
    points = []
    for key, value in raw_points.items():
        try:
            date = parse_date(key)
        except ValueError as exc:
            raise InputError(str(exc), file=path, field=f"{where}.{key}") from None
        _check_value(float(value), lever, path, f"{where}.{key}")
        points.append((date, float(value)))
    points.sort()
    dates = [d for d, _ in points]
    if len(set(dates)) != len(dates):
        twice = next(d for d in dates if dates.count(d) > 1)
        raise InputError(f"the date {twice.isoformat()} appears twice (a year means its 1 January)", file=path,
                         field=where)
    return Schedule(points=tuple(points), interpolation=interpolation)


def _check_value(value: float, lever: lever_catalogue.Lever, path: Path, where: str) -> None:
    if not math.isfinite(value):
        raise InputError("must be a finite number", file=path, field=where)
    problem = lever.check(value)
    if problem:
        raise InputError(problem, file=path, field=where)


def _chain(path: Path) -> list[tuple[Path, ScenarioFile]]:
    """Files from the root ancestor down to ``path``."""
    seen: list[Path] = []
    files: list[tuple[Path, ScenarioFile]] = []
    current = _resolve(path, None)
    referrer: Path | None = None
    while True:
        if current in seen:
            cycle = " -> ".join(p.name for p in [*seen, current])
            raise InputError(f"circular extends ({cycle})", file=referrer, field="extends")
        if not current.exists():
            if referrer is None:
                raise InputError("file not found", file=current)
            raise InputError(f"extends a file that does not exist: {current}", file=referrer, field="extends")
        if referrer is not None and not current.is_file():
            raise InputError(f"must name a scenario file; {current} is not a file", file=referrer, field="extends")
        seen.append(current)
        parsed = _parse_file(current)
        files.append((current, parsed))
        if parsed.extends is None:
            break
        referrer, current = current, _resolve(current.parent / parsed.extends, current)
    return files[::-1]


def _resolve(path: Path, referrer: Path | None) -> Path:
    """``path`` made absolute with symbolic links followed; a link loop is an input error."""
    return resolve_path(path, file=referrer, field="extends" if referrer else None)


def _check_dates(files: list[tuple[Path, ScenarioFile]], horizon: int) -> None:
    first, last = dt.date(START_YEAR, 1, 1), dt.date(horizon, 12, 31)
    for path, parsed in files:
        for section in ("levers", "exogenous"):
            for name, spec in getattr(parsed, section).items():
                keys = spec.values if isinstance(spec, Ramp) else spec if isinstance(spec, dict) else {}
                for key in keys:
                    date = parse_date(key)
                    if not (first <= date <= last):
                        raise InputError(
                            f"date {date.isoformat()} is outside the simulated period "
                            f"{START_YEAR}-01-01 to {horizon}-12-31 (horizon {horizon}; set run.horizon for later dates)",
                            file=path, field=f"{section}.{name}.{key}")


def load_scenario(path: str | Path, **overrides: Any) -> Scenario:
    """Load, validate and resolve a scenario file.

    ``overrides`` are run settings from the command line (``horizon``, ``replicates``, ``seed``,
    ``scale``); ``None`` values are ignored.
    """
    path = Path(path)
    files = _chain(path)

    run: dict[str, Any] = dict(RUN_DEFAULTS)
    schedules: dict[str, Schedule] = {l.name: Schedule.constant(l.default) for l in lever_catalogue.LEVERS}
    params: dict[str, float] = {}
    for file_path, parsed in files:
        run.update(parsed.run.model_dump(exclude_none=True))
        for section, kind in (("levers", "lever"), ("exogenous", "exogenous")):
            for name, spec in getattr(parsed, section).items():
                lever = lever_catalogue.BY_NAME.get(name)
                if lever is not None and lever.kind != kind:
                    home = "levers" if lever.kind == "lever" else "exogenous"
                    raise InputError(f"is {'a lever' if lever.kind == 'lever' else 'an exogenous input'}; "
                                     f"put it under `{home}:`", file=file_path, field=f"{section}.{name}")
                if lever is None:
                    allowed = lever_catalogue.POLICY_LEVERS if kind == "lever" else lever_catalogue.EXOGENOUS
                    raise InputError(f"unknown {'lever' if kind == 'lever' else 'exogenous input'}"
                                     f"{did_you_mean(name, allowed)}; allowed: {', '.join(allowed)}",
                                     file=file_path, field=f"{section}.{name}")
                child = _schedule(spec, file_path, f"{section}.{name}", lever)
                schedules[name] = schedules[name].override_from(child)
        for name, value in parsed.parameters.items():
            problem = parameter_catalogue.check(name, float(value))
            if problem:
                raise InputError(problem, file=file_path, field=f"parameters.{name}")
            params[name] = float(value)
    # Dates are checked against the horizon the files declare: a later date there is a mistake.
    # A --horizon on the command line only shortens or lengthens the run.
    _check_dates(files, int(run["horizon"]))
    run.update({k: v for k, v in overrides.items() if v is not None})
    if not (2020 <= int(run["horizon"]) <= 2060):
        raise InputError("must be a year from 2020 to 2060", field="--horizon")

    leaf_path, leaf = files[-1]
    return Scenario(
        name=leaf.name,
        description=leaf.description.strip(),
        path=leaf_path,
        chain=tuple(p for p, _ in files),
        schedules=schedules,
        run=run,
        parameters=params,
        own_levers=tuple([*leaf.levers, *leaf.exogenous, *leaf.parameters]) if leaf.extends else (),
    )
