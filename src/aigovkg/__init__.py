"""aigovkg: an open knowledge graph comparing how the world governs AI.

>>> import aigovkg
>>> kg = aigovkg.load()
>>> kg.query("SELECT ?i WHERE { ?i a aigov:Law }")

`load` and `KnowledgeGraph` are imported on first use (PEP 562): they pull in pandas and pySHACL,
which the server's query workers never need, and each worker starts a fresh interpreter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .api import KnowledgeGraph, load

__all__ = ["KnowledgeGraph", "__version__", "load"]


def __getattr__(name: str) -> Any:
    if name in ("KnowledgeGraph", "load"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'aigovkg' has no attribute {name!r}")
