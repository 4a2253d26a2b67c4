"""The decomposer, checked against Minecraft's rules rather than against its own output."""

from __future__ import annotations

import math

import pytest

from gitm.tree.decomposer import MissingItemsError, Plan, UnobtainableError, decompose
from gitm.tree.techtree import tech_tree
from knowledge.errors import UnknownItemError

GATHER = {"mine", "kill", "use", "collect"}


def check_plan(plan: Plan) -> None:
    """Rules every plan must follow, whatever the goal."""
    objects = [s.object for s in plan.steps]
    assert len(objects) == len(set(objects)), "an item appears twice: stations and materials must be shared"
    assert objects[-1] == plan.goal
    done: set[str] = set()
    for s in plan.steps:
        for dep in (*s.needs, *s.material, *([s.tool] if s.tool else [])):
            assert dep in done or plan.inventory.get(dep, 0) > 0 or _better_tool_held(plan, dep), (
                f"{s.object} uses {dep} before it is obtained")
        done.add(s.object)
    # Mass balance: what the plan produces plus the inventory covers everything it consumes.
    produced = {s.object: s.count for s in plan.steps}
    consumed: dict[str, int] = {plan.goal: plan.count}
    for s in plan.steps:
        for m, n in s.material.items():
            consumed[m] = consumed.get(m, 0) + n
    for item, n in consumed.items():
        assert produced.get(item, 0) + plan.inventory.get(item, 0) >= n, f"short of {item}"
    assert any(s.action in GATHER for s in plan.steps) or plan.inventory


def _better_tool_held(plan: Plan, tool: str) -> bool:
    kind = tool.split("_", 1)[-1]
    return any(k.endswith("_" + kind) and n > 0 for k, n in plan.inventory.items())


def test_obtain_diamond_from_empty_inventory():
    plan = decompose("ObtainDiamond")
    check_plan(plan)
    got = [(s.object, s.count, s.action, s.tool) for s in plan.steps]
    # Sticks: 2 each for the wooden, stone and iron pickaxe = 6 -> 2 crafts of 4 = 8 (2 planks each).
    # Cobblestone: 3 (stone_pickaxe) + 8 (furnace) = 11. Iron: 3 ingots, smelted from 3 raw_iron.
    # Fuel: planks burn 300 ticks = 1.5 smelts, so 3 smelts need 2 planks.
    # Planks: 4 (crafting_table) + 3 (wooden_pickaxe) + 4 (sticks) + 2 (fuel) = 13 -> 4 logs -> 16.
    assert got == [
        ("oak_log", 4, "mine", None),
        ("oak_planks", 16, "craft", None),
        ("crafting_table", 1, "craft", None),
        ("stick", 8, "craft", None),
        ("wooden_pickaxe", 1, "craft", "crafting_table"),
        ("cobblestone", 11, "mine", "wooden_pickaxe"),
        ("stone_pickaxe", 1, "craft", "crafting_table"),
        ("furnace", 1, "craft", "crafting_table"),
        ("raw_iron", 3, "mine", "stone_pickaxe"),
        ("iron_ingot", 3, "smelt", "furnace"),
        ("iron_pickaxe", 1, "craft", "crafting_table"),
        ("diamond", 1, "mine", "iron_pickaxe"),
    ]
    assert plan.step("iron_ingot").material == {"raw_iron": 3, "oak_planks": 2}
    assert plan.step("iron_pickaxe").material == {"iron_ingot": 3, "stick": 2}
    assert plan.step("stick").times == 2
    assert "diamond_ore" in plan.step("diamond").info and "iron_ore" in plan.step("raw_iron").info


def _materials(plan: Plan) -> set[str]:
    return {s.object for s in plan.steps}


def _wood(logs: int) -> list[tuple]:
    """logs -> 4 planks each (inventory grid) -> the crafting_table (4 planks)."""
    return [("oak_log", logs, "mine", None), ("oak_planks", 4 * logs, "craft", None),
            ("crafting_table", 1, "craft", None)]


