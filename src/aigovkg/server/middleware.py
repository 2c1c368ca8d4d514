"""ASGI middleware for every route: the per-client rate limit and nosniff.

Pure ASGI (not Starlette's BaseHTTPMiddleware) so that it adds no task per request and leaves
streaming and disconnect messages untouched.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .ratelimit import RateLimiter, retry_after


def client_of(scope: Scope) -> str:
    """The client's address. uvicorn replaces it with the X-Forwarded-For address only when
    the connection comes from a configured trusted proxy (`--trusted-proxy`), so a client
    cannot pick its own identity by sending the header itself."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


NOSNIFF = (b"x-content-type-options", b"nosniff")


class EdgeMiddleware:
    """What every response needs, in one layer (each layer costs every request):
    - the per-client rate limit on every page, not only /sparql: the analysis pages and
      linked-data views cost CPU too;
    - `X-Content-Type-Options: nosniff`, so that a text/plain error echoing a query is never
      sniffed into HTML by a browser."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wait = self.limiter.check(client_of(scope))
        if wait:
            headers = [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"retry-after", retry_after(wait).encode()),
                NOSNIFF,
            ]
            await send({"type": "http.response.start", "status": 429, "headers": headers})
            await send(
                {"type": "http.response.body", "body": b"too many requests from this client\n"}
            )
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                if not any(name.lower() == NOSNIFF[0] for name, _ in headers):
                    message["headers"] = [*headers, NOSNIFF]
            await send(message)

        await self.app(scope, receive, send_with_header)
