"""Benchmark: the LLM planner's first plan for every sub-goal of a goal's decomposition (default ObtainDiamond).

Uses the configured endpoint (flags/env/config) or starts the local SmolLM2 server. Records, per sub-goal,
whether the single reply parsed and validated, seconds, prompt/completion tokens and the actions.

    .venv/bin/python bench/llm_planner.py [--goal ObtainDiamond] [--out bench/results/llm_planner.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gitm.llm.client import LLMClient  # noqa: E402
from gitm.llm.config import add_llm_flags, load_settings  # noqa: E402
from gitm.llm.local_server import MODEL_ALIAS, resolve_endpoint  # noqa: E402
from gitm.llm.planner import LOCAL_LIMITS, LLMPlanner, WorldState  # noqa: E402
from gitm.tree.decomposer import decompose  # noqa: E402
from knowledge.base import KnowledgeBase  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--goal", default="ObtainDiamond")
    ap.add_argument("--limit", type=int, default=0, help="only the first N sub-goals")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "llm_planner.json"))
    add_llm_flags(ap)
    args = ap.parse_args()

    kb = KnowledgeBase.load()
    plan = decompose(args.goal, 1, {})
    steps = plan.steps[: args.limit] if args.limit else plan.steps
    t0 = time.monotonic()
    settings, server = resolve_endpoint(load_settings(args))
    started = time.monotonic() - t0
    try:
        client = LLMClient(settings)
        local = settings.model == MODEL_ALIAS
        planner = LLMPlanner.from_client(client, kb, max_queries=1, **({"limits": LOCAL_LIMITS} if local else {}))
        inventory: dict[str, int] = {}
        rows = []
        for step in steps:
            records: list = []
            reply = planner.propose(step, WorldState(dict(inventory), "plains", 64), records=records)
            r = records[0]
            rows.append({"subgoal": f"{step.count} {step.object}", "valid": r.ok, "repaired": r.repaired,
                         "seconds": round(r.seconds, 2), "prompt_tokens": r.prompt_tokens,
                         "completion_tokens": r.completion_tokens, "errors": r.errors,
                         "actions": [a.call() for a in reply.action_list] if reply else []})
            print(f"{rows[-1]['subgoal']:>22}: {'valid' if r.ok else 'INVALID'} {r.seconds:5.1f} s "
                  f"{r.prompt_tokens}+{r.completion_tokens} tok  {'; '.join(rows[-1]['actions'] or r.errors)}",
                  flush=True)
            inventory[step.object] = inventory.get(step.object, 0) + step.count  # as if the sub-goal succeeded
        n = len(rows)
        summary = {
            "goal": args.goal, "endpoint": settings.base_url, "model": client.model, "dialect": client.dialect,
            "server_start_s": round(started, 1) if server else None, "subgoals": n,
            "valid": sum(r["valid"] for r in rows),
            "mean_seconds": round(sum(r["seconds"] for r in rows) / max(n, 1), 2),
            "mean_prompt_tokens": round(sum(r["prompt_tokens"] for r in rows) / max(n, 1)),
            "mean_completion_tokens": round(sum(r["completion_tokens"] for r in rows) / max(n, 1)),
            "usage": client.usage.as_dict(), "machine": f"{platform.machine()} {platform.python_version()}",
        }
        print(json.dumps(summary, indent=2))
        Path(args.out).write_text(json.dumps({"summary": summary, "rows": rows}, indent=2) + "\n")
        return 0 if summary["valid"] == n else 1
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
