"""Where the package's data files are: the repository's folders, or the copy installed with the package.

The calibrated posterior, the documented figures, the priors and the shipped scenarios live in the
repository's ``calibration/`` and ``scenarios/`` folders, where users read and edit them. A built
package (``pip install .``, a wheel) carries a copy of them in ``sim/_data/`` with the same layout
(``setup.py`` copies them at build time), so an installed ``innovsim`` works from any folder.

Run from a checkout (an editable install, or ``python -m sim`` in the repository), the
repository's files are used, so ``innovsim calibrate`` writes to ``calibration/`` and the next
``innovsim run`` reads what it wrote.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: The repository folder when the package runs from a checkout.
CHECKOUT = PACKAGE_DIR.parent
#: The copy of the data installed inside the package.
INSTALLED = PACKAGE_DIR / "_data"
#: The files a built package carries: folders of the repository and the patterns copied from each.
PACKAGE_DATA = {"calibration": ("posterior.parquet", "discrepancy.csv", "targets.yaml", "priors.yaml"),
                "scenarios": ("*.yaml", "sweeps/*.yaml")}


def in_checkout() -> bool:
    """True when the package runs from the repository (not from an installed copy)."""
    return (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "calibration").is_dir()


def data_root() -> Path:
    """The folder holding ``calibration/`` and ``scenarios/``: the checkout's, else the installed copy."""
    return CHECKOUT if in_checkout() else INSTALLED


def data_file(relative: str) -> Path:
    """A data file by its repository path, e.g. ``"calibration/posterior.parquet"``."""
    return data_root() / relative


def calibration_folder() -> Path:
    """Where ``innovsim calibrate`` writes by default: the checkout's ``calibration/``, or, for an
    installed package, ``calibration/`` in the working folder (never inside the installed package)."""
    return CHECKOUT / "calibration" if in_checkout() else Path("calibration")
