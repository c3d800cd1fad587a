"""Markets: where agents' decisions meet and clear.

One module per market: :mod:`.product` (demand for firms' output, shared among firms),
:mod:`.labour` (research posts funded by money, and the researchers who fill them),
:mod:`.finance` (seed money for founders, IP-pledge loans from banks),
:mod:`.talent_migration` (mobile scientists choosing a destination, and permits) and
:mod:`.technology` (technology contracts sold by organisations and firms to buyers in Beijing and
elsewhere).
The rules of each actor are in its own module under :mod:`sim.agents`; a market only brings
their decisions together.
"""