def _wooden(sticks: int, cobblestone: int) -> list[tuple]:
    """Sticks (4 per craft) -> wooden_pickaxe -> cobblestone."""
    return [("stick", sticks, "craft", None), ("wooden_pickaxe", 1, "craft", "crafting_table"),
            ("cobblestone", cobblestone, "mine", "wooden_pickaxe")]


def _iron(ingots: int) -> list[tuple]:
    """stone_pickaxe and furnace -> raw iron -> iron ingots."""
    return [("stone_pickaxe", 1, "craft", "crafting_table"), ("furnace", 1, "craft", "crafting_table"),
            ("raw_iron", ingots, "mine", "stone_pickaxe"), ("iron_ingot", ingots, "smelt", "furnace")]


# Worked out from the vanilla recipes. Planks burn 300 ticks = 1.5 smelts, so n smelts burn ceil(n / 1.5) planks;
# pickaxes take 3 of their material and 2 sticks; cobblestone: 3 (stone_pickaxe) + 8 (furnace).
PINNED = {
    # 4 torches = 1 coal + 1 stick. Sticks 2 + 1 -> one craft (2 planks); planks 4 + 2 + 3 = 9 -> 3 logs.
    "torch": _wood(3) + [("stick", 4, "craft", None), ("wooden_pickaxe", 1, "craft", "crafting_table"),
                         ("coal", 1, "mine", "wooden_pickaxe"), ("torch", 4, "craft", None)],
    # 3 iron ingots; sticks 2 + 2 = 4; planks 4 + 2 + 3 + 2 (fuel for 3 smelts) = 11 -> 3 logs.
    "bucket": _wood(3) + _wooden(4, 11) + _iron(3) + [("bucket", 1, "craft", "crafting_table")],
    # 6 planks + 1 iron ingot; planks 4 + 2 + 3 + 1 (fuel) + 6 = 16 -> 4 logs.
    "shield": _wood(4) + _wooden(4, 11) + _iron(1) + [("shield", 1, "craft", "crafting_table")],
    # book (3 paper from 3 sugar_cane, 1 leather) + 2 diamonds + 4 obsidian (diamond_pickaxe: 3 more diamonds);
    # sticks for four pickaxes = 8 (4 planks); planks 4 + 4 + 3 + 2 (fuel) = 13 -> 4 logs.
    "enchanting_table": [
        ("oak_log", 4, "mine", None), ("sugar_cane", 3, "mine", None), ("leather", 1, "kill", None),
        ("oak_planks", 16, "craft", None), ("crafting_table", 1, "craft", None), ("stick", 8, "craft", None),
        ("paper", 3, "craft", "crafting_table"), ("wooden_pickaxe", 1, "craft", "crafting_table"),
        ("book", 1, "craft", None), ("cobblestone", 11, "mine", "wooden_pickaxe"), *_iron(3),
        ("iron_pickaxe", 1, "craft", "crafting_table"),
        ("diamond", 5, "mine", "iron_pickaxe"), ("diamond_pickaxe", 1, "craft", "crafting_table"),
        ("obsidian", 4, "mine", "diamond_pickaxe"), ("enchanting_table", 1, "craft", "crafting_table"),
    ],
    # 8 gold ingots (gold ore needs an iron_pickaxe) + 1 apple from oak leaves;
    # planks 4 + 4 (8 sticks) + 3 + 2 (3 iron smelts) + 6 (8 gold smelts) = 19 -> 5 logs.
    "golden_apple": [("oak_log", 5, "mine", None), ("apple", 1, "mine", None), ("oak_planks", 20, "craft", None),
                     ("crafting_table", 1, "craft", None), *_wooden(8, 11), *_iron(3),
                     ("iron_pickaxe", 1, "craft", "crafting_table"), ("raw_gold", 8, "mine", "iron_pickaxe"),
                     ("gold_ingot", 8, "smelt", "furnace"), ("golden_apple", 1, "craft", "crafting_table")],
    # 4 iron + 1 redstone (an iron_pickaxe: 3 more iron; one redstone_ore drops 4);
    # planks 4 + 4 + 3 + 5 (7 smelts) = 16 -> 4 logs.
    "compass": _wood(4) + _wooden(8, 11) + _iron(7) + [
        ("iron_pickaxe", 1, "craft", "crafting_table"), ("redstone", 4, "mine", "iron_pickaxe"),
        ("compass", 1, "craft", "crafting_table")],
    # 8 cobblestone; planks 4 + 2 + 3 = 9 -> 3 logs.
    "furnace": _wood(3) + _wooden(4, 8) + [("furnace", 1, "craft", "crafting_table")],
    # 8 planks + 4 for the table = 12 -> 3 logs.
    "chest": _wood(3) + [("chest", 1, "craft", "crafting_table")],
    # 1 sand smelted with 1 plank; planks 4 + 2 + 3 + 1 = 10 -> 3 logs.
    "glass": [("sand", 1, "mine", None), *_wood(3), *_wooden(4, 8), ("furnace", 1, "craft", "crafting_table"),
              ("glass", 1, "smelt", "furnace")],
    # 3 wheat (grown crops) at a crafting_table.
    # 3 wheat farmed from 3 seeds (8 grass each) with a wooden hoe; planks 4 + 2 (hoe) + 2 (sticks) = 8 -> 2 logs.
    "bread": [("oak_log", 2, "mine", None), ("wheat_seeds", 3, "mine", None), ("oak_planks", 8, "craft", None),
              ("crafting_table", 1, "craft", None), ("stick", 4, "craft", None),
              ("wooden_hoe", 1, "craft", "crafting_table"), ("wheat", 3, "farm", "wooden_hoe"),
              ("bread", 1, "craft", "crafting_table")],
    # 4 gold + 1 redstone; planks 4 + 4 + 3 + 2 (3 iron) + 3 (4 gold) = 16 -> 4 logs.
    "clock": _wood(4) + _wooden(8, 11) + _iron(3) + [
        ("iron_pickaxe", 1, "craft", "crafting_table"), ("raw_gold", 4, "mine", "iron_pickaxe"),
        ("redstone", 4, "mine", "iron_pickaxe"), ("gold_ingot", 4, "smelt", "furnace"),
        ("clock", 1, "craft", "crafting_table")],
    # 3 wool (3 sheep killed, 1 each) + 3 planks; planks 4 + 3 = 7 -> 2 logs.
    "white_bed": [("oak_log", 2, "mine", None), ("white_wool", 3, "kill", None), ("oak_planks", 8, "craft", None),
                  ("crafting_table", 1, "craft", None), ("white_bed", 1, "craft", "crafting_table")],
}


