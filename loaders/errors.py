"""The project's one error family.

Every error the product raises on purpose derives from :class:`IcapGraphError`,
so that the CLI and the app can turn any of them into one line for the user
and let everything else (a real bug) surface in tests. It lives in the lowest
layer (``loaders``) because data flows one way: graph and queries import it,
never the reverse.
"""

from __future__ import annotations

from collections.abc import Iterable


class IcapGraphError(Exception):
    """Root of every error this project raises on purpose."""


class ParseError(IcapGraphError):
    """A file could not be read as a competency standard.

    >>> str(ParseError("data/x.txt", 12, "truncated table"))
    'data/x.txt:12: truncated table'
    """

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")


class UnknownKey(IcapGraphError):
    """A registry was asked for a key it does not hold; the message lists the valid ones.

    >>> str(UnknownKey("exporter", "pdf", ["csv", "json"]))
    "unknown exporter 'pdf'; choose one of: csv, json"
    """

    def __init__(self, what: str, key: str, valid: Iterable[str]) -> None:
        self.what = what
        self.key = key
        self.valid = sorted(valid)
        super().__init__(f"unknown {what} {key!r}; choose one of: {', '.join(self.valid)}")


class UnknownOccupation(IcapGraphError):
    """An occupation code (or name) is not in the loaded graph.

    ``suggestions`` holds ``(code, name)`` pairs of the closest matches.

    >>> str(UnknownOccupation("IDC3339", [("IDC3339-001v2", "網紅經紀人")]))
    "unknown occupation 'IDC3339'; did you mean: IDC3339-001v2 網紅經紀人"
    """

    def __init__(self, code: str, suggestions: Iterable[tuple[str, str]] = ()) -> None:
        self.code = code
        self.suggestions = list(suggestions)
        hint = ", ".join(f"{c} {n}" for c, n in self.suggestions)
        msg = f"unknown occupation {code!r}"
        super().__init__(f"{msg}; did you mean: {hint}" if hint else msg)


class AmbiguousOccupation(UnknownOccupation):
    """A name (or part of one) matches several occupations; ``candidates`` (also
    ``suggestions``, so that callers of :class:`UnknownOccupation` still list them) holds
    their ``(code, name)`` pairs.

    >>> print(AmbiguousOccupation("企劃", [("KMC2431-001v4", "媒體企劃人員"),
    ...                                    ("KMC2431-008v1", "網路行銷企劃主管")]))
    ... # doctest: +NORMALIZE_WHITESPACE
    ambiguous occupation '企劃': it matches KMC2431-001v4 媒體企劃人員,
    KMC2431-008v1 網路行銷企劃主管; give a code
    """

    def __init__(self, text: str, candidates: Iterable[tuple[str, str]]) -> None:
        self.code = text
        self.candidates = self.suggestions = list(candidates)
        listed = ", ".join(f"{c} {n}" for c, n in self.candidates)
        IcapGraphError.__init__(
            self, f"ambiguous occupation {text!r}: it matches {listed}; give a code")


class UnknownItem(IcapGraphError):
    """A knowledge / skill / attitude name matches no node after normalisation."""

    def __init__(self, name: str, suggestions: Iterable[str] = ()) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        hint = "、".join(self.suggestions)
        msg = f"unknown item {name!r}"
        super().__init__(f"{msg}; did you mean: {hint}" if hint else msg)


class AliasError(IcapGraphError):
    """A line of the aliases file is invalid (unknown kind, empty name, a cycle)."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}:{line}: {reason}")


class ExportError(IcapGraphError):
    """An export could not be written (the target is left untouched)."""


class CacheError(IcapGraphError):
    """A saved graph is corrupt or from another code version; callers rebuild."""


class NotKept(CacheError, AttributeError):
    """The lookup cache does not keep what a query asked of the graph (its edges, say):
    the command answers from the built graph instead. An AttributeError too, so that
    ``hasattr`` and ``getattr`` with a default behave as on an object without it."""


class QueryError(IcapGraphError):
    """A query failed: bad parameters, syntax error, refused write, or a time-out."""


class EngineUnavailable(IcapGraphError):
    """The embedded Cypher engine cannot start on this platform."""


class EngineConnectionError(IcapGraphError):
    """The embedded engine's server refused or dropped the connection (the engine restarts it)."""


class EngineTimeout(EngineConnectionError):
    """The embedded engine's server did not answer within the connection's time limit."""


class EngineReplyError(IcapGraphError):
    """The embedded engine's server answered a command with an error; the message is the
    server's text without its error code (``ERR``)."""


class Neo4jError(IcapGraphError):
    """Talking to a Neo4j server failed (connection, authentication, database, access)."""


class ProfileError(IcapGraphError):
    """A client profile cannot be built or matched: an unreadable items file, nothing
    resolved, data in the wrong shape."""


class CaseError(IcapGraphError):
    """A case file cannot be used: a name that exists or does not, a corrupt database
    or one written by a newer version (which is never overwritten)."""


class UsageError(IcapGraphError):
    """A command line that cannot be read: an unknown option, a missing value, a number
    out of its range (the message names the option and the range)."""
