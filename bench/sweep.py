"""Coverage sweep benchmark: `gitm sweep` over a fixed set of items (or all) -> bench/results/sweep.json.

    .venv/bin/python bench/sweep.py                       # the default items below, seed 1, 2 workers
    .venv/bin/python bench/sweep.py --items all --seeds 3 # every obtainable item (hours)
    gitm bench sweep -- --items stick,furnace

The sweep folder (results.jsonl, items.csv, summary.json, success_by_level.png) is bench/results/sweep/;
it resumes when run again with the same options (--fresh starts over).
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Items across the tech levels (hand, wooden, stone) that can finish inside the default budget.
DEFAULT_ITEMS = ("oak_planks,stick,crafting_table,oak_slab,chest,wooden_pickaxe,wooden_sword,cobblestone,"
                 "stone_pickaxe,furnace,lever,iron_ingot")


def main(argv: list[str] | None = None) -> int:
    from gitm.sweep import SweepConfig, parse_items, run_sweep

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--items", default=DEFAULT_ITEMS, help="all, FILE or a,b,c (default: a dozen items, hand to stone)")
    p.add_argument("--seeds", type=int, default=1)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--planner", default="knowledge")
    p.add_argument("--max-ticks", type=int, default=6000)
    p.add_argument("--dir", default=str(ROOT / "bench" / "results" / "sweep"), help="the sweep folder")
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "sweep.json"))
    p.add_argument("--data-dir", default=None, help="where the runs' records go (default: gitm's data folder)")
    p.add_argument("--fresh", action="store_true")
    a = p.parse_args(argv)
    out_dir = Path(a.dir)
    if a.fresh and (out_dir / "results.jsonl").exists():
        (out_dir / "results.jsonl").unlink()
    cfg = SweepConfig(items=parse_items(a.items), seeds=list(range(1, a.seeds + 1)), out=out_dir, workers=a.workers,
                      planner=a.planner, max_ticks=a.max_ticks,
                      data_dir=Path(a.data_dir) if a.data_dir else None)
    t0 = time.time()
    summary = run_sweep(cfg)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    shown = ["python", "bench/sweep.py", *(argv if argv is not None else sys.argv[1:])]
    summary.update(command=" ".join(shlex.quote(x) for x in shown), date=time.strftime("%Y-%m-%d"), git=commit,
                   sweep_wall_s=round(time.time() - t0), folder=str(out_dir.relative_to(ROOT))
                   if out_dir.is_relative_to(ROOT) else str(out_dir))
    Path(a.out).write_text(json.dumps(summary, indent=1) + "\n")
    print(f"wrote {a.out}")
    return 130 if summary.get("interrupted") else 0


if __name__ == "__main__":
    sys.exit(main())
