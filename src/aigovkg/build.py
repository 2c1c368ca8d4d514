"""The one pipeline: load the sources, validate them, write the dumps.

Every output (dumps, checksums, later VoID/DCAT, pages, plots) comes from here into dist/.
No clock is read: the version and owl:versionIRI come from the package version, so the same
inputs give byte-identical files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from . import distdir, progress, serialize, verdict_book
from .errors import CanonicalisationTooCostly, DataDoesNotConform, QueryError
from .loader import LoadedGraph, load_files
from .namespaces import BUILD_GRAPH, GRAPH, ONTOLOGY_IRI, STATUS_GRAPH
from .ontology_docs import ontology_html
from .publish import Distribution, dcat_catalog, void_description
from .queries import QueryFile, get_query, list_queries
from .results import ResultFormat
from .results import serialize as serialize_results
from .sources import SourceTree
from .status import (
    application_graph,
    application_periods,
    events_from_rows,
    intervals,
    status_graph,
)
from .store import OxigraphBackend, SelectResult, SparqlBackend, to_oxigraph
from .version import __version__

if TYPE_CHECKING:  # imported where validation runs: `serve` and `query` import this module
    from .validation import ValidationReport
    from .validation_cache import ValidationCache

DUMP_TURTLE = "aigovkg.ttl"
DUMP_NTRIPLES = "aigovkg.nt"
DUMP_JSONLD = "aigovkg.jsonld"
DUMP_NQUADS = "aigovkg.nq"
VOID_FILE = "void.ttl"
ONTOLOGY_DOCS = "ontology.html"
VIZ_DIR = "viz"
VIZ_LANGUAGES = ("en", "ko")  # the views' interface, as the site's (i18n.LANGUAGES)
DCAT_FILE = "catalog.ttl"
CHECKSUMS = "SHA256SUMS"
BUILD_INFO = "build.json"
SOURCE_REGISTER = "sources.csv"
# The N-Quads dump as an on-disk pyoxigraph store that `serve` opens to answer at once, instead
# of parsing the dump first (seconds at a million triples). Not a published output: its files
# are not byte-identical across builds (the database's own bookkeeping), so neither build.json
# nor SHA256SUMS lists them.
STORE_DIR = "store"

# The published dumps: plain and gzipped, in the order /download lists them.
DUMPS: dict[str, Distribution] = {}
for _name, _media, _label in [
    (DUMP_TURTLE, "text/turtle", "Turtle"),
    (DUMP_NTRIPLES, "application/n-triples", "N-Triples"),
    (DUMP_JSONLD, "application/ld+json", "JSON-LD"),
    (DUMP_NQUADS, "application/n-quads", "N-Quads, one named graph per source file"),
]:
    DUMPS[_name] = Distribution(_name, _media, _label)
    DUMPS[_name + ".gz"] = Distribution(_name + ".gz", _media, _label + " (gzip)", compressed=True)


def version_triples(version: str = __version__) -> list[tuple[URIRef, URIRef, Literal | URIRef]]:
    """The ontology's version statements, derived from the package version."""
    return [
        (ONTOLOGY_IRI, OWL.versionIRI, URIRef(f"{ONTOLOGY_IRI}/{version}")),
        (ONTOLOGY_IRI, OWL.versionInfo, Literal(version)),
    ]


def source_files(tree: SourceTree, extra_files: Iterable[Path] = ()) -> list[Path]:
    """Ontology and data (plus any extra files), in the order they are loaded."""
    return list(dict.fromkeys([*tree.graph_files(), *(p.resolve() for p in extra_files)]))


def assemble(tree: SourceTree, extra_files: Iterable[Path] = ()) -> LoadedGraph:
    """Ontology and data (plus any extra files) as one graph with its version statements."""
    loaded = load_files(source_files(tree, extra_files))
    for triple in version_triples():
        loaded.add(triple)
    return loaded


def load_shapes(tree: SourceTree) -> Graph:
    return load_files(tree.shape_files()).graph


