"""End to end on the real embedded server: empty inventory, survival, the knowledge planner, no cheats."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_stone_pickaxe_from_nothing_seed_1(tmp_path):
    # The full ObtainDiamond takes ~5 minutes of wall time a seed: it is measured by bench/obtain.py;
    # CI plays the first half of the tech tree (logs, table, wooden pickaxe, stone) end to end.
    from gitm.run import run_episode

    report = run_episode("stone_pickaxe", seed=1, max_ticks=6000, username="e2e", quiet=True,
                         log_path=tmp_path / "server.log")
    assert report["success"], report["reason"]
    ms = report["milestones"]
    assert ms["log"] <= ms["wooden_pickaxe"] <= ms["stone_pickaxe"] <= report["ticks"] <= 6000
    assert report["final_inventory"].get("stone_pickaxe") == 1
    assert report["deaths"] == 0
