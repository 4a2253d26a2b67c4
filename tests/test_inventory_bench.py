"""bench/inventory_tasks.py: its exhaustive search is a sound referee, and the planner agrees with it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gitm.tree.decomposer import decompose
from gitm.tree.techtree import tech_tree

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCH))
    try:
        import inventory_tasks
    finally:
        sys.path.remove(str(BENCH))
    return inventory_tasks


def test_the_search_counts_recipe_applications(bench):
    tt = tech_tree()
    assert bench.shortest(tt, "stick", 4, {"oak_log": 1}) == 2
    assert bench.shortest(tt, "stick", 8, {"oak_log": 1}) == 3  # 4 planks: 2 crafts of sticks
    assert bench.shortest(tt, "white_dye", 1, {"bone": 1}) == 2
    assert bench.shortest(tt, "iron_ingot", 2, {"raw_iron": 2, "furnace": 1, "oak_planks": 2}) == 2
    assert bench.shortest(tt, "iron_ingot", 2, {"raw_iron": 2, "furnace": 1, "oak_planks": 1}) is None  # 1.5 smelts
    assert bench.shortest(tt, "crafting_table", 1, {"oak_planks": 3}) is None


def test_replay_catches_a_plan_that_does_not_run(bench):
    plan = decompose("stick", 4, {"oak_log": 1}, gather=False)
    assert bench.replay(plan, {"oak_log": 1}) and not bench.replay(plan, {})


def test_the_planner_agrees_on_generated_tasks(bench):
    report = bench.run(40, seed=7, max_states=5_000)
    decided = report["tasks"] - report["undecided_by_search"]
    assert report["verdict_agreement"] == f"{decided}/{decided}"
    assert report["plans_replay_ok"] == "40/40"
    agree, total = map(int, report["minimal_steps_agreement"].split("/"))
    assert total > 10 and agree >= total - 1
