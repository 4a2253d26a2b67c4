"""The tech tree graph and its costs."""

from __future__ import annotations

from gitm.tree.techtree import FUEL, AnyOf, Way, tech_tree


def test_recipe_cycles_keep_costs_finite():
    tt = tech_tree()
    ways = {w.action: w for w in tt.ways_of("iron_ingot")}
    assert any("iron_block" in alts for alts, _ in ways["craft"].materials)  # iron_block <-> iron_ingot
    assert any("iron_ingot" in alts for w in tt.ways_of("iron_block") for alts, _ in w.materials)
    assert tt.cost["iron_block"] > 9 * tt.cost["iron_ingot"]
    assert tt.best_way("iron_ingot").action == "smelt"


def test_the_graph_is_and_or():
    g = tech_tree().graph
    smelt = next(w for w in g.predecessors("iron_ingot") if isinstance(w, Way) and w.source == "raw_iron")
    # A way needs every in-edge: its material, its station and fuel; it yields its item.
    assert set(g.predecessors(smelt)) == {"raw_iron", "furnace", FUEL}
    assert list(g.successors(smelt)) == ["iron_ingot"]
    assert g.edges["raw_iron", smelt]["count"] == 1 and g.edges["furnace", smelt]["tool"]
    # A tag slot is an OR node between its members and the way.
    table = next(iter(g.predecessors("crafting_table")))
    (slot,) = g.predecessors(table)
    assert isinstance(slot, AnyOf) and "birch_planks" in slot.items and g.edges[slot, table]["count"] == 4
    assert {"coal", "charcoal", "oak_planks"} <= set(g.predecessors(FUEL))


def test_views_price_what_is_held_at_nothing():
    tt = tech_tree()
    held = tt.view(frozenset({"bone"}), craft_only=True)
    assert held.obtainable("white_dye") and not held.obtainable("diamond")
    assert held.best_way("white_dye").materials[0][0] == ("bone_meal", "lily_of_the_valley")
    assert not tt.obtainable("quartz_block") and tt.view(frozenset({"quartz"})).obtainable("quartz_block")


def test_costs_rank_sensible_choices():
    tt = tech_tree()
    assert tt.best_way("cobblestone").source == "stone"
    assert tt.best_way("stick").action == "craft"
    assert tt.best_way("diamond").source == "diamond_ore"
    assert tt.cost["wooden_pickaxe"] < tt.cost["stone_pickaxe"] < tt.cost["iron_pickaxe"] < tt.cost["diamond"]
    assert tt.default_fuel == "oak_planks"


def test_every_item_is_obtainable_or_explained():
    tt = tech_tree()
    kinds = {"creative", "nether", "end", "mob_drop", "loot", "silk_touch", "no_source"}
    for item in tt.items():
        if not tt.obtainable(item):
            assert tt.why_not(item).kind in kinds
    assert sum(1 for i in tt.items() if tt.why_not(i) and tt.why_not(i).kind == "no_source") == 0


def test_crops_are_farmed_from_their_seeds_with_a_hoe():
    tt = tech_tree()
    (farm,) = [w for w in tt.ways_of("wheat") if w.action == "farm"]
    assert farm.materials == ((("wheat_seeds",), 1),) and farm.tool == "wooden_hoe" and farm.source == "wheat"
    assert all(w.action != "mine" for w in tt.ways_of("wheat"))  # no wild wheat in the agent's world
    assert tt.best_way("bread").materials == ((("wheat",), 3),) and tt.obtainable("hay_block")
    # a crop grown from its own produce has no way from nothing, and says where the item comes from
    assert not tt.obtainable("carrot") and tt.why_not("carrot").kind == "mob_drop"
    assert not tt.obtainable("beetroot") and tt.why_not("beetroot").via == "beetroot_seeds"
