"""Connecting to a Neo4j server and reading from it: URI checks, one-line errors, READ queries.

Every driver failure becomes one :class:`loaders.errors.Neo4jError` line
(:func:`explain`); the password is never part of a message.

>>> check_uri("http://localhost:7474")  # doctest: +ELLIPSIS
Traceback (most recent call last):
  ...
loaders.errors.Neo4jError: unsupported URI scheme 'http' in 'http://localhost:7474'; use one of: ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import neo4j
import neo4j.exceptions as nex

from loaders.errors import Neo4jError

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: Seconds an unreachable server may take before the one-line error.
CONNECT_TIMEOUT = 5.0


@dataclass(frozen=True)
class ReadResult:
    """Rows of a read query, as plain values, with their column names."""

    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]


# --- validation and errors -------------------------------------------------


def check_uri(uri: str) -> str:
    """Return ``uri`` when its scheme is one the driver speaks and it names a host.

    Raises
    ------
    Neo4jError
        another scheme (``http``, a typo) or no host.

    >>> check_uri("bolt://localhost:7687")
    'bolt://localhost:7687'
    """
    parts = urlsplit(uri)
    if parts.scheme not in SCHEMES:
        raise Neo4jError(
            f"unsupported URI scheme {parts.scheme!r} in {uri!r}; use one of: {', '.join(SCHEMES)}"
        )
    if not parts.hostname:
        raise Neo4jError(f"no host in Neo4j URI {uri!r} (expected e.g. bolt://localhost:7687)")
    return uri


def check_batch_size(size: int) -> int:
    """Return ``size`` when it is at least 1.

    >>> check_batch_size(0)
    Traceback (most recent call last):
      ...
    loaders.errors.Neo4jError: --batch-size must be at least 1, not 0
    """
    if size < 1:
        raise Neo4jError(f"--batch-size must be at least 1, not {size}")
    return size


def _code(exc: BaseException) -> str:
    return str(getattr(exc, "code", "") or "")


@dataclass(frozen=True)
class _Rule:
    matches: Callable[[BaseException], bool]
    message: Callable[[str, str, str], str]  # (uri, user, database) -> line


# Order matters: first match wins (AuthError is a ClientError, NotALeader a TransientError).
_RULES: tuple[_Rule, ...] = (
    _Rule(
        lambda e: isinstance(e, nex.AuthError),
        lambda uri, user, db: f"Neo4j at {uri} refused the credentials of user {user!r} "
        "(wrong password? it is read from NEO4J_PASSWORD or the prompt)",
    ),
    _Rule(
        lambda e: _code(e) == "Neo.ClientError.Database.DatabaseNotFound",
        lambda uri, user, db: f"database {db} does not exist on the Neo4j server at {uri}",
    ),
    _Rule(
        lambda e: isinstance(e, nex.Forbidden | nex.ForbiddenOnReadOnlyDatabase | nex.NotALeader)
        or "AccessMode" in _code(e)
        or "ReadOnly" in _code(e),
        lambda uri, user, db: f"the Neo4j server at {uri} refuses writes to database {db} "
        f"(read-only database or replica, or user {user!r} may not write)",
    ),
    _Rule(
        lambda e: isinstance(e, nex.DatabaseUnavailable),
        lambda uri, user, db: f"database {db} on the Neo4j server at {uri} is unavailable "
        "(stopped or still starting)",
    ),
    _Rule(
        lambda e: isinstance(e, nex.ServiceUnavailable | nex.SessionExpired | OSError),
        lambda uri, user, db: f"cannot reach a Neo4j server at {uri} within {CONNECT_TIMEOUT:g} s "
        "(connection refused, host unreachable or unknown name; is the server running?)",
    ),
    _Rule(
        lambda e: isinstance(e, nex.ConfigurationError),
        lambda uri, user, db: f"the Neo4j driver rejected the settings for {uri} "
        "(check the URI and, for +s / +ssc, the TLS set-up)",
    ),
)


def explain(exc: BaseException, uri: str = "", user: str = "", database: str | None = None) -> str:
    """One line for a driver or server error, never containing the password.

    >>> explain(nex.ServiceUnavailable("refused"), "bolt://h:7687")  # doctest: +ELLIPSIS
    'cannot reach a Neo4j server at bolt://h:7687 within 5 s (connection refused, ...)'
    """
    db = repr(database) if database else "(the default database)"
    where = uri or "the server"
    for rule in _RULES:
        if rule.matches(exc):
            return rule.message(where, user or "neo4j", db)
    detail = (getattr(exc, "message", None) or str(exc) or type(exc).__name__).splitlines()[0]
    return f"Neo4j at {where} failed: {detail}"


# --- connecting ------------------------------------------------------------


def connect(
    uri: str, user: str, password: str, *, timeout: float = CONNECT_TIMEOUT
) -> neo4j.Driver:
    """Open a driver and check that the server answers and accepts the credentials.

    The URI is validated before any connection; ``timeout`` bounds the connection
    attempt so an unreachable host fails fast instead of hanging.

    Raises
    ------
    Neo4jError
        bad scheme, unreachable server, wrong credentials (one line).
    """
    check_uri(uri)
    try:
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=neo4j.basic_auth(user, password),
            connection_timeout=timeout,
            connection_acquisition_timeout=timeout,
        )
    except (nex.ConfigurationError, ValueError) as exc:
        raise Neo4jError(explain(exc, uri, user)) from None
    try:
        driver.verify_connectivity()
    except (nex.Neo4jError, nex.DriverError, OSError) as exc:
        driver.close()
        raise Neo4jError(explain(exc, uri, user)) from None
    return driver


def open_session(driver: neo4j.Driver, database: str | None, mode: str) -> neo4j.Session:
    return driver.session(database=database, default_access_mode=mode)


# --- reading ---------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Driver values as JSON-friendly plain data (nodes and relationships as property maps)."""
    if isinstance(value, neo4j.graph.Node):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _collect(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> ReadResult:
    result = tx.run(query, params)
    columns = tuple(result.keys())
    rows = tuple({k: _plain(record[k]) for k in columns} for record in result)
    return ReadResult(columns, rows)


def run_read(
    driver: neo4j.Driver,
    query: str,
    params: dict[str, Any] | None = None,
    *,
    database: str | None = None,
    uri: str = "",
    user: str = "",
) -> ReadResult:
    """Run ``query`` in a READ transaction (read access mode: the server refuses writes).

    Raises
    ------
    Neo4jError
        one line for any driver or server failure (syntax errors included).
    """
    try:
        with open_session(driver, database, neo4j.READ_ACCESS) as session:
            return session.execute_read(_collect, query, dict(params or {}))
    except (nex.Neo4jError, nex.DriverError, OSError) as exc:
        raise Neo4jError(explain(exc, uri, user, database)) from None
