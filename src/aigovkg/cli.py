"""The `aigovkg` command line: thin wrappers that parse, call the core, and render.

Every command is registered on `App`, whose one error handler turns an AigovkgError into its
message on stderr and its exit code, so a command body is only: parse the arguments, call the
core, render through the one output layer (`output.py`). Options that several commands take
(format, as-of, jurisdiction, out, the source of a new file) are defined once below.

Exit codes: 0 ok, 1 the data does not conform (SHACL or an integrity check), 2 usage or input
error (bad Turtle, bad SPARQL, unknown query id, missing Java...).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from . import build as pipeline
from .errors import AigovkgError, DataDoesNotConform
from .names import prefixed
from .output import OutputFormat, for_people, render_answer, render_frame, render_sections
from .queries import get_query
from .sources import SourceTree, locate
from .version import __version__

if TYPE_CHECKING:  # imported where used: a query should not import pySHACL, fmt or the reasoner
    from .api import KnowledgeGraph
    from .store import SparqlBackend
    from .validation import ValidationReport

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])


def _fail(exc: AigovkgError) -> NoReturn:
    """The one error handler: the message, the report of a non-conforming graph, the code."""
    from .validation import ValidationReport

    err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
    if isinstance(exc, DataDoesNotConform) and isinstance(exc.report, ValidationReport):
        _print_report(exc.report, None)
    raise typer.Exit(exc.exit_code)


def _handled(command: F) -> F:
    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except AigovkgError as exc:
            _fail(exc)

    return run  # type: ignore[return-value]


class App(typer.Typer):
    """A Typer whose every command (including ones added later) runs under `_fail`."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        register = super().command(*args, **kwargs)

        def decorator(command: F) -> F:
            register(_handled(command))
            return command

        return decorator


app = App(
    help="aigovkg: an open knowledge graph comparing how the world governs AI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Options shared by several commands, defined once.
Format = Annotated[
    OutputFormat, typer.Option("--format", help="Output format: table, csv, tsv, json or md.")
]
AsOf = Annotated[str | None, typer.Option("--as-of", help="The date (YYYY-MM-DD; default today).")]
Jurisdiction = Annotated[
    str | None, typer.Option("--jurisdiction", help="Only instruments of this party.")
]
OutDir = Annotated[
    Path | None, typer.Option("--out", help="Output directory (default: under dist/).")
]
SourceUrl = Annotated[str, typer.Option("--source-url", help="The page you read (http/https).")]
SourceTitle = Annotated[str, typer.Option("--source-title", help="Its title.")]
SourcePublisher = Annotated[str, typer.Option("--source-publisher", help="Who published it.")]
Primary = Annotated[bool, typer.Option("--primary", help="The issuer's own text, read in full.")]

INFO_QUERIES = ("class-counts", "instruments", "summits", "sources")
STATUS_COLUMNS = ["label", "type", "status", "since", "amended", "sources"]
TIMELINE_COLUMNS = ["date", "label", "eventType", "legalReference", "sources"]


def _emit(rendered: object) -> None:
    """Write what the output layer rendered: a rich Table, text or W3C bytes."""
    if isinstance(rendered, Table):
        out.print(rendered)
    elif isinstance(rendered, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(rendered)  # exactly the endpoint's bytes
        sys.stdout.buffer.flush()
    else:
        text = str(rendered)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _say(text: object) -> None:
    out.print(str(text), markup=False, highlight=False)


def _kg() -> KnowledgeGraph:
    """The built graph of the checkout (built first if dist/ is missing or stale). The API and
    the analysis modules (pandas, networkx, matplotlib) are imported only by the commands that
    need them, so the other commands start fast."""
    from .api import KnowledgeGraph

    tree = locate()
    return KnowledgeGraph(_backend(tree), tree)


def _backend(tree: SourceTree, in_memory: bool = True) -> SparqlBackend:
    """The embedded store, or the remote one `--store` / $AIGOVKG_STORE names."""
    return pipeline.load_backend(tree, store=_STORE["url"], in_memory=in_memory)


def _print_report(report: ValidationReport, tree: SourceTree | None) -> None:
    for v in report.violations:
        files = (
            ", ".join(tree.relative(Path(f)) if tree else f for f in v.files) or "(no source file)"
        )
        err.print(f"[bold]{v.severity}[/bold] in {files}", markup=True, highlight=False)
        err.print(f"  focus:      {v.focus}", markup=False, highlight=False)
        if v.path:
            err.print(f"  path:       {v.path}", markup=False, highlight=False)
        if v.value:
            err.print(f"  value:      {v.value}", markup=False, highlight=False)
        err.print(f"  constraint: {v.component} ({v.shape})", markup=False, highlight=False)
        err.print(f"  message:    {v.message}", markup=False, highlight=False)


_STORE: dict[str, str | None] = {"url": None}


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Query the dataset published into this SPARQL store (its query endpoint URL; "
            "default $AIGOVKG_STORE, else the embedded store).",
        ),
    ] = None,
    show_progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Show build steps over a second on stderr (default: when stderr is a terminal).",
            envvar="AIGOVKG_PROGRESS",
        ),
    ] = None,
) -> None:
    from . import progress

    _STORE["url"] = store
    on = progress.wanted(show_progress, sys.stderr)
    progress.install(progress.StderrProgress(sys.stderr) if on else None)
    if version:
        out.print(__version__)
        raise typer.Exit(0)


