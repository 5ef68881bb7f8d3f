"""The command registry: each ``cli/cmd_*.py`` module registers its subcommands here.

Commands only wire arguments to library functions and print; the work lives in
``loaders``, ``graph`` and ``queries``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from cli.context import Context

Configure = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace, Context], int]


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Configure
    run: Run


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, configure: Configure | None = None) -> Callable[[Run], Run]:
    """Register ``run`` as subcommand ``name`` (decorator); a name is registered once.

    >>> "gap" in COMMANDS or True  # filled when cli.main imports the command modules
    True
    >>> command("x-demo", "a demo")(lambda args, ctx: 0) and COMMANDS.pop("x-demo").help
    'a demo'
    """

    def deco(run: Run) -> Run:
        if name in COMMANDS:
            raise RuntimeError(f"command {name!r} registered twice")
        COMMANDS[name] = Command(name, help, configure or (lambda p: None), run)
        return run

    return deco
