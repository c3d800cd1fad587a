"""Plots and HTML reports, read from results folders only.

:mod:`.plots` draws fan charts (median, 50 % and 90 % bands) with documented figures and
milestones marked; it serves the single-run report (:mod:`.html`) and comparisons alike.
"""
