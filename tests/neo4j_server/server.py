"""Build and run the Neo4j test server of this folder (``pom.xml`` + ``TestNeo4j.java``).

Used by the pytest plugin (:mod:`neo4j_server.plugin`) and by ``benchmarks/bench_neo4j.py``.

Building: ``mvn dependency:build-classpath`` resolves ``org.neo4j.test:neo4j-harness``
(Neo4j Community 5.26 LTS) from Maven Central into the usual Maven repository
(``~/.m2``: the first run downloads about 160 MB, later runs work offline), and
``javac`` compiles the one class. The result is kept in ``target/`` under a key made
of the pom, the Java source and the Java version, so a later run starts the JVM at
once without calling Maven.

Running: :class:`Neo4jProcess` starts the JVM in its own process group, with a fresh
random password in its environment (never on its command line), reads the Bolt URI
it prints when ready, and stops it by closing its standard input (the Java side then
closes the database and exits), escalating to SIGTERM and SIGKILL of the whole group.
The JVM also exits by itself when this process dies, because its standard input then
closes; an ``atexit`` hook covers an interpreter that exits without a teardown.

>>> Neo4jProcess.__doc__.splitlines()[0]
'One running test server: its Bolt URI, user and password; stop() ends it.'
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import re
import secrets
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "target"
SOURCE = HERE / "src" / "main" / "java" / "icapgraph" / "testserver" / "TestNeo4j.java"
MAIN_CLASS = "icapgraph.testserver.TestNeo4j"
PASSWORD_ENV = "ICAPGRAPH_NEO4J_PASSWORD"
USER = "neo4j"
#: Seconds allowed for a start (the budget is 60 s; a loaded 2-core machine needs slack).
START_TIMEOUT = 180.0
#: Seconds allowed for a clean stop after standard input closes, before SIGTERM.
STOP_TIMEOUT = 30.0
#: Maven may take this long on a first run (downloads).
BUILD_TIMEOUT = 900.0
JVM_OPTIONS = (
    "-Xms256m", "-Xmx1536m", "-XX:+UseParallelGC", "-Dfile.encoding=UTF-8",
    # What Neo4j's own launcher opens, so that its page cache can use direct buffers.
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
)
#: The test server lives a few minutes on two cores: compiling with C1 only costs far less
#: than C2's optimisations earn back (the first corpus push took 24 s of server CPU with C1
#: against 41-46 s with C2; later pushes 10 s against 6-9 s). Pass ``jit=FULL_JIT`` to
#: :meth:`Neo4jProcess.start` for a server that compiles as a production one does.
QUICK_JIT = ("-XX:TieredStopAtLevel=1",)
FULL_JIT: tuple[str, ...] = ()


class ServerUnavailable(Exception):
    """The server cannot be built or started here; the message is one line saying why."""


def _java_major(java: str) -> int:
    """The major version of ``java`` (``java -version`` prints it on stderr)."""
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if match is None:
        return 0
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def missing_tools() -> str | None:
    """None when Java 17+ (``java``, ``javac``) and Maven (``mvn``) are on PATH, else one line.

    >>> missing_tools() is None or missing_tools().startswith("Neo4j live tests need")
    True
    """
    absent = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
    if absent:
        return f"Neo4j live tests need Java 17+ and Maven: {', '.join(absent)} not found on PATH"
    major = _java_major(str(shutil.which("java")))
    if major < 17:
        return f"Neo4j live tests need Java 17+ (Neo4j 5.26); this java is version {major}"
    return None


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "ERROR" in ln or "Exception" in ln or "error:" in ln]
    return (errors or lines or ["(no output)"])[-1][:300]


def _build_key() -> str:
    java = shutil.which("java") or ""
    digest = hashlib.sha256()
    for part in ((HERE / "pom.xml").read_bytes(), SOURCE.read_bytes(), os.path.realpath(java)):
        digest.update(part if isinstance(part, bytes) else part.encode())
    return digest.hexdigest()[:16]


def _maven_classpath(log: list[str]) -> str:
    """The dependency classpath from Maven: offline first (fast, cached), then online."""
    TARGET.mkdir(exist_ok=True)
    out_file = TARGET / f"classpath.{os.getpid()}.txt"
    base = ["mvn", "-B", "-q", "-f", str(HERE / "pom.xml"), "dependency:build-classpath",
            f"-Dmdep.outputFile={out_file}"]
    result = None
    for offline in (True, False):
        cmd = [*base[:3], "-o", *base[3:]] if offline else base
        log.append(" ".join(cmd))
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
        if result.returncode == 0 and out_file.exists():
            text = out_file.read_text().strip()
            out_file.unlink()
            return text
    detail = _last_line(result.stdout + result.stderr) if result else ""
    raise ServerUnavailable(
        "Maven could not resolve org.neo4j.test:neo4j-harness (not in ~/.m2 and Maven Central "
        f"unreachable?): {detail}"
    )


def build() -> str:
    """Resolve and compile once; return the Java classpath of the server.

    Raises:
        ServerUnavailable: Java or Maven missing, Maven cannot resolve, javac fails.
    """
    missing = missing_tools()
    if missing:
        raise ServerUnavailable(missing)
    key = _build_key()
    stamp = TARGET / f"build-{key}.classpath"
    if stamp.exists():
        classpath = stamp.read_text().strip()
        if all(Path(p).exists() for p in classpath.split(os.pathsep)):
            return classpath
    log: list[str] = []
    deps = _maven_classpath(log)
    classes = TARGET / f"classes-{key}"
    tmp = Path(tempfile.mkdtemp(prefix=".classes-", dir=TARGET))
    result = subprocess.run(
        ["javac", "--release", "17", "-encoding", "UTF-8", "-cp", deps, "-d", str(tmp),
         str(SOURCE)], capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    if result.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ServerUnavailable(f"javac failed on {SOURCE.name}: {_last_line(result.stderr)}")
    shutil.rmtree(classes, ignore_errors=True)
    os.replace(tmp, classes)
    classpath = os.pathsep.join([str(classes), deps])
    partial = stamp.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(classpath + "\n")
    os.replace(partial, stamp)
    for old in TARGET.glob("build-*.classpath"):
        if old != stamp:
            old.unlink(missing_ok=True)
    for old in TARGET.glob("classes-*"):
        if old != classes:
            shutil.rmtree(old, ignore_errors=True)
    return classpath


_LIVE: set[Neo4jProcess] = set()


@atexit.register
def _stop_all() -> None:
    for process in list(_LIVE):
        process.stop()


@dataclass(eq=False)
class Neo4jProcess:
    """One running test server: its Bolt URI, user and password; stop() ends it.

    Use :meth:`start` (or ``with Neo4jProcess.start(...) as server``). ``started_in`` is
    the seconds from launching the JVM to the server accepting Bolt connections.
    """

    uri: str
    password: str = field(repr=False)
    process: subprocess.Popen[bytes] = field(repr=False)
    work: Path
    started_in: float
    user: str = USER
    _stopped: bool = field(default=False, repr=False)

    @classmethod
    def start(
        cls,
        admin_args: Sequence[str] = (),
        *,
        cwd: str | os.PathLike[str] | None = None,
        timeout: float = START_TIMEOUT,
        jit: Sequence[str] = QUICK_JIT,
    ) -> Neo4jProcess:
        """Build if needed, start a server and wait until it accepts Bolt connections.

        ``admin_args`` (e.g. ``["database", "import", "full", "--nodes=…", "neo4j"]``) are run
        as ``neo4j-admin`` first, in ``cwd``, and the server then serves what they made.
        ``jit``: the JVM's compiler options (:data:`QUICK_JIT` or :data:`FULL_JIT`).

        Raises:
            ServerUnavailable: cannot build, or the server did not start within ``timeout``.
        """
        classpath = build()
        password = secrets.token_urlsafe(24)
        work = Path(tempfile.mkdtemp(prefix="icapgraph-neo4j-"))
        env = {**os.environ, PASSWORD_ENV: password}
        log = (work / "server.log").open("wb")
        t0 = time.perf_counter()
        process = subprocess.Popen(
            ["java", *JVM_OPTIONS, *jit, "-cp", classpath, MAIN_CLASS, str(work), *admin_args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env,
            cwd=cwd, start_new_session=True,
        )
        log.close()
        server = cls("", password, process, work, 0.0)
        _LIVE.add(server)
        try:
            server.uri = server._wait_ready(timeout).rstrip("/")
        except BaseException:
            server.stop(keep_log=True)
            raise
        server.started_in = time.perf_counter() - t0
        return server

    def _wait_ready(self, timeout: float) -> str:
        """The URI of the ``READY`` line; other lines (JVM warnings) are skipped."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        pending = b""
        with selectors.DefaultSelector() as sel:
            sel.register(self.process.stdout, selectors.EVENT_READ)
            while True:
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if line.startswith(b"READY "):
                        return line.decode("utf-8", "replace").split(" ", 1)[1].strip()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ServerUnavailable(
                        f"Neo4j did not start within {timeout:g} s (log: {self.log_path})")
                if sel.select(min(left, 1.0)):
                    chunk = os.read(self.process.stdout.fileno(), 65536)
                    if not chunk:
                        break
                    pending += chunk
                elif self.process.poll() is not None:
                    break
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        raise ServerUnavailable(
            f"Neo4j exited with status {self.process.returncode} before it was ready: "
            f"{_last_line(self.log_text())}")

    @property
    def log_path(self) -> Path:
        return self.work / "server.log"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, *, keep_log: bool = False) -> None:
        """Stop the server and its process group and remove its files (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        _LIVE.discard(self)
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()  # the Java side stops on end of input
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, sig)
                try:
                    self.process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.process.stdout is not None:
            self.process.stdout.close()
        if not keep_log:
            shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self) -> Neo4jProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
