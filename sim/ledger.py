"""The ledger: every yuan an agency pays, and who received it.

Agencies record what they pay (:meth:`Ledger.record`, called by :class:`sim.agents.Agency`);
the rule that hands the money to researchers, firms, banks or foreign scientists records what
they receive (:meth:`Ledger.receive`). The two are written by different code paths, so
``paid == received`` for every agency is a real check that money is neither created nor lost
(see ``tests/test_ledger.py`` and ``tests/test_model.py``). Private flows that pass through no
agency (bank lending, loan repayments) are recorded as ``flows`` for the indicators.
"""

from __future__ import annotations

from collections import defaultdict


class Ledger:
    """Running totals in bn yuan, by agency role (payments) and by (role, recipient) (receipts)."""

    def __init__(self) -> None:
        self.paid: defaultdict[str, float] = defaultdict(float)
        self.received: defaultdict[str, float] = defaultdict(float)
        self.by_recipient: defaultdict[tuple[str, str], float] = defaultdict(float)
        self.flows: defaultdict[str, float] = defaultdict(float)

    def record(self, role: str, amount_bn_yuan: float) -> None:
        """An agency paid ``amount``."""
        self.paid[role] += amount_bn_yuan

    def receive(self, role: str, recipient: str, amount_bn_yuan: float) -> None:
        """``recipient`` (a kind of agent) received ``amount`` from the agency ``role``."""
        self.received[role] += amount_bn_yuan
        self.by_recipient[(role, recipient)] += amount_bn_yuan

    def flow(self, name: str, amount_bn_yuan: float) -> None:
        """A private flow (no agency involved)."""
        self.flows[name] += amount_bn_yuan

    def imbalance(self, tolerance: float = 1e-9) -> dict[str, float]:
        """Agencies whose payments and recorded receipts differ by more than ``tolerance`` (relative)."""
        out = {}
        for role in set(self.paid) | set(self.received):
            paid, got = self.paid[role], self.received[role]
            if abs(paid - got) > tolerance * max(1.0, abs(paid)):
                out[role] = paid - got
        return out
