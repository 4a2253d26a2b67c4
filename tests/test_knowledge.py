"""The knowledge base: structured facts checked against Minecraft rules, sentences, regeneration."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from bot_bridge.node_env import node_environ
from knowledge.base import DATA_DIR, KnowledgeBase
from knowledge.errors import UnknownItemError
from knowledge.version import MC_VERSION
from tests.conftest import need_node

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
    (logs,) = planks.ingredients  # vanilla's #oak_logs, as the server's crafting accepts it
    assert logs.tag == "oak_logs" and logs.items == ("oak_log", "oak_wood", "stripped_oak_log", "stripped_oak_wood")
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
    assert all(s.count == 1 for s in kb.smelting())  # furnace.json, the server's table, has no counts: one a smelt
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


def test_the_mobs_hunted_for_an_item_come_most_common_first(kb):
    from knowledge.facts import monsters_out, wool_color

    # mobs of most biomes before those of a few (husks: deserts only), heavier spawn weights first
    assert kb.hunted_for("rotten_flesh") == ["zombie", "husk"]
    assert kb.hunted_for("bone") == ["skeleton", "stray"]
    assert kb.spawn("husk").only == ("desert",) and kb.spawn("zombie").only == ()
    assert kb.spawn("sheep").commonness < kb.spawn("cow").commonness < kb.spawn("mooshroom").commonness
    assert kb.spawn("ender_dragon") is None
    assert kb.in_structures_only("cobweb") and not kb.in_structures_only("stone")
    assert monsters_out(18000) and monsters_out(24000 * 3 + 14000) and not monsters_out(6000)
    assert not monsters_out(None)
    assert wool_color("white_wool") == "white" and wool_color("light_gray_wool") == "light_gray"
    assert wool_color("wool") is None and wool_color("steel_wool") is None


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


# Runs the embedded server's harvest rules N times per (block, held item), each time on a random state of the block
# (snow's layers and sea pickles' pickles set their counts), with a seeded generator; prints per case
# item -> [breaks that gave it, fewest, most].
HARVEST_JS = """
const registry = require('prismarine-registry')(require('./server/lib/version').mcVersion())
const Block = require('prismarine-block')(registry)
const Item = require('prismarine-item')(registry)
const rules = require('./server/lib/harvest')(registry)
const [cases, n] = JSON.parse(process.argv[1])
let seed = 42
const rng = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
const out = cases.map(([name, held]) => {
  const { minStateId, maxStateId } = registry.blocksByName[name]
  const item = held ? new Item(registry.itemsByName[held].id, 1) : null
  const seen = {}
  for (let i = 0; i < n; i++) {
    const block = Block.fromStateId(minStateId + Math.floor(rng() * (maxStateId - minStateId + 1)), 0)
    for (const d of rules.drops(block, item, rng)) {
      const s = seen[d.name] ?? (seen[d.name] = [0, Infinity, 0])
      s[0]++; s[1] = Math.min(s[1], d.count); s[2] = Math.max(s[2], d.count)
    }
  }
  return seen
})
process.stdout.write(JSON.stringify(out))
"""
# The blocks harvest.js's special(), ORE_COUNTS, SHEARS_ONLY and COUNT_STATES handle, and a few that follow its
# general loot rules.
HARVEST_SPECIAL = [
    "oak_leaves", "birch_leaves", "cherry_leaves", "mangrove_leaves", "azalea_leaves", "flowering_azalea_leaves",
    "short_grass", "tall_grass", "fern", "large_fern", "gravel", "snow", "cobweb", "dead_bush", "copper_ore",
    "deepslate_copper_ore", "lapis_ore", "deepslate_lapis_ore", "redstone_ore", "deepslate_redstone_ore",
    "nether_gold_ore", "melon", "vine", "glow_lichen", "seagrass", "tall_seagrass", "hanging_roots", "nether_sprouts",
    "small_dripleaf", "sea_pickle", "candle", "red_candle", "pink_petals",
]
HARVEST_PLAIN = ["diamond_ore", "iron_ore", "coal_ore", "stone", "oak_log", "clay", "glowstone", "snow_block"]


def test_drops_agree_with_the_servers_harvest_rules(kb):
    node = need_node("the knowledge base's drops agree with bot_bridge/server/lib/harvest.js")
    cases, expected = [], []
    for name in HARVEST_SPECIAL + HARVEST_PLAIN:
        b = kb.how_to_mine(name)
        cases.append([name, b.min_tool])
        expected.append(b.drops)
        if b.min_tool is not None:  # below the tool it needs, nothing drops
            cases.append([name, None])
            expected.append(())
        if b.shears:
            cases.append([name, "shears"])
            expected.append(b.shears)
    n = 4000
    out = subprocess.run([node, "-e", HARVEST_JS, json.dumps([cases, n])], cwd=ROOT / "bot_bridge",
                         check=True, capture_output=True, text=True, env=node_environ()).stdout
    for (name, held), drops, seen in zip(cases, expected, json.loads(out), strict=True):
        where = f"{name} broken with {held or 'a bare hand'}"
        assert set(seen) == {d.item for d in drops}, where
        for d in drops:
            hits, lo, hi = seen[d.item]
            assert (lo, hi) == (d.min, d.max), f"{where}: {d.item} counts"
            assert abs(hits / n - d.chance) <= 5 * math.sqrt(d.chance * (1 - d.chance) / n) + 0.002, (
                f"{where}: {d.item} in {hits} of {n} breaks, the knowledge base says {d.chance:.1%}")


def test_shears_and_swords(kb):
    leaves, cobweb = kb.how_to_mine("oak_leaves"), kb.how_to_mine("cobweb")
    assert "oak_leaves" not in kb.drops("oak_leaves") and [d.item for d in leaves.shears] == ["oak_leaves"]
    assert kb.drops("cobweb") == ["string"] and cobweb.min_tool == "wooden_sword"
    assert [d.item for d in cobweb.shears] == ["cobweb"]
    assert kb.drops("snow") == ["snowball"]
    assert [(d.item, d.min) for d in kb.how_to_mine("tall_grass").shears] == [("short_grass", 2)]
    assert "grass" not in {d.item for b in kb.blocks().values() for d in (*b.drops, *b.shears)}  # not a 1.21.4 item
    assert any("with shears it drops oak_leaves" in s for s in kb.sentences_for("oak_leaves"))


def test_regenerating_gives_the_same_bytes(tmp_path):
    need_node("knowledge/data regenerates byte for byte")
    subprocess.run([sys.executable, "-m", "knowledge.generate", "--out", str(tmp_path)], cwd=ROOT, check=True)
    committed = DATA_DIR / MC_VERSION
    new = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.json"))
    assert new == sorted(p.relative_to(committed) for p in committed.rglob("*.json"))
    for rel in new:
        assert (tmp_path / rel).read_bytes() == (committed / rel).read_bytes(), f"{rel} differs"


def test_andesite_diorite_and_granite_are_overworld_stone(kb):
    for stone in ("andesite", "diorite", "granite"):
        assert stone in {b.name for b, _ in kb.mined_from(stone)}, stone
        assert kb.unobtainable(stone) is None


@pytest.mark.parametrize("item", ["smooth_stone", "smooth_quartz", "white_glazed_terracotta", "glass"])
def test_smelted_blocks_are_not_mined(kb, item):
    assert kb.smelting_for(item) and not kb.mined_from(item)


def test_every_recipe_tag_is_fully_resolved(kb):
    """Each ingredient that names a member of a tag takes the whole tag: the vanilla tags of recipe_fixes.json
    (#coals), the tag groups of groups.json (#planks, #logs, #wool, #wooden_slabs) and the per-wood log tags."""
    from knowledge.tables import matches, raw_table

    names = set(kb.all_item_names())
    tags = {name: set(t["items"]) for name, t in raw_table("recipe_fixes")["tags"].items()}
    exact = {name: set(t["exact"]) for name, t in raw_table("recipe_fixes")["tags"].items()}
    groups = {tag: {n for n in names if matches(n, patterns)} for tag, patterns in raw_table("groups")["tags"].items()}
    groups["wooden_slabs"] = {p.replace("_planks", "_slab") for p in groups["planks"]} & names
    # #logs: the logs of every wood that has planks (mushroom_stem is no log).
    groups["logs"] = {n for n in groups["logs"] if f"{n.removeprefix('stripped_').rsplit('_', 1)[0]}_planks" in names}
    checked = 0
    for result in names:
        for r in kb.recipes_for(result):
            for ing in r.ingredients:
                items = set(ing.items)
                for tag, members in tags.items():
                    if items & members and result not in exact[tag]:
                        assert members <= items, (result, tag, ing.items)
                        checked += 1
                if ing.tag in groups:
                    assert items == groups[ing.tag], (result, ing.tag, groups[ing.tag] ^ items)
                    checked += 1
                elif ing.tag:  # a wood's own logs: oak_logs = oak_log, oak_wood and their stripped forms
                    wood, kind = ing.tag[:-1].rsplit("_", 1)
                    bark = {"log": "wood", "stem": "hyphae"}[kind]
                    assert items == {f"{wood}_{kind}", f"{wood}_{bark}", f"stripped_{wood}_{kind}",
                                     f"stripped_{wood}_{bark}"} & names, (result, ing.tag)
                    checked += 1
    assert checked > 50
    assert set(kb.recipes_for("fire_charge")[0].ingredients[-1].items) == {"coal", "charcoal"}
    assert [i.items for i in kb.recipes_for("coal_block")[0].ingredients] == [("coal",)]


def test_crops_grow_from_their_seeds_on_farmland(kb):
    wheat = kb.crops()["wheat"]
    assert (wheat.seed, wheat.max_age, wheat.produce, wheat.bonus) == ("wheat_seeds", 7, "wheat", "wheat_seeds")
    assert abs(wheat.bonus_mean - 12 / 7) < 1e-6  # vanilla: binomial(3, 4/7) seeds beside the wheat
    assert kb.crops()["beetroots"].max_age == 3 and kb.crops()["carrots"].seed == "carrot"
    assert [c.block for c in kb.grown_from("wheat")] == ["wheat"] and kb.grown_from("poisonous_potato")
    assert kb.grown_from("iron_ingot") == []
    land = kb.farmland()
    assert land["water_reach"] == 4 and "grass_block" in land["tilled"] and land["hoe"] == "wooden_hoe"
    # vanilla growth: 7 ages at 3/4096 random ticks a tick and 1/(floor(25/f)+1) a tick; f=10 in a watered row
    assert wheat.ripen_ticks(10) == 7 * 4096 / 3 * 3 and wheat.ripen_ticks(4) == 7 * 4096 / 3 * 7
    assert wheat.ripen_ticks(10, tick_speed=300) == wheat.ripen_ticks(10) / 100
    assert kb.crops()["beetroots"].bone_meal == (0, 1) and wheat.bone_meal == (2, 5)
    # crops grow wild only in village farms, which the agent's world has none of: farmed, never found to mine
    assert kb.mined_from("wheat") == [] and kb.mined_from("carrot") == []
    sentences = kb.sentences_for("wheat")
    assert any("wheat grows from wheat_seeds planted on farmland" in s and "water within 4 blocks" in s
               and "1 wheat and 0-3 more wheat_seeds" in s for s in sentences)
    assert any("ripens by random ticks in about 28,672 ticks" in s for s in sentences)
    assert any("grows from wheat_seeds" in s for s in kb.sentences_for("wheat_seeds"))


CROP_HARVEST_JS = """
const registry = require('prismarine-registry')(require('./server/lib/version').mcVersion())
const Block = require('prismarine-block')(registry)
const rules = require('./server/lib/harvest')(registry)
const [crops, n] = JSON.parse(process.argv[1])
const out = crops.map(([name, age]) => {
  const block = Block.fromProperties(name, { age }, 0)
  const total = {}
  for (let i = 0; i < n; i++) for (const d of rules.drops(block, null)) total[d.name] = (total[d.name] ?? 0) + d.count
  return total
})
process.stdout.write(JSON.stringify(out))
"""


def test_the_servers_crop_loot_is_the_knowledge_bases(kb):
    node = need_node("harvest.js drops the crop table's loot")
    crops = list(kb.crops().values())
    cases = [[c.block, c.max_age] for c in crops] + [[c.block, 0] for c in crops]
    n = 4000
    out = subprocess.run([node, "-e", CROP_HARVEST_JS, json.dumps([cases, n])], cwd=ROOT / "bot_bridge",
                         check=True, capture_output=True, text=True, env=node_environ()).stdout
    totals = json.loads(out)
    for c, ripe, young in zip(crops, totals[:len(crops)], totals[len(crops):], strict=True):
        assert young == {c.seed: n}, c.block  # a young crop: its seed, once
        produce = ripe.pop(c.produce)  # one a ripe crop, with the bonus when the produce is its own seed (carrots)
        bonus = produce - n if c.bonus == c.produce else ripe.pop(c.bonus)
        assert c.bonus == c.produce or produce == n, c.block
        sd = math.sqrt(c.bonus_tries * c.bonus_chance * (1 - c.bonus_chance) / n)
        assert abs(bonus / n - c.bonus_mean) <= 5 * sd, (c.block, bonus / n)
        assert set(ripe) <= set(c.rare), (c.block, ripe)


def test_chickens_lay_eggs_to_collect(kb):
    egg = kb.special("egg")
    assert (egg.action, egg.near, egg.every) == ("collect", ("chicken",), (6000, 11999))  # vanilla Chicken.eggTime
    assert "To get egg, pick up the eggs chickens lay (each chicken lays one every 6000-11999 ticks while a player " \
           "is near)." in kb.sentences_for("egg")
