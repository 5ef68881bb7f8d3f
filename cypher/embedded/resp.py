"""A small RESP2 client for the engine's private server, over its unix socket.

The engine sends a handful of commands (``GRAPH.QUERY``, ``GRAPH.RO_QUERY``, ``INFO``,
``SAVE``, ``GRAPH.DELETE``) to a server that only it can reach; this module speaks the
protocol (RESP2) with nothing but the standard library's :mod:`socket`, so that a one-shot
``icapgraph cypher`` does not import a general-purpose client (~0.13 s).

Replies come back as Python values: simple and bulk strings as ``str`` (UTF-8, strict),
integers as ``int``, a nil bulk string or array as ``None``, arrays as ``list``, and an
error inside an array as an :class:`ErrorReply`. A top-level error reply raises
:class:`~loaders.errors.EngineReplyError` (its message without the error code), or
:class:`~loaders.errors.EngineConnectionError` for the codes that mean the server cannot
serve now (``LOADING``). A socket time-out raises :class:`~loaders.errors.EngineTimeout`;
a refused, closed or garbled connection :class:`~loaders.errors.EngineConnectionError`.
After any of these but a plain error reply the connection is closed; the next command
opens a new one. Nothing is ever re-sent.

>>> encode_command("GET", "職", 5)
b'*3\\r\\n$3\\r\\nGET\\r\\n$3\\r\\n\\xe8\\x81\\xb7\\r\\n$1\\r\\n5\\r\\n'
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Union

from loaders.errors import EngineConnectionError, EngineReplyError, EngineTimeout

#: One command argument as sent (text goes as UTF-8).
Arg = str | int | bytes


@dataclass(frozen=True)
class ErrorReply:
    """An error reply inside an array (the engine's run-time errors come this way too)."""

    message: str


# A recursive alias: ``X | Y`` cannot name a type that is still being defined.
Reply = Union[str, int, None, list["Reply"], ErrorReply]  # noqa: UP007

# Error codes a server message may start with; the code is cut off the message (as the
# engine's messages read without it). The ones that mean "not now" make the engine restart.
_STRIPPED_CODES = frozenset({
    "ERR", "OOM", "EXECABORT", "NOSCRIPT", "READONLY", "NOPERM", "ASK", "TRYAGAIN", "MOVED",
    "CLUSTERDOWN", "CROSSSLOT", "MASTERDOWN", "WRONGPASS", "LOADING", "NOAUTH",
})  # fmt: skip
_UNAVAILABLE_CODES = frozenset({"LOADING", "NOAUTH", "WRONGPASS"})
_UNAVAILABLE_ERR = frozenset({"max number of clients reached", "invalid password"})


def encode_command(*args: Arg) -> bytes:
    """One command as a RESP array of bulk strings.

    Raises
    ------
    UnicodeEncodeError
        a text argument that is not valid Unicode (a lone surrogate).
    """
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else str(arg).encode("utf-8")
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def error_message(text: str) -> tuple[str, bool]:
    """An error reply's text without its code, and whether it means the server cannot serve
    (the caller then treats the connection as lost).

    >>> error_message("ERR unknown command 'X'")
    ("unknown command 'X'", False)
    >>> error_message("errMsg: Invalid input 'R'")
    ("errMsg: Invalid input 'R'", False)
    >>> error_message("LOADING Redis is loading the dataset in memory")
    ('Redis is loading the dataset in memory', True)
    """
    code = text.split(" ")[0]
    if code not in _STRIPPED_CODES:
        return text, False
    rest = text[len(code) + 1 :]
    return rest, code in _UNAVAILABLE_CODES or (code == "ERR" and rest in _UNAVAILABLE_ERR)


class Connection:
    """One connection to a server's unix socket, opened at the first command.

    ``timeout``: seconds each connect, send and reply may take (None: no limit).
    Not thread-safe: one thread at a time per connection (the engine keeps one per time limit
    and holds its lock around queries).
    """

    def __init__(self, path: Path | str, timeout: float | None = None) -> None:
        self.path = str(path)
        self.timeout = timeout
        self._sock: socket.socket | None = None
        self._file: IO[bytes] | None = None

    def command(self, *args: Arg) -> Reply:
        """Send one command and read its reply.

        Raises
        ------
        EngineReplyError
            the server answered with an error.
        EngineTimeout
            no reply within the time limit (the connection is closed).
        EngineConnectionError
            the server refused or closed the connection, cannot serve now, or sent
            something that is not RESP (the connection is closed).
        UnicodeError
            an argument or a reply that is not valid UTF-8 text (closed when a reply).
        """
        payload = encode_command(*args)  # before connecting: bad text sends nothing
        try:
            sock, reader = self._connected()
            sock.sendall(payload)
            reply = _read(reader)
        except TimeoutError:
            self.close()
            raise EngineTimeout(f"no reply from the engine within {self.timeout:g} s") from None
        except OSError as exc:
            self.close()
            raise EngineConnectionError(f"lost the connection to the engine: {exc}") from None
        except (UnicodeDecodeError, RecursionError, EngineConnectionError):
            self.close()  # the rest of the reply is unread: this connection is out of step
            raise
        if isinstance(reply, ErrorReply):
            message, unavailable = error_message(reply.message)
            if unavailable:
                self.close()
                raise EngineConnectionError(message)
            raise EngineReplyError(message)
        return reply

    def _connected(self) -> tuple[socket.socket, IO[bytes]]:
        if self._sock is None or self._file is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.timeout)
                sock.connect(self.path)
            except BaseException:
                sock.close()
                raise
            self._sock, self._file = sock, sock.makefile("rb")
        return self._sock, self._file

    def close(self) -> None:
        """Close the connection (idempotent); a later command opens a new one."""
        for resource in (self._file, self._sock):
            if resource is not None:
                with contextlib.suppress(OSError):
                    resource.close()
        self._sock = self._file = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read(reader: IO[bytes]) -> Reply:
    """One reply (recursively for arrays); top-level and nested errors as ErrorReply."""
    line = reader.readline()
    if not line.endswith(b"\r\n"):
        raise EngineConnectionError("the engine closed the connection")
    kind, body = line[:1], line[1:-2]
    if kind == b"$":
        size = _number(body)
        if size < 0:
            return None
        data = reader.read(size + 2)
        if len(data) != size + 2:
            raise EngineConnectionError("the engine closed the connection mid-reply")
        return data[:-2].decode("utf-8")
    if kind == b":":
        return _number(body)
    if kind == b"*":
        count = _number(body)
        return None if count < 0 else [_read(reader) for _ in range(count)]
    if kind == b"+":
        return body.decode("utf-8")
    if kind == b"-":
        return ErrorReply(body.decode("utf-8", errors="replace"))
    raise EngineConnectionError(f"the engine sent a reply that is not RESP2: {line[:40]!r}")


def _number(body: bytes) -> int:
    try:
        return int(body)
    except ValueError:
        raise EngineConnectionError(f"the engine sent a malformed number: {body[:40]!r}") from None
