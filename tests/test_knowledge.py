"""The knowledge base: structured facts checked against Minecraft rules, sentences, regeneration."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gitm.errors import UnknownItemError
from knowledge.base import DATA_DIR, KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def test_tag_expanded_recipes_are_grouped_back(kb):
    (pick,) = kb.recipes_for("wooden_pickaxe")
    assert pick.count == 1 and pick.table
    planks, stick = sorted(pick.ingredients, key=lambda i: i.count, reverse=True)
    assert planks.tag == "planks" and planks.count == 3 and planks.items[0] == "oak_planks"
    assert {"birch_planks", "spruce_planks", "cherry_planks"} <= set(planks.items)
    assert stick.items == ("stick",) and stick.count == 2


def test_recipe_yields_and_grid_size(kb):
    (planks,) = kb.recipes_for("oak_planks")
    assert planks.count == 4 and not planks.table  # 1 log -> 4 planks, 2x2 grid
    sticks = [r for r in kb.recipes_for("stick") if any(i.tag == "planks" for i in r.ingredients)]
    assert [r.count for r in sticks] == [4]
    assert not kb.recipes_for("crafting_table")[0].table  # 2x2: the inventory grid
    assert kb.recipes_for("furnace")[0].table
    (torch,) = kb.recipes_for("torch")
    assert torch.count == 4
    assert {"coal", "charcoal"} in [set(i.items) for i in torch.ingredients]


def test_dyeing_recipes_accept_any_other_color(kb):
    (dyed,) = [r for r in kb.recipes_for("red_wool") if len(r.ingredients) == 2]
    wool = next(i for i in dyed.ingredients if i.items[0].endswith("_wool"))
    assert "white_wool" in wool.items and "red_wool" not in wool.items and len(wool.items) == 15


@pytest.mark.parametrize(
    ("block", "tool", "tier", "drop"),
    [
        ("diamond_ore", "pickaxe", "iron", "diamond"),
        ("iron_ore", "pickaxe", "stone", "raw_iron"),
        ("stone", "pickaxe", "wooden", "cobblestone"),
        ("obsidian", "pickaxe", "diamond", "obsidian"),
        ("coal_ore", "pickaxe", "wooden", "coal"),
        ("oak_log", "axe", None, "oak_log"),
        ("dirt", "shovel", None, "dirt"),
        ("gravel", "shovel", None, "flint"),
    ],
)
def test_block_tool_tiers_and_drops(kb, block, tool, tier, drop):
    b = kb.how_to_mine(block)
    assert (b.tool, b.min_tier) == (tool, tier)
    assert drop in kb.drops(block)


def test_golden_tools_count_as_wooden_tier(kb):
    assert "golden_pickaxe" in kb.how_to_mine("stone").harvest_tools
    assert kb.how_to_mine("iron_ore").min_tier == "stone"  # not "golden"


def test_smelting_fuels_and_ores(kb):
    assert [s.input for s in kb.smelting_for("iron_ingot")][0] == "raw_iron"
    assert {"sand", "red_sand"} <= {s.input for s in kb.smelting_for("glass")}
    assert "oak_log" in {s.input for s in kb.smelting_for("charcoal")}
    assert "crimson_stem" not in {s.input for s in kb.smelting_for("charcoal")}
    assert {s.result for s in kb.smelting() if s.input in ("beef", "potato", "cobblestone")} == {
        "cooked_beef", "baked_potato", "stone"}
    fuels = kb.fuels()
    assert fuels["coal"] == 1600 and fuels["oak_planks"] == 300 and fuels["lava_bucket"] == 20000
    assert "crimson_planks" not in fuels and "stone_slab" not in fuels
    diamond = kb.ore("diamond_ore")
    assert (diamond.min_y, diamond.max_y) == (-64, 16)


def test_sources(kb):
    assert kb.unobtainable("blaze_rod").kind == "nether"
    assert kb.unobtainable("end_stone").kind == "end"
    assert kb.unobtainable("command_block").kind == "creative"
    assert kb.unobtainable("zombie_spawn_egg").kind == "creative"
    assert kb.unobtainable("diamond") is None
    assert "cow" in {d.mob for d in kb.hunted_from("leather")}
    assert kb.special("water_bucket").material == {"bucket": 1}


def test_sentences_read_like_gitm(kb):
    assert "Crafting 1 wooden_pickaxe requires 3 planks and 2 stick, and a crafting_table." in kb.sentences_for(
        "wooden_pickaxe"
    )
    diamond = kb.sentences_for("diamond")
    assert any(
        s.startswith("diamond_ore is found between y=-64 and y=16")
        and "needs an iron_pickaxe or better and drops diamond" in s
        for s in diamond
    )
    assert any("coal is a furnace fuel" in s and "smelts 8 items" in s for s in kb.sentences_for("coal"))
    assert any("Nether" in s for s in kb.sentences_for("blaze_rod"))


def test_unknown_item_suggests(kb):
    with pytest.raises(UnknownItemError) as e:
        kb.item("diamnod_pickaxe")
    assert "diamond_pickaxe" in e.value.suggestions


def test_regenerating_gives_the_same_bytes(tmp_path):
    if shutil.which("node") is None:
        pytest.skip("NODE IS NOT INSTALLED: cannot check that knowledge/data regenerates byte for byte")
    if not (ROOT / "bot_bridge" / "node_modules" / "minecraft-data").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT / "bot_bridge",
                       check=True)
    subprocess.run([sys.executable, "-m", "knowledge.generate", "--out", str(tmp_path)], cwd=ROOT, check=True)
    committed = DATA_DIR / "1.21.4"
    new = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.json"))
    assert new == sorted(p.relative_to(committed) for p in committed.rglob("*.json"))
    for rel in new:
        assert (tmp_path / rel).read_bytes() == (committed / rel).read_bytes(), f"{rel} differs"
