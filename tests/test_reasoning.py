"""HermiT (owlready2) classifies instruments and parties through the ontology's defined classes."""

from __future__ import annotations

import shutil

import pytest

from aigovkg.reasoning import reason

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")

ONTO = "https://w3id.org/aigovkg/ontology#"
ID = "https://w3id.org/aigovkg/id/"


@pytest.fixture(scope="module")
def result(loaded):
    return reason(loaded.graph)


def test_consistent(result) -> None:
    assert result.consistent


def test_binding_and_risk_based_instruments(result) -> None:
    assert set(result.inferred[ID + "instrument/eu-ai-act"]) >= {
        ONTO + "BindingInstrument",
        ONTO + "RiskBasedInstrument",
    }
    assert ONTO + "RiskBasedInstrument" not in result.inferred.get(
        ID + "instrument/us-eo-14110", []
    )
    assert ID + "instrument/asean-guide-ai-governance-ethics" not in result.inferred


def test_signatory_of_all_summit_declarations(result) -> None:
    everything = ONTO + "SignatoryOfAllSummitDeclarations"
    assert everything in result.inferred[ID + "country/AU"]
    # China signed Bletchley but not the Seoul Declaration.
    assert everything not in result.inferred.get(ID + "country/CN", [])
