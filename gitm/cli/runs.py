"""`gitm report RUN` (a run's summary and milestone timeline) and `gitm runs` (past runs)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.table import Table

from gitm.record.dashboard import outcome_style
from gitm.record.recorder import BadRecordError, list_runs, load_summary, runs_dir
from gitm.record.report import _console, find_run, print_report, warn_skipped


def cmd_report(args: argparse.Namespace) -> int:
    run_dir = find_run(args.run, args.data_dir)
    if args.json:
        print(json.dumps(load_summary(run_dir), indent=1))
        return 0
    print_report(run_dir, show_all=args.all)
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    runs = list_runs(args.data_dir)
    if args.limit:
        runs = runs[-args.limit:]
    summaries = []
    for r in runs:
        try:
            summaries.append(load_summary(r))
        except BadRecordError as e:  # named in one line; one bad record must not hide the others
            warn_skipped(e)
    if args.json:
        print(json.dumps(summaries, indent=1))
        return 0
    console = _console()
    if not summaries:
        console.print(f"no runs in {runs_dir(args.data_dir)}")
        return 0
    t = Table(title=f"runs in {runs_dir(args.data_dir)}", title_justify="left")
    for col, just in (("run", "left"), ("goal", "left"), ("seed", "right"), ("planner", "left"),
                      ("outcome", "left"), ("ticks", "right"), ("wall s", "right"), ("reason", "left")):
        t.add_column(col, justify=just, overflow="fold" if col == "run" else "ellipsis",
                     max_width=48 if col == "reason" else None)
    for s in summaries:
        style = outcome_style(s.get("outcome", ""))
        t.add_row(Path(s.get("run_dir", "?")).name, f"{s.get('count', 1)} {s.get('item') or s.get('goal', '?')}",
                  str(s.get("seed", "")), str(s.get("planner") or ""), f"[{style}]{s.get('outcome')}[/{style}]",
                  str(s.get("ticks", "")), f"{s.get('wall_s', 0):.0f}", s.get("reason") or "")
    console.print(t)
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    data_help = "gitm's data folder (default: $GITM_DATA_DIR, else $XDG_DATA_HOME/gitm, else ~/.local/share/gitm)"
    p = sub.add_parser("report", help="print a run's summary and milestone timeline")
    p.add_argument("run", nargs="?", default="last", help="run folder, its name (or part of it), or 'last' (default)")
    p.add_argument("--data-dir", default=None, help=data_help)
    p.add_argument("--all", action="store_true", help="every first-obtained item, not only the key ones")
    p.add_argument("--json", action="store_true", help="print summary.json")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("runs", help="list past runs")
    p.add_argument("--data-dir", default=None, help=data_help)
    p.add_argument("--limit", type=int, default=0, help="only the last N runs")
    p.add_argument("--json", action="store_true", help="print the summaries as JSON")
    p.set_defaults(handler=cmd_runs)