def validate(
    tree: SourceTree,
    loaded: LoadedGraph | None = None,
    only_files: Sequence[Path] = (),
    cache: ValidationCache | None = None,
) -> tuple[LoadedGraph, ValidationReport]:
    """SHACL plus every queries/checks/*-violation.rq; optionally only what concerns some files.

    With `only_files`, SHACL validates only the nodes those files describe (a violation is
    about a file when its focus node is a subject there), against the whole graph, so
    constraints that read other files still hold; the integrity checks are whole-graph queries
    on the store and run in full. The answer equals a full validation filtered to the files,
    in a fraction of its time.

    With a `cache` (validation_cache: `aigovkg validate` and `build`), only what changed since
    the cached run is checked again, and the report is the full one (filtered to `only_files`).
    """
    from .validation import run_shacl, text_violations

    if loaded is None:
        with progress.step("loading the sources"):
            loaded = assemble(tree, only_files)
    if cache is not None:
        with progress.step("validating what changed since the last validation"):
            report = cache.validate(tree, None, _run_checks, loaded=loaded)
        return loaded, _about(report, only_files)
    backend = union_backend(loaded)
    wanted = {p.resolve() for p in only_files}
    focus = (
        sorted((n for n, fs in loaded.subject_files.items() if wanted & set(fs)), key=str)
        if only_files
        else None
    )
    with progress.step("validating with the SHACL shapes"):
        report = run_shacl(
            None,  # pySHACL reads what it needs from the store (shacl_core), not an rdflib copy
            load_shapes(tree),
            loaded.subject_files,
            focus_nodes=focus,
            backend=backend,
        )
    parts = {p: t for p, t in loaded.triples.items() if not only_files or p.resolve() in wanted}
    report.violations.extend(text_violations(parts))
    with progress.step("running the integrity checks"):
        _run_checks(tree, loaded, backend, report)
    if only_files:
        report.violations = [
            v for v in report.violations if {str(p) for p in wanted} & set(v.files)
        ]
    return loaded, report


def validate_changes(
    tree: SourceTree, cache: ValidationCache, only_files: Sequence[Path] = ()
) -> ValidationReport:
    """`validate` with a cache, parsing only the files that changed since the cached state (or
    everything, when the validation has to be a full one): `aigovkg validate [PATH]`."""
    files = source_files(tree, only_files)
    with progress.step("validating what changed since the last validation"):
        report = cache.validate(
            tree,
            None,  # the tree's shapes (parsed once per process for the same bytes)
            _run_checks,
            files=files,
            load=lambda: assemble(tree, only_files),
        )
    return _about(report, only_files)


def _about(report: ValidationReport, only_files: Sequence[Path]) -> ValidationReport:
    """The violations about some files (all when none are named)."""
    if only_files:
        names = {str(p.resolve()) for p in only_files}
        report.violations = [v for v in report.violations if names & set(v.files)]
    return report


def _run_checks(
    tree: SourceTree,
    loaded: LoadedGraph | None,
    backend: OxigraphBackend,
    report: ValidationReport,
    only: Callable[[QueryFile], bool] | None = None,
    files_of: Mapping[Node, list[Path]] | None = None,
    texts: Mapping[str, str] | None = None,
) -> None:
    """Every queries/checks/*-violation.rq (or those `only` accepts): the rows each returns are
    violations, sorted (a store's row order is its own; the report's must not depend on it).
    `texts` replaces some checks' text (validation_cache: restricted to some ?this)."""
    from .validation import check_order, violations_from_check

    for check in list_queries(tree, "checks"):
        if only is not None and not only(check):
            continue
        try:
            answer = backend.run((texts or {}).get(check.id, check.text))
        except QueryError as exc:  # a refused or malformed check names its file
            raise type(exc)(f"{tree.relative(check.path)}: {exc}") from exc
        if isinstance(answer, SelectResult):
            assert files_of is not None or loaded is not None
            found = violations_from_check(
                check,
                answer.as_dicts(),
                files_of if files_of is not None else loaded.subject_files,  # type: ignore[union-attr]
            )
            report.violations.extend(sorted(found, key=check_order))


@dataclass
class BuildResult:
    """What a build wrote and measured."""

    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    triples: int = 0
    report: ValidationReport | None = None


