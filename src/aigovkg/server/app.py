"""The web application: routes only; the rules live in protocol, guard, negotiation and pool.

Starlette (small, typed, ASGI, served by uvicorn) rather than a hand-written HTTP server:
routing, streaming request bodies and CORS are solved problems there (static files are held in
memory from start-up instead: static_files).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

import anyio
from rdflib import Graph, URIRef
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import build as pipeline
from .. import distdir
from ..api import KnowledgeGraph
from ..i18n import MESSAGES, Translator, editor_words
from ..loader import load_files
from ..namespaces import PREFIXES, SITE, bind_prefixes
from ..queries import get_query, list_queries
from ..remote_http import StoreError
from ..resolve import Resolver, resolver
from ..serialize import canonical
from ..sources import SourceTree
from ..sparql_safety import load_parser
from ..sparql_text import with_declared_prefixes
from ..store import OxigraphBackend, SelectResult, SparqlBackend
from . import cheap, guard
from .config import ServerConfig
from .depth import MAX_DEPTH, nesting_depth
from .engine import GraphSource, QueryJob, QueryReply
from .inline import InlineEngine
from .linked_data import PageQueries, describe, local_path
from .middleware import EdgeMiddleware, client_of
from .minted import minted_routes, rdf_response
from .negotiation import GRAPH, HTML, TABULAR, ConflictingFormats, Format, NotAcceptable, choose
from .pages import (
    Pages,
    alternates,
    error_page,
    http_error,
    language,
    not_acceptable,
    server_error,
)
from .pool import PoolBusy, PoolSettings, QueryTimeout, WorkerDied, WorkerPool
from .profile import PROFILE_QUERIES, ProfileQueries, build_profile
from .protocol import ProtocolError, decode_request
from .ratelimit import RateLimiter
from .service_description import service_description
from .static_files import StaticFiles, read_static

if TYPE_CHECKING:
    from .remote_pool import RemotePool

MAX_BODY_BYTES = 64 * 1024  # a 16 KiB query percent-encoded in a form stays well below this
DOWNLOADABLE = (*pipeline.DUMPS, pipeline.VOID_FILE, pipeline.DCAT_FILE, pipeline.CHECKSUMS)
RDF_MEDIA = {f.engine_name: f.media_type for f in GRAPH}
WATCH_AFTER_S = 0.05
STORE_RETRY_AFTER_S = 5  # what a 503 for an unreachable remote store asks clients to wait
NOT_IN_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')  # RFC 3987 excludes these from IRIs


# Seconds after the server listens at which the start-up work no answer from the web process's
# own store needs begins (Site.warm_up), unless a query that needs it comes first.
WARM_UP_AFTER_S = 0.25


def _freeze_heap() -> None:
    """Everything loaded so far (rdflib, templates, the page store) lives as long as the server:
    keep it out of the garbage collector's full passes, which otherwise walk it again and
    again and show up as latency spikes under load."""
    gc.collect()
    gc.freeze()


class Site:
    """Everything the routes share: settings, the worker pool, the page store and templates."""

    def __init__(self, config: ServerConfig, tree: SourceTree) -> None:
        self.config = config
        self.tree = tree
        # One build for the server's life: a rebuild moves dist/ to a new build, never under us.
        self.dist = distdir.pin(config.dist)
        self.limiter = RateLimiter(config.rate_per_s, config.burst)
        sources = [GraphSource(self.dist / pipeline.DUMP_NQUADS), *config.extra_graphs]
        settings = PoolSettings(
            config.workers,
            config.timeout_s,
            config.memory_limit_mb,
            client_workers=config.workers_per_client,
            queue_wait_s=config.queue_wait_s,
        )
        self.pool: WorkerPool | RemotePool
        self.inline: InlineEngine | None
        if config.store:  # the pages and /sparql ask the remote store (a guarded proxy)
            from ..remote_store import RemoteBackend  # only here: a tenth of start-up otherwise
            from .remote_pool import RemotePool

            remote = RemoteBackend.connect(config.store, timeout_s=config.timeout_s)
            self.backend: SparqlBackend = remote
            self.pool = RemotePool(remote, settings)
            self.inline = None
        else:
            self.pool = WorkerPool(sources, settings)
            # The pages and the queries cheap.trivial_form lets skip the pool ask the same
            # backend, over the same dataset, as the endpoint's workers.
            # The build's store on disk answers at once; with extra graphs (which a read-only
            # store cannot take) the files are loaded into memory, as the workers do.
            embedded = (
                OxigraphBackend.from_files((s.path, s.graph) for s in sources)
                if config.extra_graphs
                else pipeline.open_built(self.dist, tree)
            )
            self.backend = embedded
            self.inline = InlineEngine(embedded)
        self.page_queries = PageQueries(
            facts=get_query(tree, "app", "resource-facts"),
            incoming=get_query(tree, "app", "resource-incoming"),
            sources=get_query(tree, "app", "resource-sources"),
        )
        self.profile_queries = ProfileQueries(
            {name: get_query(tree, "app/profile", name) for name in PROFILE_QUERIES}
        )
        self.examples = list_queries(tree, "cq")
        self.pages = Pages()  # reads every template now: a reinstall cannot break a page later
        self.build_info = json.loads((self.dist / pipeline.BUILD_INFO).read_text())
        self._ontology: Graph | None = None
        self._docs: OntologyDocs | None = None
        self.kg = KnowledgeGraph(self.backend, tree)
        self._slugs: list[str] | None = None
        self._resolver: Resolver | None = None
        self._warmed_up = False

    def warm_up(self) -> None:
        """The start-up work the server's first answers need not wait for (on the event loop,
        once): the SPARQL parser's import (every /sparql text but the trivial ones is parsed
        here or in a worker), the query workers (each joins the pool once it has loaded the
        store), the in-memory copy the pages move to once loaded (several times faster than
        the store on disk), and the heap frozen for the collector. Done before listening, this
        was about 0.2 s of CPU ahead of the first answer on two cores (and the workers'
        start-up competed with that answer); the web process's own store answers meanwhile."""
        if self._warmed_up or not isinstance(self.pool, WorkerPool):
            return
        self._warmed_up = True
        load_parser()
        self.pool.start_in_background(self.pool.graphs)
        if not self.config.extra_graphs and isinstance(self.backend, OxigraphBackend):
            nquads = self.dist / pipeline.DUMP_NQUADS
            threading.Thread(
                target=self.backend.load_into_memory, args=(nquads,), daemon=True
            ).start()
        _freeze_heap()

    def resolver(self) -> Resolver:
        """The one name resolver over this server's graph, built on first use."""
        if self._resolver is None:
            self._resolver = resolver(self.kg)
        return self._resolver

    def instrument_slugs(self) -> list[str]:
        """Instrument slugs for the compare form's suggestions."""
        if self._slugs is None:
            answer = self.backend.run(get_query(self.tree, "app", "instruments").text)
            assert isinstance(answer, SelectResult)
            self._slugs = sorted({str(row[0]).rsplit("/", 1)[1] for row in answer.rows})
        return self._slugs

    def ontology_docs(self) -> OntologyDocs | None:
        """The built pyLODE page, read once (None when the build did not write it)."""
        if self._docs is None:
            path = self.dist / pipeline.ONTOLOGY_DOCS
            if not path.is_file():
                return None
            self._docs = OntologyDocs(path.read_text(encoding="utf-8"))
        return self._docs

    def ontology_graph(self) -> Graph:
        if self._ontology is None:
            graph = bind_prefixes(Graph())
            for triple in load_files(self.tree.ontology_files()).graph:
                graph.add(triple)
            for triple in pipeline.version_triples():
                graph.add(triple)
            self._ontology = canonical(graph)
        return self._ontology


