"""`gitm memory list|show SUBGOAL|clear|export FILE|import FILE`: look into and move the plan memory.

The memory lives in ``--data-dir`` (else $GITM_DATA_DIR, else $XDG_DATA_HOME/gitm, else ~/.local/share/gitm),
folder ``memory/``. Wire it into a parser with :func:`add_memory_parser`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def _open(args: argparse.Namespace):
    from memory_store import PlanMemory

    memory = PlanMemory.open_default(getattr(args, "data_dir", None))
    if memory.warning:  # a corrupt store was moved aside: `clear` and the rest work on the fresh one
        print(f"warning: {memory.warning}", file=sys.stderr)
    return memory


def _fmt_actions(actions: list[dict[str, Any]]) -> str:
    parts = []
    for a in actions:
        args = ", ".join(f"{k}={v}" for k, v in (a.get("args") or {}).items())
        parts.append(f"{a['name']}({args})")
    return " -> ".join(parts) if parts else "(no actions)"


def cmd_list(args: argparse.Namespace) -> int:
    mem = _open(args)
    counts = mem.subgoals()
    summarized = {p.subgoal: p for p in mem.summaries()}
    if args.json:
        print(json.dumps([{"subgoal": s, "successes": n, "summary": s in summarized} for s, n in counts.items()]))
        return 0
    if not counts:
        print(f"The memory at {mem.path} is empty.")
        return 0
    width = max(len(s) for s in counts)
    for s, n in counts.items():
        mark = "  [reference plan]" if s in summarized else ""
        print(f"{s:<{width}}  {n:>4} success{'es' if n != 1 else ''}{mark}")
    print(f"{len(counts)} sub-goals, {sum(counts.values())} successes ({mem.path})")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    mem = _open(args)
    records = mem.records(args.subgoal)
    ref = mem.reference_plan(args.subgoal)
    if args.json:
        out = {
            "subgoal": args.subgoal,
            "reference_plan": ref.to_dict() if ref else None,
            "records": [r.to_dict() for r in records],
        }
        print(json.dumps(out, default=str))
        return 0
    if ref is None:
        print(f"Nothing in memory for '{args.subgoal}'.")
        return 1
    if ref.source == "nearest":
        print(f"No success stored for '{args.subgoal}'. Nearest: '{ref.matched_subgoal}' "
              f"(cosine distance {ref.distance:.3f}, {ref.successes} successes)")
    else:
        how = "most recent success"
        if ref.source == "summary":
            how = f"summary of {ref.successes} successes, {ref.method}"
        print(f"{ref.matched_subgoal}: reference plan ({how})")
    print(f"  {_fmt_actions(ref.actions)}")
    for r in records:
        ctx = ", ".join(f"{k}={v}" for k, v in r.context.items())
        ticks = f", {r.ticks} ticks" if r.ticks is not None else ""
        print(f"- {r.id[:8]}{ticks}: {_fmt_actions(r.actions)}" + (f"   [{ctx}]" if ctx else ""))
    return 0


def cmd_clear(args: argparse.Namespace) -> int:
    mem = _open(args)
    n = mem.count()
    if not args.yes:
        if not sys.stdin.isatty():
            print(f"Not clearing {n} successes in {mem.path} without --yes (no terminal to ask).", file=sys.stderr)
            return 1
        answer = input(f"Forget {n} successes in {mem.path}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Kept.")
            return 1
    mem.clear()
    print(f"Cleared {n} successes from {mem.path}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from memory_store.data_dir import file_error

    memory = _open(args)
    try:
        n = memory.export(args.file)
    except OSError as e:
        raise file_error(e, args.file, f"FILE {args.file}") from None
    print(f"Exported {n} lines to {args.file}.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    if not Path(args.file).is_file():
        print(f"No such file: {args.file}", file=sys.stderr)
        return 2
    try:
        n = _open(args).import_(args.file)
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    print(f"Imported {n} lines from {args.file}.")
    return 0


def add_parsers(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `memory` verb (handlers set as `handler`, each `handler(args) -> exit code`)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", default=argparse.SUPPRESS,
        help="gitm's data folder (default: $GITM_DATA_DIR, else $XDG_DATA_HOME/gitm, else ~/.local/share/gitm)",
    )
    p = subparsers.add_parser("memory", help="list, show, clear, export or import the plan memory", parents=[common])
    sub = p.add_subparsers(dest="memory_verb", required=True, metavar="ACTION")
    s = sub.add_parser("list", help="sub-goals with their number of successes", parents=[common])
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_list)
    s = sub.add_parser("show", help="the reference plan and the successes of a sub-goal", parents=[common])
    s.add_argument("subgoal", help="e.g. 'mine iron_ore'")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_show)
    s = sub.add_parser("clear", help="forget everything", parents=[common])
    s.add_argument("-y", "--yes", action="store_true", help="do not ask")
    s.set_defaults(handler=cmd_clear)
    s = sub.add_parser("export", help="write the memory as JSON lines", parents=[common])
    s.add_argument("file")
    s.set_defaults(handler=cmd_export)
    s = sub.add_parser("import", help="add the records of an export", parents=[common])
    s.add_argument("file")
    s.set_defaults(handler=cmd_import)
    return p

