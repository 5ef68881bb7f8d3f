"""``icapgraph``: the command-line entry point (argument wiring only).

``--data PATH`` (repeatable) and ``--json`` are accepted before or after the
subcommand. Errors of the project's family, and a command line argparse cannot
read (an unknown option, a number out of range), become one ``icapgraph: error:``
line on stderr and exit status 1; nothing else is caught, so a real bug still
shows its traceback in tests.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

# Importing the command modules registers their subcommands.
from cli import (  # noqa: F401
    cmd_case,
    cmd_cypher,
    cmd_graph,
    cmd_named,
    cmd_neo4j,
    cmd_parse,
    cmd_profile,
)
from cli.context import Context, default_data_paths
from cli.registry import COMMANDS
from loaders.errors import IcapGraphError, UsageError


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as :class:`UsageError` (one line, exit 1) instead of a
    usage block and exit 2; subcommand parsers are made of the same class."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def _add_common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # On subparsers the defaults are SUPPRESS so that a value given before the
    # subcommand is not overwritten by the subparser's default.
    # After the subcommand ``--data`` goes to a second list, joined to the first in main():
    # a subparser fills a namespace of its own, so one list would lose the earlier values.
    parser.add_argument(
        "--data",
        action="append",
        dest="data" if top else "data_after",
        metavar="PATH",
        default=None if top else argparse.SUPPRESS,
        help="a standard file or a folder of them (repeatable; default data/standards/)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="machine-readable JSON output",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="rebuild the graph instead of reading the cache",
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``icapgraph`` parser: every registered command, the common options before or
    after the subcommand.

    >>> args = build_parser().parse_args(["--data", "a", "gap", "X", "Y", "--data", "b"])
    >>> args.command, data_paths(args), args.json
    ('gap', ['a', 'b'], False)
    """
    parser = _Parser(
        prog="icapgraph",
        description="職能圖譜: explore iCAP competency standards as a knowledge graph.",
    )
    _add_common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for cmd in COMMANDS.values():
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        _add_common(p, top=False)
        cmd.configure(p)
        # A command with actions of its own (``case show``) takes the common options
        # after the action too.
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for nested in action.choices.values():
                    if "--json" not in nested._option_string_actions:
                        _add_common(nested, top=False)
    return parser


def _safe_streams() -> None:
    # A name that is not UTF-8 (or a lone surrogate read from a JSON escape) must never
    # stop the output with UnicodeEncodeError: it is written as a backslash escape.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def data_paths(args: argparse.Namespace) -> list[str]:
    """Every ``--data`` given, before the subcommand and after it, in order."""
    return [*(args.data or []), *(getattr(args, "data_after", None) or [])]


def main(argv: Sequence[str] | None = None) -> int:
    _safe_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        ctx = Context(
            data=data_paths(args) or default_data_paths(),
            as_json=args.json,
            use_cache=not args.no_cache,
        )
        return COMMANDS[args.command].run(args, ctx)
    except IcapGraphError as exc:
        print(f"icapgraph: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("icapgraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
