"""The closed vocabulary in Python and the ontology declare exactly the same terms."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from aigovkg.namespaces import AIGOV


def test_defined_namespace_matches_ontology(loaded) -> None:
    prefix = str(AIGOV._NS)
    declared = {
        str(s)[len(prefix) :]
        for s in loaded.graph.subjects()
        if isinstance(s, URIRef) and str(s).startswith(prefix)
    }
    in_python = set(AIGOV.__annotations__)
    assert declared == in_python


def test_misspelt_term_raises() -> None:
    with pytest.raises(AttributeError):
        _ = AIGOV.signatorry
