"""Close connections that do not deliver a request head in time (slow-loris clients).

uvicorn times out idle keep-alive connections only after a response, and only until the first
byte arrives; a client that connects and sends a header a byte at a time (or nothing) holds its
socket for ever. This protocol arms a deadline whenever the connection waits for a new request
and closes it if the request head has not arrived when the deadline passes. Bodies are bounded
separately, by the routes that read them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol


class HeadDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol plus a deadline for each request head."""

    head_timeout_s: float = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
        super().connection_lost(exc)

    def _arm_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
        waiting_for = self.cycle
        self._head_deadline = self.loop.call_later(
            self.head_timeout_s, self._head_deadline_passed, waiting_for
        )

    def _head_deadline_passed(self, waiting_for: object) -> None:
        """No new request began since the deadline was armed: drop the connection. (A cycle
        still running means its head arrived: a pipelined request started at once.)"""
        in_progress = self.cycle is not None and not self.cycle.response_complete
        if self.cycle is waiting_for and not in_progress and not self.transport.is_closing():
            self.transport.close()


def head_deadline_protocol(seconds: float) -> type[HeadDeadlineProtocol]:
    """A protocol class for uvicorn's `http=` setting with the given deadline."""
    return type("HeadDeadlineProtocol", (HeadDeadlineProtocol,), {"head_timeout_s": seconds})
