"""``icapgraph parse PATH...``: load standards and print what was read, with its warnings."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cli.context import Context
from cli.registry import command

if TYPE_CHECKING:
    from loaders.records import Standard


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="standard files (.txt, .json) or folders of them (default: the --data paths)",
    )


def _summary(std: Standard) -> str:
    counts = (
        f"duties={len(std.duties)} tasks={len(std.tasks)} K={len(std.knowledge)}"
        f" S={len(std.skills)} A={len(std.attitudes)} warnings={len(std.warnings)}"
    )
    marks = (("historical", std.historical), ("older version", not std.latest))
    flags = "".join(f" [{flag}]" for flag, on in marks if on)
    lines = [f"{std.code}\t{std.name}\t{counts}{flags}\t{std.source.path}"]
    lines.extend(f"    {w}" for w in std.warnings)
    return "\n".join(lines)


@command("parse", "read standard files and print their contents (--json) or a summary", _configure)
def run(args: argparse.Namespace, ctx: Context) -> int:
    """Exit status 1 when any file failed to load (one stderr line each), else 0."""
    from loaders.corpus import load_corpus
    from loaders.shape import standard_to_json

    corpus = load_corpus(args.paths or ctx.data)
    own = {id(w) for std in corpus.standards for w in std.warnings}
    corpus_level = [w for w in corpus.warnings if id(w) not in own]
    if ctx.as_json:
        ctx.emit([standard_to_json(std) for std in corpus.standards])
        for w in corpus_level:
            print(f"icapgraph: warning: {w}", file=sys.stderr)
    else:
        text = [_summary(std) for std in corpus.standards]
        text.extend(f"warning: {w}" for w in corpus_level)
        text.append(
            f"{len(corpus.standards)} standards, {len(corpus.warnings)} warnings,"
            f" {len(corpus.failures)} failed"
        )
        ctx.emit(None, "\n".join(text))
    for failure in corpus.failures:
        print(f"icapgraph: error: {failure}", file=sys.stderr)
    return 1 if corpus.failures else 0
