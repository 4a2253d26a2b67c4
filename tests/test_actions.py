"""Pure tests of the action layer: argument validation against the knowledge base and typed results."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from bot_bridge.actions import ActionArgError, ActionResult, Observation, mine_targets, validate
from bot_bridge.node_env import node_executable
from knowledge.base import KnowledgeBase


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def test_unknown_action_and_item_fail_clearly(kb):
    with pytest.raises(ActionArgError, match="unknown action"):
        validate(kb, "fly", {})
    with pytest.raises(ActionArgError, match="Unknown item or goal 'diamand'.*diamond"):
        validate(kb, "mine", {"object": "diamand"})
    with pytest.raises(ActionArgError, match="name missing"):
        validate(kb, "craft", {})


def test_mine_resolves_blocks_items_and_tool(kb):
    args = validate(kb, "mine", {"object": "raw_iron", "count": 3})
    assert set(args["blocks"]) == {"iron_ore", "deepslate_iron_ore"}
    assert args["items"] == ["raw_iron"] and args["count"] == 3
    blocks, items, tool = mine_targets(kb, "cobblestone")
    assert "stone" in blocks and items == ["cobblestone"] and tool == "wooden_pickaxe"
    blocks, items, tool = mine_targets(kb, "oak_log")
    assert "birch_log" in blocks and "birch_log" in items and tool is None  # any log will do
    assert validate(kb, "mine", {"object": "Diamond"})["blocks"] == ["deepslate_diamond_ore", "diamond_ore"]


def test_has_tool_tiers():  # the mine check's tool test (knowledge.facts)
    from knowledge.facts import has_tool

    assert has_tool({"iron_pickaxe": 1}, "stone_pickaxe")
    assert not has_tool({"wooden_pickaxe": 1}, "stone_pickaxe")
    assert not has_tool({"iron_axe": 1}, "stone_pickaxe")
    assert has_tool({}, None)


def test_mine_checks_the_tool_against_the_inventory(kb):
    with pytest.raises(ActionArgError, match="need stone_pickaxe to mine raw_iron"):
        validate(kb, "mine", {"object": "raw_iron"}, {"wooden_pickaxe": 1})
    assert validate(kb, "mine", {"object": "raw_iron"}, {"iron_pickaxe": 1})  # a better tier is fine
    with pytest.raises(ActionArgError, match="need iron_pickaxe to mine diamond"):
        validate(kb, "mine", {"object": "diamond"}, {"stone_pickaxe": 1})


def test_counts_and_heights_are_checked(kb):
    with pytest.raises(ActionArgError, match="count"):
        validate(kb, "craft", {"object": "stick", "count": 0})
    with pytest.raises(ActionArgError, match="whole number"):
        validate(kb, "craft", {"object": "stick", "count": "many"})
    with pytest.raises(ActionArgError, match="within -63..319"):
        validate(kb, "dig_down", {"y": -80})
    assert validate(kb, "dig_down", {"y": -58})["y"] == -58


def test_craft_smelt_place_validation(kb):
    with pytest.raises(ActionArgError, match="no crafting recipe"):
        validate(kb, "craft", {"object": "dirt"})
    s = validate(kb, "smelt", {"object": "iron_ingot", "count": 3})
    assert s["input"] == "raw_iron" and s["fuels"][0]["item"] == "coal" and s["fuels"][0]["smelts"] == 8
    assert any(f["item"] == "oak_planks" and f["smelts"] == 1.5 for f in s["fuels"])
    with pytest.raises(ActionArgError, match="not made by smelting"):
        validate(kb, "smelt", {"object": "stick"})
    with pytest.raises(ActionArgError, match="does not smelt into"):
        validate(kb, "smelt", {"object": "iron_ingot", "input": "sand"})
    with pytest.raises(ActionArgError, match="not a block"):
        validate(kb, "place", {"object": "stick"})
    with pytest.raises(ActionArgError, match="no furnace in inventory"):
        validate(kb, "place", {"object": "furnace"}, {})
    with pytest.raises(ActionArgError, match="unknown entity"):
        validate(kb, "attack", {"entity": "dragonn"})
    with pytest.raises(ActionArgError, match="strategy"):
        validate(kb, "explore", {"object": "diamond", "strategy": "teleport"})


def test_result_from_js_is_typed():
    raw = {"ok": False, "reason": "no iron_ore within 24 blocks", "action": "mine", "delta": {"dirt": 2},
           "inventory": {"dirt": 2}, "pos": {"x": 1.5, "y": 64, "z": -3.5}, "y": 64, "biome": "forest",
           "age": 1234, "ticks": 80, "wallMs": 4000, "died": 0, "found": 0}
    r = ActionResult.from_js("mine", raw)
    assert not r.ok and r.reason.startswith("no iron_ore") and r.delta == {"dirt": 2}
    assert r.pos == (1.5, 64, -3.5) and r.ticks == 80 and r.wall_s == 4.0 and r.details == {"found": 0}
    assert "FAILED: no iron_ore" in r.summary() and r.to_json()["details"] == {"found": 0}


def test_observation_prompt_is_compact():
    obs = Observation.from_js({
        "inventory": {"oak_log": 3}, "held": None, "pos": {"x": 0.5, "y": 70, "z": 2.5}, "y": 70,
        "biome": "forest", "timeOfDay": 1000, "age": 5000, "health": 20, "food": 18,
        "blocks": {"oak_log": {"count": 12, "nearest": 3.2, "at": [1, 70, 3]},
                   "iron_ore": {"count": 2, "nearest": 19.0, "at": [9, 50, 3]}},
        "entities": {"cow": 8.0}})
    text = obs.to_prompt()
    assert "3 oak_log" in text and "oak_log x12 (3 m)" in text and "iron_ore x2 (19 m)" in text
    assert "cow (8 m)" in text and len(text) < 600


def test_body_rejects_bad_arguments_without_the_bridge(kb):
    from bot_bridge.body import Body

    body = Body(port=1, kb=kb, bot=object())  # never connected: the bridge must not be touched
    body.inventory = {"oak_log": 1}
    r = body.act("mine", object="unobtainium")
    assert not r.ok and "Unknown item" in r.reason and r.details["invalid"]
    r = body.act("mine", object="raw_iron")
    assert not r.ok and r.reason == "need stone_pickaxe to mine raw_iron"
    r = body.act("dance")
    assert not r.ok and "unknown action" in r.reason


def test_approach_checks_its_object_against_the_knowledge_base(kb):
    assert validate(kb, "approach", {"object": "minecraft:gold_block"})["object"] == "gold_block"
    assert validate(kb, "approach", {"object": "zombie"})["object"] == "zombie"
    with pytest.raises(ActionArgError, match="Unknown item or goal 'gold_blok'"):
        validate(kb, "approach", {"object": "gold_blok"})
    with pytest.raises(ActionArgError, match="stick is neither a block nor an entity"):
        validate(kb, "approach", {"object": "stick"})


def test_equip_checks_the_destination(kb):
    assert validate(kb, "equip", {"object": "shield", "destination": "off-hand"})["destination"] == "off-hand"
    assert validate(kb, "equip", {"object": "stone_pickaxe"})["destination"] == "hand"
    with pytest.raises(ActionArgError, match="destination must be one of hand, off-hand"):
        validate(kb, "equip", {"object": "stone_pickaxe", "destination": "pocket"})


def test_craft_accepts_and_checks_materials_and_station(kb):
    args = validate(kb, "craft", {"object": "stick", "materials": ["birch_planks"], "station": "none"})
    assert args["materials"] == ["birch_planks"]
    assert validate(kb, "craft", {"object": "wooden_pickaxe", "station": "crafting_table"})["materials"] == []
    with pytest.raises(ActionArgError, match="no recipe for stick uses cobblestone"):
        validate(kb, "craft", {"object": "stick", "materials": ["cobblestone"]})
    with pytest.raises(ActionArgError, match="wooden_pickaxe needs a crafting_table, not station none"):
        validate(kb, "craft", {"object": "wooden_pickaxe", "station": "none"})
    with pytest.raises(ActionArgError, match="crafted, not smelted"):
        validate(kb, "craft", {"object": "stick", "station": "furnace"})
    with pytest.raises(ActionArgError, match="station must be crafting_table or none, not chest"):
        validate(kb, "craft", {"object": "stick", "station": "chest"})


def test_sheared_drops_need_shears(kb):
    for obj in ("oak_leaves", "cobweb", "short_grass"):
        blocks, items, tool = mine_targets(kb, obj)
        assert obj in blocks and items == [obj] and tool == "shears", (obj, blocks, items, tool)
        with pytest.raises(ActionArgError, match=f"^need shears to get {obj}$"):
            validate(kb, "mine", {"object": obj}, {"iron_sword": 1, "iron_axe": 1})
        assert validate(kb, "mine", {"object": obj}, {"shears": 1})["tool"] == "shears"
    with pytest.raises(ActionArgError, match="oak_leaves drops only when broken with shears, not iron_axe"):
        validate(kb, "mine", {"object": "oak_leaves", "tool": "iron_axe"}, {"shears": 1, "iron_axe": 1})
    # what the same blocks drop without shears is unchanged: string from cobweb wants a sword
    assert mine_targets(kb, "string") == (["cobweb"], ["string"], "wooden_sword")


def test_explore_underground_passes_the_ore_height(kb):
    assert validate(kb, "explore", {"object": "iron_ore", "strategy": "underground"})["y"] == kb.search_y("iron_ore")
    assert validate(kb, "explore", {"object": "raw_iron", "strategy": "underground"})["y"] == kb.search_y("iron_ore")
    assert validate(kb, "explore", {"object": "coal_ore", "strategy": "underground"})["y"] == kb.search_y("coal")
    assert validate(kb, "explore", {"object": "diamond", "strategy": "underground", "y": -50})["y"] == -50
    assert "y" not in validate(kb, "explore", {"object": "iron_ore"})  # surface: no descent
    assert "y" not in validate(kb, "explore", {"object": "oak_log", "strategy": "underground"})
    with pytest.raises(ActionArgError, match="within -63..319"):
        validate(kb, "explore", {"object": "iron_ore", "strategy": "underground", "y": -90})


# -- one record per action: the schema, the validator, the body's limits and the JS skills read the registry --

SKILLS = Path(__file__).resolve().parents[1] / "bot_bridge" / "skills"


def _schema_names(schema) -> set[str]:
    return {alt["properties"]["name"]["enum"][0] for alt in schema["properties"]["action_list"]["items"]["anyOf"]}


def test_every_record_is_offered_for_its_subgoal_kinds(kb):
    from bot_bridge.actions import ACTIONS, planner_actions, subgoal_actions
    from gitm.llm.planner import vocabulary_for
    from gitm.llm.prompts import SubGoalView
    from gitm.llm.reply import reply_schema

    assert _schema_names(reply_schema()) == {a.name for a in ACTIONS.values() if a.planner}
    assert "observe" in ACTIONS and not ACTIONS["observe"].planner and "observe" not in _schema_names(reply_schema())
    goals = {"mine": ("iron_ore", "stone_pickaxe"), "craft": ("stick", None), "smelt": ("iron_ingot", "furnace"),
             "kill": ("beef", None), "use": ("milk_bucket", None), "farm": ("wheat", "wooden_hoe"),
             "collect": ("egg", None)}
    inventory = {"stone_pickaxe": 1, "iron_sword": 1, "furnace": 1, "crafting_table": 1, "wooden_hoe": 1}
    assert set(subgoal_actions()) == set(goals)
    for kind, (obj, tool) in goals.items():
        vocab = vocabulary_for(kb, SubGoalView(obj, 1, tool=tool, action=kind), inventory)
        offered = _schema_names(reply_schema(planner_actions(), vocab))
        expected = {a.name for a in planner_actions() if kind in a.subgoal_kinds}
        assert offered == expected, kind  # explore for a mob's drop looks for the mob


def test_a_registered_action_reaches_schema_prompt_validation_and_body(kb, monkeypatch):
    from bot_bridge.actions import ACTIONS, Action, Arg, default_limits, subgoal_actions
    from bot_bridge.body import Body
    from gitm.llm.prompts import system_prompt
    from gitm.llm.reply import reply_schema, validate_reply

    def check(kb_, args, inventory):
        if args.get("object") == "stone":
            raise ActionArgError("stone cannot wave")
        return {"object": kb_.canonical(args["object"]), "times": 2}

    wave = Action("wave", "wave an item at the sky", (Arg("object", "item"),), 7, ("craft",), check)
    monkeypatch.setitem(ACTIONS, "wave", wave)
    assert "wave" in _schema_names(reply_schema())
    assert "- wave(object: item): wave an item at the sky" in system_prompt()
    assert subgoal_actions()["craft"] == ("craft", "place", "wave")
    assert validate(kb, "wave", {"object": "stick"}) == {"object": "stick", "times": 2}
    reply = {"thoughts": "", "action_list": [{"name": "wave", "args": {"object": "stick"}, "expectation": ""}]}
    assert validate_reply(reply, kb).ok
    reply["action_list"][0]["args"]["object"] = "stone"
    assert "stone cannot wave" in " ".join(validate_reply(reply, kb).errors)
    assert default_limits()["wave"] == 7

    body = Body(port=1, kb=kb, bot=object())  # the bridge replaced by a recorder of what it is sent
    sent = []
    monkeypatch.setattr(body, "_call", lambda name, args, limit: sent.append((name, args, limit)) or {"ok": True})
    assert body.act("wave", object="stick").ok and sent == [("wave", {"object": "stick", "times": 2}, 7.0)]
    assert body.act("mine", object="oak_log").ok and sent[-1][2] == ACTIONS["mine"].limit_s


def test_every_record_has_a_js_skill_and_the_dispatcher_no_map():
    from bot_bridge.actions import ACTIONS

    for name in ACTIONS:
        text = (SKILLS / f"{name}.js").read_text()
        assert "module.exports = { skill: " in text, name
    dispatcher = re.sub(r"//.*|'use strict'", "", (SKILLS / "actions.js").read_text())
    named = {n for n in ACTIONS if re.search(rf"\b{n}\b|\b{n.replace('_', '')}\b", dispatcher, re.I)}
    assert named == {"observe"}  # the body's own read-out is answered without the bookkeeping of an action
    loaded = subprocess.run(
        [node_executable(), "-e", "const p = require('path'); for (const n of process.argv.slice(1)) "
         "{ if (typeof require(p.join(process.cwd(), n + '.js')).skill !== 'function') throw new Error(n) }",
         *ACTIONS], cwd=SKILLS, capture_output=True, text=True, timeout=60)
    assert loaded.returncode == 0, loaded.stderr


def test_bot_bridge_and_the_planner_hold_no_copies_of_game_facts():
    root = Path(__file__).resolve().parents[1]
    for path in [*(root / "bot_bridge").glob("*.py"), *(root / "bot_bridge" / "actions").glob("*.py"),
                 root / "gitm" / "llm" / "reply.py"]:
        text = path.read_text()
        for literal in ("2304", "-63", "319", "ORE_Y", "LOG_BLOCKS", "TOOL_TIERS =", "def has_tool"):
            assert literal not in text, (path, literal)
        assert "import gitm" not in text and "from gitm" not in text or path.name == "reply.py", path


def test_attack_holds_the_weapon_that_deals_most_damage_a_second(kb):
    from knowledge.facts import best_weapon

    assert best_weapon({}) is None and best_weapon({"stick": 3}) is None
    assert best_weapon({"stone_axe": 1, "stone_sword": 1}) == "stone_sword"  # 9 x 0.8 a second < 5 x 1.6
    assert best_weapon({"wooden_sword": 1, "iron_axe": 1}) == "iron_axe"
    assert validate(kb, "attack", {"entity": "cow"}, {"iron_sword": 1, "wooden_sword": 1})["weapon"] == "iron_sword"
    assert "weapon" not in validate(kb, "attack", {"entity": "minecraft:cow"}, {"dirt": 1})
    with pytest.raises(ActionArgError, match="unknown entity"):
        validate(kb, "attack", {"entity": "dragonfly"})


def test_a_wool_colour_picks_the_sheep(kb):
    assert validate(kb, "attack", {"entity": "sheep", "wool": "white"})["wool"] == 0  # DyeColor ids
    assert validate(kb, "use", {"object": "shears", "target": "sheep", "wool": "black"}, {"shears": 1})["wool"] == 15
    assert validate(kb, "explore", {"object": "sheep", "wool": "white"})["wool"] == 0
    assert "wool" not in validate(kb, "attack", {"entity": "sheep"})
    with pytest.raises(ActionArgError, match="wool must be one of"):
        validate(kb, "attack", {"entity": "sheep", "wool": "plaid"})


def test_explore_looks_for_animals_on_the_surface_and_monsters_also_underground(kb):
    args = validate(kb, "explore", {"object": "sheep", "strategy": "underground"})
    assert args["entities"] == ["sheep"] and args["strategy"] == "surface"
    assert "entities" not in validate(kb, "explore", {"object": "iron_ore", "strategy": "underground"})
    args = validate(kb, "explore", {"object": "zombie", "also": ["minecraft:husk"], "strategy": "underground"})
    assert args["entities"] == ["zombie", "husk"] and args["strategy"] == "underground"
    # any of several: one that is no monster keeps the search on the surface
    mixed = validate(kb, "explore", {"object": "zombie", "also": ["cow"], "strategy": "underground"})
    assert mixed["strategy"] == "surface"
    with pytest.raises(ActionArgError, match="unknown mob"):
        validate(kb, "explore", {"object": "zombie", "also": ["dragonfly"]})
    assert validate(kb, "explore", {"object": "water"})["blocks"] == ["water"]  # a block that is no item


def test_use_holds_an_item_on_a_mob_or_a_block(kb):
    assert validate(kb, "use", {"object": "bucket", "target": "cow"}, {"bucket": 1})["entity"] is True
    assert validate(kb, "use", {"object": "bucket", "target": "minecraft:water"}, {"bucket": 1})["entity"] is False
    with pytest.raises(ActionArgError, match="no shears in inventory"):
        validate(kb, "use", {"object": "shears", "target": "sheep"}, {"bucket": 1})
    with pytest.raises(ActionArgError, match="neither a mob nor a block"):
        validate(kb, "use", {"object": "bucket", "target": "cloud"})


def test_farm_grows_a_crops_produce_with_a_hoe(kb):
    args = validate(kb, "farm", {"object": "wheat", "count": 3}, {"iron_hoe": 1, "wheat_seeds": 3})  # any hoe tills
    assert (args["crop"], args["seed"], args["ripe"], args["count"]) == ("wheat", "wheat_seeds", 7, 3)
    assert "grass_block" in args["soil"] and args["waterReach"] == 4
    with pytest.raises(ActionArgError, match="need a hoe"):
        validate(kb, "farm", {"object": "wheat"}, {"wheat_seeds": 3})
    with pytest.raises(ActionArgError, match="no crop grows iron_ingot"):
        validate(kb, "farm", {"object": "iron_ingot"}, {"wooden_hoe": 1})


def test_collect_waits_by_the_mobs_that_lay_the_item(kb):
    assert validate(kb, "collect", {"object": "egg"}) == {"object": "egg", "near": ["chicken"], "radius": 32}
    assert validate(kb, "collect", {"object": "stick"})["near"] == []  # any item lying about