@pytest.mark.parametrize("goal", sorted(PINNED))
def test_goals_decompose_exactly(goal):
    plan = decompose(goal)
    check_plan(plan)
    assert [(s.object, s.count, s.action, s.tool) for s in plan.steps] == PINNED[goal]


@pytest.mark.parametrize(
    ("goal", "must_include"),
    [
        ("crafting_table", {"oak_planks", "oak_log"}),
        ("stick", {"oak_planks"}),
        ("iron_pickaxe", {"raw_iron", "stone_pickaxe", "furnace"}),
        ("water_bucket", {"bucket"}),
    ],
)
def test_goals_decompose_with_the_right_materials(goal, must_include):
    plan = decompose(goal)
    check_plan(plan)
    assert must_include <= _materials(plan)


def test_monsters_are_hunted_with_a_pickaxe_and_cobwebs_are_no_first_choice():
    # by day a monster is in the dark below ground: its kill way takes a pickaxe to dig there; a cobweb is found
    # only in structures (mineshafts), so string comes from spiders
    string = decompose("string")
    check_plan(string)
    assert [(s.object, s.action, s.tool) for s in string.steps][-1] == ("string", "kill", "wooden_pickaxe")
    assert "wooden_pickaxe" in {s.object for s in string.steps}
    beef = decompose("beef")  # animals: nothing to dig
    assert [(s.action, s.tool) for s in beef.steps] == [("kill", None)]


