from sim.ledger import Ledger


def test_balanced_ledger_has_no_imbalance():
    led = Ledger()
    led.record("tax", 5.0)
    led.receive("tax", "firms", 5.0)
    assert led.imbalance() == {}


def test_money_lost_or_created_is_reported():
    led = Ledger()
    led.record("tax", 5.0)
    led.receive("tax", "firms", 4.0)
    led.receive("science", "orgs", 1.0)
    assert led.imbalance() == {"tax": 1.0, "science": -1.0}
