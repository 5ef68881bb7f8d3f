"""``icapgraph case list | show NAME | save NAME … | rename OLD NEW | delete NAME |
report NAME -o PATH`` — case files (:mod:`cases.store`) on the command line.

``save`` takes the profile and match options of ``match`` plus ``--target`` (the
client's chosen occupations), ``--note`` and ``--replace``. The database is
``$ICAPGRAPH_HOME/cases.sqlite3`` or the user's data folder's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from cases.store import Case, CaseStore
from cli.cmd_profile import add_profile_options, built, options_from_args, spec_from_args
from cli.context import Context
from cli.registry import command
from cli.table import table
from queries.match import MatchOptions, explain_target
from queries.occupations import resolve
from queries.profile import ProfileSpec, profile_json


def _configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("list", help="the saved cases, most recent first")
    show = sub.add_parser("show", help="one case: its profile, targets and their match")
    show.add_argument("name")
    save = sub.add_parser("save", help="save a profile with targets and notes as a case")
    save.add_argument("name")
    add_profile_options(save)
    save.add_argument("--target", action="append", default=[], metavar="CODE_OR_NAME",
                      help="an occupation the client aims for (repeatable)")
    save.add_argument("--note", default="", help="the counsellor's notes")
    save.add_argument("--replace", action="store_true", help="overwrite a case of that name")
    rename = sub.add_parser("rename", help="rename a case")
    rename.add_argument("name")
    rename.add_argument("new_name")
    delete = sub.add_parser("delete", help="delete a case and wipe it from the database file")
    delete.add_argument("name")
    report = sub.add_parser("report", help="the client's report: printable HTML or .xlsx")
    report.add_argument("name")
    report.add_argument("-o", "--output", required=True, type=Path, metavar="PATH",
                        help="a .html or .xlsx file")


@command("case", "client case files: list, show, save, rename, delete, report", _configure)
def run_case(args: argparse.Namespace, ctx: Context) -> int:
    store = CaseStore()
    action = args.action
    if action == "list":
        cases = store.list()
        rows = [(c.name, c.targets, c.updated.replace("T", " ")[:16], c.note[:30])
                for c in cases]
        ctx.emit([{"name": c.name, "targets": c.targets, "updated": c.updated, "note": c.note}
                  for c in cases],
                 "\n".join(table(("個案", "目標", "更新時間", "備註"), rows)) if rows
                 else f"（沒有個案：{store.path}）")
        return 0
    if action == "save":
        G = ctx.graph()
        spec = spec_from_args(args)
        built(G, spec)  # refuse a case whose profile holds nothing
        targets = tuple(resolve(G, t) for t in args.target)
        saved = store.save(Case(args.name, spec.to_json(), targets, args.note,
                                options_from_args(args).to_json(),
                                str(G.graph.get("content_key", ""))),
                           replace_existing=args.replace)
        ctx.emit(saved.to_json(), f"saved case {saved.name!r} ({store.path})")
        return 0
    if action == "rename":
        store.rename(args.name, args.new_name)
        ctx.emit({"name": args.new_name}, f"renamed {args.name!r} to {args.new_name!r}")
        return 0
    if action == "delete":
        wiped = store.delete(args.name)
        if not wiped:
            print("icapgraph: warning: another program has the case database open; the "
                  "deleted case's pages are wiped when it closes", file=sys.stderr)
        ctx.emit({"deleted": args.name}, f"deleted case {args.name!r}")
        return 0
    case = store.get(args.name)
    G = ctx.graph()
    profile = built(G, ProfileSpec.from_json(case.profile))
    if action == "show":
        explained = [explain_target(G, profile, code) for code in case.targets]
        lines = [f"{case.name}  （更新 {case.updated}）", f"備註：{case.note or '—'}",
                 f"職能 {len(profile.items)} 項；過去職業："
                 + ("、".join(j.name for j in profile.occupations) or "—")]
        lines += [f"目標：{t['name']}  分數 {t['score']:.3f}  可信度 {t['confidence']}  "
                  f"已具備 {len(t['covered'])}、相近 {len(t['partly'])}、需補強 "
                  f"{len(t['missing'])}" for t in explained]
        ctx.emit({"case": case.to_json(), "profile": profile_json(G, profile),
                  "targets": explained}, "\n".join(lines))
        return 0
    from reports.case_data import case_report
    from reports.writers import write_report

    data = case_report(G, case.name, case.note, profile, case.targets,
                       MatchOptions.from_json(case.options), dt.date.today().isoformat())
    written = write_report(data, args.output)
    ctx.emit({"case": case.name, "file": str(written)}, f"wrote {written}")
    return 0
