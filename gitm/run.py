"""`gitm run GOAL --planner knowledge --seed S`: start (or join) a world, spawn the bot, play until done."""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gitm.errors import GitmError

PLANNERS = ("knowledge", "llm")


def add_run_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("goal", nargs="?", default="ObtainDiamond", help="item or GITM goal (default ObtainDiamond)")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--planner", choices=PLANNERS, default=None,
                   help="knowledge: the scripted executor (no LLM needed); llm: the LLM plans each sub-goal "
                   "(default: llm when an LLM endpoint is configured, else knowledge; with none configured, "
                   "llm starts the local model)")
    p.add_argument("--seed", type=int, default=1, help="world seed of the embedded server")
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
    from gitm.llm_config import add_llm_flags
    from gitm.llm_planner import DEFAULT_MAX_QUERIES

    p.add_argument("--llm-max-queries", type=int, default=DEFAULT_MAX_QUERIES, metavar="N",
                   help=f"llm: queries per sub-goal, over all its attempts (default {DEFAULT_MAX_QUERIES})")
    add_llm_flags(p)
    p.add_argument("--llm-url", dest="llm_base_url", metavar="URL", help="alias of --llm-base-url")
    p.add_argument("--model", dest="llm_model", metavar="NAME", help="alias of --llm-model")


def parse_server(text: str) -> tuple[str, int]:
    """--server's HOST:PORT, or [IPv6]:PORT, as (host, port); a GitmError of one line otherwise."""
    usage = f"--server must be 'embedded', HOST:PORT or [IPv6]:PORT, not {text!r}"
    if text.startswith("["):
        bracketed = re.fullmatch(r"\[([^\]]*)\]:([^:]*)", text)
        if not bracketed:
            raise GitmError(f"{usage}: the port goes after the brackets")
        host, port_text = bracketed.groups()
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise GitmError(f"{usage}: brackets hold an IPv6 address") from None
    else:
        host, _, port_text = text.rpartition(":")
        if ":" in host:  # an unbracketed IPv6 address: its last group could be the port
            raise GitmError(f"{usage}: put an IPv6 address in brackets, e.g. [::1]:25565")
        if not host or re.search(r"[\s\[\]/]", host):
            raise GitmError(usage)
    if not re.fullmatch(r"\d{1,5}", port_text, re.ASCII) or not 0 < int(port_text) < 65536:
        raise GitmError(f"{usage}: the port must be a number from 1 to 65535")
    return host, int(port_text)


def default_planner(llm_flags: Any = None) -> str:
    """llm when an endpoint is configured (flag, environment or config file), else knowledge."""
    from gitm.llm_config import load_settings

    return "llm" if load_settings(llm_flags).base_url else "knowledge"


