"""Coverage of the tech tree: does every item decompose to gathering actions, or why not?

    python bench/coverage.py        # prints the counts, writes bench/results/coverage.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from gitm.tree.decomposer import UnobtainableError, decompose
from gitm.tree.techtree import tech_tree

RESULTS = Path(__file__).parent / "results"
GATHERING = ("mine", "kill", "use", "collect")


def coverage() -> dict:
    tt = tech_tree()
    obtainable: dict[str, list[str]] = {}
    blocked: dict[str, dict[str, str | None]] = {}
    for item in tt.kb.all_item_names():
        try:
            plan = decompose(item)
        except UnobtainableError as e:
            blocked[item] = {"kind": e.kind, "reason": e.reason, "via": e.via}
            continue
        leaves = [s for s in plan.steps if s.action in GATHERING]
        if not leaves:
            raise AssertionError(f"{item}: a plan without any gathering action")
        obtainable[item] = sorted({s.action for s in leaves})
    needs = Counter(a for actions in obtainable.values() for a in actions)
    return {
        "items": len(obtainable) + len(blocked),
        "decompose_to_gathering": len(obtainable),
        "gathering_actions_used": dict(sorted(needs.items())),
        "mine_only": sum(1 for a in obtainable.values() if a == ["mine"]),
        "unobtainable": len(blocked),
        "unobtainable_by_reason": dict(Counter(b["kind"] for b in blocked.values()).most_common()),
        "unobtainable_items": blocked,
    }


def main() -> int:
    report = coverage()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "coverage.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")
    summary = {k: v for k, v in report.items() if k != "unobtainable_items"}
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
