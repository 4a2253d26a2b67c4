"""The tech tree graph and its costs."""

from __future__ import annotations

from gitm.tree.techtree import tech_tree


def test_recipe_cycles_keep_costs_finite():
    tt = tech_tree()
    ways = {w.action: w for w in tt.ways["iron_ingot"]}
    assert any("iron_block" in alts for alts, _ in ways["craft"].materials)  # iron_block <-> iron_ingot
    assert any("iron_ingot" in alts for w in tt.ways["iron_block"] for alts, _ in w.materials)
    assert tt.cost["iron_block"] > 9 * tt.cost["iron_ingot"]
    assert tt.best_way("iron_ingot").action == "smelt"


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
    for item in tt.ways:
        if not tt.obtainable(item):
            assert tt.why_not(item).kind in kinds
    assert sum(1 for i in tt.ways if tt.why_not(i) and tt.why_not(i).kind == "no_source") == 0
