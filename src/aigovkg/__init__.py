"""aigovkg: an open knowledge graph comparing how the world governs AI.

>>> import aigovkg
>>> kg = aigovkg.load()
>>> kg.query("SELECT ?i WHERE { ?i a aigov:Law }")
"""

from .api import KnowledgeGraph, load
from .version import __version__

__all__ = ["KnowledgeGraph", "__version__", "load"]
