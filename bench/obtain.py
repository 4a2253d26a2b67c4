"""ObtainDiamond (or another goal) over N seeds with the knowledge planner; writes one JSON summary.

    .venv/bin/python bench/obtain.py --seeds 1-10 --jobs 2      # -> bench/results/obtain_diamond_s1-10.json

Each seed runs `python -m gitm.cli run GOAL --seed S --json ...` in its own process (its own embedded
server and bot), with its own temporary data dir (run record, plan memory) unless --data-dir is given.
The summary has the success rate, ticks to each milestone (log, wooden_pickaxe, stone_pickaxe,
iron_ingot, iron_pickaxe, diamond), wall time, actions and failures by reason.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from gitm.record.recorder import versions  # noqa: E402
from knowledge.facts import MILESTONES  # noqa: E402


def parse_seeds(text: str) -> list[int]:
    seeds: list[int] = []
    for part in text.split(","):
        if "-" in part.strip()[1:]:
            a, b = part.split("-", 1)
            seeds += range(int(a), int(b) + 1)
        elif part.strip():
            seeds.append(int(part))
    return seeds


def default_out(goal: str, seeds: str) -> Path:
    """bench/results/obtain_diamond_s1-10.json: a new file per goal and seeds, never the README's headline data."""
    name = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", goal).lower()
    return ROOT / "bench" / "results" / f"{name}_s{seeds.replace(',', '_')}.json"


def run_seed(goal: str, seed: int, max_ticks: int, wall_limit: float, logs: Path, data_dir: str | None,
             difficulty: str = "peaceful", start_time: str = "0") -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        # a data dir per seed: the user's records and memory stay untouched, parallel seeds share no memory
        cmd = [sys.executable, "-m", "gitm.cli", "run", goal, "--planner", "knowledge", "--seed", str(seed),
               "--max-ticks", str(max_ticks), "--data-dir", data_dir or str(Path(tmp) / "data"),
               "--json", str(out), "--username", f"bench{seed}", "--difficulty", difficulty,
               "--start-time", start_time]
        t0 = time.monotonic()
        with open(logs / f"{goal}-{difficulty}-s{seed}.log", "w") as log:
            try:
                proc = subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, timeout=wall_limit)
                code = proc.returncode
            except subprocess.TimeoutExpired:
                code = "wall timeout"
        wall = round(time.monotonic() - t0, 1)
        if out.exists():
            report = json.loads(out.read_text())
        else:
            report = {"success": False, "reason": f"no report (exit {code})", "milestones": {}, "actions": {}}
    report.pop("log", None)
    report.update(seed=seed, exit=code, process_wall_s=wall)
    return report


def summarize(goal: str, runs: list[dict], max_ticks: int, difficulty: str = "peaceful", start_time: str = "0") -> dict:
    ok = [r for r in runs if r.get("success")]
    per_milestone = {}
    for m in MILESTONES:
        ticks = sorted(r["milestones"][m] for r in runs if m in r.get("milestones", {}))
        per_milestone[m] = {"reached": len(ticks), "median_ticks": statistics.median(ticks) if ticks else None,
                            "min_ticks": ticks[0] if ticks else None, "max_ticks": ticks[-1] if ticks else None}
    failures: dict[str, int] = {}
    final: dict[str, int] = {}
    for r in runs:
        for k, v in (r.get("actions", {}).get("failures") or {}).items():
            failures[k] = failures.get(k, 0) + v
        if not r.get("success"):
            key = r.get("reason", "?")
            final[key] = final.get(key, 0) + 1
    return {
        "goal": goal,
        "planner": "knowledge",
        "difficulty": difficulty,
        "start_time": start_time,
        "max_ticks": max_ticks,
        "seeds": [r["seed"] for r in runs],
        "success_rate": round(len(ok) / len(runs), 3) if runs else 0.0,
        "successes": len(ok),
        "runs": len(runs),
        "median_ticks_success": statistics.median([r["ticks"] for r in ok]) if ok else None,
        "median_wall_s": statistics.median([r.get("wall_s", 0) for r in runs]) if runs else None,
        "deaths": sum(r.get("deaths") or 0 for r in runs),
        "runs_with_a_death": sum(bool(r.get("deaths")) for r in runs),
        "milestones": per_milestone,
        "action_failures_by_reason": dict(sorted(failures.items(), key=lambda kv: -kv[1])),
        "run_end_reasons_of_failures": final,
        "per_seed": [{k: r.get(k) for k in ("seed", "success", "reason", "ticks", "wall_s", "actions", "milestones",
                                           "deaths", "reconnects")} for r in runs],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--goal", default="ObtainDiamond")
    p.add_argument("--seeds", default="1-10", help="e.g. 1-10 or 3,5,8")
    p.add_argument("--max-ticks", type=int, default=12000)
    p.add_argument("--jobs", type=int, default=2, help="seeds run at once")
    p.add_argument("--wall-limit", type=float, default=1500, help="seconds before a run's process is killed")
    p.add_argument("--out", default=None, help="default: bench/results/<goal>_s<seeds>.json")
    p.add_argument("--data-dir", default=None, help="where the runs' records go (default: a temporary folder)")
    p.add_argument("--difficulty", default="peaceful", choices=("peaceful", "easy", "normal", "hard"),
                   help="the embedded world's (default peaceful; normal: monsters at night, hunger)")
    p.add_argument("--start-time", default="0", help="the world's time of day at the start: day, noon, night, "
                   "midnight or ticks (default 0, sunrise; night: the run starts among monsters)")
    args = p.parse_args(argv)
    seeds = parse_seeds(args.seeds)
    out = Path(args.out) if args.out else default_out(args.goal, args.seeds)
    logs = out.parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    runs: list[dict] = []
    # what produced the figures: the code's version and commit, and the command to re-run it
    command = "bench/obtain.py " + " ".join(argv if argv is not None else sys.argv[1:])
    meta = {"versions": versions(), "command": command}
    world = (args.difficulty, args.start_time)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_seed, args.goal, s, args.max_ticks, args.wall_limit, logs, args.data_dir,
                               args.difficulty, args.start_time) for s in seeds]
        for f in futures:
            r = f.result()
            runs.append(r)
            print(f"seed {r['seed']}: {'OK ' if r.get('success') else 'FAIL'} {r.get('ticks')} ticks "
                  f"{r.get('wall_s')} s  {r.get('reason')}", flush=True)
            out.write_text(json.dumps({**summarize(args.goal, runs, args.max_ticks, *world), **meta},
                                      indent=2))
    summary = {**summarize(args.goal, runs, args.max_ticks, *world), **meta}
    out.write_text(json.dumps(summary, indent=2))
    print(f"{summary['successes']}/{summary['runs']} succeeded; milestones: "
          + ", ".join(f"{m} {v['reached']} (median {v['median_ticks']})" for m, v in summary["milestones"].items()))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
