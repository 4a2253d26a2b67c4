"""`gitm run GOAL`: one episode with the live dashboard (or plain lines) and a run record."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gitm.agent.episode import PLANNERS, parse_server, run_episode
from gitm.cli.server import add_difficulty_flag, add_start_time_flag
from gitm.errors import GitmError
from knowledge.facts import MAX_COUNT
from memory_store.data_dir import file_error


def add_run_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("goal", nargs="?", default="ObtainDiamond", help="item or GITM goal (default ObtainDiamond)")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--planner", choices=PLANNERS, default=None,
                   help="knowledge: the scripted executor (no LLM needed); llm: the LLM plans each sub-goal "
                   "(default: llm when an LLM endpoint is configured, else knowledge; with none configured, "
                   "llm starts the local model)")
    p.add_argument("--seed", type=int, default=1, help="world seed of the embedded server")
    add_difficulty_flag(p, default=None)  # None: peaceful on the embedded world; another server keeps its own
    add_start_time_flag(p)
    p.add_argument("--max-ticks", type=int, default=12000, help="game ticks allowed (20 a second; default 12000)")
    p.add_argument("--max-wall", type=float, default=None, help="wall-clock seconds allowed (default: none)")
    p.add_argument("--server", default="embedded", help="'embedded' (start one) or HOST:PORT of a running server")
    p.add_argument("--username", default="gitm")
    p.add_argument("--json", dest="json_out", default=None, metavar="PATH", help="write the run report as JSON")
    p.add_argument("--quiet", action="store_true", help="do not print every action")
    p.add_argument("--no-dashboard", action="store_true", help="plain timestamped lines even on a terminal")
    p.add_argument("--data-dir", default=None, help="where run records and plan memory go (default: "
                   "$GITM_DATA_DIR, else $XDG_DATA_HOME/gitm, else ~/.local/share/gitm)")
    p.add_argument("--no-memory", action="store_true", help="neither use nor store successful sub-goal plans")
    p.add_argument("--no-knowledge", action="store_true", help="llm: prompts without knowledge sentences")
    p.add_argument("--no-feedback", action="store_true", help="llm: re-plans without the last plan's feedback")
    p.add_argument("--reference", choices=("memory", "scripted"), default="memory",
                   help="llm: where a sub-goal's reference plan comes from: plan memory only (default, as in GITM), "
                   "or memory else the scripted knowledge planner's actions (a comparison condition)")
    from gitm.llm.config import add_llm_flags
    from gitm.llm.planner import DEFAULT_MAX_QUERIES

    p.add_argument("--llm-max-queries", type=int, default=DEFAULT_MAX_QUERIES, metavar="N",
                   help=f"llm: queries per sub-goal, over all its attempts (default {DEFAULT_MAX_QUERIES})")
    add_llm_flags(p)
    p.add_argument("--llm-url", dest="llm_base_url", metavar="URL", help="alias of --llm-base-url")
    p.add_argument("--model", dest="llm_model", metavar="NAME", help="alias of --llm-model")


def check_limits(count: int | None = None, max_ticks: int | None = None, max_wall: float | None = None,
                 wall_flag: str = "--max-wall") -> None:
    """Counts and budgets a run can use, checked before any world starts (a budget of 0 would start a world only
    to report it out of time): one line naming the flag and its limits."""
    if count is not None and not 1 <= count <= MAX_COUNT:
        raise GitmError(f"--count must be from 1 to {MAX_COUNT} (36 slots of 64: all a player can hold), not {count}")
    if max_ticks is not None and max_ticks < 1:
        raise GitmError(f"--max-ticks must be at least 1 game tick (20 a second), not {max_ticks}")
    if max_wall is not None and not max_wall > 0:  # `not >` also refuses nan
        raise GitmError(f"{wall_flag} must be more than 0 seconds, not {max_wall:g}")


def cmd_run(args: argparse.Namespace) -> int:
    from gitm.record.dashboard import make_display
    from gitm.record.events import EventBus
    from gitm.record.recorder import RunRecorder, interrupt_wins, stop_signals_as_interrupt
    from gitm.record.results import RunResults

    check_limits(args.count, args.max_ticks, args.max_wall)  # a bad value is one line, without a run record
    if args.server != "embedded":
        parse_server(args.server)
    results = RunResults()
    recorder = RunRecorder(args.goal, seed=args.seed, data_dir=args.data_dir, results=results)
    display = None if args.quiet else make_display(no_dashboard=args.no_dashboard)
    try:  # the events print the actions (dashboard or plain lines); the record is written on every exit path
        with stop_signals_as_interrupt(), EventBus([results, recorder, display]) as bus, interrupt_wins():
            run_episode(args.goal, count=args.count, planner=args.planner, seed=args.seed, max_ticks=args.max_ticks,
                        max_wall=args.max_wall, server=args.server, username=args.username,
                        log_path=recorder.server_log_path, emit=bus.emit, llm_flags=args, memory=not args.no_memory,
                        data_dir=args.data_dir, use_knowledge=not args.no_knowledge,
                        use_feedback=not args.no_feedback, llm_max_queries=args.llm_max_queries,
                        reference=args.reference, difficulty=args.difficulty, start_time=args.start_time,
                        world_dir=recorder.dir / "world")
    except KeyboardInterrupt:
        print(f"interrupted; run record: {recorder.dir}", file=sys.stderr)
        return 130
    except Exception as e:  # gitm.cli.main prints the error as one line, with its notes: where the record is
        e.add_note(f"run record: {recorder.dir}")
        raise
    if results.outcome == "interrupted":
        print(f"interrupted; run record: {recorder.dir}", file=sys.stderr)
        return 130
    print(f"{results.one_line()}; record: {recorder.dir}")
    if args.json_out:
        try:
            Path(args.json_out).write_text(json.dumps(recorder.summary(), indent=2))
        except OSError as e:
            raise file_error(e, args.json_out, f"--json {args.json_out}") from None
    return 0 if results.success else 1


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run the agent on a goal in a world (default: the embedded server)")
    add_run_arguments(p)
    p.set_defaults(handler=cmd_run)