@app.command()
def build(out_dir: OutDir = None) -> None:
    """Load, validate (exit 1 on violations) and write the dumps and SHA256SUMS to dist/."""
    tree = locate()
    result = pipeline.build(tree, out_dir)
    _say(f"built {result.triples} triples from {tree.root}")
    for name, path in result.files.items():
        _say(f"  {name:14} {path}")


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Turtle files to check (default: all).")
    ] = None,
) -> None:
    """SHACL report over ontology and data; with PATHs, only violations about those files."""
    tree = locate()
    for path in paths or []:
        if not path.is_file():
            raise AigovkgError(f"{path}: no such file")
    from .validation_cache import ValidationCache

    report = pipeline.validate_changes(tree, ValidationCache.for_tree(tree), paths or [])
    if report.violations:
        _print_report(report, tree)
    if not report.conforms:
        err.print(f"{len(report.violations)} violation(s)", markup=False)
        raise typer.Exit(1)
    out.print("conforms", markup=False)


@app.command()
def query(
    text: Annotated[
        str | None, typer.Argument(help="SPARQL text (the project prefixes are predeclared).")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("-f", "--file", help="Read the query from a .rq file.")
    ] = None,
    cq: Annotated[
        str | None, typer.Option("--cq", help="Run a competency question by id, e.g. CQ01.")
    ] = None,
    fmt: Format = OutputFormat.table,
) -> None:
    """Run SPARQL on the built graph (built first if dist/ is missing or stale).

    csv, tsv and json are the W3C SPARQL result formats, byte for byte what /sparql returns."""
    if len([x for x in (text, file, cq) if x is not None]) != 1:
        err.print("error: give exactly one of TEXT, -f FILE or --cq ID", markup=False)
        raise typer.Exit(2)
    tree = locate()
    if cq is not None:
        sparql = get_query(tree, "cq", cq).text
    elif file is not None:
        if not file.is_file():
            raise AigovkgError(f"{file}: no such file")
        sparql = file.read_text(encoding="utf-8")
    else:
        sparql = text if text != "-" else sys.stdin.read()
    from .api import KnowledgeGraph

    # One question: the build's store on disk answers it without parsing the dump first.
    backend = _backend(tree, in_memory=False)
    _emit(render_answer(KnowledgeGraph(backend, tree).run(sparql or ""), fmt))


@app.command()
def info(fmt: Format = OutputFormat.table) -> None:
    """What the graph holds: counts per class, instruments, summits, sources."""
    kg = _kg()
    sections = [(get_query(kg.tree, "app", q), kg.named("app", q)) for q in INFO_QUERIES]
    if fmt is OutputFormat.table:
        _say(f"aigovkg {__version__}: {len(kg)} triples from {kg.tree.root}")
    for query_file, answer in sections:
        _emit(render_answer(answer, fmt, title=query_file.question))


@app.command()
def sources(fmt: Format = OutputFormat.table) -> None:
    """The register of sources, generated from the data: file, title, URL, publisher, kind."""
    _emit(render_answer(_kg().named("app", "source-register"), fmt, title="Register of sources"))