def test_specific_counts_follow_recipes():
    torch = decompose("torch", 8)
    # 4 torches per craft (1 coal + 1 stick): 8 torches = 2 crafts = 2 coal, 2 sticks (1 craft of sticks).
    assert torch.step("torch").material == {"coal": 2, "stick": 2} and torch.step("torch").times == 2
    assert torch.step("coal").count == 2 and torch.step("stick").count == 4
    table = decompose("enchanting_table")
    assert table.step("diamond").count == 2 + 3  # 2 for the table, 3 for the diamond pickaxe
    assert table.step("obsidian").count == 4 and table.step("obsidian").tool == "diamond_pickaxe"
    assert table.step("paper").count == 3 and table.step("sugar_cane").count == 3
    compass = decompose("compass")
    assert compass.step("iron_ingot").count == 4 + 3  # compass + iron_pickaxe for the redstone ore
    apple = decompose("golden_apple").step("apple")
    assert apple.count == 1 and apple.times == math.ceil(1 / 0.005)  # leaves drop apples 0.5% of the time


def test_inventory_reduces_work():
    empty = decompose("iron_pickaxe")
    have = decompose("iron_pickaxe", inventory={"iron_ingot": 3, "stick": 2, "crafting_table": 1})
    check_plan(have)
    assert [s.object for s in have.steps] == ["iron_pickaxe"]
    partial = decompose("iron_pickaxe", inventory={"iron_ingot": 1})
    check_plan(partial)
    assert partial.step("iron_ingot").count == 2
    assert sum(s.times for s in partial.steps) < sum(s.times for s in empty.steps)
    assert decompose("torch", 8, {"coal": 2, "stick": 4}).steps[0].object == "torch"


def test_inventory_group_members_and_better_tools_count():
    plan = decompose("crafting_table", inventory={"birch_planks": 2, "spruce_planks": 2})
    assert [s.object for s in plan.steps] == ["crafting_table"]
    assert plan.step("crafting_table").material == {"birch_planks": 2, "spruce_planks": 2}
    diamond = decompose("diamond", inventory={"diamond_pickaxe": 1})
    assert [s.object for s in diamond.steps] == ["diamond"]  # a better pickaxe will do
    held_fuel = decompose("iron_ingot", 8, {"coal": 1, "raw_iron": 8, "furnace": 1})
    assert held_fuel.step("iron_ingot").material == {"raw_iron": 8, "coal": 1}  # 1 coal smelts 8


def test_recipe_cycles_terminate():
    block = decompose("iron_block")
    check_plan(block)
    assert block.step("iron_ingot").count == 9 and block.step("iron_ingot").action == "smelt"
    ingot = decompose("iron_ingot", inventory={"iron_block": 1})
    check_plan(ingot)  # a held block is one craft into 9 ingots, and the block <-> ingot loop stays closed
    assert [(s.object, s.count, s.action, s.material) for s in ingot.steps] == [
        ("iron_ingot", 9, "craft", {"iron_block": 1})]
    nine = decompose("iron_pickaxe", inventory={"iron_block": 1})
    check_plan(nine)
    assert nine.step("iron_ingot").material == {"iron_block": 1} and "raw_iron" not in _materials(nine)
    more = decompose("iron_ingot", 10, {"iron_block": 1})  # one block is not enough: smelt them all
    check_plan(more)
    assert more.step("iron_ingot").action == "smelt" and more.step("raw_iron").count == 10
    # each of these crafts both ways with its partner (nugget <-> ingot, block <-> ingot/gem, hay <-> wheat, slime):
    # the decomposition ends, with a plan that makes the goal (an UnobtainableError fails the test too)
    for goal in ("iron_nugget", "gold_block", "diamond_block", "hay_block", "slime_block"):
        plan = decompose(goal)
        check_plan(plan)
        assert plan.steps and plan.steps[-1].object == goal and plan.step(goal).action == "craft", (goal, plan.steps)


