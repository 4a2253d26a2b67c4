"""Coverage sweep benchmark: `gitm sweep` over a fixed set of items (or all) -> bench/results/sweep.json.

    .venv/bin/python bench/sweep.py                       # the default items below, seed 1, 2 workers
    .venv/bin/python bench/sweep.py --items all --seeds 3 # every obtainable item (hours)
    gitm bench sweep --items stick,furnace

`gitm sweep` with the benchmark's defaults (any of its options overrides them: `gitm sweep --help`):
the items below, 2 workers, 6000 ticks, the sweep folder bench/results/sweep/ (results.jsonl, items.csv,
summary.json, success_by_level.png) and the summary in bench/results/sweep.json. It resumes when run
again with the same options (--fresh starts over and keeps a .bak).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Items across the tech levels (hand, wooden, stone) that can finish inside the default budget.
DEFAULT_ITEMS = ("oak_planks,stick,crafting_table,oak_slab,chest,wooden_pickaxe,wooden_sword,cobblestone,"
                 "stone_pickaxe,furnace,lever,iron_ingot")
RESULTS = ROOT / "bench" / "results"
DEFAULTS = ["--items", DEFAULT_ITEMS, "--workers", "2", "--max-ticks", "6000", "--out", str(RESULTS / "sweep"),
            "--json", str(RESULTS / "sweep.json")]


def main(argv: list[str] | None = None) -> int:
    from gitm.cli import main as gitm

    # argparse keeps an option's last value, so the user's options after the defaults win
    return gitm(["sweep", *DEFAULTS, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
