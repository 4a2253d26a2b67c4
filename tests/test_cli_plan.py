"""The first CLI verbs: gitm knowledge and gitm plan."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gitm.cli import build_parser, main
from gitm.cli.plan import parse_have

ROOT = Path(__file__).resolve().parents[1]


def test_plan_prints_a_tree_and_the_order(capsys):
    assert main(["plan", "ObtainDiamond"]) == 0
    out = capsys.readouterr().out
    assert "goal: 1 diamond" in out and "iron_pickaxe" in out
    assert out.index("1. mine 4 oak_log") < out.index("craft 1 iron_pickaxe") < out.index("mine 1 diamond")


def test_plan_json_with_inventory(capsys):
    assert main(["plan", "torch", "--count", "8", "--have", "coal=2,stick=4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["goal"] == "torch" and data["count"] == 8
    assert data["inventory"] == {"coal": 2, "stick": 4}
    assert [s["object"] for s in data["steps"]] == ["torch"]
    assert data["steps"][0]["material"] == {"coal": 2, "stick": 2}
    assert data["tree"]["object"] == "torch"


def test_plan_no_gather_exits_0_with_the_plan_or_1_with_the_missing_items(capsys):
    argv = ["plan", "iron_pickaxe", "--have", "raw_iron=3,stick=2,crafting_table=1", "--no-gather", "--json"]
    assert main(argv) == 1
    assert json.loads(capsys.readouterr().out)["missing"]
    assert main([*argv, "--furnace"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(s["action"], s["object"]) for s in data["steps"]] == [("smelt", "iron_ingot"), ("craft", "iron_pickaxe")]
    assert main(["plan", "white_dye", "--have", "bone=1", "--no-gather"]) == 0
    assert "craft 3 bone_meal" in capsys.readouterr().out
    assert main(["plan", "quartz_block", "--have", "quartz=2"]) == 1
    assert "missing 2 quartz" in capsys.readouterr().out


def test_knowledge_prints_sentences(capsys):
    assert main(["knowledge", "iron_pickaxe"]) == 0
    out = capsys.readouterr().out
    assert "Crafting 1 iron_pickaxe requires 3 iron_ingot and 2 stick, and a crafting_table." in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["plan", "diamnd"], "Did you mean: diamond"),
        (["knowledge", "ironpickaxe"], "iron_pickaxe"),
        (["plan", "blaze_powder"], "Nether"),
        (["plan", "torch", "--have", "coal=lots"], "--have"),
        (["plan", "torch", "--count", "0"], "count"),
        (["plan", "torch", "--have", "=3"], "--have expects item=count pairs, got '=3': the item name is missing"),
    ],
)
def test_user_errors_are_one_line_exit_2(capsys, argv, needle):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_parser_is_extensible_and_have_parses():
    parser = build_parser()
    assert {"knowledge", "plan", "run"} <= set(parser._subparsers._group_actions[0].choices)
    assert parse_have("coal=2, stick=4,coal=1") == {"coal": 3, "stick": 4}


def test_console_script_json_parses():
    exe = Path(sys.executable).parent / "gitm"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "gitm.cli"]
    out = subprocess.run([*cmd, "plan", "ObtainDiamond", "--json"], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    data = json.loads(out.stdout)
    assert data["goal"] == "diamond" and data["steps"][-1]["object"] == "diamond"