def test_unobtainable_items_give_reasons():
    with pytest.raises(UnobtainableError) as e:
        decompose("blaze_powder")
    assert e.value.kind == "nether" and e.value.via == "blaze_rod"
    with pytest.raises(UnobtainableError) as e:
        decompose("command_block")
    assert e.value.kind == "creative"
    with pytest.raises(UnobtainableError) as e:
        decompose("purpur_block")
    assert e.value.kind == "end"


@pytest.mark.parametrize(
    ("alias", "item"),
    [
        ("ObtainDiamond", "diamond"),
        ("ObtainIronPickaxe", "iron_pickaxe"),
        ("ObtainStonePickaxe", "stone_pickaxe"),
        ("ObtainWoodenPickaxe", "wooden_pickaxe"),
        ("ObtainCraftingTable", "crafting_table"),
        ("ObtainIronIngot", "iron_ingot"),
        ("ObtainFurnace", "furnace"),
        ("ObtainLog", "oak_log"),
        ("ObtainCobblestone", "cobblestone"),
        ("obtain_iron_pickaxe", "iron_pickaxe"),
        ("IRON_PICKAXE", "iron_pickaxe"),
        ("Diamond", "diamond"),
    ],
)
def test_goal_aliases(alias, item):
    assert decompose(alias).goal == item


def test_unknown_goal_suggests_close_matches():
    with pytest.raises(UnknownItemError) as e:
        decompose("ObtainDiamondPickax")
    assert "diamond_pickaxe" in e.value.suggestions
    with pytest.raises(UnknownItemError):
        decompose("flux_capacitor")


def test_planks_take_any_member_of_the_log_tag():
    for log in ("oak_wood", "stripped_oak_log", "stripped_oak_wood"):
        plan = decompose("crafting_table", inventory={log: 1})
        check_plan(plan)
        assert [(s.object, s.material) for s in plan.steps] == [
            ("oak_planks", {log: 1}), ("crafting_table", {"oak_planks": 4})]


def test_held_members_that_cannot_be_made_are_used_up_first():
    plan = decompose("crafting_table", inventory={"crimson_planks": 1})  # crimson wood is Nether-only
    check_plan(plan)
    assert plan.step("crafting_table").material == {"crimson_planks": 1, "oak_planks": 3}
    assert plan.step("oak_log").count == 1


def test_held_coal_is_burnt_before_making_fuel():
    plan = decompose("iron_ingot", 10, {"coal": 1, "raw_iron": 10, "furnace": 1})
    # 1 coal covers 8 smelts; the other 2 need ceil(2 / 1.5) = 2 planks.
    assert plan.step("iron_ingot").material == {"raw_iron": 10, "coal": 1, "oak_planks": 2}
    check_plan(plan)


def test_ties_prefer_the_woods_of_the_embedded_world():
    charcoal = decompose("charcoal")
    check_plan(charcoal)
    mined = [s.object for s in charcoal.steps if s.action == "mine"]
    assert mined == ["oak_log", "cobblestone"]  # smelt an oak_log, fuel from oak planks: one kind of tree
    assert charcoal.step("charcoal").material == {"oak_log": 1, "oak_planks": 1}
    assert decompose("golden_apple").step("apple").info.startswith("mine oak_leaves")
    assert tech_tree().kb.recipes_for("stick")[0].ingredients[0].items[:3] == (
        "oak_planks", "birch_planks", "acacia_planks")