class OntologyDocs:
    """pyLODE's page inside the site's frame: the navigation, language switch and a note in
    the reader's language above pyLODE's generated body, which stays English (marked
    `lang="en"`): pyLODE cannot write another language and the definitions are English."""

    def __init__(self, html: str) -> None:
        head, found, body = html.partition("<body>")
        if not found:
            head, body = html, ""
        self.opening, _, self.head = head.partition("<html>")
        self.body = body.replace("</body>", "</div></body>", 1)
        self._bodies: dict[str, str] = {}

    def framed(self, pages: Pages, request: Request, lang: str) -> str:
        """The page for one request: its chrome in `lang`, pyLODE's body as built, with
        pyLODE's own headings (Classes, Domain, Range...) in `lang` (`ontdoc.*` in the
        message table; only an element's whole text is replaced, never a definition)."""
        chrome = pages.fragment("ontology_chrome.html", request, {})
        return (
            f'{self.opening}<html lang="{lang}">{self.head}<body>{chrome}'
            f'<div lang="en" class="generated">{self.body_in(lang)}'
        )

    def body_in(self, lang: str) -> str:
        if lang not in self._bodies:
            words = {
                english: translated
                for key, (english, *_) in MESSAGES.items()
                if key.startswith("ontdoc.")
                for translated in [Translator(lang)(key)]
                if translated != english
            }
            pattern = re.compile(">(" + "|".join(re.escape(w) for w in words) + ")<")

            def local(match: re.Match[str]) -> str:
                return f'><span lang="{lang}">{words[match.group(1)]}</span><'

            self._bodies[lang] = pattern.sub(local, self.body) if words else self.body
        return self._bodies[lang]


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


