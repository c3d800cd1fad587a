
import numpy as np
import pytest

import mesa

from sim.population import Population, RowAgent


class Bee(RowAgent):
    COLUMNS = {"size": (np.float32, 0.0), "hive": (np.int32, -1)}


def make(eager=False, capacity=4):
    model = mesa.Model(rng=1)
    return model, Population(model, Bee, Bee.COLUMNS, capacity=capacity, eager=eager)


def test_add_sets_columns_and_counts():
    _, pop = make()
    rows = pop.add(3, size=[1.0, 2.0, 3.0], hive=7)
    assert len(pop) == 3 and rows.tolist() == [0, 1, 2]
    assert pop["size"][rows].tolist() == [1.0, 2.0, 3.0] and set(pop["hive"][rows]) == {7}


def test_removed_rows_are_reset_and_reused_lowest_first():
    _, pop = make()
    pop.add(4, size=1.0)
    pop.remove(np.array([1, 2]))
    assert len(pop) == 2 and pop["size"][1] == 0 and pop["hive"][2] == -1
    assert pop.add(1, size=5.0).tolist() == [1]


def test_capacity_grows_keeping_rows():
    _, pop = make(capacity=2)
    pop.add(2, size=1.0)
    pop.add(5, size=2.0)
    assert len(pop) == 7 and pop.capacity >= 7
    assert pop["size"][:2].tolist() == [1.0, 1.0]


def test_lazy_agents_are_created_on_first_use_and_read_their_row():
    model, pop = make()
    pop.add(3, size=[1.0, 2.0, 3.0])
    assert Bee not in model.agents_by_type
    bee = pop.agent(1)
    assert isinstance(bee, mesa.Agent) and bee.size == 2.0 and pop.agent(1) is bee
    bee.size = 9.0
    assert pop["size"][1] == 9.0
    assert len(pop.agentset()) == 3 and len(model.agents) == 3


def test_eager_agents_exist_from_birth_and_leave_on_removal():
    model, pop = make(eager=True)
    pop.add(3, size=1.0)
    assert len(model.agents_by_type[Bee]) == 3
    pop.remove(np.array([0]))
    assert len(model.agents_by_type[Bee]) == 2
    with pytest.raises(KeyError):
        pop.agent(0)


def test_removing_a_materialised_lazy_agent_deregisters_it():
    model, pop = make()
    pop.add(2, size=1.0)
    pop.agent(0)
    pop.remove(np.array([0]))
    assert len(model.agents) == 0


def test_mask_of_reads_minus_one_as_none():
    _, pop = make()
    pop.add(3)
    mask = pop.mask_of(np.array([2]))
    assert mask[np.array([-1, 0, 2])].tolist() == [False, False, True]
