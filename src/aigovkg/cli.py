"""The `aigovkg` command line: thin wrappers that parse, call the core, and render.

Exit codes: 0 ok, 1 the data does not conform (SHACL or an integrity check), 2 usage or input
error (bad Turtle, bad SPARQL, unknown query id, missing Java...).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from . import build as pipeline
from .errors import AigovkgError, DataDoesNotConform
from .names import prefixed
from .output import OutputFormat, render_answer, render_frame
from .queries import get_query
from .sources import SourceTree, locate
from .version import __version__

if TYPE_CHECKING:  # imported where used: a query should not import pySHACL, fmt or the reasoner
    from .validation import ValidationReport

app = typer.Typer(
    help="aigovkg: an open knowledge graph comparing how the world governs AI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _fail(exc: AigovkgError) -> NoReturn:
    from .validation import ValidationReport

    err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
    if isinstance(exc, DataDoesNotConform) and isinstance(exc.report, ValidationReport):
        _print_report(exc.report, None)
    raise typer.Exit(exc.exit_code)


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


FORMAT_OPTION = typer.Option("--format", help="Output format: table, csv, tsv, json or md.")
INFO_QUERIES = ("class-counts", "instruments", "summits", "sources")


def _tree() -> SourceTree:
    try:
        return locate()
    except AigovkgError as exc:
        _fail(exc)


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


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        out.print(__version__)
        raise typer.Exit(0)


@app.command()
def build(
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Output directory (default: dist/).")
    ] = None,
) -> None:
    """Load, validate (exit 1 on violations) and write the dumps and SHA256SUMS to dist/."""
    tree = _tree()
    try:
        result = pipeline.build(tree, out_dir)
    except AigovkgError as exc:
        _fail(exc)
    out.print(f"built {result.triples} triples from {tree.root}", markup=False, highlight=False)
    for name, path in result.files.items():
        out.print(f"  {name:14} {path}", markup=False, highlight=False)


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Turtle files to check (default: all).")
    ] = None,
) -> None:
    """SHACL report over ontology and data; with PATHs, only violations about those files."""
    tree = _tree()
    for path in paths or []:
        if not path.is_file():
            _fail(AigovkgError(f"{path}: no such file"))
    try:
        _loaded, report = pipeline.validate(tree, only_files=paths or [])
    except AigovkgError as exc:
        _fail(exc)
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
    fmt: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """Run SPARQL on the built graph (built first if dist/ is missing or stale).

    csv, tsv and json are the W3C SPARQL result formats, byte for byte what /sparql returns."""
    given = [x for x in (text, file, cq) if x is not None]
    if len(given) != 1:
        err.print("error: give exactly one of TEXT, -f FILE or --cq ID", markup=False)
        raise typer.Exit(2)
    tree = _tree()
    try:
        if cq is not None:
            sparql = get_query(tree, "cq", cq).text
        elif file is not None:
            if not file.is_file():
                raise AigovkgError(f"{file}: no such file")
            sparql = file.read_text(encoding="utf-8")
        else:
            sparql = text if text != "-" else sys.stdin.read()
        from .api import KnowledgeGraph

        answer = KnowledgeGraph(pipeline.load_backend(tree), tree).run(sparql or "")
    except AigovkgError as exc:
        _fail(exc)
    _emit(render_answer(answer, fmt))


@app.command()
def info(fmt: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table) -> None:
    """What the graph holds: counts per class, instruments, summits, sources."""
    kg = _kg()
    try:
        sections = [(get_query(kg.tree, "app", q), kg.named("app", q)) for q in INFO_QUERIES]
    except AigovkgError as exc:
        _fail(exc)
    if fmt is OutputFormat.table:
        out.print(
            f"aigovkg {__version__}: {len(kg)} triples from {kg.tree.root}",
            markup=False,
            highlight=False,
        )
    for query_file, answer in sections:
        _emit(render_answer(answer, fmt, title=query_file.question))


@app.command()
def sources(fmt: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table) -> None:
    """The register of sources, generated from the data: file, title, URL, publisher, kind."""
    kg = _kg()
    try:
        answer = kg.named("app", "source-register")
    except AigovkgError as exc:
        _fail(exc)
    _emit(render_answer(answer, fmt, title="Register of sources"))


@app.command()
def trade(
    period: Annotated[
        str | None, typer.Option("--period", help="Reference period: 2024-05, 2023-05, 2023...")
    ] = None,
    partner: Annotated[
        str | None,
        typer.Option("--partner", help="Partner by ISO code, slug or English label: VN, asean."),
    ] = None,
    fmt: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
    plot: Annotated[
        bool,
        typer.Option("--plot", help="Also plot Korea's trade with ASEAN members to dist/plots/."),
    ] = False,
) -> None:
    """Trade statistics of the Data Cube: partners by period and flow, in USD million."""
    from . import trade as trade_core

    kg = _kg()
    try:
        table = trade_core.trade_table(kg, period=period, partner=partner)
        written = trade_core.plot_korea_asean_trade(kg) if plot else {}
    except AigovkgError as exc:
        _fail(exc)
    _emit(render_frame(table, fmt, "trade (USD million)"))
    for path in written.values():
        err.print(f"wrote {path}", markup=False, highlight=False)


new_app = typer.Typer(
    help="Start a data file that validates as written, with a header showing where facts go.",
    no_args_is_help=True,
)
app.add_typer(new_app, name="new")
SOURCE_URL = typer.Option("--source-url", help="The page you read (http/https).")
SOURCE_TITLE = typer.Option("--source-title", help="Its title.")
SOURCE_PUBLISHER = typer.Option("--source-publisher", help="Who published it.")
PRIMARY = typer.Option("--primary", help="The issuer's own text, read in full.")


@new_app.command("instrument")
def new_instrument(
    slug: Annotated[str, typer.Argument(help="File and IRI slug, e.g. jp-ai-promotion-act.")],
    label: Annotated[str, typer.Option("--label", help="English name.")],
    kind: Annotated[str, typer.Option("--type", help="Law, Guideline, Treaty... (ontology).")],
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", help="Party: KR, Japan, EU.")],
    binding: Annotated[
        bool, typer.Option("--binding/--not-binding", help="Legally binding, as the source says.")
    ],
    source_url: Annotated[str, SOURCE_URL],
    source_title: Annotated[str, SOURCE_TITLE],
    source_publisher: Annotated[str, SOURCE_PUBLISHER],
    primary: Annotated[bool, PRIMARY] = False,
) -> None:
    """Write data/instruments/SLUG.ttl: the instrument, its jurisdiction and the source."""
    from rdflib import URIRef

    from .scaffold import SourceFacts, new_instrument

    kg = _kg()
    try:
        kinds = {
            row["name"]: row["class"]
            for row in kg.frame("app", "instrument-types").to_dict("records")
        }
        if kind not in kinds:
            raise AigovkgError(f"--type {kind!r}: expected one of {', '.join(sorted(kinds))}")
        path = new_instrument(
            kg.tree,
            slug,
            label=label,
            kind=URIRef(kinds[kind]),
            jurisdiction=URIRef(kg.resolve(jurisdiction, "party")),
            binding=binding,
            source=SourceFacts(source_url, source_title, source_publisher, primary),
        )
    except AigovkgError as exc:
        _fail(exc)
    out.print(f"wrote {kg.tree.relative(path)}", markup=False, highlight=False)


@new_app.command("summit")
def new_summit(
    slug: Annotated[str, typer.Argument(help="File and IRI slug, e.g. ai-summit-2027.")],
    label: Annotated[str, typer.Option("--label", help="English name.")],
    start: Annotated[str, typer.Option("--date", help="First day (YYYY-MM-DD).")],
    location: Annotated[str, typer.Option("--location", help="City, country.")],
    host: Annotated[str, typer.Option("--host", help="Host party: FR, India...")],
    source_url: Annotated[str, SOURCE_URL],
    source_title: Annotated[str, SOURCE_TITLE],
    source_publisher: Annotated[str, SOURCE_PUBLISHER],
    primary: Annotated[bool, PRIMARY] = False,
) -> None:
    """Write data/summits/SLUG.ttl: the summit, its date, place, host and the source."""
    from rdflib import URIRef

    from .analysis.dates import parse_date
    from .scaffold import SourceFacts, new_summit

    kg = _kg()
    try:
        path = new_summit(
            kg.tree,
            slug,
            label=label,
            start=parse_date(start).isoformat(),
            location=location,
            host=URIRef(kg.resolve(host, "party")),
            source=SourceFacts(source_url, source_title, source_publisher, primary),
        )
    except AigovkgError as exc:
        _fail(exc)
    out.print(f"wrote {kg.tree.relative(path)}", markup=False, highlight=False)


@app.command()
def expectations(
    check: Annotated[
        bool, typer.Option("--check", help="Only show the diffs; exit 1 if any answer changed.")
    ] = False,
) -> None:
    """Regenerate the competency questions' expected answers and print the diff to review."""
    from .expectations import expected_answers, write_expectations

    kg = _kg()
    try:
        found = expected_answers(kg)
    except AigovkgError as exc:
        _fail(exc)
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
    tree = _tree()
    try:
        from .fmt import format_files

        results = format_files(tree.turtle_files(), check=check)
    except AigovkgError as exc:
        _fail(exc)
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
    tree = _tree()
    try:
        from .reasoning import reason as run_reasoner

        report = run_reasoner(pipeline.assemble(tree).graph)
    except AigovkgError as exc:
        _fail(exc)
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

    if allow_network_workers:
        allow_network()
    from .server.config import ServerConfig
    from .server.engine import GraphSource
    from .server.run import ensure_built
    from .server.run import serve as run_server

    tree = _tree()
    extra = []
    for item in graph or []:
        name, sep, path = item.partition("=")
        if not sep or not Path(path).is_file():
            _fail(AigovkgError(f"--graph {item!r}: expected IRI=FILE with an existing file"))
        extra.append(GraphSource(Path(path), name))
    try:
        ensure_built(tree, lambda message: err.print(message, markup=False, highlight=False))
    except AigovkgError as exc:
        _fail(exc)
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
    from .viz import VIEWS, ViewRequest, write_views

    if view is not None and view not in VIEWS:
        _fail(AigovkgError(f"--view {view!r}: expected one of {', '.join(VIEWS)}"))
    date = None
    if as_of is not None:
        try:
            date = parse_date(as_of)
        except AigovkgError as exc:
            _fail(exc)
    if view is None and focus is None and output is None:
        requests = [ViewRequest(v) for v in VIEWS]
    else:
        requests = [ViewRequest(view or "full", focus)]
    kg = _kg()
    try:
        paths = write_views(
            kg, kg.tree.dist / "viz", requests=requests, as_of=date, tree=kg.tree, output=output
        )
    except AigovkgError as exc:
        _fail(exc)
    for path in paths:
        out.print(str(path), markup=False, highlight=False)