@app.command()
def trade(
    period: Annotated[
        str | None, typer.Option("--period", help="Reference period: 2024-05, 2023-05, 2023...")
    ] = None,
    partner: Annotated[
        str | None,
        typer.Option("--partner", help="Partner by ISO code, slug or English label: VN, asean."),
    ] = None,
    fmt: Format = OutputFormat.table,
    plot: Annotated[
        bool,
        typer.Option("--plot", help="Also plot Korea's trade with ASEAN members to dist/plots/."),
    ] = False,
) -> None:
    """Trade statistics of the Data Cube: partners by period and flow, in USD million."""
    from . import trade as trade_core

    kg = _kg()
    table = trade_core.trade_table(kg, period=period, partner=partner)
    written = trade_core.plot_korea_asean_trade(kg) if plot else {}
    _emit(render_frame(table, fmt, "trade (USD million)"))
    for path in written.values():
        err.print(f"wrote {path}", markup=False, highlight=False)


new_app = App(
    help="Start a data file that validates as written, with a header showing where facts go.",
    no_args_is_help=True,
)
app.add_typer(new_app, name="new")


@new_app.command("instrument")
def new_instrument(
    slug: Annotated[str, typer.Argument(help="File and IRI slug, e.g. jp-ai-promotion-act.")],
    label: Annotated[str, typer.Option("--label", help="English name.")],
    kind: Annotated[str, typer.Option("--type", help="Law, Guideline, Treaty... (ontology).")],
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", help="Party: KR, Japan, EU.")],
    binding: Annotated[
        bool, typer.Option("--binding/--not-binding", help="Legally binding, as the source says.")
    ],
    source_url: SourceUrl,
    source_title: SourceTitle,
    source_publisher: SourcePublisher,
    primary: Primary = False,
) -> None:
    """Write data/instruments/SLUG.ttl: the instrument, its jurisdiction and the source."""
    from . import scaffold

    kg = _kg()
    path = scaffold.new_instrument(
        kg.tree,
        slug,
        label=label,
        kind=scaffold.instrument_class(kg, kind),
        jurisdiction=scaffold.party(kg, jurisdiction),
        binding=binding,
        source=scaffold.SourceFacts(source_url, source_title, source_publisher, primary),
    )
    _say(f"wrote {kg.tree.relative(path)}")


@new_app.command("summit")
def new_summit(
    slug: Annotated[str, typer.Argument(help="File and IRI slug, e.g. ai-summit-2027.")],
    label: Annotated[str, typer.Option("--label", help="English name.")],
    start: Annotated[str, typer.Option("--date", help="First day (YYYY-MM-DD).")],
    location: Annotated[str, typer.Option("--location", help="City, country.")],
    host: Annotated[str, typer.Option("--host", help="Host party: FR, India...")],
    source_url: SourceUrl,
    source_title: SourceTitle,
    source_publisher: SourcePublisher,
    primary: Primary = False,
) -> None:
    """Write data/summits/SLUG.ttl: the summit, its date, place, host and the source."""
    from . import scaffold
    from .analysis.dates import parse_date

    kg = _kg()
    path = scaffold.new_summit(
        kg.tree,
        slug,
        label=label,
        start=parse_date(start).isoformat(),
        location=location,
        host=scaffold.party(kg, host),
        source=scaffold.SourceFacts(source_url, source_title, source_publisher, primary),
    )
    _say(f"wrote {kg.tree.relative(path)}")


@app.command()
def expectations(
    check: Annotated[
        bool, typer.Option("--check", help="Only show the diffs; exit 1 if any answer changed.")
    ] = False,
) -> None:
    """Regenerate the competency questions' expected answers and print the diff to review."""
    from .expectations import expected_answers, write_expectations

    found = expected_answers(_kg())
    changed = [e for e in found if e.changed]
    for expectation in changed:
        sys.stdout.write(expectation.diff())
    if not check:
        write_expectations(found)
    verb = "would change" if check else "changed"
    err.print(f"{len(found)} questions, {len(changed)} answers {verb}", markup=False)
    if check and changed:
        raise typer.Exit(1)


