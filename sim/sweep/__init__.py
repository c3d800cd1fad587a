"""Parameter sweeps and global sensitivity analysis.

One idea per module, after EMA Workbench: :mod:`.spec` (the sweep file and its validation),
:mod:`.designs` (grid, Latin hypercube, Sobol and Morris designs as value classes),
:mod:`.evaluators` (local processes or a Dask cluster, as context managers), :mod:`.execute`
(runs written to disk as they finish, resumable) and :mod:`.sensitivity` (SALib's Sobol and
Morris analyses).
"""
