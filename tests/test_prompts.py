"""GITM's prompt: what every query must carry, the three situations, and the local model's token budget."""

from __future__ import annotations

import pytest

from bot_bridge.actions import planner_actions
from gitm.llm.prompts import (
    ActionFeedback,
    build_messages,
    estimate_tokens,
    messages_tokens,
    system_prompt,
    user_prompt,
)
from knowledge.base import KnowledgeBase

N_CTX = 2048  # the local SmolLM2 server's context


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


SUBGOAL = {"object": "iron_ingot", "count": 3, "material": {"raw_iron": 3, "oak_planks": 2}, "tool": "furnace",
           "info": "smelt raw_iron"}
INVENTORY = {"stone_pickaxe": 1, "raw_iron": 3, "oak_planks": 5, "cobblestone": 11}
ENV = {"biome": "plains", "y": 12}
REFERENCE = [{"name": "place", "args": {"object": "furnace"}},
             {"name": "smelt", "args": {"object": "iron_ingot", "input": "raw_iron", "count": 3}}]


def test_system_prompt_lists_every_action_and_the_reply_format():
    text = system_prompt(planner_actions())
    for spec in planner_actions():
        assert f"- {spec.name}(" in text
        for arg in spec.args:
            assert arg.name in text
    for key in ("explanation", "thoughts", "action_list", "expectation"):
        assert key in text


def test_user_prompt_carries_subgoal_knowledge_inventory_environment_reference(kb):
    sentences = kb.sentences_for("iron_ingot")
    text = user_prompt(SUBGOAL, sentences, INVENTORY, ENV, REFERENCE)
    assert "3 iron_ingot" in text and "3 raw_iron" in text and "furnace" in text
    for s in sentences:
        assert s in text
    assert "1 stone_pickaxe" in text and "11 cobblestone" in text
    assert "plains" in text and "y=12" in text and "underground" in text
    assert "smelt(object=iron_ingot, input=raw_iron, count=3)" in text


def test_surface_and_empty_inventory():
    text = user_prompt({"object": "oak_log", "count": 1}, [], {}, {"biome": "forest", "y": 70})
    assert "Inventory: empty" in text and "on the surface" in text and "forest" in text


def test_first_plan_asks_for_null_explanation():
    text = user_prompt("oak_log", [], {}, None, situation="first")
    assert "first plan" in text and "null" in text


def test_continue_situation_reports_the_successes():
    fb = [ActionFeedback("mine(object=oak_log)", True, delta={"oak_log": 1}, biome="forest", y=70)]
    text = user_prompt("oak_log", [], {"oak_log": 1}, None, situation="continue", feedback=fb)
    assert "succeeded" in text and "mine(object=oak_log)" in text and "+1 oak_log" in text
    assert "not reached" in text


def test_revise_situation_names_the_failed_action_and_its_reason():
    fb = [
        ActionFeedback("explore(object=iron_ore)", True, y=40),
        ActionFeedback("mine(object=iron_ore)", False, reason="need stone_pickaxe to mine iron_ore", y=40),
    ]
    text = user_prompt("raw_iron", [], {}, None, situation="revise", feedback=fb)
    assert "mine(object=iron_ore) failed because need stone_pickaxe to mine iron_ore" in text
    assert "explanation" in text


def test_unknown_situation_is_an_error():
    with pytest.raises(ValueError):
        user_prompt("oak_log", [], {}, None, situation="panic")


def test_prompts_fit_the_local_context(kb):
    """System + user prompt for typical sub-goals leaves room for a ~600-token reply in 2048 tokens."""
    for item in ("oak_log", "crafting_table", "wooden_pickaxe", "iron_ingot", "diamond", "furnace"):
        msgs = build_messages({"object": item, "count": 1}, kb.sentences_for(item), INVENTORY, ENV, REFERENCE,
                              budget=1300)
        assert messages_tokens(msgs) <= 1300, item


def test_budget_trims_reference_and_extra_knowledge_but_keeps_the_essentials(kb):
    long_reference = "\n".join(f"{i}. mine(object=stone)" for i in range(200))
    sentences = kb.sentences_for("diamond") * 6
    msgs = build_messages({"object": "diamond", "count": 1}, sentences, INVENTORY, ENV, long_reference, budget=900)
    user = msgs[1]["content"]
    assert messages_tokens(msgs) <= 900
    assert "Sub-goal: obtain 1 diamond" in user and "Inventory:" in user and "Environment:" in user
    assert sentences[0] in user  # the first (most relevant) knowledge sentence survives


def test_token_estimate_is_not_optimistic():
    # underscore ids split into several tokens in small BPE vocabularies: at least one per 3.5 chars
    text = "deepslate_diamond_ore iron_pickaxe crafting_table " * 20
    assert estimate_tokens(text) >= len(text) / 3.5


def test_budget_trims_knowledge_before_the_reference_plan(kb):
    """A small model copies the reference plan best: extra sentences go first, the reference plan stays."""
    reference = [{"name": "mine", "args": {"object": "oak_log", "count": 3}},
                 {"name": "craft", "args": {"object": "oak_planks", "count": 4}}]
    sentences = kb.sentences_for("oak_planks") * 20
    full = build_messages({"object": "oak_planks", "count": 4}, sentences, INVENTORY, ENV, reference)
    bare = build_messages({"object": "oak_planks", "count": 4}, [], INVENTORY, ENV, reference)
    budget = messages_tokens(bare) + 40  # room for a sentence or two, not for all
    msgs = build_messages({"object": "oak_planks", "count": 4}, sentences, INVENTORY, ENV, reference, budget=budget)
    assert messages_tokens(msgs) <= budget < messages_tokens(full)
    assert "2. craft(object=oak_planks, count=4)" in msgs[1]["content"]