@app.command()
def fmt(
    check: Annotated[
        bool, typer.Option("--check", help="Only report files that are not formatted (exit 1).")
    ] = False,
) -> None:
    """Rewrite the source Turtle in canonical order (CI runs --check)."""
    from .fmt import format_files

    tree = locate()
    results = format_files(tree.turtle_files(), check=check)
    changed = [r for r in results if r.changed]
    for r in changed:
        out.print(
            f"{'would reformat' if check else 'reformatted'} {tree.relative(r.path)}", markup=False
        )
    out.print(
        f"{len(results)} file(s), {len(changed)} {'not formatted' if check else 'reformatted'}",
        markup=False,
    )
    if check and changed:
        raise typer.Exit(1)


@app.command()
def reason() -> None:
    """Run HermiT (owlready2) over ontology and data: consistency and inferred classes."""
    from .reasoning import reason as run_reasoner

    report = run_reasoner(pipeline.assemble(locate()).graph)
    if not report.consistent:
        err.print(f"inconsistent ({report.seconds:.1f} s): {report.detail}", markup=False)
        raise typer.Exit(1)
    out.print(f"consistent ({report.seconds:.1f} s); inferred classifications:", markup=False)
    table = Table("individual", "inferred classes")
    for iri, classes in report.inferred.items():
        table.add_row(prefixed(iri), ", ".join(prefixed(c) for c in classes))
    out.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[
        int | None, typer.Option(help="Query worker processes (default: CPU cores, at least 6).")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run.")] = 30.0,
    max_rows: Annotated[int, typer.Option(help="Rows (or triples) a result may hold.")] = 10_000,
    memory_mb: Annotated[int, typer.Option(help="Memory a query may use, in MiB.")] = 1024,
    rate: Annotated[
        float, typer.Option(help="Requests per second per client (0: unlimited).")
    ] = 20.0,
    burst: Annotated[int, typer.Option(help="Requests a client may send at once.")] = 40,
    max_bytes: Annotated[
        int, typer.Option(help="Bytes a query result may hold (larger ones get 400).")
    ] = 16 * 1024 * 1024,
    client_workers: Annotated[
        int, typer.Option(help="Workers one client may hold at once (0: a third of them).")
    ] = 0,
    queue_wait: Annotated[
        float, typer.Option(help="Seconds a query may wait for a free worker before 503.")
    ] = 5.0,
    request_timeout: Annotated[
        float, typer.Option(help="Seconds a client has to send a request's head, and its body.")
    ] = 10.0,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(help="Proxy address or CIDR whose X-Forwarded-For is believed, repeatable."),
    ] = None,
    graph: Annotated[
        list[str] | None,
        typer.Option(help="Extra named graph IRI=FILE to load (N-Triples/Turtle), repeatable."),
    ] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    allow_network_workers: Annotated[
        bool, typer.Option(help="Run query workers even where they cannot be cut off the network.")
    ] = False,
) -> None:
    """Serve the SPARQL endpoint, linked-data pages, query editor and dumps on HTTP."""
    from .netjail import allow_network_workers as allow_network
    from .remote_store import store_url

    if allow_network_workers:
        allow_network()
    from .server.config import ServerConfig
    from .server.engine import GraphSource
    from .server.run import ensure_built
    from .server.run import serve as run_server

    tree = locate()
    extra = []
    for item in graph or []:
        name, sep, path = item.partition("=")
        if not sep or not Path(path).is_file():
            raise AigovkgError(f"--graph {item!r}: expected IRI=FILE with an existing file")
        extra.append(GraphSource(Path(path), name))
    ensure_built(tree, lambda message: err.print(message, markup=False, highlight=False))
    defaults = ServerConfig(dist=tree.dist)
    config = ServerConfig(
        dist=tree.dist,
        host=host,
        port=port,
        workers=workers or defaults.workers,
        timeout_s=timeout,
        max_rows=max_rows,
        memory_limit_mb=memory_mb,
        rate_per_s=rate,
        burst=burst,
        max_bytes=max_bytes,
        client_workers=client_workers,
        queue_wait_s=queue_wait,
        request_timeout_s=request_timeout,
        trusted_proxies=tuple(trusted_proxy or ()),
        extra_graphs=tuple(extra),
        store=store_url(_STORE["url"]),
    )
    err.print(f"aigovkg {__version__} on http://{host}:{port}/", markup=False, highlight=False)
    run_server(config, tree, log_level)


