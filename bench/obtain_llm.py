"""ObtainDiamond (or another goal) with `gitm run --planner llm` over seeds, with the ablations and memory effect.

    .venv/bin/python bench/obtain_llm.py --seeds 1-5 --out bench/results/obtain_llm.json          # full matrix
    .venv/bin/python bench/obtain_llm.py --seeds 1-2 --max-wall 180 --llm-max-queries 6 \\
        --conditions full,warm,no_memory,no_knowledge,no_feedback                                   # reduced

Conditions (each seed, in this order):
  full          LLM planner, plan memory on (cold: a fresh data dir), knowledge sentences, feedback
  warm          the same seed again on full's data dir: memory holds full's successful sub-goal plans
  no_memory     --no-memory (reference plans only from the knowledge planner)
  no_knowledge  --no-knowledge (prompts without knowledge sentences)
  no_feedback   --no-feedback (re-plans without the last plan's results)
Runs are sequential (the LLM and the game server share the CPU) against one local SmolLM2 server started here
(or --llm-url). Every run's report goes to the output JSON as soon as it ends, so a partial matrix is kept.
Per run: success, ticks, milestones, LLM calls, invalid replies, repaired replies, prompt/completion tokens,
LLM seconds, reference-plan sources, sub-goal plans stored, wall time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.obtain import parse_seeds  # noqa: E402
from gitm.record.recorder import versions  # noqa: E402
from knowledge.facts import MILESTONES  # noqa: E402

CONDITIONS = {
    "full": [],
    "warm": [],
    "no_memory": ["--no-memory"],
    "no_knowledge": ["--no-knowledge"],
    "no_feedback": ["--no-feedback"],
}


def run_one(goal: str, seed: int, cond: str, data_dir: Path, args: argparse.Namespace, url: str,
            logs: Path) -> dict:
    out = data_dir / f"report-{cond}.json"
    cmd = [sys.executable, "-m", "gitm.cli", "run", goal, "--planner", "llm", "--seed", str(seed),
           "--max-ticks", str(args.max_ticks), "--json", str(out), "--data-dir", str(data_dir), "--no-dashboard",
           "--quiet", "--llm-url", url, "--username", f"llm{seed}", *CONDITIONS[cond]]
    if args.llm_max_queries:
        cmd += ["--llm-max-queries", str(args.llm_max_queries)]
    if args.max_wall:
        cmd += ["--max-wall", str(args.max_wall)]
    t0 = time.monotonic()
    with open(logs / f"{goal}-s{seed}-{cond}.log", "w") as log:
        try:
            code: int | str = subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                             timeout=(args.max_wall or 3600) + 300).returncode
        except subprocess.TimeoutExpired:
            code = "wall timeout"
    report = json.loads(out.read_text()) if out.exists() else {
        "success": False, "reason": f"no report (exit {code})", "milestones": {}}
    llm = report.get("llm") or {}
    return {
        "seed": seed, "condition": cond, "exit": code, "success": bool(report.get("success")),
        "reason": report.get("reason"), "ticks": report.get("ticks"), "milestones": report.get("milestones", {}),
        "actions": (report.get("actions") or {}).get("total"), "subgoals_done": report.get("subgoals_done"),
        "llm_calls": llm.get("calls"), "invalid_replies": llm.get("invalid"),
        "repaired_replies": llm.get("repaired"), "prompt_tokens": llm.get("prompt_tokens"),
        "completion_tokens": llm.get("completion_tokens"), "llm_seconds": llm.get("seconds"),
        "reference_plans": llm.get("reference_plans"), "memory_stored": report.get("memory_stored"),
        "wall_s": round(time.monotonic() - t0, 1), "final_inventory": report.get("inventory"),
    }


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 1) if b else None


def summarize(runs: list[dict]) -> dict:
    out = {}
    for cond in CONDITIONS:
        rs = [r for r in runs if r["condition"] == cond]
        if not rs:
            continue

        def med(key: str, rs: list[dict] = rs) -> float | None:
            xs = [r[key] for r in rs if r.get(key) is not None]
            return statistics.median(xs) if xs else None

        out[cond] = {
            "runs": len(rs), "successes": sum(r["success"] for r in rs),
            "milestones_reached": {m: sum(m in r["milestones"] for r in rs) for m in MILESTONES},
            "median_ticks": med("ticks"), "median_llm_calls": med("llm_calls"),
            "median_prompt_tokens": med("prompt_tokens"), "median_completion_tokens": med("completion_tokens"),
            "median_llm_seconds": med("llm_seconds"), "invalid_replies": sum(r["invalid_replies"] or 0 for r in rs),
            "repaired_replies": sum(r["repaired_replies"] or 0 for r in rs),
            "median_subgoals_done": med("subgoals_done"),
            # progress per cost: runs are cut by the wall budget, so raw call counts grow with progress
            "llm_calls_per_subgoal": _ratio(sum(r["llm_calls"] or 0 for r in rs),
                                            sum(r.get("subgoals_done") or 0 for r in rs)),
            "prompt_tokens_per_subgoal": _ratio(sum(r["prompt_tokens"] or 0 for r in rs),
                                                sum(r.get("subgoals_done") or 0 for r in rs)),
        }
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--goal", default="ObtainDiamond")
    p.add_argument("--seeds", default="1-5")
    p.add_argument("--conditions", default=",".join(CONDITIONS), help="comma-separated, of: " + ", ".join(CONDITIONS))
    p.add_argument("--max-ticks", type=int, default=12000)
    p.add_argument("--max-wall", type=float, default=None, help="wall seconds per run (default: none)")
    p.add_argument("--llm-max-queries", type=int, default=None,
                   help="queries per sub-goal over all its attempts (default: gitm run's, 30)")
    p.add_argument("--llm-url", default=None, help="an endpoint to use (default: start the local SmolLM2 here)")
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "obtain_llm.json"))
    args = p.parse_args()
    conds = [c.strip() for c in args.conditions.split(",") if c.strip()]
    unknown = set(conds) - set(CONDITIONS)
    if unknown:
        p.error(f"unknown conditions {sorted(unknown)}")
    server = None
    url = args.llm_url
    if not url:
        from gitm.llm.local_server import LocalLLMServer

        server = LocalLLMServer().start()
        url = server.base_url
    logs = Path(args.out).with_suffix("").parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    runs: list[dict] = []
    meta = {"goal": args.goal, "planner": "llm", "model": "smollm2-135m-instruct" if server else None,
            "llm_url": None if server else url, "max_ticks": args.max_ticks, "max_wall_s": args.max_wall,
            "llm_max_queries": args.llm_max_queries, "seeds": parse_seeds(args.seeds), "conditions": conds,
            "command": " ".join(sys.argv), "versions": versions()}
    try:
        with tempfile.TemporaryDirectory(prefix="gitm-bench-llm-") as tmp:
            for seed in parse_seeds(args.seeds):
                cold = Path(tmp) / f"s{seed}-full"
                for cond in conds:
                    data_dir = cold if cond in ("full", "warm") else Path(tmp) / f"s{seed}-{cond}"
                    data_dir.mkdir(parents=True, exist_ok=True)
                    r = run_one(args.goal, seed, cond, data_dir, args, url, logs)
                    runs.append(r)
                    print(json.dumps({k: r[k] for k in ("seed", "condition", "success", "reason", "ticks",
                                                        "llm_calls", "invalid_replies", "prompt_tokens",
                                                        "completion_tokens", "llm_seconds", "wall_s")}), flush=True)
                    Path(args.out).write_text(json.dumps({**meta, "summary": summarize(runs), "runs": runs},
                                                         indent=2))
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
