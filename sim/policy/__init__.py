"""Policy instruments: how an agency applies each lever in a quarter.

One module per instrument: :mod:`.grants` (research grants, basic research share),
:mod:`.permits` (visa processing, permanent residence), :mod:`.settlement` (settlement support;
amenities and foreign-led projects act through foreign talent's choices), :mod:`.tax`
(super-deduction, SME relief), :mod:`.ip_loans` (IP-pledge loan guarantee) and
:mod:`.innovation_fund`. Each function takes the model and this quarter's lever values, moves
money only through an :class:`sim.agents.Agency`, and records receipts in the ledger.
"""