def run_episode(goal: str = "ObtainDiamond", *, count: int = 1, planner: str = "knowledge", seed: int = 1,
                max_ticks: int = 12000, max_wall: float | None = None, server: str = "embedded",
                username: str = "gitm", quiet: bool = False, log_path: Path | None = None,
                emit: Callable[[Any], Any] | None = None, llm_flags: Any = None, memory: bool = True,
                data_dir: str | Path | None = None, use_knowledge: bool = True, use_feedback: bool = True,
                llm_max_queries: int | None = None) -> dict[str, Any]:
    from bot_bridge.body import Body
    from bot_bridge.server import EmbeddedServer
    from gitm.decomposer import decompose
    from gitm.events import Message, RunFinished, RunStarted
    from gitm.llm_run import PlanningExecutor, check_endpoint, open_memory

    planner = planner or default_planner(llm_flags)
    if planner not in PLANNERS:
        raise GitmError(f"unknown planner {planner!r}; available: {', '.join(PLANNERS)}")
    address = None if server == "embedded" else parse_server(server)  # before anything is started
    echo = None if quiet else (lambda s: print(s, flush=True))
    emit = emit or (lambda ev: None)
    plan = decompose(goal, count)
    t0 = time.monotonic()
    mem = open_memory(data_dir) if memory else None
    stack = contextlib.ExitStack()
    llm, model = None, None
    if planner == "llm":
        from gitm.llm_config import load_settings
        from gitm.llm_planner import TickBudget, llm_planner_session

        settings = load_settings(llm_flags)
        if settings.base_url:
            check_endpoint(settings)
        else:
            emit(Message(text="no LLM endpoint configured: starting the local model"))
        caps = {"max_queries": llm_max_queries} if llm_max_queries else {}
        llm = stack.enter_context(llm_planner_session(llm_flags, ticks=TickBudget(max_ticks), **caps,
                                                      use_knowledge=use_knowledge, use_feedback=use_feedback))
        model = getattr(getattr(llm.client, "settings", None), "model", None)
    emit(RunStarted(goal=goal, count=count, item=plan.goal, seed=seed, planner=planner, model=model, server=server,
                    username=username, max_ticks=max_ticks, plan=plan.to_json(),
                    server_log=str(log_path) if log_path and server == "embedded" else None,
                    extra={"memory": memory, "knowledge": use_knowledge, "feedback": use_feedback}))
    srv = None
    if server == "embedded":
        emit(Message(text=f"starting the embedded server (seed {seed})"))
        srv = EmbeddedServer(seed=seed, op=False, log_path=log_path).start()
        host, port = "127.0.0.1", srv.port
    else:
        host, port = address
    try:
        emit(Message(text=f"connecting {username} to {host}:{port}"))
        body = Body(port, host=host, username=username).connect()
        try:
            ex = PlanningExecutor(body, goal, count, planner=llm, memory=mem, seed=seed, max_ticks=max_ticks,
                                  max_wall_s=max_wall, echo=echo, emit=emit)
            report = ex.run().to_json()
        finally:
            body.close()
    finally:
        if srv is not None:
            srv.stop()
        stack.close()
    report.update(seed=seed, planner=planner, max_ticks=max_ticks, total_wall_s=round(time.monotonic() - t0, 1),
                  memory_stored=ex.stored if memory else None)
    if llm is not None:
        report["llm"] = ex.llm.to_json() | {"model": model}
    outcome = ("success" if report["success"] else "interrupted" if report.get("outcome") == "interrupted"
               else "timeout" if report["reason"].startswith("out of time") else "failure")
    emit(RunFinished(outcome=outcome, reason=report["reason"], inventory=report.get("final_inventory"),
                     tick=report.get("ticks")))
    return report


def cmd_run(args: argparse.Namespace) -> int:
    from gitm.dashboard import make_display
    from gitm.events import EventBus
    from gitm.run_record import RunRecorder, stop_signals_as_interrupt

    if args.server != "embedded":
        parse_server(args.server)  # a typo is one line, without a run record
    recorder = RunRecorder(args.goal, seed=args.seed, data_dir=args.data_dir)
    display = None if args.quiet else make_display(no_dashboard=args.no_dashboard)
    try:  # the events print the actions (dashboard or plain lines); the record is written on every exit path
        with stop_signals_as_interrupt(), EventBus([recorder, display]) as bus:
            report = run_episode(args.goal, count=args.count, planner=args.planner, seed=args.seed,
                                 max_ticks=args.max_ticks, max_wall=args.max_wall, server=args.server,
                                 username=args.username, quiet=True, log_path=recorder.server_log_path, emit=bus.emit,
                                 llm_flags=args, memory=not args.no_memory, data_dir=args.data_dir,
                                 use_knowledge=not args.no_knowledge, use_feedback=not args.no_feedback,
                                 llm_max_queries=args.llm_max_queries)
    except KeyboardInterrupt:
        print(f"interrupted; run record: {recorder.dir}", file=sys.stderr)
        return 130
    except Exception as e:  # gitm.cli.main prints the error as one line, with its notes: where the record is
        e.add_note(f"run record: {recorder.dir}")
        raise
    report["run_dir"] = str(recorder.dir)
    if report.get("outcome") == "interrupted":
        print(f"interrupted; run record: {recorder.dir}", file=sys.stderr)
        return 130
    ms = ", ".join(f"{k}@{v}" for k, v in report["milestones"].items())
    status = "SUCCESS" if report["success"] else "FAILED"
    print(f"{status}: {report['reason']}; {report['ticks']} ticks, {report['wall_s']} s, "
          f"{report['actions']} actions; milestones: {ms or 'none'}{_llm_text(report)}; record: {recorder.dir}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=2))
    return 0 if report["success"] else 1


def _llm_text(report: dict[str, Any]) -> str:
    u = report.get("llm")
    if not u:
        return ""
    return (f"; llm {u['calls']} calls ({u['invalid']} invalid), {u['prompt_tokens']}+{u['completion_tokens']} "
            f"tokens, {u['seconds']} s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="gitm run")
    add_run_arguments(p)
    return cmd_run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
