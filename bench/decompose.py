"""Decomposition benchmark: decompose every item of the knowledge base from an empty inventory.

    python bench/decompose.py       # prints the figures, writes bench/results/decompose.json

The tech tree is built once (timed separately, it is cached for the process); the figure that must stay
under 0.5 s is the wall time for decomposing all items.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

from gitm.tree.decomposer import UnobtainableError, decompose
from gitm.tree.techtree import tech_tree
from knowledge.version import MC_VERSION

RESULTS = Path(__file__).parent / "results"
LIMIT_S = 0.5


def main() -> int:
    t0 = time.perf_counter()
    items = tech_tree().kb.all_item_names()
    build = time.perf_counter() - t0
    planned = blocked = steps = 0
    t1 = time.perf_counter()
    for item in items:
        try:
            steps += len(decompose(item).steps)
            planned += 1
        except UnobtainableError:
            blocked += 1
    wall = time.perf_counter() - t1
    result = {
        "minecraft_version": MC_VERSION,
        "items": len(items),
        "planned": planned,
        "unobtainable": blocked,
        "steps_total": steps,
        "wall_seconds": round(wall, 4),
        "per_item_ms": round(1000 * wall / len(items), 4),
        "tech_tree_build_seconds": round(build, 4),
        "python": platform.python_version(),
        "under_0_5s": wall < LIMIT_S,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "decompose.json").write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(json.dumps(result, indent=1))
    return 0 if wall < LIMIT_S else 1


if __name__ == "__main__":
    sys.exit(main())
