"""Errors a user can act on.

Every problem with user input (a scenario, a sweep spec, a targets file, a command-line flag)
is raised as :class:`InputError`, which the command line turns into one line on stderr and
exit status 2. The message names the file, the field and what is allowed, so the user never
has to read a traceback.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Invalid user input: file, field and what is allowed.

    >>> str(InputError("what is allowed", file="a.yaml", field="levers.x"))
    'a.yaml: levers.x: what is allowed'
    """

    def __init__(self, message: str, *, file: str | Path | None = None, field: str | None = None):
        self.file = str(file) if file is not None else None
        self.field = field
        self.detail = message
        parts = [p for p in (self.file, field, message) if p]
        super().__init__(": ".join(parts))