@app.command()
def viz(
    view: Annotated[
        str | None,
        typer.Option("--view", help="full, summits, regimes or ontology (default: all four)."),
    ] = None,
    focus: Annotated[
        str | None,
        typer.Option(
            "--focus", help="Ego graph around one entity: KR, eu-ai-act, an IRI, a label."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Leave out what happened after DATE (YYYY-MM-DD)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write one page to FILE.")
    ] = None,
) -> None:
    """Write interactive HTML views (offline, self-contained) to dist/viz/."""
    from .analysis.dates import parse_date
    from .viz import view_requests, write_views

    requests = view_requests(view, focus, output)
    date = parse_date(as_of) if as_of is not None else None
    kg = _kg()
    for path in write_views(
        kg, kg.tree.dist / "viz", requests=requests, as_of=date, tree=kg.tree, output=output
    ):
        _say(path)


# Analysis commands: parse, call aigovkg.analysis through the Python API, render.


@app.command()
def compare(
    instruments: Annotated[
        list[str], typer.Argument(help='Two or more instruments: slug, label or id ("EO 14110").')
    ],
    as_of: AsOf = None,
    sources: Annotated[
        bool, typer.Option("--sources", help="Follow each value with its sources.")
    ] = False,
    convert: Annotated[
        list[str] | None,
        typer.Option(
            "--convert",
            help="Convert fines: FROM:TO:RATE:DATE, e.g. KRW:EUR:0.00064:2026-01-22 "
            "(your rate; the graph holds none).",
        ),
    ] = None,
    fmt: Format = OutputFormat.table,
) -> None:
    """Compare regimes side by side, each value with its sources.

    Type, legal force, jurisdiction, status on the date, key dates, risk tiers, obligation
    types, prohibited practices, penalties, authority, principles, crosswalk matches.
    """
    from .analysis.compare import Conversion
    from .analysis.dates import parse_date

    if len(instruments) < 2:  # as the help says; one column compares nothing
        raise AigovkgError(
            f"compare needs two or more instruments, got {len(instruments)}: "
            "try `aigovkg compare eu-ai-act kr-ai-basic-act`"
        )
    conversions = [Conversion.parse(spec) for spec in convert or []]
    when = parse_date(as_of)
    long = fmt is OutputFormat.json  # JSON gets one record per value, with its sources
    frame = _kg().compare(
        *instruments, as_of=when, sources=sources and not long, conversions=conversions, long=long
    )
    _emit(render_frame(frame, fmt, f"Comparison as of {when.isoformat()}"))


@app.command()
def status(
    as_of: AsOf = None, jurisdiction: Jurisdiction = None, fmt: Format = OutputFormat.table
) -> None:
    """Status of every instrument on a date, derived from its life-cycle events.

    Proposed, adopted, in force, partially applicable or revoked (and whether amended).
    """
    from .analysis.dates import parse_date

    when = parse_date(as_of)
    frame = _kg().status(as_of=when, jurisdiction=jurisdiction)
    _emit(render_frame(for_people(frame, fmt, STATUS_COLUMNS), fmt, f"Status as of {when}"))


@app.command()
def timeline(jurisdiction: Jurisdiction = None, fmt: Format = OutputFormat.table) -> None:
    """The dated events of every instrument, in order, with their sources."""
    frame = _kg().timeline(jurisdiction)
    _emit(render_frame(for_people(frame, fmt, TIMELINE_COLUMNS), fmt, "Timeline"))


@app.command()
def party(
    name: Annotated[str, typer.Argument(help='A party: ISO code, slug or label ("KR", "EU").')],
    fmt: Format = OutputFormat.table,
) -> None:
    """A party's memberships, instruments, and what it signed or did not sign."""
    kg = _kg()
    iri = kg.resolve(name, "party")
    for rendered in render_sections({"party": iri}, kg.party(iri), fmt):
        _emit(rendered)


@app.command()
def summits(
    document: Annotated[
        list[str] | None, typer.Option("--doc", help="Only these documents (repeatable).")
    ] = None,
    all_documents: Annotated[
        bool,
        typer.Option("--all-documents", help="Every document with signatories, not only summits'."),
    ] = False,
    signed_all: Annotated[
        bool,
        typer.Option("--signed-all", help="Parties on every document (default: the declarations)."),
    ] = False,
    signed: Annotated[
        str | None, typer.Option("--signed", help="With --not-signed: parties on this document...")
    ] = None,
    not_signed: Annotated[
        str | None, typer.Option("--not-signed", help="...and not on this one.")
    ] = None,
    fmt: Format = OutputFormat.table,
) -> None:
    """Who signed which summit document: the party x document matrix.

    Cells: signed, endorsed, joined-later..., declined, did not sign, not in incomplete list.
    """
    if (signed is None) != (not_signed is None):
        raise AigovkgError("give --signed and --not-signed together")
    kg = _kg()
    if signed and not_signed:
        frame, title = kg.signed_not(signed, not_signed), f"On {signed}, not on {not_signed}"
    elif signed_all:
        frame, title = kg.signed_all(document), "On every document"
    else:
        frame, title = kg.participation(document, summits_only=not all_documents), "Participation"
    _emit(render_frame(frame, fmt, title))


@app.command()
def network(
    metric: Annotated[
        str,
        typer.Option(
            "--metric",
            help="centrality, communities, similarity (documents' signatories) or "
            "obligations (regimes' obligation types).",
        ),
    ] = "centrality",
    export: Annotated[
        str | None, typer.Option("--export", help="Write the graph as graphml or gexf.")
    ] = None,
    among: Annotated[
        list[str] | None,
        typer.Option("--doc", help="With similarity/obligations: only these (repeatable)."),
    ] = None,
    graph: Annotated[
        str, typer.Option("--graph", help="With --export: bipartite or cosignature.")
    ] = "bipartite",
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Export file (default dist/network.<format>).")
    ] = None,
    fmt: Format = OutputFormat.table,
) -> None:
    """Co-signature network: centrality, communities, similarity; graphml/gexf export.

    Louvain communities use a fixed seed; Jaccard similarity compares signatory sets or
    regimes' obligation types; --export writes a file for Gephi (gexf) or Cytoscape (graphml).
    """
    from .analysis import network as net

    net.check_options(metric, export, graph)
    kg = _kg()
    if export:
        chosen = net.named_graph(kg, graph)
        path = net.export(chosen, out_path or kg.tree.dist / f"network.{export}", export)
        _say(f"wrote {path}")
        return
    _emit(render_frame(net.metric_table(kg, metric, among), fmt, metric))


