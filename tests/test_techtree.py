"""The tech tree graph and its costs."""

from __future__ import annotations

import networkx as nx

from gitm.plan.techtree import tech_tree


def test_graph_has_material_station_tool_and_fuel_edges():
    g = tech_tree().graph
    assert isinstance(g, nx.DiGraph)
    assert g.edges["iron_pickaxe", "iron_ingot"]["role"] == "material"
    assert g.edges["iron_pickaxe", "crafting_table"]["role"] == "station"
    assert g.edges["iron_ingot", "furnace"]["role"] == "station"
    assert g.edges["iron_ingot", "coal"]["role"] == "fuel"
    assert g.edges["diamond", "iron_pickaxe"]["role"] == "tool"
    assert g.has_edge("wooden_pickaxe", "birch_planks")  # alternatives are kept


def test_cycles_exist_in_the_graph_but_costs_are_finite():
    tt = tech_tree()
    assert tt.graph.has_edge("iron_block", "iron_ingot") and tt.graph.has_edge("iron_ingot", "iron_block")
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
