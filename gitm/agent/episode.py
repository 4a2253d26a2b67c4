"""`gitm run GOAL --planner knowledge --seed S`: start (or join) a world, spawn the bot, play until done."""

from __future__ import annotations

import contextlib
import ipaddress
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gitm.errors import GitmError

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


def run_episode(goal: str = "ObtainDiamond", *, count: int = 1, planner: str = "knowledge", seed: int = 1,
                max_ticks: int = 12000, max_wall: float | None = None, server: str = "embedded",
                username: str = "gitm", quiet: bool = False, log_path: Path | None = None,
                emit: Callable[[Any], Any] | None = None, llm_flags: Any = None, memory: bool = True,
                data_dir: str | Path | None = None, use_knowledge: bool = True, use_feedback: bool = True,
                llm_max_queries: int | None = None) -> dict[str, Any]:
    from bot_bridge.body import Body
    from bot_bridge.server import EmbeddedServer
    from gitm.agent.llm_agent import PlanningExecutor, check_endpoint, open_memory
    from gitm.plan.decomposer import decompose
    from gitm.record.events import Message, RunFinished, RunStarted

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







