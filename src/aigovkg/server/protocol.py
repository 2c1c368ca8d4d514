"""The SPARQL 1.1 Protocol's request rules: where the query and dataset come from, what is refused.

Kept apart from the web framework so the rules (one query, UTF-8 only, no updates, which
content types) read as the specification states them and are tested directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


class ProtocolError(ValueError):
    """A request the protocol does not allow; carries the HTTP status to answer with."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class QueryRequest:
    """A protocol query request, decoded: the query text and the dataset it names."""

    query: str | None  # None: no query at all (GET /sparql asks for the service description)
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    # Every `format` value, in order: clients repeat it (negotiation.by_name decides if they agree)
    format_names: tuple[str, ...]


def _media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    if not content_type:
        return "", {}
    media, *params = content_type.split(";")
    parameters = {}
    for param in params:
        name, _, value = param.partition("=")
        parameters[name.strip().lower()] = value.strip().strip('"').lower()
    return media.strip().lower(), parameters


def _decode(body: bytes, charset: str | None) -> str:
    if charset and charset.replace("-", "").replace("_", "") not in ("utf8",):
        raise ProtocolError(415, f"charset={charset} is not supported: send the query as UTF-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the request body is not valid UTF-8 ({exc.reason})") from exc


def _single(values: Sequence[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(400, f"exactly one '{name}' parameter is allowed, got {len(values)}")
    return values[0] if values else None


def _refuse_update() -> ProtocolError:
    return ProtocolError(
        403,
        "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR...) is refused",
    )


def decode_request(
    method: str,
    url_params: Sequence[tuple[str, str]],
    content_type: str | None,
    body: bytes,
) -> QueryRequest:
    """Apply the protocol's three query operations (GET, form POST, direct POST)."""
    params = list(url_params)
    if method == "GET":
        if any(
            name in ("update", "using-graph-uri", "using-named-graph-uri") for name, _ in params
        ):
            raise _refuse_update()
        query = _single([v for n, v in params if n == "query"], "query")
    elif method == "POST":
        media, parameters = _media_type(content_type)
        if media == FORM:
            text = _decode(body, parameters.get("charset"))
            try:
                form = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text))
            except ValueError as exc:
                raise ProtocolError(400, f"malformed form body: {exc}") from exc
            if any(name == "update" for name, _ in form):
                raise _refuse_update()
            params += form
            query = _single([v for n, v in form if n == "query"], "query")
            if query is None:
                raise ProtocolError(400, "the form has no 'query' field")
        elif media == SPARQL_QUERY:
            query = _decode(body, parameters.get("charset"))
        elif media == SPARQL_UPDATE:
            raise _refuse_update()
        elif not media:
            raise ProtocolError(415, f"a POST needs a Content-Type: {FORM} or {SPARQL_QUERY}")
        else:
            raise ProtocolError(
                415, f"Content-Type {media} is not accepted: use {FORM} or {SPARQL_QUERY}"
            )
    else:
        raise ProtocolError(
            405, f"method {method} is not allowed: use GET or POST", {"Allow": "GET, POST"}
        )
    return QueryRequest(
        query=query,
        default_graphs=tuple(v for n, v in params if n == "default-graph-uri"),
        named_graphs=tuple(v for n, v in params if n == "named-graph-uri"),
        format_names=tuple(v for n, v in params if n == "format"),
    )