def test_every_item_plans_or_says_why_not():
    kinds = {"creative", "nether", "end", "mob_drop", "loot", "silk_touch", "no_source"}
    planned = blocked = 0
    for item in tech_tree().kb.all_item_names():  # a recipe loop would raise GitmError or recurse without end
        try:
            plan = decompose(item)
        except UnobtainableError as e:
            assert e.kind in kinds and e.reason, item
            blocked += 1
            continue
        check_plan(plan)
        planned += 1
    assert planned > 800 and blocked > 0


def _actions(plan: Plan) -> list[tuple[str, str, dict[str, int]]]:
    return [(s.action, s.object, s.material) for s in plan.steps]


@pytest.mark.parametrize(
    ("goal", "have", "expected"),
    [
        # Chains from what is held, not a flower picked elsewhere.
        ("white_dye", {"bone": 1}, [("craft", "bone_meal", {"bone": 1}), ("craft", "white_dye", {"bone_meal": 1})]),
        ("cyan_dye", {"cornflower": 1, "green_dye": 1},
         [("craft", "blue_dye", {"cornflower": 1}), ("craft", "cyan_dye", {"blue_dye": 1, "green_dye": 1})]),
        # The variant follows the held wood, stripped logs included.
        ("stick", {"stripped_birch_log": 1},
         [("craft", "birch_planks", {"stripped_birch_log": 1}), ("craft", "stick", {"birch_planks": 2})]),
        # What only the inventory can supply is used when held.
        ("quartz_block", {"quartz": 4}, [("craft", "quartz_block", {"quartz": 4})]),
        ("blaze_powder", {"blaze_rod": 1}, [("craft", "blaze_powder", {"blaze_rod": 1})]),
        # Held smeltables are smelted, with the held fuel.
        ("glass", {"red_sand": 1, "furnace": 1, "coal": 1}, [("smelt", "glass", {"red_sand": 1, "coal": 1})]),
        ("diamond", {"diamond_ore": 1, "furnace": 1, "charcoal": 1},
         [("smelt", "diamond", {"diamond_ore": 1, "charcoal": 1})]),
    ],
)
def test_plans_from_what_is_held(goal, have, expected):
    plan = decompose(goal, inventory=have)
    check_plan(plan)
    assert _actions(plan) == expected


def test_held_items_replace_gathering_where_they_can():
    glass = decompose("glass", inventory={"red_sand": 8})
    check_plan(glass)
    assert "sand" not in _materials(glass) and glass.step("glass").material["red_sand"] == 1
    diamond = decompose("diamond", inventory={"diamond_ore": 1})
    check_plan(diamond)  # smelting the held ore needs a wooden pickaxe for the furnace's stone, not an iron one
    assert diamond.step("diamond").action == "smelt" and "iron_pickaxe" not in _materials(diamond)
    slab = decompose("diorite_slab", inventory={"diorite": 3})
    check_plan(slab)
    assert slab.step("diorite_slab").material == {"diorite": 3} and "diorite" not in _materials(slab)
    birch = decompose("birch_slab", inventory={"birch_log": 1})
    check_plan(birch)
    # The held log and one more make the slab's planks and the table's: one log mined, and no birch wood made.
    assert [s.object for s in birch.steps if s.action == "mine"] == ["birch_log"] and birch.step("birch_log").count == 1
    assert "birch_wood" not in _materials(birch) and birch.step("birch_planks").material == {"birch_log": 2}


def test_fewest_crafts_when_the_inventory_suffices():
    # Sticks from held planks: one craft, although the logs held could make planks too.
    plan = decompose("stick", 4, {"oak_planks": 2, "oak_log": 1})
    assert _actions(plan) == [("craft", "stick", {"oak_planks": 2})]
    # 8 sticks: 2 crafts of 4; 4 planks from the log make 4 more sticks than one craft of planks could.
    plan = decompose("stick", 8, {"oak_log": 1})
    assert [(a, o) for a, o, _ in _actions(plan)] == [("craft", "oak_planks"), ("craft", "stick")]
    assert plan.step("stick").times == 2