@app.command()
def plot(
    kind: Annotated[
        str, typer.Argument(help="participation, obligations, timeline, similarity or all.")
    ],
    as_of: AsOf = None,
    out_dir: OutDir = None,
) -> None:
    """Write a figure as PNG and SVG to dist/plots/."""
    from .analysis.dates import parse_date
    from .analysis.fonts import check_fonts
    from .analysis.plots import kinds, render

    chosen = kinds(kind)
    for note in check_fonts().notes():  # a stale font cache draws CJK labels as boxes
        err.print(f"note: {note}", markup=False, highlight=False)
    when = parse_date(as_of)
    kg = _kg()
    for path in render(kg, chosen, when, out_dir or kg.tree.dist / "plots"):
        _say(f"wrote {path}")


@app.command()
def publish(
    to: Annotated[
        str,
        typer.Option("--to", help="The store's SPARQL query endpoint, e.g. http://h:8890/sparql."),
    ],
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Build first even if current.")
    ] = False,
) -> None:
    """Load the built dumps into a SPARQL store, one named graph per source file.

    Replaces what an earlier publish loaded (new graphs are staged, then swapped in one update)
    and records the version in the store. Credentials: AIGOVKG_STORE_USER and
    AIGOVKG_STORE_PASSWORD; AIGOVKG_STORE_GSP / AIGOVKG_STORE_UPDATE name the Graph Store and
    update endpoints when they are not Virtuoso's."""
    from .store_publish import publish as publish_to

    report = publish_to(locate(), to, rebuild=rebuild)
    _say(
        f"published aigovkg {report.version} to {report.url}: {report.graphs} graphs, "
        f"{report.triples} triples, {report.unchanged} graphs unchanged (not sent), "
        f"{len(report.dropped)} old graphs dropped "
        f"({report.seconds:.1f} s)"
    )
