import numpy as np

from sim.sweep.designs import grid, lhs, morris, sobol

B = [(0.0, 1.0), (10.0, 20.0), (-1.0, 1.0)]
N = ["a", "b", "c"]


def test_grid_is_the_full_factorial():
    d = grid({"a": [1, 2], "b": [5, 6, 7]})
    assert len(d) == 6 and {tuple(r) for r in d.matrix} == {(a, b) for a in (1, 2) for b in (5, 6, 7)}


def test_sobol_sizes_follow_saltelli_and_stay_in_bounds():
    assert len(sobol(N, B, 16, seed=1)) == 16 * (3 + 2)
    assert len(sobol(N, B, 16, seed=1, second_order=True)) == 16 * (2 * 3 + 2)
    m = sobol(N, B, 16, seed=1).matrix
    assert (m.min(axis=0) >= [0, 10, -1]).all() and (m.max(axis=0) <= [1, 20, 1]).all()


def test_morris_has_trajectories_of_d_plus_one_points_and_lhs_n_rows():
    assert len(morris(N, B, 5, seed=1)) == 5 * 4
    d = lhs(N, B, 20, seed=1)
    assert len(d) == 20
    # Latin hypercube: each of 20 strata of each parameter holds exactly one point.
    strata = np.floor((d.matrix[:, 0] - 0) / 1 * 20).astype(int)
    assert sorted(strata) == list(range(20))


def test_designs_are_reproducible_from_their_seed():
    assert np.array_equal(sobol(N, B, 8, seed=3).matrix, sobol(N, B, 8, seed=3).matrix)
    assert not np.array_equal(lhs(N, B, 8, seed=3).matrix, lhs(N, B, 8, seed=4).matrix)
