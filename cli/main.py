"""``icapgraph``: the command-line entry point (argument wiring only).

``--data PATH`` (repeatable) and ``--json`` are accepted before or after the
subcommand. Errors of the project's family, and a command line argparse cannot
read (an unknown option, a number out of range), become one ``icapgraph: error:``
line on stderr and exit status 1; nothing else is caught, so a real bug still
shows its traceback in tests.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from cli.context import Context, default_data_paths
from cli.registry import COMMANDS
from loaders.errors import IcapGraphError, UsageError

#: The module that registers each subcommand (importing it registers them), in the order
#: ``--help`` lists them. A command line naming one of these imports that module only, not
#: all seven (~50 ms of every lookup command); any other (``--help``, a name not here)
#: imports every module. tests/test_cli_main.py checks this table against the registry.
COMMAND_MODULES: dict[str, str] = {
    "resolve": "cli.cmd_profile", "match": "cli.cmd_profile", "case": "cli.cmd_case",
    "cypher": "cli.cmd_cypher", "build": "cli.cmd_graph", "stats": "cli.cmd_graph",
    "item": "cli.cmd_graph", "search": "cli.cmd_graph", "export": "cli.cmd_graph",
    "clusters": "cli.cmd_named", "gap": "cli.cmd_named", "hubs": "cli.cmd_named",
    "overlap": "cli.cmd_named", "pairwise": "cli.cmd_named", "path": "cli.cmd_named",
    "requirements": "cli.cmd_named", "transitions": "cli.cmd_named", "run": "cli.cmd_named",
    "queries": "cli.cmd_named", "neo4j": "cli.cmd_neo4j", "parse": "cli.cmd_parse",
}  # fmt: skip
_MODULES = ("cli.cmd_case", "cli.cmd_cypher", "cli.cmd_graph", "cli.cmd_named",
            "cli.cmd_neo4j", "cli.cmd_parse", "cli.cmd_profile")  # fmt: skip
# Top-level options that take a value (argparse also accepts their unambiguous prefixes).
_VALUED = ("--data",)


def named_command(argv: Sequence[str]) -> str | None:
    """The subcommand a command line names, when it names one of :data:`COMMAND_MODULES`
    before any ``--help``; else None.

    >>> named_command(["--data", "cypher", "--json", "cypher", "MATCH (n) RETURN n"])
    'cypher'
    >>> named_command(["--data=x", "gap", "A", "B"]), named_command(["-h", "gap"])
    ('gap', None)
    """
    expects_value = False
    for token in argv:
        if expects_value:
            expects_value = False
        elif token in ("-h", "--help") or token == "--":
            return None
        elif token.startswith("--") and "=" not in token:
            expects_value = any(option.startswith(token) for option in _VALUED)
        elif not token.startswith("-"):
            return token if token in COMMAND_MODULES else None
    return None


def register_commands(argv: Sequence[str] | None = None) -> None:
    """Import the module of the command ``argv`` names, or every command module."""
    name = named_command(argv) if argv is not None else None
    for module in [COMMAND_MODULES[name]] if name is not None else _MODULES:
        importlib.import_module(module)


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


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``icapgraph`` parser: every command (or only the one ``argv`` names, see
    :func:`register_commands`), the common options before or after the subcommand.

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
    register_commands(argv)
    order = list(COMMAND_MODULES)
    for cmd in sorted(COMMANDS.values(),
                      key=lambda c: order.index(c.name) if c.name in order else len(order)):
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
    parser = build_parser(sys.argv[1:] if argv is None else argv)
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
