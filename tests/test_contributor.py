"""The contributor workflow of data/README.md, run for real in a scratch checkout: adding a
national AI law touches one data file plus the regenerated expected answers, nothing else."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .conftest import REPO, SOURCE_DIRS, copy_build, run_cli

SLUG = "is-ai-act-fixture"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _scratch(tmp_path: Path, built: Path | None = None) -> Path:
    root = tmp_path / "checkout"
    for name in SOURCE_DIRS:
        shutil.copytree(REPO / name, root / name)
    shutil.copytree(REPO / "tests" / "competency" / "expected", root / "tests/competency/expected")
    shutil.copy(REPO / ".gitignore", root / ".gitignore")  # dist/ is a build output
    if built is not None:  # the session's build: a command that queries does not build again
        copy_build(built, root / "dist")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "scratch")
    return root


def test_a_new_law_is_one_data_file_plus_regenerated_expectations(tmp_path, built) -> None:
    root = _scratch(tmp_path, built)
    new = run_cli(
        "new", "instrument", SLUG,
        "--label", "Iceland AI Act (test fixture)",
        "--type", "Law",
        "--jurisdiction", "Iceland",
        "--binding",
        "--source-url", "https://example.org/is-ai-act",
        "--source-title", "A page the contributor read",
        "--source-publisher", "Example publisher",
        cwd=root,
    )  # fmt: skip
    assert new.returncode == 0, new.stderr
    written = root / "data" / "instruments" / f"{SLUG}.ttl"
    assert written.is_file() and "aigov:hasEvent" in written.read_text(encoding="utf-8")
    for command in (("validate",), ("fmt", "--check")):
        done = run_cli(*command, cwd=root)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    regenerated = run_cli("expectations", cwd=root)
    assert regenerated.returncode == 0, regenerated.stderr
    assert SLUG in regenerated.stdout, "the diff shows what the new law changed"
    changed = _git(root, "status", "--porcelain", "--untracked-files=all").splitlines()
    added = [line[3:] for line in changed if line.startswith("??")]
    modified = [line[3:] for line in changed if not line.startswith("??")]
    assert added == [f"data/instruments/{SLUG}.ttl"]
    assert modified and all(p.startswith("tests/competency/expected/") for p in modified)
    shown = [line[6:] for line in regenerated.stdout.splitlines() if line.startswith("--- a/")]
    assert sorted(shown) == sorted(p.rsplit("/", 1)[1] for p in modified), (
        "the diff shows exactly the answers that changed, not every file"
    )
    compared = run_cli("compare", SLUG, "eu-ai-act", "--format", "csv", cwd=root)
    assert compared.returncode == 0 and "Iceland AI Act (test fixture)" in compared.stdout


def test_new_refuses_bad_input_with_exit_2(tmp_path, built) -> None:
    root = _scratch(tmp_path, built)
    base = [
        "--label",
        "x",
        "--not-binding",
        "--source-url",
        "https://example.org",
        "--source-title",
        "t",
    ]
    base += ["--source-publisher", "p"]
    cases = [
        (["new", "instrument", "Bad Slug", "--type", "Law", "--jurisdiction", "IS", *base], "slug"),
        (
            ["new", "instrument", "eu-ai-act", "--type", "Law", "--jurisdiction", "IS", *base],
            "exists",
        ),
        (["new", "instrument", "x-act", "--type", "Lawz", "--jurisdiction", "IS", *base], "Law"),
        (
            ["new", "instrument", "x-act", "--type", "Law", "--jurisdiction", "Atlantis", *base],
            "Atlantis",
        ),
    ]
    for args, message in cases:
        done = run_cli(*args, cwd=root)
        assert done.returncode == 2, (args, done.stdout)
        assert message in done.stderr, (args, done.stderr)
    assert _git(root, "status", "--porcelain") == ""


def test_a_summit_declaration_is_one_triple_in_one_data_file(tmp_path) -> None:
    """Which documents are summit leaders' declarations is data: stating the Paris statement as
    the aigov:leadersDeclaration of its summit, one triple in the summit's file and nothing else,
    reaches the participation analysis, the named query and the reasoner's defined class."""
    from rdflib import URIRef
    from rdflib.namespace import OWL

    from aigovkg import build as pipeline
    from aigovkg.api import KnowledgeGraph
    from aigovkg.namespaces import AIGOV, INSTRUMENT
    from aigovkg.reasoning import generated_axioms, reason
    from aigovkg.sources import locate

    root = _scratch(tmp_path)  # no build needed: the graph is assembled from the sources
    paris = INSTRUMENT["paris-statement-inclusive-sustainable-ai"]
    summit_file = root / "data" / "summits" / "ai-action-summit-2025.ttl"
    text = summit_file.read_text(encoding="utf-8")
    old = '    aigov:location "Grand Palais, Paris, France" ;\n'
    assert old in text
    new = f"    aigov:leadersDeclaration <{paris}> ;\n"
    summit_file.write_text(text.replace(old, new + old), encoding="utf-8")
    assert _git(root, "status", "--porcelain") == f" M {summit_file.relative_to(root)}\n"

    tree = locate(root)
    graph = pipeline.assemble(tree).graph
    kg = KnowledgeGraph.from_graph(graph, tree)
    listed = set(kg.frame("app/analysis", "summit-declarations")["document"])
    assert listed == {
        str(INSTRUMENT["bletchley-declaration"]),
        str(INSTRUMENT["seoul-declaration"]),
        str(paris),
    }
    declined = set(graph.objects(paris, AIGOV.declinedToSign))
    assert declined, "the sources record parties that declined the Paris statement"
    on_all = set(kg.signed_all()["party"])
    assert on_all and not on_all & {str(p) for p in declined}
    expected = set.intersection(
        *({str(p) for p in graph.objects(URIRef(d), AIGOV.signatory)} for d in listed)
    )
    assert on_all == expected

    axioms = generated_axioms(graph)
    enumerated = set(axioms.objects(None, OWL.hasValue))
    assert enumerated == {URIRef(d) for d in listed}
    assert (AIGOV.SignatoryOfAllSummitDeclarations, OWL.equivalentClass, None) in axioms
    if shutil.which("java"):
        # HermiT over the part of the graph the defined class is about (ontology, parties,
        # summits and their documents, memberships): the whole graph is reasoned over in
        # tests/test_reasoning.py, and this run only has to see the new declaration count.
        about = [p for p in tree.graph_files() if p.parent.name not in ("instruments", "crosswalk")]
        report = reason(pipeline.load_files(about).graph)
        everything = str(AIGOV.SignatoryOfAllSummitDeclarations)
        members = {iri for iri, classes in report.inferred.items() if everything in classes}
        assert members == on_all  # inferred from the signatures, never asserted