def test_verdicts_tell_missing_from_unobtainable():
    with pytest.raises(MissingItemsError) as e:
        decompose("quartz_block", inventory={"quartz": 2})
    assert e.value.missing == {"quartz": 2} and "from this inventory" in str(e.value)
    with pytest.raises(UnobtainableError) as u:
        decompose("quartz_block")
    assert u.value.kind == "nether" and u.value.via == "quartz"
    with pytest.raises(UnobtainableError) as u:
        decompose("ender_eye", inventory={"ender_pearl": 1})  # the pearl is held; blaze powder is not
    assert u.value.kind == "nether" and u.value.via == "blaze_rod"
    with pytest.raises(MissingItemsError) as e:
        decompose("iron_pickaxe", inventory={"stick": 2}, gather=False)
    assert e.value.missing == {"iron_ingot": 3, "crafting_table": 1} and not e.value.gather
    assert not issubclass(MissingItemsError, UnobtainableError) and not issubclass(UnobtainableError, MissingItemsError)


def test_no_gather_crafts_and_smelts_only():
    plan = decompose("iron_pickaxe", inventory={"raw_iron": 3, "stick": 2, "crafting_table": 1}, gather=False,
                     furnace=True)
    check_plan(plan)
    assert _actions(plan) == [("smelt", "iron_ingot", {"raw_iron": 3}),
                              ("craft", "iron_pickaxe", {"iron_ingot": 3, "stick": 2})]
    with pytest.raises(MissingItemsError) as e:  # without --furnace the furnace and its fuel must be held
        decompose("iron_pickaxe", inventory={"raw_iron": 3, "stick": 2, "crafting_table": 1}, gather=False)
    assert e.value.missing
    assert all(s.action in ("craft", "smelt") for s in decompose(
        "torch", 4, {"oak_log": 1, "charcoal": 1}, gather=False).steps)


@pytest.mark.parametrize(
    ("goal", "count", "have", "actions"),
    [
        # Whole yields: dye a carpet cut from white wool (5) rather than dye the wool first (6).
        ("red_carpet", 1, {"rose_bush": 1, "string": 8}, 5),
        # The held logs make the gates' planks only: sticks from the bamboo held (2 planks, 16 sticks, 4 gates).
        ("spruce_fence_gate", 4, {"bamboo": 32, "crafting_table": 1, "spruce_log": 2}, 22),
        # The blaze rod is the bulb's, so the coal is burnt.
        ("exposed_copper_bulb", 4, {"blaze_rod": 1, "coal": 2, "crafting_table": 1, "exposed_copper": 3,
                                    "furnace": 1, "redstone_ore": 9}, 2),
        # The cherry planks are the boat's; the chest takes planks made from the oak wood.
        ("cherry_chest_boat", 1, {"cherry_planks": 5, "crafting_table": 1, "oak_wood": 2}, 5),
        # A held log burns as it is: no planks made for fuel.
        ("terracotta", 2, {"brown_dye": 4, "cherry_wood": 4, "clay_ball": 8, "furnace": 1}, 4),
    ],
)
def test_no_gather_finds_the_fewest_actions(goal, count, have, actions):
    """Step counts from an exhaustive search over recipe applications (bench/inventory_tasks.py)."""
    plan = decompose(goal, count, have, gather=False)
    check_plan(plan)
    assert sum(s.times for s in plan.steps) == actions


