"""Readable ontology documentation, generated with pyLODE rather than a hand-written renderer.

pyLODE's OntPub profile turns the OWL file into one self-contained HTML page (no scripts or
styles from elsewhere), which `/ontology` serves to browsers. It is documentation, not a dump:
pyLODE lists the members of an owl:intersectionOf in an order that changes between runs, so this
page is left out of SHA256SUMS and of the byte-identical promise that the dumps keep.
pyLODE 3.4.1 ships a broken wheel (a module and its pyproject.toml are missing), hence the pin
below 3.4 in pyproject.toml.
"""

from __future__ import annotations

import logging

from rdflib import Graph


def ontology_html(ontology: Graph) -> str:
    """The documentation page of the ontology graph (classes, properties, their definitions)."""
    from pylode import OntPub  # imported here: slow to import, and only builds need it

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)  # pyLODE logs its progress at INFO and DEBUG on the root
    try:
        return OntPub(ontology=ontology).make_html()
    finally:
        root.setLevel(level)
