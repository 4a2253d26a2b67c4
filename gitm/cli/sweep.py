"""`gitm sweep` (the agent once per item and seed) and `gitm bench` (the benchmark scripts)."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

from gitm.agent.episode import PLANNERS
from gitm.agent.sweep import RESULTS, SweepConfig, parse_items, run_sweep
from gitm.cli.run import check_limits
from gitm.cli.server import add_difficulty_flag, add_start_time_flag
from gitm.errors import GitmError
from gitm.record.recorder import runs_dir, stop_signals_as_interrupt
from memory_store.data_dir import chosen_by, make_dir, resolve_data_dir


def default_out(planner: str, data_dir: Path | None, difficulty: str = "peaceful") -> Path:
    name = f"sweep-{planner}" + ("" if difficulty == "peaceful" else f"-{difficulty}")  # peaceful: the older name
    return resolve_data_dir(data_dir) / "sweeps" / name


def cmd_sweep(args: argparse.Namespace) -> int:
    if args.seeds < 1 or args.workers < 1:
        raise GitmError("--seeds and --workers must be at least 1")
    check_limits(max_ticks=args.max_ticks, max_wall=args.task_timeout, wall_flag="--task-timeout")
    items = parse_items(args.items)
    data_dir = Path(args.data_dir).expanduser() if args.data_dir else None
    out = Path(args.out).expanduser() if args.out else default_out(args.planner, data_dir, args.difficulty)
    # both writable before any run starts (else every run would fail the same way): one line naming the flag
    make_dir(out, f"--out {args.out}" if args.out else chosen_by(data_dir))
    make_dir(runs_dir(data_dir), chosen_by(data_dir))
    cfg = SweepConfig(items=items, seeds=list(range(args.seed_base, args.seed_base + args.seeds)), out=out,
                      workers=args.workers, planner=args.planner, max_ticks=args.max_ticks, difficulty=args.difficulty,
                      start_time=args.start_time or 0, extra_args=list(args.run_arg or []), data_dir=data_dir,
                      memory=args.memory,
                      task_timeout=args.task_timeout,
                      run_command=shlex.split(args.run_command) if args.run_command else None)
    if args.fresh and (out / RESULTS).exists():
        (out / RESULTS).rename(out / f"results-{time.strftime('%Y%m%d-%H%M%S')}.jsonl.bak")
    server = None
    try:
        with stop_signals_as_interrupt():  # SIGTERM/SIGHUP: stop the children (own sessions) like Ctrl-C does
            url, model = args.llm_url, args.model
            if args.planner == "llm":
                # one endpoint for every run: without one configured, ONE local server for the whole sweep
                # (the model stays loaded and warm) instead of a fresh child server per `gitm run`
                from gitm.llm.config import load_settings
                from gitm.llm.local_server import resolve_endpoint

                out.mkdir(parents=True, exist_ok=True)
                settings, server = resolve_endpoint(load_settings({"base_url": url, "model": model}),
                                                    log_path=out / "llm-server.log")
                url, model = settings.base_url, settings.model
                if server is not None:
                    print(f"local LLM for the whole sweep at {url} (ready in {server.started_s:.1f} s)", flush=True)
            for flag, value in (("--llm-url", url), ("--model", model)):
                if value:
                    cfg.extra_args += [flag, value]
            summary = run_sweep(cfg)
    except KeyboardInterrupt:  # while the local server started: nothing ran
        return 130
    finally:
        if server is not None:
            server.stop()
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1) + "\n")
    if summary.get("interrupted"):
        return 130
    return 0 if summary["runs"] else 1


def add_sweep_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--items", default="all", help="'all' (every obtainable item), a FILE (one a line) or a,b,c")
    p.add_argument("--seeds", type=int, default=1, help="seeds per item (default 1)")
    p.add_argument("--seed-base", type=int, default=1, help="first seed (default 1)")
    p.add_argument("--workers", type=int, default=1, help="runs at once, each with its own server (default 1)")
    p.add_argument("--planner", choices=PLANNERS, default="knowledge", help="knowledge (default) or llm")
    p.add_argument("--llm-url", default=None, help="passed to gitm run")
    p.add_argument("--model", default=None, help="passed to gitm run")
    p.add_argument("--max-ticks", type=int, default=12000, help="budget per run (default 12000)")
    add_difficulty_flag(p, default="peaceful")
    add_start_time_flag(p)
    p.add_argument("--task-timeout", type=float, default=None, help="wall seconds per run (default from the budget)")
    p.add_argument("--out", default=None, help="sweep folder (default <data-dir>/sweeps/sweep-<planner>)")
    p.add_argument("--data-dir", default=None, help="gitm's data folder (runs are recorded under it)")
    p.add_argument("--memory", action="store_true",
                   help="runs share the plan memory under the data dir (default: each run without memory)")
    p.add_argument("--fresh", action="store_true", help="start over instead of resuming (keeps a .bak)")
    p.add_argument("--json", default=None, metavar="PATH", help="also write the summary here")
    p.add_argument("--run-arg", action="append", default=None, metavar="ARG", help="extra argument for gitm run")
    p.add_argument("--run-command", default=None, help=argparse.SUPPRESS)  # tests: a stand-in for `gitm run`


def cmd_bench(args: argparse.Namespace) -> int:
    root = Path(__file__).resolve().parents[2] / "bench"
    script = {"obtain-diamond": "obtain.py", "sweep": "sweep.py"}[args.bench]
    path = root / script
    if not path.exists():
        raise GitmError(f"{path} is missing: the benchmarks run from a clone of the repository")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root.parent), os.environ.get("PYTHONPATH")]))}
    rest = [a for a in args.rest if a != "--"]
    if args.bench == "obtain-diamond" and "--seeds" in rest:  # `--seeds N`: N seeds, 1..N (the script takes a range)
        i = rest.index("--seeds") + 1
        if i < len(rest) and rest[i].isdigit():
            rest[i] = f"1-{rest[i]}"
    try:
        return subprocess.call([sys.executable, str(path), *rest], env=env)
    except KeyboardInterrupt:
        return 130


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sweep", help="run the agent once per (item, seed) and report success by item and tech level")
    add_sweep_arguments(p)
    p.set_defaults(handler=cmd_sweep)

    p = sub.add_parser("bench", help="benchmarks: obtain-diamond (bench/obtain.py) or sweep (bench/sweep.py)")
    p.add_argument("bench", choices=("obtain-diamond", "sweep"))
    p.add_argument("rest", nargs=argparse.REMAINDER, help="the benchmark's own options, e.g. --seeds 5")
    p.set_defaults(handler=cmd_bench)
