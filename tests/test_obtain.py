"""End to end on the real embedded server: empty inventory, survival, the knowledge planner, no cheats."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_obtain_diamond_from_nothing_one_seed(tmp_path):
    # One whole ObtainDiamond (~4-5 minutes of wall time); bench/obtain.py measures many seeds.
    from gitm.agent.episode import run_episode
    from gitm.record.results import RunResults

    results = RunResults()
    run_episode("ObtainDiamond", seed=3, max_ticks=12000, username="e2e", log_path=tmp_path / "server.log",
                emit=results.handle, memory=False)
    report = results.to_json()
    assert report["success"], report["reason"]
    ms = report["milestones"]
    order = ["log", "wooden_pickaxe", "stone_pickaxe", "iron_ingot", "iron_pickaxe", "diamond"]
    assert [ms[m] for m in order] == sorted(ms[m] for m in order)
    assert ms["diamond"] <= report["ticks"] <= 12000
    assert report["inventory"].get("diamond", 0) >= 1
    assert report["deaths"] == 0
