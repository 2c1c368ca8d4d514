"""The `aigovkg` command line: thin wrappers that parse, call the core, and render.

Exit codes: 0 ok, 1 the data does not conform (SHACL or an integrity check), 2 usage or input
error (bad Turtle, bad SPARQL, unknown query id, missing Java...).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rdflib import URIRef
from rich.console import Console
from rich.table import Table

from . import build as pipeline
from .errors import AigovkgError, DataDoesNotConform
from .fmt import format_files
from .queries import get_query, list_queries
from .reasoning import reason as run_reasoner
from .render import OutputFormat, as_table, compact, render_text
from .sources import SourceTree, locate
from .store import SelectResult
from .validation import ValidationReport
from .version import __version__

app = typer.Typer(
    help="aigovkg: an open knowledge graph comparing how the world governs AI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _fail(exc: AigovkgError) -> NoReturn:
    err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
    if isinstance(exc, DataDoesNotConform) and isinstance(exc.report, ValidationReport):
        _print_report(exc.report, None)
    raise typer.Exit(exc.exit_code)


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
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.table,
) -> None:
    """Run SPARQL on the built graph (built first if dist/ is missing or stale)."""
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
        answer = pipeline.load_backend(tree).run(sparql or "")
    except AigovkgError as exc:
        _fail(exc)
    rendered = render_text(answer, fmt)
    if isinstance(rendered, Table):
        out.print(rendered)
    else:
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")


@app.command()
def info() -> None:
    """What the graph holds: counts per class, instruments, summits, sources."""
    tree = _tree()
    try:
        backend = pipeline.load_backend(tree)
        sections = [(q.question, backend.run(q.text)) for q in list_queries(tree, "app")]
    except AigovkgError as exc:
        _fail(exc)
    out.print(
        f"aigovkg {__version__}: {len(backend)} triples from {tree.root}",
        markup=False,
        highlight=False,
    )
    for title, answer in sections:
        if isinstance(answer, SelectResult):
            out.print(as_table(answer, title=title))


@app.command()
def fmt(
    check: Annotated[
        bool, typer.Option("--check", help="Only report files that are not formatted (exit 1).")
    ] = False,
) -> None:
    """Rewrite the source Turtle in canonical order (CI runs --check)."""
    tree = _tree()
    try:
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
        report = run_reasoner(pipeline.assemble(tree).graph)
    except AigovkgError as exc:
        _fail(exc)
    if not report.consistent:
        err.print(f"inconsistent ({report.seconds:.1f} s): {report.detail}", markup=False)
        raise typer.Exit(1)
    out.print(f"consistent ({report.seconds:.1f} s); inferred classifications:", markup=False)
    table = Table("individual", "inferred classes")
    for iri, classes in report.inferred.items():
        table.add_row(compact_iri(iri), ", ".join(compact_iri(c) for c in classes))
    out.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[
        int | None, typer.Option(help="Query worker processes (default: CPU cores, at least 2).")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run.")] = 30.0,
    max_rows: Annotated[int, typer.Option(help="Rows (or triples) a result may hold.")] = 10_000,
    memory_mb: Annotated[int, typer.Option(help="Memory a query may use, in MiB.")] = 1024,
    rate: Annotated[
        float, typer.Option(help="Requests per second per client (0: unlimited).")
    ] = 20.0,
    burst: Annotated[int, typer.Option(help="Requests a client may send at once.")] = 40,
    graph: Annotated[
        list[str] | None,
        typer.Option(help="Extra named graph IRI=FILE to load (N-Triples/Turtle), repeatable."),
    ] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the SPARQL endpoint, linked-data pages, query editor and dumps on HTTP."""
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
    import datetime as dt

    from .viz import VIEWS, ViewRequest, write_views

    if view is not None and view not in VIEWS:
        _fail(AigovkgError(f"--view {view!r}: expected one of {', '.join(VIEWS)}"))
    date = None
    if as_of is not None:
        try:
            date = dt.date.fromisoformat(as_of)
        except ValueError:
            _fail(AigovkgError(f"--as-of {as_of!r}: expected a date YYYY-MM-DD"))
    if view is None and focus is None and output is None:
        requests = [ViewRequest(v) for v in VIEWS]
    else:
        requests = [ViewRequest(view or "full", focus)]
    tree = _tree()
    try:
        backend = pipeline.load_backend(tree)
        paths = write_views(
            backend, tree.dist / "viz", requests=requests, as_of=date, tree=tree, output=output
        )
    except AigovkgError as exc:
        _fail(exc)
    for path in paths:
        out.print(str(path), markup=False, highlight=False)


def compact_iri(iri: str) -> str:
    return compact(URIRef(iri))
