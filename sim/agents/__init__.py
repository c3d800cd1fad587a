"""The actors: one module per agent type.

Each large population (researchers, foreign talent, firms, research organisations) is a
:class:`sim.population.Population` of :class:`sim.population.RowAgent` subclasses; the rules
of behaviour are vectorised class methods of the agent class, so the rule reads in one place
and runs over the whole population at once. Agencies are few and are ordinary Mesa agents.
"""

from sim.agents.agency import Agency
from sim.agents.firm import Firm
from sim.agents.foreign_talent import ForeignTalent
from sim.agents.research_org import ResearchOrganisation
from sim.agents.researcher import Researcher

__all__ = ["Agency", "Firm", "ForeignTalent", "ResearchOrganisation", "Researcher"]
