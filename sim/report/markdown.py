"""Small helpers shared by the markdown reports (calibration, backtest): numbers, yes/no cells,
tables, and saving a figure as a PNG."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def save_png(fig: Figure, path: Path) -> None:
    FigureCanvasAgg(fig)
    fig.savefig(path, pil_kwargs={"compress_level": 6})


def num(x: object) -> str:
    """A number as a table shows it: thousands separated above 1,000, one decimal above 10, three
    significant figures below; ``n/a`` for a missing or non-finite value."""
    if x is None or x is pd.NA or (isinstance(x, (float, np.floating)) and not math.isfinite(float(x))):
        return "n/a"
    v = float(x)
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A markdown table (a ``|`` inside a cell is shown as ``/``)."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    return "\n".join(out)
