"""`gitm run GOAL --planner knowledge --seed S`: start (or join) a world, spawn the bot, play until done."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gitm.errors import GitmError

PLANNERS = ("knowledge",)


def add_run_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("goal", nargs="?", default="ObtainDiamond", help="item or GITM goal (default ObtainDiamond)")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--planner", choices=PLANNERS, default="knowledge",
                   help="knowledge: the scripted executor (default; no LLM needed)")
    p.add_argument("--seed", type=int, default=1, help="world seed of the embedded server")
    p.add_argument("--max-ticks", type=int, default=12000, help="game ticks allowed (20 a second; default 12000)")
    p.add_argument("--max-wall", type=float, default=None, help="wall-clock seconds allowed (default: none)")
    p.add_argument("--server", default="embedded", help="'embedded' (start one) or HOST:PORT of a running server")
    p.add_argument("--username", default="gitm")
    p.add_argument("--json", dest="json_out", default=None, metavar="PATH", help="write the run report as JSON")
    p.add_argument("--quiet", action="store_true", help="do not print every action")
    p.add_argument("--no-dashboard", action="store_true", help="plain timestamped lines even on a terminal")
    p.add_argument("--data-dir", default=None, help="where run records go (default: $GITM_DATA_DIR, else "
                   "$XDG_DATA_HOME/gitm, else ~/.local/share/gitm)")


def run_episode(goal: str = "ObtainDiamond", *, count: int = 1, planner: str = "knowledge", seed: int = 1,
                max_ticks: int = 12000, max_wall: float | None = None, server: str = "embedded",
                username: str = "gitm", quiet: bool = False, log_path: Path | None = None,
                emit: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    from bot_bridge.body import Body
    from bot_bridge.server import EmbeddedServer
    from gitm.decomposer import decompose
    from gitm.events import Message, RunFinished, RunStarted
    from gitm.executor import KnowledgeExecutor

    if planner != "knowledge":
        raise GitmError(f"unknown planner {planner!r}; available: {', '.join(PLANNERS)}")
    echo = None if quiet else (lambda s: print(s, flush=True))
    emit = emit or (lambda ev: None)
    plan = decompose(goal, count)
    emit(RunStarted(goal=goal, count=count, item=plan.goal, seed=seed, planner=planner, server=server,
                    username=username, max_ticks=max_ticks, plan=plan.to_json(),
                    server_log=str(log_path) if log_path and server == "embedded" else None))
    t0 = time.monotonic()
    srv = None
    if server == "embedded":
        emit(Message(text=f"starting the embedded server (seed {seed})"))
        srv = EmbeddedServer(seed=seed, op=False, log_path=log_path).start()
        host, port = "127.0.0.1", srv.port
    else:
        host, _, port_text = server.rpartition(":")
        if not host or not port_text.isdigit():
            raise GitmError(f"--server must be 'embedded' or HOST:PORT, not {server!r}")
        port = int(port_text)
    try:
        emit(Message(text=f"connecting {username} to {host}:{port}"))
        body = Body(port, host=host, username=username).connect()
        try:
            ex = KnowledgeExecutor(body, goal, count, max_ticks=max_ticks, max_wall_s=max_wall, echo=echo, emit=emit)
            report = ex.run().to_json()
        finally:
            body.close()
    finally:
        if srv is not None:
            srv.stop()
    report.update(seed=seed, planner=planner, max_ticks=max_ticks, total_wall_s=round(time.monotonic() - t0, 1))
    outcome = ("success" if report["success"] else "interrupted" if report.get("outcome") == "interrupted"
               else "timeout" if report["reason"].startswith("out of time") else "failure")
    emit(RunFinished(outcome=outcome, reason=report["reason"], inventory=report.get("final_inventory"),
                     tick=report.get("ticks")))
    return report


def cmd_run(args: argparse.Namespace) -> int:
    from gitm.dashboard import make_display
    from gitm.events import EventBus
    from gitm.run_record import RunRecorder, stop_signals_as_interrupt

    recorder = RunRecorder(args.goal, seed=args.seed, data_dir=args.data_dir)
    display = None if args.quiet else make_display(no_dashboard=args.no_dashboard)
    try:  # the events print the actions (dashboard or plain lines); the record is written on every exit path
        with stop_signals_as_interrupt(), EventBus([recorder, display]) as bus:
            report = run_episode(args.goal, count=args.count, planner=args.planner, seed=args.seed,
                                 max_ticks=args.max_ticks, max_wall=args.max_wall, server=args.server,
                                 username=args.username, quiet=True, log_path=recorder.server_log_path, emit=bus.emit)
    except KeyboardInterrupt:
        print(f"interrupted; run record: {recorder.dir}", file=sys.stderr)
        return 130
    report["run_dir"] = str(recorder.dir)
    if report.get("outcome") == "interrupted":
        print(f"interrupted; run record: {recorder.dir}", file=sys.stderr)
        return 130
    ms = ", ".join(f"{k}@{v}" for k, v in report["milestones"].items())
    status = "SUCCESS" if report["success"] else "FAILED"
    print(f"{status}: {report['reason']}; {report['ticks']} ticks, {report['wall_s']} s, "
          f"{report['actions']} actions; milestones: {ms or 'none'}; record: {recorder.dir}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=2))
    return 0 if report["success"] else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="gitm run")
    add_run_arguments(p)
    return cmd_run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
