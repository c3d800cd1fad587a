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
