"""The patent office's pipeline: grants follow filings with the stated mean delay, nothing is lost."""

import numpy as np
import pytest

from sim.world import patent_office


def test_a_steady_pipeline_grants_what_is_filed():
    waiting, examining = patent_office.steady(np.array([3.0, 0.0]), 2.5)
    for _ in range(20):
        granted = patent_office.advance(waiting, examining, np.array([3.0, 0.0]), 2.5)
        assert granted == pytest.approx([3.0, 0.0])


def test_a_filing_is_granted_after_the_mean_delay_and_none_is_lost():
    lag = 2.5
    waiting, examining = np.zeros(1), np.zeros(1)
    granted = [patent_office.advance(waiting, examining, np.array([1.0 if q == 0 else 0.0]), lag)[0]
               for q in range(400)]
    granted = np.array(granted)
    assert granted.sum() == pytest.approx(1.0, abs=1e-9)                 # every filing is granted once
    quarters = np.arange(granted.size)
    # filed in quarter 0, granted in quarter q: q quarters between filing and grant
    mean_delay_years = float((quarters * granted).sum()) / 4.0
    assert mean_delay_years == pytest.approx(lag, rel=0.02)
    assert granted[:4].sum() < 0.25                                      # few grants within a year
    assert waiting[0] >= 0 and examining[0] >= 0


def test_a_longer_delay_holds_more_filings_and_grants_a_rise_later():
    def first_year_rise(lag):
        waiting, examining = patent_office.steady(np.array([1.0]), lag)
        return sum(patent_office.advance(waiting, examining, np.array([2.0]), lag)[0] for _ in range(4)) - 4.0
    assert 0 < first_year_rise(3.0) < first_year_rise(1.5) < 4.0


def test_a_faster_office_grants_its_queue_sooner_and_then_only_what_is_filed():
    lag, filed = 3.0, np.array([1.0])
    waiting, examining = patent_office.steady(filed, lag)
    stock_before = waiting.sum() + examining.sum()
    factor = patent_office.examination_factor(patent_office.EXAMINATION_MONTHS_2016 * 2 / 3)   # the plan: a third off
    assert factor == pytest.approx(2 / 3)
    granted = np.array([patent_office.advance(waiting, examining, filed, lag, factor)[0] for _ in range(80)])
    assert (granted[:8] > 1.0).all()                       # the queue is granted sooner: above the filings
    assert granted[-4:] == pytest.approx(1.0, rel=1e-4)    # then grants are the filings again
    released = stock_before - (waiting.sum() + examining.sum())
    # nothing is made or lost: the extra grants are the filings the shorter queue no longer holds
    assert (granted - 1.0).sum() == pytest.approx(released, rel=1e-9)
    # the examination stage holds a third less: lag/2 years of filings times a third, four quarters a year
    assert released == pytest.approx(4 * lag / 2 * (1 / 3), rel=1e-3)


def test_at_the_2016_pendency_the_office_is_the_one_the_delay_was_calibrated_on():
    # the two-stage pipeline as it was before the office's pendency became an input: both stages
    # leave at exit_share(lag), written out by hand so that a change to advance's scaling shows
    factor = patent_office.examination_factor(patent_office.EXAMINATION_MONTHS_2016)
    assert factor == 1.0
    lag, share = 2.5, patent_office.exit_share(2.5)
    office = patent_office.steady(np.array([2.0]), lag)
    waiting, examining = (s.copy() for s in office)
    for q in range(12):
        filed = np.array([2.0 + q])
        examined, called = examining * share, waiting * share
        waiting, examining = waiting + filed - called, examining + called - examined
        assert patent_office.advance(*office, filed, lag, factor) == pytest.approx(examined, rel=1e-12)
        assert office[0] == pytest.approx(waiting, rel=1e-12) and office[1] == pytest.approx(examining, rel=1e-12)


def test_a_queue_seated_on_growing_filings_keeps_growing_and_grants_below_filings():
    # filings that grew at g a year before go on growing: every stock grows at the same quarterly
    # factor, and grants stay the stated share of the quarter's filings
    lag, g = 2.9, 0.15
    r = (1.0 + g) ** 0.25
    filed = np.array([4.0, 1.0])
    waiting, examining = patent_office.steady(filed, lag, g)
    ratio = patent_office.grant_ratio(lag, g)
    assert 0.6 < ratio < 0.75
    for q in range(12):
        before = waiting.copy(), examining.copy()
        granted = patent_office.advance(waiting, examining, filed * r ** q, lag)
        assert granted == pytest.approx(ratio * filed * r ** q, rel=1e-9)
        assert waiting == pytest.approx(before[0] * r, rel=1e-9)
        assert examining == pytest.approx(before[1] * r, rel=1e-9)


def test_without_growth_the_seated_queue_is_the_stationary_one():
    lag = 2.5
    w0, e0 = patent_office.steady(np.array([3.0]), lag, 0.0)
    assert w0 == pytest.approx(3.0 / patent_office.exit_share(lag)) and e0 == pytest.approx(w0)
    assert patent_office.grant_ratio(lag, 0.0) == 1.0


def test_a_queue_with_a_growing_history_catches_up_when_filings_stop_growing():
    # grants start below filings, rise to them, never above, and the deficit is the filings the
    # queue holds beyond the stationary one (nothing made or lost)
    lag, g, filed = 2.9, 0.15, np.array([1.0])
    waiting, examining = patent_office.steady(filed, lag, g)
    held = waiting.sum() + examining.sum()
    granted = np.array([patent_office.advance(waiting, examining, filed, lag)[0] for _ in range(200)])
    assert granted[0] == pytest.approx(patent_office.grant_ratio(lag, g))
    assert (np.diff(granted) > -1e-12).all() and (granted <= 1.0 + 1e-12).all()
    assert granted[-1] == pytest.approx(1.0, rel=1e-6)
    stationary = 2.0 / patent_office.exit_share(lag)
    assert (1.0 - granted).sum() == pytest.approx(stationary - held, rel=1e-6)
    # four years on, most of the gap has closed: the catching-up is a matter of the delay's years
    assert granted[16] > 0.9


def test_filings_shrinking_faster_than_the_queue_empties_have_no_steady_state():
    with pytest.raises(ValueError, match="shrinking"):
        patent_office.steady(np.array([1.0]), 5.0, -0.5)
