"""Query workers that cannot reach the network.

Oxigraph calls any endpoint a query names in ``SERVICE`` (and any IRI an update names in
``LOAD``).  The endpoint checks the query text first, to answer a clear 403, but a check that
reads the text a second time can always be made to disagree with the engine's parser (the
SSRF that ``SERVICE:x`` once opened).  So the guarantee comes from the kernel instead: a
sealed worker process is denied every IPv4 and IPv6 socket by a seccomp filter installed
right after the fork, so whatever the engine parses, it cannot open a connection.  Local
pipes and Unix sockets keep working.  Only a query whose SERVICE endpoints are all on the
allowlist (checked by two parsers that must agree) runs in an unsealed worker, forked for
that one query.

pyseccomp is a ctypes binding of libseccomp (present on every Debian system); libseccomp
writes the BPF program for the machine's architecture, so no syscall numbers live here.
"""

from __future__ import annotations

import errno
import socket

_DENIED_FAMILIES = (socket.AF_INET, socket.AF_INET6)


class SandboxUnavailable(RuntimeError):
    """The kernel filter could not be installed (no seccomp, no libseccomp)."""


def seal() -> None:
    """Deny this process (and its future children and threads) any network socket."""
    try:
        import pyseccomp as seccomp
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for family in _DENIED_FAMILIES:
            rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.EQ, family))
        # io_uring could open sockets without the socket() system call.
        rules.add_rule(seccomp.ERRNO(errno.EPERM), "io_uring_setup")
        rules.load()
    except Exception as exc:   # ImportError, OSError from libseccomp, RuntimeError from the kernel
        raise SandboxUnavailable(
            f"cannot deny query workers the network ({type(exc).__name__}: {exc}); install "
            "libseccomp2, or set QUERY_NETWORK_SANDBOX=false to serve without this protection"
        ) from exc
