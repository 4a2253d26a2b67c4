"""gitm.plan: the stable Python API the README documents."""

from __future__ import annotations

import subprocess
import sys

import pytest

import gitm
from gitm.tree.decomposer import MissingItemsError, UnobtainableError


def test_plan_returns_steps_dependencies_first():
    plan = gitm.plan("torch", 4, {"coal": 1, "oak_log": 1})
    assert [(s.action, s.object, s.count) for s in plan.steps] == [
        ("craft", "oak_planks", 4), ("craft", "stick", 4), ("craft", "torch", 4)]
    step = plan.steps[-1]
    assert step.material == {"coal": 1, "stick": 1} and step.tool is None and step.times == 1
    assert plan.to_json()["steps"][-1]["object"] == "torch"


def test_plan_raises_the_verdicts_error():
    with pytest.raises(MissingItemsError) as e:
        gitm.plan("iron_pickaxe", inventory={"stick": 2, "crafting_table": 1}, gather=False)
    assert e.value.missing == {"iron_ingot": 3}
    with pytest.raises(UnobtainableError):
        gitm.plan("blaze_powder")
    assert [s.action for s in gitm.plan("iron_pickaxe").steps][-1] == "craft"  # gathering allowed by default


def test_importing_gitm_does_not_load_the_tech_tree():
    code = "import sys, gitm; print('gitm.tree.decomposer' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
