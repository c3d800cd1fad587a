"""Plots and HTML reports, read from results folders only.

:mod:`.plots` draws fan charts (median, 50 % and 90 % bands) with documented figures and
milestones marked; it serves the single-run report (:mod:`.html`) and comparisons alike.
"""

import matplotlib

# Labels come from user input (scenario, folder and sweep names): a `$` in them must print as a
# dollar sign, not start TeX-like math that fails to parse and stops the report.
matplotlib.rcParams["text.parse_math"] = False
