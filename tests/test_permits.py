"""Permits: a faster target never slows processing; the budget decides what it can deliver."""


from sim.parameters import Parameters
from sim.policy import permits


def test_achievable_days_never_below_the_target_and_never_slower_for_a_faster_target():
    p = Parameters.defaults()
    for cases in (1_000, 10_000, 40_000):
        days = [permits.achievable_days(p, cases, budget_bn=0.02, target_days=t, deflator=1.0) for t in (60, 30, 10, 5, 1)]
        assert all(d >= t for d, t in zip(days, (60, 30, 10, 5, 1)))
        assert all(b <= a + 1e-12 for a, b in zip(days, days[1:]))      # faster target: never slower


def test_a_larger_budget_delivers_a_binding_target_sooner():
    p = Parameters.defaults()
    tight = permits.achievable_days(p, 20_000, budget_bn=0.01, target_days=2, deflator=1.0)
    ample = permits.achievable_days(p, 20_000, budget_bn=0.1, target_days=2, deflator=1.0)
    assert tight > ample >= 2
