"""One episode of `gitm run`: start (or join) a world, spawn the bot, choose the planner, run the loop."""

from __future__ import annotations

import contextlib
import ipaddress
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gitm.errors import GitmError
from gitm.record.events import Message, RunFinished, RunStarted

PLANNERS = ("knowledge", "llm")


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
    from gitm.llm.config import load_settings

    return "llm" if load_settings(llm_flags).base_url else "knowledge"


def run_episode(goal: str = "ObtainDiamond", *, count: int = 1, planner: str | None = "knowledge", seed: int = 1,
                max_ticks: int = 12000, max_wall: float | None = None, server: str = "embedded",
                username: str = "gitm", log_path: Path | None = None, emit: Callable[[Any], Any] | None = None,
                llm_flags: Any = None, memory: bool = True, data_dir: str | Path | None = None,
                use_knowledge: bool = True, use_feedback: bool = True,
                llm_max_queries: int | None = None, reference: str = "memory",
                difficulty: str | None = None, start_time: int | None = None,
                world_dir: Path | None = None) -> RunFinished:
    """One episode: the world (embedded, or `server` HOST:PORT), the bot, the planner and the run loop. Every step
    is an event passed to `emit` (fold them with gitm.record.results.RunResults); returns the run's end.
    The embedded world is frozen while the LLM thinks; another server's time runs on (the record says which).
    `difficulty` and `start_time` (time of day, ticks) are the embedded world's (default peaceful, 0: sunrise);
    another server keeps its own. The embedded world
    keeps its blocks and players in `world_dir` (default: a temporary folder), so a server that dies is started
    again where it was."""
    from bot_bridge.body import Body
    from bot_bridge.server import EmbeddedServer
    from gitm.agent.llm_agent import LLMSubgoalPlanner, check_endpoint, open_memory
    from gitm.agent.loop import Budget, RunLoop
    from gitm.agent.rules import RulePlanner
    from gitm.tree.decomposer import decompose

    planner = planner or default_planner(llm_flags)
    if planner not in PLANNERS:
        raise GitmError(f"unknown planner {planner!r}; available: {', '.join(PLANNERS)}")
    address = None if server == "embedded" else parse_server(server)  # before anything is started
    if address and (difficulty or start_time is not None):
        raise GitmError(f"{'--difficulty' if difficulty else '--start-time'} sets the embedded world's; "
                        "a server of your own keeps its own")
    difficulty = (difficulty or "peaceful") if server == "embedded" else None
    start_time = (start_time or 0) if server == "embedded" else None
    emit = emit or (lambda ev: None)
    plan = decompose(goal, count)
    mem = open_memory(data_dir, emit) if memory else None
    with contextlib.ExitStack() as stack:
        chosen: Any = RulePlanner()
        model = None
        if planner == "llm":
            from gitm.llm.config import load_settings
            from gitm.llm.planner import TickBudget, llm_planner_session

            settings = load_settings(llm_flags)
            if settings.base_url:
                check_endpoint(settings)
            else:
                emit(Message(text="no LLM endpoint configured: starting the local model"))
            caps = {"max_queries": llm_max_queries} if llm_max_queries else {}
            llm = stack.enter_context(llm_planner_session(llm_flags, ticks=TickBudget(max_ticks), **caps,
                                                          use_knowledge=use_knowledge, use_feedback=use_feedback))
            model = getattr(getattr(llm.client, "settings", None), "model", None)
            chosen = LLMSubgoalPlanner(llm, memory=mem, seed=seed, reference=reference)
        extra: dict[str, Any] = {"memory": memory, "knowledge": use_knowledge, "feedback": use_feedback}
        if planner == "llm":
            extra.update(reference=reference,
                         clock="frozen while thinking" if server == "embedded" else "runs while thinking")
        emit(RunStarted(goal=goal, count=count, item=plan.goal, seed=seed, planner=planner, model=model,
                        server=server, difficulty=difficulty, start_time=start_time, username=username,
                        max_ticks=max_ticks,
                        plan=plan.to_json(),
                        server_log=str(log_path) if log_path and server == "embedded" else None, extra=extra))
        if server == "embedded":
            emit(Message(text=f"starting the embedded server (seed {seed}, {difficulty}"
                              + (f", time of day {start_time})" if start_time else ")")))
            if world_dir is None:
                world_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gitm-world-")))
            srv = stack.enter_context(EmbeddedServer(seed=seed, op=False, log_path=log_path, difficulty=difficulty,
                                                     start_time=start_time, save_dir=world_dir))
            host, port, owned, gone = "127.0.0.1", srv.port, srv, srv.gone
        else:
            (host, port), owned, gone = address, None, None
        emit(Message(text=f"connecting {username} to {host}:{port}"))
        body = stack.enter_context(Body(port, host=host, username=username, server_gone=gone))
        loop = RunLoop(body, chosen, goal, count, Budget(max_ticks, max_wall), emit=emit, memory=mem, seed=seed,
                       clock=owned, world=owned)
        return loop.run()