def test_mid_run_inventories_keep_the_obtain_diamond_plan():
    # Held birch logs make the planks (one more log mined), not oak logs nor birch wood.
    birch = decompose("diamond", inventory={"birch_log": 3})
    check_plan(birch)
    assert [(s.object, s.count) for s in birch.steps if s.action == "mine"][:1] == [("birch_log", 1)]
    assert "oak_log" not in _materials(birch) and "birch_wood" not in _materials(birch)
    # With a wooden pickaxe held the fuel is still planks: no coal block from nine coal for three smelts.
    held = {"wooden_pickaxe": 1, "crafting_table": 1, "oak_planks": 5, "stick": 2, "cobblestone": 3}
    plan = decompose("diamond", inventory=held)
    check_plan(plan)
    assert [s.object for s in plan.steps] == ["cobblestone", "stick", "furnace", "stone_pickaxe", "raw_iron",
                                              "iron_ingot", "iron_pickaxe", "diamond"]


def test_held_coal_starts_the_furnace_that_smelts_more_coal():
    # 9 coal for the block, 2 held: one burnt smelts 8 coal ore (8 smelts + 1 craft); with both kept for the block
    # the 7 smelts would have no fuel at all.
    have = {"coal": 2, "coal_ore": 9, "crafting_table": 1, "furnace": 1}
    plan = decompose("coal_block", 1, have, gather=False)
    check_plan(plan)
    assert _actions(plan) == [("smelt", "coal", {"coal_ore": 8, "coal": 1}),
                              ("craft", "coal_block", {"coal": 9})]
    # The held coal is burnt and both fire charges' coal smelted: 2 smelts + 2 crafts.
    have = {"blaze_powder": 2, "coal": 1, "deepslate_coal_ore": 2, "furnace": 1, "gunpowder": 2}
    plan = decompose("fire_charge", 4, have, gather=False)
    check_plan(plan)
    assert sum(s.times for s in plan.steps) == 4 and plan.step("coal").material == {"deepslate_coal_ore": 2, "coal": 1}


def test_slots_of_one_tag_may_take_different_woods():
    # 2 hoes: 4 planks + 2 for the sticks; each held wood makes only 4, so both are made into planks (2 crafts of
    # planks, 1 of sticks, 2 of hoes).
    have = {"crafting_table": 1, "pale_oak_log": 1, "stripped_cherry_wood": 1}
    plan = decompose("wooden_hoe", 2, have, gather=False)
    check_plan(plan)
    assert sum(s.times for s in plan.steps) == 5 and plan.step("pale_oak_planks") and plan.step("cherry_planks")
    # The sign and its stick take the 8 acacia planks; the crafting table is made of jungle planks.
    plan = decompose("acacia_sign", 1, {"acacia_log": 2, "jungle_wood": 1}, gather=False)
    check_plan(plan)
    assert plan.step("crafting_table").material == {"jungle_planks": 4} and plan.step("acacia_planks").times == 2


def test_one_slot_takes_what_one_wood_leaves_over_and_another():
    # 6 planks and 3 slabs: the spruce wood makes 8 planks, 3 go to the slabs, and the bookshelf takes the other 5
    # and 1 bamboo plank (2 + 1 crafts of planks, 1 of slabs, 1 bookshelf); planks of one wood per slot take 6.
    have = {"bamboo_block": 2, "crafting_table": 1, "spruce_wood": 2}
    plan = decompose("chiseled_bookshelf", 1, have, gather=False)
    check_plan(plan)
    assert sum(s.times for s in plan.steps) == 5
    assert plan.step("chiseled_bookshelf").material == {"spruce_planks": 5, "bamboo_planks": 1, "spruce_slab": 3}


def test_a_farm_plants_one_seed_per_item_wanted():
    plan = decompose("wheat", 5, {"wheat_seeds": 2, "stone_hoe": 1})
    assert [(s.object, s.count, s.action) for s in plan.steps] == [("wheat_seeds", 3, "mine"), ("wheat", 5, "farm")]
    farm = plan.step("wheat")
    assert farm.material == {"wheat_seeds": 5} and farm.tool == "wooden_hoe" and farm.times == 5
    assert "plant wheat_seeds" in farm.info and "near water" in farm.info