async def _read_body(request: Request, timeout_s: float) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ProtocolError(413, f"request body over {MAX_BODY_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    with anyio.move_on_after(timeout_s) as scope:  # a body sent a byte at a time is dropped
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise ProtocolError(413, f"request body over {MAX_BODY_BYTES} bytes")
            chunks.append(chunk)
    if scope.cancelled_caught:
        raise ProtocolError(408, f"request body not received within {timeout_s:g} s")
    return b"".join(chunks)


async def _run_while_connected(request: Request, site: Site, job: QueryJob) -> QueryReply | None:
    """Run the job, or cancel it (its worker is killed) when the client disconnects first;
    None then. The disconnect watch starts only once the query has taken `WATCH_AFTER_S`: a
    short query (most of them) pays for no extra task."""
    loop = asyncio.get_running_loop()
    handler = asyncio.current_task()
    assert handler is not None
    watcher: asyncio.Task[bool] | None = None

    def start_watching() -> None:
        nonlocal watcher
        watcher = loop.create_task(_cancel_on_disconnect(request, handler))

    timer = loop.call_later(WATCH_AFTER_S, start_watching)
    try:
        site.warm_up()  # the workers start now if they have not yet
        return await site.pool.run(job, client_of(request.scope))
    except asyncio.CancelledError:
        if watcher is not None and watcher.done() and watcher.result():
            handler.uncancel()
            return None
        raise
    finally:
        timer.cancel()
        if watcher is not None:
            watcher.cancel()


async def _cancel_on_disconnect(request: Request, handler: asyncio.Task[Any]) -> bool:
    while (await request.receive())["type"] != "http.disconnect":
        pass
    handler.cancel()
    return True


async def sparql(request: Request) -> Response:
    site: Site = request.app.state.site
    try:
        body = b""
        if request.method == "POST":
            body = await _read_body(request, site.config.request_timeout_s)
        decoded = decode_request(
            "GET" if request.method == "HEAD" else request.method,
            list(request.query_params.multi_items()),
            request.headers.get("content-type"),
            body,
        )
    except ProtocolError as exc:
        return _text(exc.status, str(exc), exc.headers)
    if decoded.query is None:
        return _service_description(request, site, decoded.format_names)
    query = decoded.query
    trivial = cheap.trivial_form(query) if site.inline is not None else None
    if trivial is None:
        depth = nesting_depth(query)
        if depth > MAX_DEPTH:  # checked before any parser sees it: deep nesting overflows stacks
            return _text(400, f"query nests {depth} levels deep; this endpoint accepts {MAX_DEPTH}")
        try:
            guard.check_size(query)  # the parse-based check runs in the worker (guard.refused)
        except guard.RefusedQuery as exc:
            status = 413 if "bytes" in str(exc) and "accepts at most" in str(exc) else 400
            return _text(status, str(exc))
    form = trivial or guard.query_form(query)
    if form in guard.UPDATE_KEYWORDS:
        return _text(403, "this endpoint is read-only: SPARQL Update is refused")
    offered = GRAPH if form in ("CONSTRUCT", "DESCRIBE") else TABULAR
    try:
        chosen = choose(offered, request.headers.get("accept"), decoded.format_names)
    except NotAcceptable as exc:
        return _text(406, str(exc))
    except ConflictingFormats as exc:
        return _text(400, str(exc))
    job = QueryJob(
        query=query,
        default_graphs=decoded.default_graphs,
        named_graphs=decoded.named_graphs,
        tabular_format=chosen.engine_name if offered is TABULAR else "json",
        graph_format=chosen.engine_name if offered is GRAPH else "turtle",
        max_rows=site.config.max_rows,
        max_bytes=site.config.max_bytes,
        base_iri=str(request.url.replace(query="")),
    )
    limits = {
        "X-Row-Limit": str(site.config.max_rows),
        "X-Response-Byte-Limit": str(site.config.max_bytes),
    }
    try:
        if trivial is not None:
            assert site.inline is not None
            reply: QueryReply | None = site.inline.run(job, trivial)
        else:
            reply = await _run_while_connected(request, site, job)
    except PoolBusy as exc:
        return _text(503, f"{exc}; try again shortly", {"Retry-After": "1"})
    except (QueryTimeout, WorkerDied) as exc:
        # The client must wait out its penalty; without one (limiting off), a second.
        wait = site.limiter.penalize(client_of(request.scope))
        return _text(503, str(exc), {"Retry-After": str(max(1, round(wait)))})
    if reply is None:  # the client went away; nobody reads this
        return _text(499, "client closed the request")
    if not reply.ok:
        if reply.status == 503:  # the store is down: a client may try again later
            return _text(503, reply.error, {"Retry-After": str(STORE_RETRY_AFTER_S)})
        return _text(reply.status, reply.error, limits if reply.too_large else None)
    headers = {
        "Vary": "Accept",
        **limits,
        "X-Result-Rows": str(reply.rows),
    }
    if reply.truncated:
        headers["X-Result-Truncated"] = "true"
        headers["Warning"] = f'199 - "result truncated to the first {site.config.max_rows} rows"'
    return Response(reply.body, media_type=_with_charset(chosen), headers=headers)


def _with_charset(fmt: Format) -> str:
    return f"{fmt.media_type}; charset=utf-8"


def _service_description(request: Request, site: Site, names: tuple[str, ...]) -> Response:
    """GET /sparql without a query: the service description, or for a browser the editor."""
    try:
        chosen = choose((*GRAPH, HTML), request.headers.get("accept"), names)
    except NotAcceptable as exc:
        return _text(406, str(exc))
    except ConflictingFormats as exc:
        return _text(400, str(exc))
    if chosen is HTML:
        return RedirectResponse("/query", status_code=303, headers={"Vary": "Accept"})
    endpoint = str(request.url.replace(query=""))
    graph = service_description(endpoint, sorted(site.pool.graphs), site.backend)
    body = graph.serialize(format=chosen.engine_name, encoding="utf-8")
    headers = {"Vary": "Accept"}
    if isinstance(site.pool, WorkerPool):  # workers start after the server answers
        headers["X-Query-Workers"] = f"{site.pool.ready}/{site.pool.settings.workers}"
        headers["X-Query-Workers-Idle"] = str(site.pool.idle)
    return Response(body, media_type=_with_charset(chosen), headers=headers)


def _rdf_or_html(request: Request) -> Format:
    return choose((HTML, *GRAPH), request.headers.get("accept"), request.query_params.get("format"))


async def resource(request: Request) -> Response:
    site: Site = request.app.state.site
    iri = SITE + "id/" + request.path_params["path"]
    try:
        chosen = _rdf_or_html(request)
    except NotAcceptable as exc:
        return not_acceptable(request, str(exc), (HTML, *GRAPH))
    lang = language(request)
    t = Translator(lang)
    if NOT_IN_IRI.search(iri):  # /id/a%20b: no IRI can hold a space, so nothing is called that
        return site.pages.render(
            "error.html", {"status": 404, "message": t("res.bad_name")}, 404, request=request
        )
    view = await anyio.to_thread.run_sync(describe, site.backend, iri, site.page_queries, lang)
    if view is None:
        message = t("res.not_found", iri=iri)
        return site.pages.render(
            "error.html", {"status": 404, "message": message}, 404, request=request
        )
    if chosen is HTML:
        kind = site.resolver().kinds.get(iri, "")
        profile = await anyio.to_thread.run_sync(
            build_profile, site.backend, site.profile_queries, iri, kind, lang
        )
        return site.pages.render(
            "resource.html",
            {"view": view, "formats": GRAPH, "profile": profile},
            request=request,
            rdf=GRAPH,
        )
    described = site.backend.run("DESCRIBE ?resource WHERE {}", {"resource": URIRef(iri)})
    assert isinstance(described, Graph)
    return rdf_response(described, chosen)


async def ontology(request: Request) -> Response:
    site: Site = request.app.state.site
    version = request.path_params.get("version")
    if version is not None and version != site.build_info.get("version"):
        message = Translator(language(request))("res.not_found", iri=f"ontology/{version}")
        return site.pages.render(
            "error.html", {"status": 404, "message": message}, 404, request=request
        )
    try:
        chosen = _rdf_or_html(request)
    except NotAcceptable as exc:
        return not_acceptable(request, str(exc), (HTML, *GRAPH))
    if chosen is HTML:
        docs = site.ontology_docs()
        if docs is None:
            return error_page(request, 404, Translator(language(request))("ontology.not_built"))
        lang = language(request)
        headers = {
            "Vary": "Accept, Accept-Language, Cookie",
            "Link": alternates(request.url.path, GRAPH),
            "Content-Language": lang,
        }
        return Response(docs.framed(site.pages, request, lang), headers=headers,
                        media_type="text/html; charset=utf-8")  # fmt: skip
    body = site.ontology_graph().serialize(format=chosen.engine_name, encoding="utf-8")
    return Response(body, media_type=_with_charset(chosen), headers={"Vary": "Accept"})


def _in_language(site: Site, rows: list[dict], key: str, lang: str) -> list[dict]:
    """Rows whose `label` is replaced by the node's label in `lang` (else English)."""
    names = site.resolver()
    return [{**row, "label": names.label_in(str(row[key]), lang)} for row in rows]


async def home(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = language(request)
    counts = site.backend.run(get_query(site.tree, "app", "class-counts").text)
    instruments = site.backend.run(get_query(site.tree, "app", "instruments").text)
    summits = site.backend.run(get_query(site.tree, "app", "summits").text)
    assert isinstance(counts, SelectResult)
    assert isinstance(instruments, SelectResult)
    assert isinstance(summits, SelectResult)
    return site.pages.render(
        "home.html",
        {
            "triples": len(site.backend),
            "counts": counts.as_dicts(),
            "instruments": _in_language(site, instruments.as_dicts(), "instrument", lang),
            "summits": _in_language(site, summits.as_dicts(), "summit", lang),
            "build": site.build_info,
            "local_path": local_path,
        },
        request=request,
    )


async def query_page(request: Request) -> Response:
    site: Site = request.app.state.site
    examples = [
        {"id": q.id, "question": q.question, "text": with_declared_prefixes(q.text, PREFIXES)}
        for q in site.examples
    ]
    words = editor_words(language(request))
    return site.pages.render(
        "query.html", {"examples": examples, "editor_words": words}, request=request
    )


async def downloads(request: Request) -> Response:
    site: Site = request.app.state.site
    sums = {}
    checksums = site.dist / pipeline.CHECKSUMS
    for line in checksums.read_text().splitlines():
        digest, _, name = line.partition("  ")
        sums[name] = digest
    files = []
    for name in DOWNLOADABLE:
        path = site.dist / name
        if name == pipeline.CHECKSUMS or not path.is_file():
            continue  # the checksum file is listed below the table: it has no hash of its own
        meta = pipeline.DUMPS.get(name)
        files.append(
            {
                "name": name,
                "label": meta.format_label if meta else name,
                "media": download_media(name),
                "size": path.stat().st_size,
                "sha256": sums.get(name, ""),
            }
        )
    listed = {"name": pipeline.CHECKSUMS, "size": checksums.stat().st_size}
    return site.pages.render(
        "download.html",
        {"files": files, "build": site.build_info, "checksums": listed},
        request=request,
    )


def download_media(name: str) -> str:
    """The media type a download is served with (and listed under)."""
    if name.endswith(".gz"):
        return "application/gzip"
    meta = pipeline.DUMPS.get(name)
    if meta is not None:
        return meta.media_type
    return "text/turtle; charset=utf-8" if name.endswith(".ttl") else "text/plain; charset=utf-8"


async def download_file(request: Request) -> Response:
    site: Site = request.app.state.site
    name = request.path_params["name"]
    if name not in DOWNLOADABLE or not (site.dist / name).is_file():
        message = Translator(language(request))("download.no_file")
        return site.pages.render(
            "error.html", {"status": 404, "message": message}, 404, request=request
        )
    return FileResponse(site.dist / name, media_type=download_media(name), filename=name)


def _analysis(name: str) -> Callable[[Request], Awaitable[Response]]:
    """A route of analysis_pages, imported on its first request: those pages need pandas and
    the analysis modules (about 0.4 s of imports), which the server's first answer does not."""

    async def endpoint(request: Request) -> Response:
        from . import analysis_pages

        return await getattr(analysis_pages, name)(request)

    return endpoint


def create_app(config: ServerConfig, tree: SourceTree) -> Starlette:
    """The ASGI application; the worker pool starts with the app and stops with it."""
    site = Site(config, tree)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if isinstance(site.pool, WorkerPool):
            # Listen and answer at once from the web process's store; the rest of start-up
            # (site.warm_up) follows a moment later, or at once for a query that needs it.
            site.pool.graphs = frozenset(site.backend.graphs())  # the service description's
            asyncio.get_running_loop().call_later(WARM_UP_AFTER_S, site.warm_up)
        else:
            load_parser()
            await anyio.to_thread.run_sync(site.pool.start)
            _freeze_heap()
        try:
            yield
        finally:
            site.pool.close()

    routes = [
        Route("/", home),
        Route("/sparql", sparql, methods=["GET", "HEAD", "POST"]),
        Route("/sparql/", sparql, methods=["GET", "HEAD", "POST"]),
        Route("/id/{path:path}", resource),
        Route("/ontology", ontology),
        Route("/ontology/{version}", ontology),
        Route("/search", _analysis("search_page")),
        *minted_routes(),
        Route("/query", query_page),
        Route("/download", downloads),
        Route("/download/{name}", download_file),
        Route("/compare", _analysis("compare_page")),
        Route("/summits", _analysis("summits_page")),
        Route("/viz/", _analysis("viz_index")),
        Route("/viz", _analysis("viz_index")),
        Route("/viz/{name}", _analysis("viz_file")),
        # read now, served from memory: a reinstall under the running server cannot break them
        Route("/static/{path:path}", StaticFiles(read_static()).serve, methods=["GET", "HEAD"]),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type"],
            allow_credentials=False,
            expose_headers=[
                "X-Row-Limit",
                "X-Result-Rows",
                "X-Result-Truncated",
                "X-Response-Byte-Limit",
            ],
        ),
        Middleware(EdgeMiddleware, limiter=site.limiter),
    ]
    # Errors of the routing itself (no such page, wrong method) and unexpected failures are
    # pages in the reader's language for browsers, one line of text for other clients.
    # A failing remote store is the gateway error it is (502/503/504), not a server error.
    handlers = {HTTPException: http_error, StoreError: store_failed, Exception: server_error}
    app = Starlette(
        routes=routes, middleware=middleware, lifespan=lifespan, exception_handlers=handlers
    )
    app.state.site = site
    return app


async def store_failed(request: Request, exc: Exception) -> Response:
    """A page or view whose remote store failed: 502 (store error), 503 (store unreachable) or
    504 (store timed out), with the store's URL and what happened; never a 400 or 500, since
    neither the request nor this server is at fault."""
    assert isinstance(exc, StoreError)
    status = exc.gateway_status
    headers = {"Retry-After": str(STORE_RETRY_AFTER_S)} if status == 503 else None
    if request.url.path.startswith("/sparql"):
        return _text(status, str(exc), headers)
    site: Site = request.app.state.site
    page = site.pages.render(
        "error.html", {"status": status, "message": str(exc)}, status, request=request
    )
    if headers:
        page.headers.update(headers)
    return page