def inputs_digest(tree: SourceTree) -> str:
    """A digest of every input and the version: tells whether dist/ is up to date."""
    digest = hashlib.sha256(__version__.encode())
    for path in [*tree.turtle_files(), *tree.query_files()]:
        # Relative to the root as found (no resolve per file: the files come from under it).
        digest.update(path.relative_to(tree.root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ontology_graph(loaded: LoadedGraph) -> Graph:
    """The ontology's own statements with its version (the concept schemes are data: pyLODE
    would otherwise pick one of their schemes as the page's subject)."""
    graph = Graph()
    for path, triples in loaded.triples.items():
        if path.parent.name == "ontology" and path.name == "aigovkg.ttl":
            for triple in triples:
                graph.add(loaded.terms.triple(triple))
    # pyLODE writes one page in one language and runs a resource's labels together
    # ("treaty조약"), sorting by whichever it met first: it gets the English text only (the
    # page's frame is translated; its body is marked lang="en").
    for s, p, o in list(graph):
        if isinstance(o, Literal) and o.language not in (None, "en"):
            graph.remove((s, p, o))
    for triple in version_triples():
        graph.add(triple)
    # Blank-node labels that depend only on the content: pyLODE prints them, and the page must
    # be the same bytes for the same ontology.
    return serialize.canonical(graph)


def union_backend(loaded: LoadedGraph) -> OxigraphBackend:
    """The union of the loaded files (and what was added) as the query store's one graph."""
    return OxigraphBackend.from_triples({"urn:aigovkg:graph": loaded.union()})


def _oxigraph_triples(graph: Graph) -> list[ox.Triple]:
    return [ox.Triple(*(to_oxigraph(term) for term in triple)) for triple in graph]  # type: ignore[misc]


def named_graphs(
    tree: SourceTree, loaded: LoadedGraph, status: Graph | None = None
) -> dict[str, list[ox.Triple]]:
    """One named graph per source file (graph/<path without .ttl>), plus the build's own and
    the derived status intervals: the dataset of the N-Quads dump and of every query surface."""
    parts: dict[str, list[ox.Triple]] = {}
    for path, triples in loaded.triples.items():
        parts[str(GRAPH[tree.relative(path).removesuffix(".ttl")])] = triples
    build_graph = Graph()
    for triple in version_triples():
        build_graph.add(triple)
    parts[str(BUILD_GRAPH)] = _oxigraph_triples(build_graph)
    if status is not None:
        parts[str(STATUS_GRAPH)] = _oxigraph_triples(status)
    return parts


def source_register(tree: SourceTree, backend: OxigraphBackend) -> bytes:
    """The register of sources (W3C CSV), from the dataset with one named graph per file."""
    answer = backend.run(get_query(tree, "app", "source-register").text)
    assert isinstance(answer, SelectResult)
    return serialize_results(answer, ResultFormat.csv)


def derive_status(tree: SourceTree, graph: Graph | LoadedGraph) -> Graph:
    """The status intervals of every instrument and the periods during which each application
    date was the law, by the one status rule (aigovkg.status)."""
    backend = (
        union_backend(graph)
        if isinstance(graph, LoadedGraph)
        else OxigraphBackend.from_graph(graph)
    )
    answer = backend.run(get_query(tree, "app", "status-events").text)
    assert isinstance(answer, SelectResult)
    events = events_from_rows(answer.as_dicts())
    derived = status_graph(intervals(events))
    for triple in application_graph(application_periods(events)):
        derived.add(triple)
    return derived


def write_dumps(
    union: Iterable[ox.Triple], out_dir: Path, parts: Mapping[str, Iterable[ox.Triple]]
) -> dict[str, Path]:
    """Turtle, N-Triples, JSON-LD and N-Quads (plain and gzipped), VoID, DCAT, SHA256SUMS.

    `union` is every statement (duplicates allowed), `parts` the named graphs of the N-Quads
    dump. All four dumps come from pyoxigraph's writers; only the statements that touch a blank
    node are canonicalised, once, and the sorted N-Triples feed the Turtle and JSON-LD writers.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    try:  # blank-node canonicalisation is the costly step: once
        canon = serialize.canonical_labels(union)
    except CanonicalisationTooCostly as exc:  # each file passed alone: their union did not
        raise exc.in_file("the merged graph (blank nodes of several files look alike)") from None
    written: dict[str, Path] = {}
    digests: dict[str, str] = {}

    def write(name: str, data: bytes) -> None:
        written[name] = out_dir / name
        written[name].write_bytes(data)
        digests[name] = hashlib.sha256(data).hexdigest()

    def dump(name: str, data: bytes) -> None:
        """A dump and its gzip, written at once: only one dump is held in memory at a time
        (with the sorted N-Triples the Turtle and JSON-LD writers read)."""
        write(name, data)
        write(name + ".gz", serialize.gzip_bytes(data))

    nt = serialize.ntriples(canon)
    dump(DUMP_NTRIPLES, nt)
    dump(DUMP_TURTLE, serialize.turtle(nt))
    dump(DUMP_JSONLD, serialize.jsonld(nt))
    del nt
    dump(DUMP_NQUADS, serialize.nquads(parts))
    metadata = {
        VOID_FILE: void_description(canon, DUMPS, parts),
        DCAT_FILE: dcat_catalog(written, DUMPS),
    }
    for name, description in metadata.items():
        # Their blank nodes carry stable labels already (publish._partition_node): written as
        # they are, with the dumps' writer, rather than canonicalised again.
        statements = serialize.ntriples(_oxigraph_triples(description))
        write(name, serialize.turtle(statements))
    sums = [f"{digests[name]}  {name}" for name in written]
    checksums = out_dir / CHECKSUMS
    checksums.write_text("\n".join(sorted(sums, key=lambda s: s.split("  ")[1])) + "\n")
    written[CHECKSUMS] = checksums
    return written


def build(tree: SourceTree, out_dir: Path | None = None) -> BuildResult:
    """Validate, then write the dumps; raises DataDoesNotConform (exit 1) and writes nothing on
    violations, so dist/ never holds a graph that failed its shapes.

    Everything is written into a staging directory and published in one atomic step (see
    distdir): a build that fails or is killed leaves the previous build whole.
    """
    with progress.step("building the graph"):
        verdict_book.expect_project_queries(tree)  # the queries' parses are kept with the build
        from .validation_cache import ValidationCache

        loaded, report = validate(tree, cache=ValidationCache.for_tree(tree))
        if not report.conforms:
            raise DataDoesNotConform(report)
        out = out_dir or tree.dist
        previous = _recorded_outputs(out)
        with distdir.staging(out) as stage:
            written = write_outputs(tree, loaded, stage)
            distdir.publish(
                out,
                stage,
                owned=[*previous, BUILD_INFO, VERIFIED, verdict_book.BOOK_FILE, f"{STORE_DIR}/"],
            )
    files = {name: out / name for name in written}
    return BuildResult(out_dir=out, files=files, triples=len(loaded), report=report)


def write_outputs(tree: SourceTree, loaded: LoadedGraph, out: Path) -> dict[str, Path]:
    """Every output of a build into `out`; build.json last, with the digest of every other file,
    so that a directory whose build.json is present and whose files match it is complete."""
    with progress.step("deriving status intervals"):
        status = derive_status(tree, loaded)
    for triple in status:
        loaded.add(triple)
    parts = named_graphs(tree, loaded, status)
    with progress.step("writing the dumps, VoID and DCAT"):
        files = write_dumps(loaded.union(), out, parts)
    with progress.step("writing the query store"):
        OxigraphBackend.write_on_disk(out / STORE_DIR, out / DUMP_NQUADS)
    # The dataset every surface queries (the N-Quads dump's), without reading the dump back.
    backend = OxigraphBackend.from_triples(parts)
    register = out / SOURCE_REGISTER
    with progress.step("writing the source register"):
        register.write_bytes(source_register(tree, backend))
    files[SOURCE_REGISTER] = register
    docs = out / ONTOLOGY_DOCS
    with progress.step("writing the ontology documentation"):
        docs.write_text(ontology_html(ontology_graph(loaded)), encoding="utf-8")
    files[ONTOLOGY_DOCS] = docs
    # The interactive views are part of the product, like the dumps: `aigovkg serve` serves
    # them from dist/viz and an analyst opens them from disk. Imported here so the query
    # workers, which import this module, do not load pyvis.
    from .api import KnowledgeGraph
    from .viz import write_views

    with progress.step("drawing the interactive views"):
        kg = KnowledgeGraph(backend, tree)
        pages = list(write_views(kg, out / VIZ_DIR, tree=tree, languages=VIZ_LANGUAGES))
    for page in pages:
        files[page.relative_to(out).as_posix()] = page
    verdict_book.expect_project_queries(tree)
    verdict_book.write(out)  # what this build's parses decided, for the processes that open it
    outputs = {name: _sha256(path) for name, path in sorted(files.items())}
    # The digests were just computed: the first up-to-date check need not hash them again.
    _record_stamps(out, {name: [d, *_stamp(files[name])] for name, d in outputs.items()})
    info = out / BUILD_INFO
    info.write_text(
        json.dumps(
            {"version": __version__, "inputs": inputs_digest(tree), "outputs": outputs},
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )
    files[BUILD_INFO] = info
    return files


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _recorded_outputs(out: Path) -> dict[str, str]:
    """The outputs build.json lists (name -> sha256), or nothing when there is no valid record."""
    try:
        info = json.loads((out / BUILD_INFO).read_text())
    except (OSError, ValueError):
        return {}
    outputs = info.get("outputs") if isinstance(info, dict) else None
    return outputs if isinstance(outputs, dict) else {}


def outputs_verify(out: Path) -> bool:
    """Whether every file build.json and SHA256SUMS list is present with the recorded digest.

    A truncated or empty dump (a build killed before builds were atomic, a full disk, a hand
    edit) fails this, so the up-to-date check rebuilds instead of serving it.

    Every `query` asks this, and hashing every dump each time costs what reading them costs
    (about a gigabyte at a million triples). So a file is hashed once; its digest is kept in
    VERIFIED with the file's size, inode, mtime and ctime, and later checks hash only a file
    whose stamp changed. Any write to a file changes its ctime, which no user call can set back,
    so an edit that restores the mtime is still hashed again (as git's index does with stat data).
    """
    outputs = _recorded_outputs(out)
    if not {DUMP_NTRIPLES, DUMP_NQUADS, CHECKSUMS} <= outputs.keys():
        return False
    try:
        sums = (out / CHECKSUMS).read_text().splitlines()
        for line in sums:
            digest, _, name = line.partition("  ")
            if outputs.get(name) != digest:
                return False
        seen = _verified_stamps(out)
        stamps: dict[str, list[object]] = {}
        for name, digest in outputs.items():
            stamp = [digest, *_stamp(out / name)]
            if seen.get(name) != stamp and _sha256(out / name) != digest:
                return False
            stamps[name] = stamp
    except OSError:
        return False
    if stamps != seen:
        _record_stamps(out, stamps)
    return True


VERIFIED = ".verified.json"  # not an output: which outputs were hashed, and their stat stamps


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns]


def _verified_stamps(out: Path) -> dict[str, list[object]]:
    try:
        stamps = json.loads((out / VERIFIED).read_text())
    except (OSError, ValueError):
        return {}
    return stamps if isinstance(stamps, dict) else {}


def _record_stamps(out: Path, stamps: dict[str, list[object]]) -> None:
    """Best effort (a read-only build directory is hashed every time): write a new file and
    rename it over the old, so a concurrent reader sees one record or the other."""
    temporary = out / f"{VERIFIED}.{os.getpid()}.tmp"
    try:
        temporary.write_text(json.dumps(stamps, sort_keys=True))
        os.replace(temporary, out / VERIFIED)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def is_up_to_date(tree: SourceTree, out_dir: Path | None = None) -> bool:
    """Built from the current inputs, and every output still has the content that build wrote."""
    try:
        out = (out_dir or tree.dist).resolve(strict=True)  # once: a rebuild may swap the link
        info = json.loads((out / BUILD_INFO).read_text())
    except (OSError, ValueError):
        return False
    if not isinstance(info, dict) or info.get("inputs") != inputs_digest(tree):
        return False
    return outputs_verify(out)


def load_backend(
    tree: SourceTree,
    *,
    rebuild: bool = False,
    store: str | None = None,
    in_memory: bool = True,
) -> SparqlBackend:
    """The query backend every surface uses: the one place the store is chosen.

    With a store URL (`store`, else $AIGOVKG_STORE) the dataset is the one `aigovkg publish`
    loaded into that SPARQL store (see remote_store); otherwise the built graph in the embedded
    store, building first when dist/ is missing or stale. The N-Quads dump is loaded, so every
    surface queries the same dataset as the endpoint: one named graph per source file, their
    union as the default graph. `in_memory=False` (a process asking one question) opens the
    build's store on disk instead: the same quads, without parsing the dump first."""
    url = store if store is not None else os.environ.get("AIGOVKG_STORE")
    if url:  # imported only then: the remote client and its text rewriting cost a query 30 ms
        from .remote_store import RemoteBackend, store_url

        url = store_url(store)
        if url is not None:
            return RemoteBackend.connect(url)
    if rebuild or not is_up_to_date(tree):
        build(tree)
    if not in_memory:
        return open_built(tree.dist, tree)
    verdict_book.load(tree.dist, tree)
    # In memory: queries there run 5-7x faster than on the store on disk (measured on the CQ
    # and app queries at 15k and 1.4M triples), which a command asking several questions
    # (status, compare, the API in a notebook) pays back at once.
    return OxigraphBackend.from_nquads((tree.dist / DUMP_NQUADS).read_bytes())


def open_built(out: Path, tree: SourceTree | None = None) -> OxigraphBackend:
    """The dataset of the build in `out` at once, at any size: its store on disk opened
    read-only, or, when that is missing or unreadable (a build by an older version), its N-Quads
    dump parsed into memory. The same quads either way. The server answers from this while it
    loads the faster in-memory copy (`OxigraphBackend.load_into_memory`)."""
    if tree is not None:  # the safety verdicts of its queries, kept with the build
        verdict_book.load(out, tree)
    try:
        return OxigraphBackend.open(out / STORE_DIR)
    except OSError:
        return OxigraphBackend.from_nquads((out / DUMP_NQUADS).read_bytes())
