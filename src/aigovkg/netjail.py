"""Take the network away from the current process: defence in depth under the query parser.

The SPARQL safety check (sparql_safety) refuses SERVICE, LOAD and foreign FROM before an engine
runs, but a parser can have a blind spot the engine does not share. A process that runs
untrusted queries (the endpoint's query workers, the pySHACL run of a checkout's shapes)
therefore moves itself into a new, empty Linux network namespace first: it then has a loopback
interface that is down and nothing else, so every connect() fails with ENETUNREACH, whatever
the engine was talked into. File descriptors opened before (the pipe to the web server) keep
working; namespaces only govern new sockets.

`unshare(CLONE_NEWNET)` needs CAP_SYS_ADMIN (root, as in the project's containers); without it
the process first enters a new user namespace (`CLONE_NEWUSER | CLONE_NEWNET`), which
unprivileged users may do on most distributions. Both need a single-threaded process (a
namespace belongs to a thread, and threads started earlier would keep the network), so call
`drop_network()` first thing in a fresh child. Linux only; elsewhere it raises JailError.

The endpoint's workers always try the jail and refuse to start when it cannot be set up; the
operator may accept that risk with `aigovkg serve --allow-network-workers` (environment variable
AIGOVKG_ALLOW_NETWORK_WORKERS=1, which the workers inherit); the jail is still used wherever
it works.
"""

from __future__ import annotations

import ctypes
import errno
import os
import socket
import sys

ALLOW_ENV = "AIGOVKG_ALLOW_NETWORK_WORKERS"
ALLOW_FLAG = "--allow-network-workers"

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000

_UNREACHABLE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT}


class JailError(RuntimeError):
    """The process could not be cut off from the network; the message says why."""


def network_allowed_by_operator() -> bool:
    """True when the operator opted out of the jail (AIGOVKG_ALLOW_NETWORK_WORKERS=1)."""
    return os.environ.get(ALLOW_ENV, "").strip().lower() in ("1", "true", "yes")


def allow_network_workers() -> None:
    """The operator's opt-out (`aigovkg serve --allow-network-workers`): set the variable the
    worker processes inherit, so they run even where the jail cannot be set up."""
    os.environ[ALLOW_ENV] = "1"


def jail_worker() -> str:
    """Drop the network; returns what was done, for the log.

    When the jail cannot be set up this raises JailError naming the opt-out, unless the
    operator gave it, in which case the worker runs with the network it has."""
    try:
        return drop_network()
    except JailError as exc:
        if network_allowed_by_operator():
            return f"network left on ({exc}); {ALLOW_ENV} is set"
        raise JailError(
            f"{exc}. A query worker will not run without this protection; start the server "
            f"with {ALLOW_FLAG} (or {ALLOW_ENV}=1) to accept the risk"
        ) from exc


def drop_network() -> str:
    """Move this process into an empty network namespace and prove that nothing is reachable."""
    if not sys.platform.startswith("linux"):
        raise JailError(f"network namespaces need Linux (this is {sys.platform})")
    threads = _thread_count()
    if threads != 1:
        raise JailError(
            f"the process has {threads} threads; a network namespace can only be entered "
            "by a single-threaded process"
        )
    before = _namespace()
    libc = ctypes.CDLL(None, use_errno=True)
    how = "network namespace"
    if libc.unshare(CLONE_NEWNET) != 0:
        first = ctypes.get_errno()
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
            second = ctypes.get_errno()
            raise JailError(
                "could not enter a new network namespace: unshare(CLONE_NEWNET) failed with "
                f"{errno.errorcode.get(first, first)}, unshare(CLONE_NEWUSER|CLONE_NEWNET) with "
                f"{errno.errorcode.get(second, second)}"
            )
        how = "user and network namespace"
    if _namespace() == before:
        raise JailError("unshare reported success but the network namespace did not change")
    _prove_unreachable()
    return f"network dropped (new {how})"


def _thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def _namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/net")
    except OSError as exc:
        raise JailError(f"cannot read /proc/self/ns/net: {exc}") from exc


def _prove_unreachable() -> None:
    """Only a loopback interface may exist, and even loopback must be unreachable."""
    names = sorted(name for _index, name in socket.if_nameindex())
    if names != ["lo"]:
        raise JailError(f"the new namespace still has interfaces {names}")
    for family, address in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        try:
            probe = socket.socket(family, socket.SOCK_STREAM)
        except OSError:
            continue  # the family is not supported at all: nothing to reach with it
        with probe:
            probe.settimeout(1)
            try:
                probe.connect((address, 9))
            except OSError as exc:
                if exc.errno in _UNREACHABLE:
                    continue
                raise JailError(f"{address} is still reachable ({exc})") from exc
            raise JailError(f"{address} accepted a connection inside the jail")
