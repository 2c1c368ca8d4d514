"""Building the ontology documentation leaves the process's logging as it found it.

pyLODE's import calls `logging.basicConfig(level=DEBUG)`; before the fix every library then
printed DEBUG lines (`serve`, the example notebook). Run in a fresh interpreter, since pyLODE
may already be imported in the test process.
"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import logging
from rdflib import Graph
from aigovkg.ontology_docs import ontology_html

graph = Graph().parse(data='''
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<urn:o> a owl:Ontology ; rdfs:label "o" .
<urn:o#C> a owl:Class ; rdfs:label "C" ; rdfs:isDefinedBy <urn:o> .
''', format="turtle")
assert "<html" in ontology_html(graph).lower()
root = logging.getLogger()
print(root.level, len(root.handlers))
logging.getLogger("some.library").debug("DEBUG noise from a library")
logging.getLogger("some.library").info("INFO noise from a library")
"""


def test_pylode_leaves_root_logger_alone() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(30), "0"]  # WARNING, no handler added
    assert "noise" not in done.stderr
    assert "DEBUG" not in done.stderr
