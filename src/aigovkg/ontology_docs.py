"""Readable ontology documentation, generated with pyLODE rather than a hand-written renderer.

pyLODE's OntPub profile turns the OWL file into one self-contained HTML page (no scripts or
styles from elsewhere), which `/ontology` serves to browsers. It is documentation, not a dump:
pyLODE lists the members of an owl:intersectionOf in an order that changes between runs, so this
page is left out of SHA256SUMS and of the byte-identical promise that the dumps keep.
pyLODE 3.4.1 ships a broken wheel (a module and its pyproject.toml are missing), hence the pin
below 3.4 in pyproject.toml.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from rdflib import Graph


def ontology_html(ontology: Graph) -> str:
    """The documentation page of the ontology graph (classes, properties, their definitions)."""
    with _root_logging_kept():
        from pylode import OntPub  # imported here: slow to import, and only builds need it

        # sort_subjects: pyLODE otherwise lists classes in the graph's hash order, so two builds
        # of the same ontology gave two different pages.
        return OntPub(ontology=ontology, sort_subjects=True).make_html()


@contextlib.contextmanager
def _root_logging_kept() -> Iterator[None]:
    """Run pyLODE with the root logger at WARNING, and give the root back as it was.

    A placeholder handler on the root turns pyLODE's `basicConfig` into a no-op.

    Importing pyLODE runs `logging.basicConfig(level=DEBUG)` (pylode/profiles/supermodel,
    and again in modules it imports later), which would make every library in the process
    (uvicorn, httpx, matplotlib...) print DEBUG lines on stderr for the rest of its life; it
    also logs its own progress at INFO and DEBUG on the root.
    """
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    root.setLevel(logging.WARNING)
    placeholder = logging.NullHandler()  # basicConfig does nothing while the root has a handler
    root.addHandler(placeholder)
    try:
        yield
    finally:
        root.setLevel(level)
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