# Analysis commands: parse, call aigovkg.analysis through the Python API, render. The analysis
# modules (pandas, networkx, matplotlib) are imported inside each command so that the other
# commands start fast.


def _kg():
    from .api import KnowledgeGraph

    tree = _tree()
    try:
        return KnowledgeGraph(pipeline.load_backend(tree), tree)
    except AigovkgError as exc:
        _fail(exc)


def _show(frame, fmt: OutputFormat, title: str | None = None) -> None:
    _emit(render_frame(frame, fmt, title))


def _readable(frame):
    """Source IRIs shortened to `source:slug` for people; CSV and JSON keep full IRIs."""
    from .analysis.data import split
    from .names import prefixed

    if "sources" in frame.columns:
        frame = frame.assign(sources=[", ".join(map(prefixed, split(s))) for s in frame["sources"]])
    return frame


@app.command()
def compare(
    instruments: Annotated[
        list[str], typer.Argument(help='Two or more instruments: slug, label or id ("EO 14110").')
    ],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Status on this date (YYYY-MM-DD; default today).")
    ] = None,
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
    fmt: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """Compare regimes side by side, each value with its sources.

    Type, legal force, jurisdiction, status on the date, key dates, risk tiers, obligation
    types, prohibited practices, penalties, authority, principles, crosswalk matches.
    """
    from .analysis.compare import Conversion
    from .analysis.dates import parse_date

    try:
        conversions = []
        for spec in convert or []:
            parts = spec.split(":")
            if len(parts) != 4:
                raise AigovkgError(f"bad --convert '{spec}': expected FROM:TO:RATE:DATE")
            try:
                rate = float(parts[2])
            except ValueError:
                raise AigovkgError(f"bad --convert rate '{parts[2]}'") from None
            conversions.append(Conversion(parts[0], parts[1], rate, parse_date(parts[3])))
        when = parse_date(as_of)
        kg = _kg()
        if fmt is OutputFormat.json:
            frame = kg.compare(*instruments, as_of=when, conversions=conversions, long=True)
        else:
            frame = kg.compare(*instruments, as_of=when, sources=sources, conversions=conversions)
    except AigovkgError as exc:
        _fail(exc)
    _show(frame, fmt, f"Comparison as of {when.isoformat()}")


