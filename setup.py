"""Build step that installs the repository's data files with the package (see sim/resources.py).

Everything else about the package is declared in pyproject.toml. A built package (``pip install .``,
a wheel, an sdist) carries a copy of ``calibration/`` (posterior, targets, priors) and
``scenarios/`` in ``sim/_data/`` with the same layout; an editable install reads the repository's
own files instead, so nothing is copied for it.
"""

import runpy
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def package_data() -> dict[str, tuple[str, ...]]:
    """``PACKAGE_DATA`` of sim/resources.py (a module that imports nothing but pathlib)."""
    return runpy.run_path(str(HERE / "sim" / "resources.py"))["PACKAGE_DATA"]


class build_py_with_data(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "sim" / "_data"
        for folder, patterns in package_data().items():
            for pattern in patterns:
                files = sorted((HERE / folder).glob(pattern))
                if not files:
                    raise SystemExit(f"setup.py: no {folder}/{pattern} to install with the package")
                for src in files:
                    dest = target / src.relative_to(HERE)
                    self.mkpath(str(dest.parent))
                    self.copy_file(str(src), str(dest))


setup(cmdclass={"build_py": build_py_with_data})
