"""The one HTTP client that talks to a remote SPARQL store: one host, bounded in time and size.

The standard library's urllib rather than httpx: httpx is only a test dependency here (and a
transitive one of pyLODE), and everything this client needs is a few explicit handlers on an
urllib opener: digest/basic credentials for the store's write endpoints, NO redirects (a
redirect could send the query, or the credentials, to another host), NO proxies taken from the
environment (the operator configured one URL; `http_proxy` must not add a second host), and a
refusal of any URL whose scheme, host or port is not the configured store's.

Every response body is read in chunks against a byte bound and a wall-clock deadline, so a
store that answers forever or answers too much costs a clear error, not the process's memory.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from http.client import HTTPException, HTTPResponse

from .errors import QueryError

CHUNK = 64 * 1024
_TAG = re.compile(r"<[^>]*>")


class StoreError(QueryError):
    """The remote store refused the request or answered out of bounds (or could not be reached,
    see the subclasses). `gateway_status` is what a server standing in front of the store
    answers its own client: the fault is the store's, not the request's (so never 400)."""

    gateway_status = 502  # Bad Gateway: the store answered, with an error or a broken answer


class StoreUnavailable(StoreError):
    """Nothing answered at the store's address (refused, reset, unknown host)."""

    gateway_status = 503


class StoreTimeout(StoreError):
    """The store did not answer, or finish its answer, within the time limit."""

    gateway_status = 504


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        raise StoreError(
            f"the store at {req.full_url} redirected ({code}) to {newurl}; redirects are not "
            "followed (only the configured store URL is ever contacted)"
        )


@dataclass(frozen=True)
class Origin:
    """scheme://host:port of the configured store: the only place requests may go."""

    scheme: str
    host: str
    port: int

    @classmethod
    def of(cls, url: str) -> Origin:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"store URL {url!r}: expected http(s)://host[:port]/path")
        if parts.username or parts.password:
            raise StoreError(
                f"store URL {url!r} holds credentials; give them in AIGOVKG_STORE_USER and "
                "AIGOVKG_STORE_PASSWORD instead"
            )
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return cls(parts.scheme, parts.hostname.lower(), port)


@dataclass
class StoreClient:
    """Requests to one store: `url` is its SPARQL query endpoint; other endpoints of the same
    origin (Graph Store Protocol, update) may be addressed too, nothing else."""

    url: str
    timeout_s: float = 60.0
    max_bytes: int = 256 * 1024 * 1024
    user: str | None = None
    password: str | None = None
    origin: Origin = field(init=False)

    def __post_init__(self) -> None:
        self.origin = Origin.of(self.url)
        handlers: list[urllib.request.BaseHandler] = [
            urllib.request.ProxyHandler({}),
            _NoRedirect(),
        ]
        if self.user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(
                None,
                f"{self.origin.scheme}://{self.origin.host}:{self.origin.port}/",
                self.user,
                self.password or "",
            )
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
            handlers.append(urllib.request.HTTPBasicAuthHandler(passwords))
        self._opener = urllib.request.build_opener(*handlers)

    def sibling(self, path: str) -> str:
        """Another endpoint of the same store, e.g. `/sparql-graph-crud-auth`."""
        return urllib.parse.urljoin(self.url, path)

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        *,
        max_bytes: int | None = None,
    ) -> tuple[int, str, bytes]:
        """(status, content type, body) of one request; StoreError on anything else."""
        if Origin.of(url) != self.origin:
            raise StoreError(f"{url} is not on the configured store {self.url}")
        limit = self.max_bytes if max_bytes is None else max_bytes
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        deadline = time.monotonic() + self.timeout_s
        try:
            with self._opener.open(req, timeout=self.timeout_s) as response:
                data = _read_bounded(response, limit, deadline, url)
                _refuse_partial(response.headers, url)
                return response.status, response.headers.get("Content-Type", ""), data
        except urllib.error.HTTPError as exc:
            # The start of the store's own message (Virtuoso echoes the whole query after it;
            # a web server's error page is HTML): one line of text, a few hundred characters.
            detail = " ".join(_TAG.sub(" ", exc.read(4096).decode("utf-8", "replace")).split())
            kind = StoreUnavailable if exc.code == 503 else StoreError
            raise kind(
                f"the store at {url} answered {exc.code} {exc.reason}: {detail[:500]}"
            ) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise StoreTimeout(
                    f"the store at {url} did not answer within {self.timeout_s:g} s"
                ) from None
            raise StoreUnavailable(f"cannot reach the store at {url}: {exc.reason}") from None
        except TimeoutError:
            raise StoreTimeout(
                f"the store at {url} did not answer within {self.timeout_s:g} s"
            ) from None
        except (OSError, HTTPException) as exc:
            raise StoreUnavailable(f"cannot reach the store at {url}: {exc}") from None


def _refuse_partial(headers: Message, url: str) -> None:
    """Virtuoso answers a query that passed its own time or row limit with 200 and PART of the
    result ("anytime queries"), saying so only in headers: that must be an error, never an
    answer, or a short list would pass for the whole one."""
    state = headers.get("X-SQL-State")
    if state:
        message = headers.get("X-SQL-Message", "")
        raise StoreError(f"the store at {url} sent an incomplete result ({state}: {message})")
    if headers.get("X-SPARQL-MaxRows"):
        raise StoreError(
            f"the store at {url} cut the result at its own row limit "
            f"({headers.get('X-SPARQL-MaxRows')} rows)"
        )


def _read_bounded(response: HTTPResponse, limit: int, deadline: float, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise StoreTimeout(f"the store at {url} did not finish its answer in time")
        chunk = response.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise StoreError(
                f"the store at {url} sent more than {limit} bytes; add LIMIT or select less"
            )
        chunks.append(chunk)