@app.command()
def status(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The date (YYYY-MM-DD; default today).")
    ] = None,
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", help="Only instruments of this party.")
    ] = None,
    fmt: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """Status of every instrument on a date, derived from its life-cycle events.

    Proposed, adopted, in force, partially applicable or revoked (and whether amended).
    """
    from .analysis.dates import parse_date

    try:
        when = parse_date(as_of)
        frame = _kg().status(as_of=when, jurisdiction=jurisdiction)
    except AigovkgError as exc:
        _fail(exc)
    if fmt in (OutputFormat.table, OutputFormat.md):
        frame = _readable(frame[["label", "type", "status", "since", "amended", "sources"]])
    _show(frame, fmt, f"Status as of {when.isoformat()}")


@app.command()
def timeline(
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", help="Only instruments of this party.")
    ] = None,
    fmt: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """The dated events of every instrument, in order, with their sources."""
    try:
        frame = _kg().timeline(jurisdiction)
    except AigovkgError as exc:
        _fail(exc)
    if fmt in (OutputFormat.table, OutputFormat.md):
        frame = _readable(frame[["date", "label", "eventType", "legalReference", "sources"]])
    _show(frame, fmt, "Timeline")


@app.command()
def party(
    name: Annotated[str, typer.Argument(help='A party: ISO code, slug or label ("KR", "EU").')],
    fmt: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """A party's memberships, instruments, and what it signed or did not sign."""
    try:
        kg = _kg()
        iri = kg.resolve(name, "party")
        profile = kg.party(iri)
    except AigovkgError as exc:
        _fail(exc)
    if fmt is OutputFormat.json:
        import json

        joined = {k: json.loads(str(render_frame(v, fmt))) for k, v in profile.items()}
        sys.stdout.write(json.dumps({"party": iri, **joined}, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"{iri}", markup=False, highlight=False)
    for section, frame in profile.items():
        _show(
            _readable(frame) if fmt in (OutputFormat.table, OutputFormat.md) else frame,
            fmt,
            section,
        )


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
    fmt: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """Who signed which summit document: the party x document matrix.

    Cells: signed, endorsed, joined-later..., declined, did not sign, not in incomplete list.
    """
    if (signed is None) != (not_signed is None):
        _fail(AigovkgError("give --signed and --not-signed together"))
    try:
        kg = _kg()
        if signed and not_signed:
            frame, title = kg.signed_not(signed, not_signed), f"On {signed}, not on {not_signed}"
        elif signed_all:
            frame, title = kg.signed_all(document), "On every document"
        else:
            frame = kg.participation(document, summits_only=not all_documents)
            title = "Participation"
    except AigovkgError as exc:
        _fail(exc)
    _show(frame, fmt, title)


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
    fmt: Annotated[OutputFormat, FORMAT_OPTION] = OutputFormat.table,
) -> None:
    """Co-signature network: centrality, communities, similarity; graphml/gexf export.

    Louvain communities use a fixed seed; Jaccard similarity compares signatory sets or
    regimes' obligation types; --export writes a file for Gephi (gexf) or Cytoscape (graphml).
    """
    from .analysis import network as net

    if export is not None and export not in net.EXPORT_FORMATS:
        _fail(AigovkgError(f"unknown export format '{export}' (use graphml or gexf)"))
    if graph not in ("bipartite", "cosignature"):
        _fail(AigovkgError(f"unknown graph '{graph}' (use bipartite or cosignature)"))
    metrics = ("centrality", "communities", "similarity", "obligations")
    if metric not in metrics:
        _fail(AigovkgError(f"unknown metric '{metric}' (use {', '.join(metrics)})"))
    kg = _kg()
    if export:
        chosen = kg.bipartite_graph() if graph == "bipartite" else kg.cosignature_graph()
        path = out_path or kg.tree.dist / f"network.{export}"
        net.export(chosen, path, export)
        out.print(f"wrote {path}", markup=False, highlight=False)
        return
    if metric == "centrality":
        frame = kg.centrality()
    elif metric == "communities":
        frame = kg.communities()
    else:
        try:
            frame = kg.similarity("documents" if metric == "similarity" else "obligations", among)
        except AigovkgError as exc:
            _fail(exc)
    _show(frame, fmt, metric)


@app.command()
def plot(
    kind: Annotated[
        str, typer.Argument(help="participation, obligations, timeline, similarity or all.")
    ],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date in the title and timeline (default today).")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Directory (default dist/plots/).")
    ] = None,
) -> None:
    """Write a figure as PNG and SVG to dist/plots/."""
    from .analysis.dates import parse_date
    from .analysis.plots import KINDS, render

    kinds = list(KINDS) if kind == "all" else [kind]
    if any(k not in KINDS for k in kinds):
        _fail(AigovkgError(f"unknown plot '{kind}' (use {', '.join(KINDS)} or all)"))
    try:
        when = parse_date(as_of)
        kg = _kg()
        paths = render(kg, kinds, when, out_dir or kg.tree.dist / "plots")
    except AigovkgError as exc:
        _fail(exc)
    for path in paths:
        out.print(f"wrote {path}", markup=False, highlight=False)
